import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HandlerName } from '../../src-main/common/contract';
import type { CallResult } from '../../src-main/electron/common/routes';
import type { FromService } from '../../src-main/electron/common/service-protocol';
import { rendererResponse } from '../../src-main/electron/main/app-protocol';
import { FIXTURES, HAVE_FIXTURES, REPO_ROOT } from '../helpers/fixtures';
import { removeDir, study, tempDataDir } from '../helpers/workbench';

vi.mock('electron', () => import('../helpers/fake-electron'));

/**
 * `npm run build`'s bundles, without the Electron binary: the preload is one file that needs only
 * `electron`, the renderer's page loads through the app:// handler, and the service bundle runs
 * as the utility process would run it (its parentPort played by a Node IPC channel), starting the
 * bundled job worker, the simulation threads and the HDF5 reader thread from beside itself.
 */
const out = join(REPO_ROOT, 'out', `electron-test-${process.pid}`);
let dataDir: string;
let child: ChildProcess;
const pending = new Map<number, (r: CallResult) => void>();
const events: FromService[] = [];
let nextId = 1;

/** Stands in for Electron's process.parentPort inside the forked service bundle. */
const PARENT_PORT_SHIM = `
const { EventEmitter } = require('node:events');
const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
`;

function call(name: HandlerName, args: unknown): Promise<CallResult> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    child.send({ type: 'call', id, name, args });
  });
}

async function data<T>(name: HandlerName, args: unknown): Promise<T> {
  const result = await call(name, args);
  if ('error' in result) throw new Error(`${name}: ${result.error.kind}: ${result.error.message}`);
  return result.data as T;
}

async function finished(jobId: number): Promise<{ status: string; error: { message: string } | null }> {
  return vi.waitFor(
    () => {
      const end = events.find((m) => m.type === 'event' && m.message.event === 'job.finished' && m.message.data.jobId === jobId);
      if (end?.type !== 'event' || end.message.event !== 'job.finished') throw new Error(`job ${jobId} is not finished`);
      return end.message.data;
    },
    { timeout: 120_000, interval: 50 },
  );
}

beforeAll(() => {
  const vite = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  if (!HAVE_FIXTURES) return;
  dataDir = tempDataDir();
  const shim = join(out, 'parent-port-shim.cjs');
  writeFileSync(shim, PARENT_PORT_SHIM);
  child = fork(join(out, 'main', 'service.js'), [dataDir], { execArgv: ['--require', shim], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (message: FromService) => {
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else events.push(message);
  });
}, 120_000);

afterAll(async () => {
  if (child?.connected) {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ type: 'close' });
    await exited;
  }
  if (dataDir) removeDir(dataDir);
  rmSync(out, { recursive: true, force: true });
});

describe('the built bundles', () => {
  it('put main, the service, the job worker and its threads side by side, and a preload that needs only electron', () => {
    for (const entry of ['index', 'service', 'worker-main', 'unit-worker', 'h5-reader-worker', 'render-worker', 'cli']) expect(existsSync(join(out, 'main', `${entry}.js`)), entry).toBe(true);
    const preload = readFileSync(join(out, 'preload', 'index.js'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/\bimport\s*\(/);
  });

  it('serve the renderer through the app:// handler, every script it names included', async () => {
    const page = rendererResponse('app://workbench/index.html', 'GET', join(out, 'renderer'));
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) expect(rendererResponse(`app://workbench/${asset}`, 'GET', join(out, 'renderer')).status, asset).toBe(200);
  });
});

describe.skipIf(!HAVE_FIXTURES)('the built service, as the utility process runs it', () => {
  it('registers a dataset and models (the HDF5 reader thread for Keras) and converts (the simulation threads)', async () => {
    expect((await data<{ dataDir: string }>('system.info', {})).dataDir).toBe(dataDir);
    const dataset = await data<{ id: number }>('datasets.import', { path: join(FIXTURES, 'images') });
    const onnx = await data<{ id: number }>('models.import', { path: join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx') });
    const keras = await data<{ id: number }>('models.import', { path: join(FIXTURES, 'models', 'snntoolbox_lenet5_keras_98.96.h5') });
    for (const job of [dataset, onnx, keras]) expect(await finished(job.id), `job ${job.id}`).toMatchObject({ status: 'succeeded', error: null });
    const ids = { datasetId: (await data<{ result: { datasetId: number } }>('jobs.show', { id: dataset.id })).result.datasetId, modelId: (await data<{ result: { modelId: number } }>('jobs.show', { id: onnx.id })).result.modelId };
    const kerasModel = await data<{ format: string; params: number }>('models.show', { id: (await data<{ result: { modelId: number } }>('jobs.show', { id: keras.id })).result.modelId });
    expect(kerasModel.format).toBe('keras-h5');
    const run = await data<{ id: number }>('runs.start', { ...ids, study: study({ methods: ['if'], timesteps: [1, 4], maxPool: 'avg' }), limit: 20, calibration: 32, transform: { scale: 1 / 255, offset: 0 } });
    expect(await finished(run.id)).toMatchObject({ status: 'succeeded' });
    const runId = (await data<{ result: { conversionId: number } }>('jobs.show', { id: run.id })).result.conversionId;
    const detail = await data<{ result: { samples: number; results: { method: string; T: number }[] } }>('runs.show', { id: runId });
    expect(detail.result.samples).toBe(20);
    expect(detail.result.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@1', 'if@4']);
    expect(events.some((m) => m.type === 'event' && m.message.event === 'job.progress')).toBe(true);
    // the HTML report is drawn by the bundled render thread
    const report = await data<{ path: string; bytes: number }>('runs.report', { ids: [runId], format: 'html' });
    const html = readFileSync(join(dataDir, report.path), 'utf8');
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('the built CLI converts the bundled demo network with its simulation threads, from beside the bundle', () => {
    const cli = spawnSync(process.execPath, [join(out, 'main', 'cli.js'), 'demo', '--limit', '40', '--calibration', '32', '--seeds', '1', '--timesteps', '2,8', '--method', 'if', '--workers', '2', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const result = JSON.parse(cli.stdout) as { samples: number; results: { method: string; T: number }[] };
    expect(result.samples).toBe(40);
    expect(result.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@8']);
  }, 120_000);

  it('answers errors as data under the call’s id', async () => {
    expect(await call('runs.show', { id: 12345 })).toEqual({ error: { kind: 'not_found', message: 'there is no run 12345' } });
  });
});
