import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchService } from '../../src-main/service/service';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures';
import { DEMO_MODEL_FILE, failure, openService, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

/**
 * The pre-flight's cost of "replace by average pooling", on the ONNX Model Zoo's mnist-8 (max
 * pooling) and the real MNIST test set: the accuracy as imported is the Zoo's figure (about 99%),
 * and both numbers are what a run with that setting then reports as the ANN's before and after
 * the swap (a different path: the run job, its own data opening and its workers).
 */
let dir: string;
let service: WorkbenchService;
let ids: { datasetId: number; modelId: number; demoId: number };

beforeAll(async () => {
  if (!HAVE_FIXTURES) return;
  dir = tempDataDir();
  service = openService(dir);
  const jobs = [
    await service.call('datasets.import', { path: join(FIXTURES, 'images') }),
    await service.call('models.import', { path: join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx') }),
    await service.call('models.import', { path: DEMO_MODEL_FILE }),
  ];
  const [d, m, demo] = await Promise.all(jobs.map((j) => waitForJob(service, j.id)));
  ids = { datasetId: d!.result!.datasetId!, modelId: m!.result!.modelId!, demoId: demo!.result!.modelId! };
}, 120_000);

afterAll(() => {
  service?.close();
  if (dir) removeDir(dir);
});

describe.skipIf(!HAVE_FIXTURES)('runs.poolingCost', () => {
  it('measures the ANN with max and with average pooling on the run’s first 256 samples, as the run then reports them', async () => {
    const start = { datasetId: ids.datasetId, modelId: ids.modelId, limit: 300, calibration: 32, transform: { scale: 1 / 255, offset: 0 }, study: study({ methods: ['if'], timesteps: [1], maxPool: 'avg' }) };
    const cost = await service.call('runs.poolingCost', start);
    expect(cost.samples).toBe(256);
    expect(cost.pools.length).toBeGreaterThan(0);
    expect(cost.maxPool).toBeGreaterThan(0.97);
    const job = await waitForJob(service, (await service.call('runs.start', { ...start, limit: 256 })).id);
    expect(job.status).toBe('succeeded');
    const run = await service.call('runs.show', { id: job.result!.conversionId! });
    expect(run.result!.ann.accuracyBeforeSwap).toBe(cost.maxPool);
    expect(run.result!.ann.accuracy).toBe(cost.avgPool);
  }, 240_000);

  it('says so when the model has no max pooling, and when the model does not exist', async () => {
    const start = { datasetId: ids.datasetId, modelId: ids.demoId, limit: 100, calibration: 32, study: study({ methods: ['if'], timesteps: [1] }) };
    expect(await failure(service.call('runs.poolingCost', start))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/no max pooling/) });
    expect(await failure(service.call('runs.poolingCost', { ...start, modelId: 999 }))).toMatchObject({ kind: 'not_found' });
  }, 60_000);
});
