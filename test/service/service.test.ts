import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../src-main/common/contract';
import { mnistDataDir } from '../../src-main/datasets/demo-mnist';
import { WORKBENCH_VERSION, type WorkbenchService } from '../../src-main/service/service';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../helpers/fixtures';
import { DEMO_MODEL_FILE, openService, registerMnistAndDemo, failure, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

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
    expect(await service.call('system.info', {})).toMatchObject({ dataDir: dir, schemaVersion: MIGRATIONS.length, version: WORKBENCH_VERSION });
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
    expect(await failure(service.call('datasets.import', { path: DEMO_MODEL_FILE }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/neither a dataset folder nor an event file/) });
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

  it('with registered roots, a dataset whose files are links out of them is neither indexed nor served; links inside are followed', async () => {
    const root = join(dir, 'linked-root');
    const outsideLinks = join(root, 'mnist-links');
    const insideLinks = join(root, 'mnist-inside-links');
    const copy = join(root, 'store');
    for (const d of [outsideLinks, insideLinks, copy]) mkdirSync(d, { recursive: true });
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      symlinkSync(join(mnistDataDir(), f), join(outsideLinks, f));
      copyFileSync(join(mnistDataDir(), f), join(copy, f));
      symlinkSync(join(copy, f), join(insideLinks, f));
    }
    // Registered by the local user (no roots), then served by a bridge with roots.
    const registered = await waitForJob(service, (await service.call('datasets.import', { path: outsideLinks })).id);
    expect(registered.status).toBe('succeeded');
    const limited = openService(dir, { roots: [root] });
    try {
      const refused = await failure(limited.call('datasets.import', { path: 'mnist-links', name: 'again' }));
      expect(refused).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/mnist-links\/t10k-.*-ubyte is a symbolic link to .*outside the folders this server may read/) });
      const served = await failure(limited.call('datasets.images', { id: registered.result!.datasetId!, offset: 0, limit: 4 }));
      expect(served.message).toMatch(/is a symbolic link to .*outside the folders this server may read/);
      const inside = await waitForJob(limited, (await limited.call('datasets.import', { path: 'mnist-inside-links' })).id);
      expect(inside.status).toBe('succeeded');
      const page = await limited.call('datasets.images', { id: inside.result!.datasetId!, offset: 0, limit: 2 });
      expect(page.images).toHaveLength(2);
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

  it('imports a Keras architecture JSON with its weights file; the weights path passes the root policy too', async () => {
    const keras = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'keras');
    const arch = join(keras, 'json_pair.json');
    const weights = join(keras, 'json_pair_weights.h5');
    const before = (await service.call('models.list', {})).length;
    const job = await waitForJob(service, (await service.call('models.import', { path: arch, weights, name: 'pair' })).id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const model = await service.call('models.show', { id: job.result!.modelId! });
    // 1254: Keras's own model.count_params()
    expect(model).toMatchObject({ name: 'pair', format: 'keras-json', sourcePath: arch, params: 1254 });
    const alone = await waitForJob(service, (await service.call('models.import', { path: arch })).id);
    expect(alone.error).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/a Keras model architecture \(model\.to_json\(\)\) without its weights/) });
    expect((await service.call('models.list', {})).length).toBe(before + 1);
    const limited = openService(dir, { roots: [keras] });
    try {
      expect(await failure(limited.call('models.import', { path: arch, weights: DEMO_MODEL_FILE }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/^weights file .* is outside the folders this server may read/) });
    } finally {
      limited.close();
    }
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

  it('shows samples: a page of the index, image pixels, and the events of a single-file dataset', async () => {
    const page = await service.call('datasets.samples', { id: ids.datasetId, split: 'test', offset: 10, limit: 3 });
    expect(page.total).toBe(10000);
    expect(page.samples.map((s) => [s.index, s.record, s.split])).toEqual([[60010, 10, 'test'], [60011, 11, 'test'], [60012, 12, 'test']]);
    const images = await service.call('datasets.images', { id: ids.datasetId, offset: 0, limit: 2 });
    expect(images).toMatchObject({ split: 'test', total: 10000, shape: [28, 28, 1] });
    // The first MNIST test digit is a 7.
    expect(images.images[0]!.label).toBe(7);
    expect(Buffer.from(images.images[0]!.pixels, 'base64').length).toBe(784);
    if (!HAVE_FIXTURES) return;
    const file = fixture('events/tonic_sample_nmnist.bin');
    const job = await waitForJob(service, (await service.call('datasets.import', { path: file })).id);
    expect(job.status).toBe('succeeded');
    const dataset = await service.call('datasets.show', { id: job.result!.datasetId! });
    expect(dataset).toMatchObject({ kind: 'events', layout: 'event-file', samples: 1, classes: ['(unlabelled)'] });
    expect(dataset.splits['all']!.meanEvents).toBe(4325);
    const events = await service.call('datasets.events', { id: dataset.id, index: 0 });
    expect(events).toMatchObject({ count: 4325, truncated: false, file: 'tonic_sample_nmnist.bin' });
    const t = new Float64Array(Uint8Array.from(Buffer.from(events.tUs, 'base64')).buffer);
    expect([t[0], t[t.length - 1]]).toEqual([654, 311175]);
    const few = await service.call('datasets.events', { id: dataset.id, index: 0, maxEvents: 100 });
    expect(few).toMatchObject({ count: 4325, truncated: true });
    expect(await failure(service.call('datasets.events', { id: dataset.id, index: 1 }))).toMatchObject({ kind: 'not_found' });
    expect(await failure(service.call('datasets.images', { id: dataset.id }))).toMatchObject({ kind: 'invalid_argument' });
  }, 60_000);

  it('removing a model deletes its copy once no other model shares it', async () => {
    const a = await waitForJob(service, (await service.call('models.import', { path: DEMO_MODEL_FILE, name: 'again' })).id);
    const copy = join(dir, 'artifacts', 'models', `${(await service.call('models.show', { id: a.result!.modelId! })).sha256}.tppw`);
    expect(await service.call('models.remove', { id: a.result!.modelId! })).toEqual({ removed: 1 });
    expect(existsSync(copy)).toBe(true); // model 1 still uses it
  });
});
