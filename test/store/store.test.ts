import { afterEach, describe, expect, it } from 'vitest';
import type { RunStart } from '../../src-main/common/contract';
import type { Unit } from '../../src-main/common/plan';
import type { UnitOutcome } from '../../src-main/common/units';
import { asStoreError } from '../../src-main/store/database';
import { openStore, type Store } from '../../src-main/store/store';
import { removeDir, study, tempDataDir } from '../helpers/workbench';

const opened: Store[] = [];
const dirs: string[] = [];
function store(dir = tempDataDir()): Store {
  if (!dirs.includes(dir)) dirs.push(dir);
  const s = openStore(dir);
  opened.push(s);
  return s;
}
afterEach(() => {
  opened.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach(removeDir);
});

const config: RunStart = { modelId: 1, datasetId: 1, study: study() as RunStart['study'], limit: 10, calibration: 8, input: 'static' };

function seed(s: Store): { conversionId: number; jobId: number } {
  const datasetId = s.datasets.insert({ name: 'd', path: '/data/d', kind: 'images', layout: 'mnist-idx', classes: ['0', '1'], shape: [28, 28, 1], sensor: null }, [
    { file: 'a', record: 0, label: 0, split: 'train' },
    { file: 'a', record: 1, label: 1, split: 'test' },
  ]);
  const summary = { name: 'm', input: { name: 'x', shape: [28, 28, 1] }, output: { name: 'y', shape: [2] }, preprocessing: null, nodes: [], totals: { nodes: 1, params: 10, macs: 20, spikingLayers: 1 }, warnings: [] };
  const modelId = s.models.insert({ name: 'm', sourcePath: '/m.onnx', format: 'onnx', sha256: 'ab', artifact: 'artifacts/models/ab.tppw', summary });
  const jobId = s.jobs.create('run', { ...config, modelId, datasetId });
  return { conversionId: s.conversions.create(jobId, { ...config, modelId, datasetId }), jobId };
}

function outcome(unit: Unit, correct: number[]): UnitOutcome {
  const trace = (T: number, k: number) => ({
    neurons: 3,
    positions: 3,
    samples: 10,
    spikesPerStep: Float64Array.from({ length: T }, (_, t) => 0.1 * (t + 1) + k / 3),
    firstSpikesPerStep: Float64Array.from({ length: T }, (_, t) => (t === 0 ? 2 : 1 / 7)),
    checkpoints: [T],
    residualSum: Float64Array.of(Math.PI * (k + 1)),
    convErrorNum: Float64Array.of(1 / 3),
    convErrorDen: Float64Array.of(2 / 3),
    spikesPerPosition: Float64Array.of(1 / 3, k, 2.5),
  });
  // 2 classes: per checkpoint, (label, prediction) counts that sum to the 10 samples
  const confusion = correct.map((c) => [Math.ceil(c / 2), 5 - Math.ceil(c / 2), 5 - Math.floor(c / 2), Math.floor(c / 2)]);
  const stepCorrect = Array.from({ length: unit.T }, (_, t) => Math.min(10, t + 2));
  return { unit, samples: 10, correct, top5: correct.map(() => 0), traces: unit.checkpoints.map((T, k) => new Map([['relu1', trace(T, k)]])), confusion, stepCorrect };
}

describe('store', () => {
  it('an attribution unit (the network cut after a layer) is kept beside the whole unit of the same method, T and seed', () => {
    const s = store();
    const { conversionId } = seed(s);
    const whole: Unit = { method: 'tpp', T: 4, checkpoints: [4], seed: 0 };
    const cut: Unit = { ...whole, spikingLayers: 1 };
    const measured = outcome(whole, [7]);
    s.conversions.storeUnit(conversionId, measured);
    s.conversions.storeUnit(conversionId, { unit: cut, samples: 10, correct: [4], top5: [0], traces: [new Map()] });
    expect(s.conversions.storedOutcome(conversionId, whole)).toEqual(measured);
    expect(s.conversions.storedOutcome(conversionId, cut)).toEqual({ unit: cut, samples: 10, correct: [4], top5: [0], traces: [new Map()] });
    expect(s.conversions.unitsDone(conversionId)).toBe(2);
    expect(s.conversions.measured(conversionId)).toEqual([{ method: 'tpp', T: 4, seed: 0, samples: 10, accuracy: 0.7 }]);
  });

  it('a stored unit comes back exactly as it was measured, every checkpoint of an anytime IF pass', () => {
    const s = store();
    const { conversionId } = seed(s);
    const unit: Unit = { method: 'if', T: 8, checkpoints: [2, 4, 8], seed: 0 };
    const measured = outcome(unit, [3, 7, 9]);
    s.conversions.storeUnit(conversionId, measured);
    expect(s.conversions.storedOutcome(conversionId, unit)).toEqual(measured);
    expect(s.conversions.unitsDone(conversionId)).toBe(1);
    expect(s.conversions.measured(conversionId).map((m) => [m.T, m.accuracy])).toEqual([[2, 0.3], [4, 0.7], [8, 0.9]]);
    // A different unit (other seed, or a per-T pass) is not taken for this one.
    expect(s.conversions.storedOutcome(conversionId, { ...unit, seed: 1 })).toBeUndefined();
    expect(s.conversions.storedOutcome(conversionId, { method: 'if', T: 8, checkpoints: [8], seed: 0 })).toBeUndefined();
  });

  it('claims never run more jobs than the limit, across two connections to one database', () => {
    const dir = tempDataDir();
    const a = store(dir);
    const b = store(dir);
    for (let i = 0; i < 4; i++) a.jobs.create('model-import', { path: `/m${i}` });
    expect(a.jobs.claimNext(1001, 2)?.id).toBe(1);
    expect(b.jobs.claimNext(1002, 2)?.id).toBe(2);
    expect(a.jobs.claimNext(1003, 2)).toBeUndefined();
    expect(b.jobs.counts()).toEqual({ running: 2, queued: 2 });
    expect(a.jobs.finish(1, 'succeeded')).toBe(true);
    expect(b.jobs.finish(1, 'failed')).toBe(false); // already settled
    expect(b.jobs.claimNext(1002, 2)?.id).toBe(3);
  });

  it('jobs of dead processes become interrupted, can be queued again, and cancel flags reach queued jobs at once', () => {
    const s = store();
    const [j1, j2, j3] = [s.jobs.create('run', {}), s.jobs.create('run', {}), s.jobs.create('run', {})];
    s.jobs.claimNext(111, 5);
    s.jobs.claimNext(222, 5);
    expect(s.jobs.markInterrupted((pid) => pid === 222)).toEqual([j1]);
    expect(s.jobs.get(j1)!.status).toBe('interrupted');
    expect(s.jobs.get(j2)!.status).toBe('running');
    expect(s.jobs.requeue(j2)).toBe(false);
    expect(s.jobs.requeue(j1)).toBe(true);
    expect(s.jobs.get(j1)!.status).toBe('queued');
    s.jobs.requestCancel(j3);
    expect(s.jobs.get(j3)!.status).toBe('cancelled');
  });

  it('dataset details count samples per split and class', () => {
    const s = store();
    seed(s);
    const d = s.datasets.detail(1)!;
    expect(d.splits).toEqual({ train: { samples: 1, perClass: [1, 0], meanEvents: null, meanDurationUs: null }, test: { samples: 1, perClass: [0, 1], meanEvents: null, meanDurationUs: null } });
    expect(s.datasets.samples(1)[1]).toEqual({ file: 'a', record: 1, label: 1, split: 'test' });
    expect(s.conversions.usingDataset(1)).toEqual([1]);
  });

  it('a full disk fails the write with one clear error and leaves the database consistent', () => {
    const s = store();
    const { conversionId } = seed(s);
    const pages = s.db.pragma('page_count', { simple: true }) as number;
    s.db.pragma(`max_page_count = ${pages}`);
    const big = outcome({ method: 'tpp', T: 4096, checkpoints: [4096], seed: 0 }, [1]);
    let error: unknown;
    try {
      s.conversions.storeUnit(conversionId, big);
    } catch (e) {
      error = asStoreError(e, s.dir.database);
    }
    expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/workbench\.sqlite: the disk is full/) });
    expect(s.conversions.unitsDone(conversionId)).toBe(0);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
