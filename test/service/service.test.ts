import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../src-main/common/contract';
import { mnistDataDir } from '../../src-main/datasets/demo-mnist';
import { WORKBENCH_VERSION, type WorkbenchService } from '../../src-main/service/service';
import { REPO_ROOT } from '../helpers/fixtures';
import { DEMO_MODEL_FILE, openService, registerMnistAndDemo, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

let dir: string;
let service: WorkbenchService;
let ids: { datasetId: number; modelId: number };

beforeAll(async () => {
  dir = tempDataDir();
  service = openService(dir);
  ids = await registerMnistAndDemo(service);
}, 120_000);

afterAll(() => {
  service?.close();
  removeDir(dir);
});

async function failure(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { kind: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('service', () => {
  it('registers a dataset in place and a model with its summary, hash and a copy under artifacts/', async () => {
    const dataset = await service.call('datasets.show', { id: ids.datasetId });
    expect(dataset).toMatchObject({ kind: 'images', layout: 'mnist-idx', samples: 70000, shape: [28, 28, 1], path: mnistDataDir() });
    expect(dataset.splits['test']!.samples).toBe(10000);
    expect(dataset.splits['train']!.perClass.reduce((a, b) => a + b, 0)).toBe(60000);
    const model = await service.call('models.show', { id: ids.modelId });
    expect(model).toMatchObject({ format: 'tppw', sourcePath: DEMO_MODEL_FILE, params: model.summary.totals.params });
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(dir, 'artifacts', 'models', `${model.sha256}.tppw`))).toBe(true);
    expect(await service.call('system.info', {})).toMatchObject({ dataDir: dir, schemaVersion: 1, version: WORKBENCH_VERSION });
  });

  it('keeps its version in step with package.json', () => {
    expect(WORKBENCH_VERSION).toBe(require(join(REPO_ROOT, 'package.json')).version);
  });

  it('validates every argument: wrong types, unknown handlers, missing ids', async () => {
    expect(await failure(service.call('runs.show', { id: 'x' }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/^runs\.show: id: /) });
    expect(await failure(service.call('runs.start', { ...ids, study: study({ timesteps: [0] }) }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/study\.timesteps\.0/) });
    expect(await failure(service.call('no.such' as 'runs.show', {}))).toMatchObject({ kind: 'not_found' });
    expect(await failure(service.call('runs.show', { id: 999 }))).toMatchObject({ kind: 'not_found', message: 'there is no run 999' });
    expect(await failure(service.call('runs.start', { ...ids, modelId: 42, study: study() }))).toMatchObject({ kind: 'not_found', message: 'there is no model 42' });
    expect(HANDLER_NAMES).toEqual(expect.arrayContaining(['datasets.import', 'models.import', 'runs.start', 'runs.cancel', 'runs.resume']));
  });

  it('refuses paths that do not exist, are of the wrong kind, or are already registered', async () => {
    expect(await failure(service.call('datasets.import', { path: join(dir, 'nowhere') }))).toMatchObject({ kind: 'not_found', message: expect.stringMatching(/does not exist/) });
    expect(await failure(service.call('datasets.import', { path: DEMO_MODEL_FILE }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/is not a folder/) });
    expect(await failure(service.call('models.import', { path: dir }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/is a folder/) });
    expect(await failure(service.call('datasets.import', { path: mnistDataDir() }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/already registered as dataset 1/) });
  });

  it('with registered roots, refuses paths outside them, symbolic links that lead out included', async () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    symlinkSync(mnistDataDir(), join(root, 'escape'));
    const limited = openService(dir, { roots: [root] });
    try {
      expect(await failure(limited.call('datasets.import', { path: mnistDataDir() }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/outside the folders this server may read/) });
      expect(await failure(limited.call('datasets.import', { path: 'escape' }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/outside/) });
      expect(await failure(limited.call('models.import', { path: '../../etc/passwd' }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/outside/) });
    } finally {
      limited.close();
    }
  });

  it('a bad model file fails its job with the importer\'s message and stores nothing', async () => {
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, Buffer.from([0x08, 0x07, 0xff, 0xff, 0xff]));
    const job = await waitForJob(service, (await service.call('models.import', { path: bad })).id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ kind: 'invalid_data', message: expect.stringContaining('bad.onnx') });
    expect((await service.call('models.list', {})).length).toBe(1);
    const logs = await service.call('jobs.logs', { id: job.id });
    expect(logs.at(-1)).toMatchObject({ level: 'error' });
  });

  it('emits job progress, job finished and log events, and refuses to remove what a run uses', async () => {
    const events: string[] = [];
    const off = service.on((m) => events.push(`${m.event}:${'jobId' in m.data ? m.data.jobId : ''}`), 50);
    const started = await service.call('runs.start', { ...ids, limit: 100, calibration: 64, study: study() });
    const job = await waitForJob(service, started.id);
    await new Promise((r) => setTimeout(r, 300));
    off();
    expect(job.status).toBe('succeeded');
    expect(events).toContain(`job.progress:${started.id}`);
    expect(events).toContain(`job.finished:${started.id}`);
    expect(events).toContain(`log:${started.id}`);
    const run = await service.call('runs.show', { id: started.result!.conversionId! });
    expect(run.result!.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@4', 'tpp@2', 'tpp@4']);
    expect(run.result!.config.calibration.source).toMatch(/train split \(64 samples, seed 0\)/);
    expect(await failure(service.call('datasets.remove', { id: ids.datasetId }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/used by run/) });
    expect(await failure(service.call('models.remove', { id: ids.modelId }))).toMatchObject({ kind: 'invalid_argument' });
    expect(await failure(service.call('runs.resume', { id: run.id }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/succeeded/) });
  }, 120_000);

  it('removing a model deletes its copy once no other model shares it', async () => {
    const a = await waitForJob(service, (await service.call('models.import', { path: DEMO_MODEL_FILE, name: 'again' })).id);
    const copy = join(dir, 'artifacts', 'models', `${(await service.call('models.show', { id: a.result!.modelId! })).sha256}.tppw`);
    expect(await service.call('models.remove', { id: a.result!.modelId! })).toEqual({ removed: 1 });
    expect(existsSync(copy)).toBe(true); // model 1 still uses it
  });
});
