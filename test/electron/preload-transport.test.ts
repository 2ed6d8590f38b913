import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Job } from '../../src-main/common/contract';
import type { Transport } from '../../src-main/common/transport';
import type { WorkbenchService } from '../../src-main/service/service';
import { desktopTransport } from '../../src-renderer/api/desktop-transport';
import { ServiceError } from '../../src-renderer/api/transport';
import { wireDesktop, willPick, type Desktop } from '../helpers/desktop';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { openService, removeDir, study, tempDataDir } from '../helpers/workbench';

vi.mock('electron', () => import('../helpers/fake-electron'));

/**
 * The desktop app's transport end to end, without the Electron binary: the renderer's
 * desktopTransport over the preload's transport, IPC to main's routes, main's service client,
 * node's MessageChannel standing in for the utility process's port (test/helpers/desktop.ts),
 * and the real service with real job workers on a temporary data directory. The calls and
 * events are the ones the GUI's end-to-end suite makes.
 */
let dataDir: string;
let service: WorkbenchService;
let desktop: Desktop;
let transport: Transport;
const events: EventMessage[] = [];
let unsubscribe: () => void;

function finished(jobId: number, timeoutMs = 120_000): Promise<Extract<EventMessage, { event: 'job.finished' }>['data']> {
  return vi.waitFor(
    () => {
      const end = events.find((m) => m.event === 'job.finished' && m.data.jobId === jobId);
      if (end === undefined || end.event !== 'job.finished') throw new Error(`job ${jobId} has not finished`);
      return end.data;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('the call succeeded');
}

beforeAll(() => {
  if (!HAVE_FIXTURES) return;
  dataDir = tempDataDir();
  service = openService(dataDir);
  desktop = wireDesktop(service);
  transport = desktopTransport({ tppw: desktop.preload })!;
  unsubscribe = transport.subscribe((m) => events.push(m));
});

afterAll(() => {
  unsubscribe?.();
  desktop?.close();
  service?.close();
  if (dataDir) removeDir(dataDir);
});

describe.skipIf(!HAVE_FIXTURES)('the preload transport against the real service', () => {
  let imagesId: number;
  let modelId: number;

  it('answers system.info and an empty data directory', async () => {
    const info = await transport.call('system.info', {});
    expect(info.dataDir).toBe(dataDir);
    expect(info.schemaVersion).toBeGreaterThan(0);
    expect(await transport.call('datasets.list', {})).toEqual([]);
  });

  it('registers a real image dataset picked in the native dialog, and shows its samples', async () => {
    willPick(join(FIXTURES, 'images'));
    const path = await transport.pickPath!('folder');
    expect(path).toBe(join(FIXTURES, 'images'));
    const job = await transport.call('datasets.import', { path: path! });
    expect(job).toMatchObject({ kind: 'dataset-index', status: 'queued' });
    const end = await finished(job.id);
    expect(end).toEqual({ jobId: job.id, status: 'succeeded', error: null });
    const [row] = await transport.call('datasets.list', {});
    expect(row).toMatchObject({ name: 'images', layout: 'mnist-idx', kind: 'images', samples: 10000 });
    imagesId = row!.id;
    const detail = await transport.call('datasets.show', { id: imagesId });
    expect(detail.splits['test']?.samples).toBe(10000);
    const page = await transport.call('datasets.images', { id: imagesId });
    expect(page).toMatchObject({ total: 10000, shape: [28, 28, 1] });
    expect(page.images).toHaveLength(32);
    // The first MNIST test digit is a 7; its pixels arrive byte for byte.
    expect(page.images[0]!.label).toBe(7);
    expect(Buffer.from(page.images[0]!.pixels, 'base64')).toHaveLength(28 * 28);
    expect(page).toEqual(await service.call('datasets.images', { id: imagesId }));
  }, 120_000);

  it('refuses a typed path the user did not choose, with the error kind and message intact', async () => {
    const refused = await failure(transport.call('datasets.import', { path: '/etc' }));
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused.kind).toBe('invalid_argument');
    expect(refused.message).toBe("/etc: the desktop app reads only files and folders you choose: use Browse…, the File menu, or drop it on the window (paths inside a registered dataset's folder may be typed)");
  });

  it('passes the service’s own errors through as they are', async () => {
    expect(await failure(transport.call('runs.show', { id: 999 }))).toMatchObject({ kind: 'not_found', message: 'there is no run 999' });
    expect(await failure(transport.call('datasets.samples', { id: -1 }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/^datasets\.samples: id: /) });
    const unknown = await failure(transport.call('no.such' as 'system.info', {}));
    expect(unknown).toMatchObject({ kind: 'not_found', message: "there is no handler 'no.such'" });
    expect(desktop.ipcMain.handlers.has('tppw:call:no.such')).toBe(false);
  });

  it('registers a real N-MNIST recording and sends its events', async () => {
    const file = join(FIXTURES, 'events', 'tonic_sample_nmnist.bin');
    willPick(file);
    const job = await transport.call('datasets.import', { path: (await transport.pickPath!('file'))! });
    expect((await finished(job.id)).status).toBe('succeeded');
    const datasetId = (await transport.call('jobs.show', { id: job.id })).result!.datasetId!;
    const samples = await transport.call('datasets.samples', { id: datasetId });
    expect(samples.total).toBe(1);
    const sample = await transport.call('datasets.events', { id: datasetId, index: samples.samples[0]!.index });
    expect(sample).toMatchObject({ count: 4325, truncated: false, sensor: { width: 34, height: 34 } });
    expect(Buffer.from(sample.tUs, 'base64').byteLength).toBe(4325 * 8);
  }, 120_000);

  it('imports a real ONNX model and shows its layers', async () => {
    willPick(join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx'));
    const job = await transport.call('models.import', { path: (await transport.pickPath!('file'))! });
    expect((await finished(job.id)).status).toBe('succeeded');
    const [row] = await transport.call('models.list', {});
    modelId = row!.id;
    const model = await transport.call('models.show', { id: modelId });
    expect(model).toMatchObject({ name: 'wonnx_opt-mnist.onnx', format: 'onnx' });
    expect(model.summary.nodes.map((n) => n.op)).toContain('conv2d');
  }, 120_000);

  it('reports a model import that fails in its job, through job.finished', async () => {
    const notes = join(tempDir('tppw-preload-'), 'notes.onnx');
    writeFileSync(notes, 'not a model');
    willPick(notes);
    const job = await transport.call('models.import', { path: (await transport.pickPath!('file'))! });
    const end = await finished(job.id);
    expect(end.status).toBe('failed');
    expect(end.error?.kind).toBe('invalid_data');
  }, 120_000);

  it('converts with live progress events and shows the same result the service holds', async () => {
    const job: Job = await transport.call('runs.start', {
      modelId,
      datasetId: imagesId,
      study: study({ methods: ['if', 'tpp'], timesteps: [1, 2, 4], maxPool: 'avg' }),
      limit: 50,
      calibration: 64,
      transform: { scale: 1 / 255, offset: 0 },
    });
    expect((await finished(job.id)).status).toBe('succeeded');
    expect(events.some((m) => m.event === 'job.progress' && m.data.jobId === job.id)).toBe(true);
    expect(events.some((m) => m.event === 'log' && m.data.jobId === job.id)).toBe(true);
    const runId = (await transport.call('jobs.show', { id: job.id })).result!.conversionId!;
    const run = await transport.call('runs.show', { id: runId });
    expect(run.result!.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@1', 'if@2', 'if@4', 'tpp@1', 'tpp@2', 'tpp@4']);
    expect(run.result!.samples).toBe(50);
    expect(run).toEqual(await service.call('runs.show', { id: runId }));
    expect((await transport.call('runs.list', {})).map((r) => r.id)).toEqual([runId]);
    const logs = await transport.call('jobs.logs', { id: job.id });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toEqual(await service.call('jobs.logs', { id: job.id }));
  }, 300_000);

  it('cancels a running run and resumes it', async () => {
    const job = await transport.call('runs.start', { modelId, datasetId: imagesId, study: study({ methods: ['tpp'], timesteps: [64], seeds: [0, 1, 2, 3, 4], maxPool: 'avg' }), limit: 10000, calibration: 64 });
    await vi.waitFor(() => expect(events.some((m) => m.event === 'job.progress' && m.data.jobId === job.id)).toBe(true), { timeout: 60_000, interval: 50 });
    const runId = (await transport.call('jobs.show', { id: job.id })).result!.conversionId!;
    expect((await transport.call('runs.cancel', { id: runId })).id).toBe(job.id);
    expect((await finished(job.id, 10_000)).status).toBe('cancelled');
    expect((await transport.call('jobs.list', { status: 'cancelled' })).map((j) => j.id)).toEqual([job.id]);
    const resumed = await transport.call('runs.resume', { id: runId });
    expect(resumed.status).toBe('queued');
    await transport.call('runs.cancel', { id: runId });
    await vi.waitFor(async () => expect((await transport.call('jobs.show', { id: resumed.id })).status).toBe('cancelled'), { timeout: 30_000, interval: 100 });
  }, 180_000);

  it('stops the events when the last listener unsubscribes', async () => {
    const extra: EventMessage[] = [];
    const off = transport.subscribe((m) => extra.push(m));
    off();
    unsubscribe();
    const before = desktop.window.sent.length;
    willPick(join(FIXTURES, 'events', 'tonic_sample.aedat4'));
    const job = await transport.call('datasets.import', { path: (await transport.pickPath!('file'))! });
    await vi.waitFor(async () => expect((await transport.call('jobs.show', { id: job.id })).status).toBe('succeeded'), { timeout: 60_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 500));
    expect(desktop.window.sent.length).toBe(before);
    expect(extra).toEqual([]);
  }, 90_000);
});
