import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import { resolveV0 } from '../../../src-main/common/study';
import type { SnnModel } from '../../../src-main/common/snn';
import { makeImageSet } from '../../../src-main/datasets/sample-set';
import { seededSubset } from '../../../src-main/datasets/subsets';
import { runExperiment, type ExperimentOptions } from '../../../src-main/engine/experiment/run-experiment';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { smallCnn } from '../../helpers/graphs';
import { study } from '../../helpers/study';

/** Warnings a study must give on its own: an ANN whose numbers cannot be trusted, calibration
 * samples that are also evaluated, fewer samples than asked for, and QCFS's v0. */
const set = randomImageSet(40, [8, 8, 2], 5, 4);

function options(overrides: Partial<ExperimentOptions> = {}): ExperimentOptions {
  return {
    graph: smallCnn(11),
    data: set,
    indices: Int32Array.from({ length: 20 }, (_, i) => i),
    calibration: { set, indices: Int32Array.from({ length: 8 }, (_, i) => 32 + i), source: 'last 8' },
    ...study({ methods: ['if'], timesteps: [2] }),
    backend: 'wasm',
    ...overrides,
  };
}

describe('study warnings', () => {
  beforeAll(() => useBackend('wasm'));

  it('says loudly when the ANN output does not depend on its input', async () => {
    // Every kernel zero: the logits are the last layer's bias for every sample.
    const cnn = smallCnn(11);
    const zeroed = new Map([...cnn.weights].map(([name, w]) => [name, name.endsWith('/k') ? { shape: w.shape, data: new Float32Array(w.data.length) } : w]));
    const result = await runExperiment(options({ graph: buildGraph({ ...cnn, weights: zeroed }) }));
    expect(result.ann.sanityWarning).toMatch(/^ANN OUTPUT IS CONSTANT: every one of the 20 evaluated samples/);
    expect(result.ann.sanityWarning).toMatch(/input scaling .* channel order .* layout/);
    expect(result.warnings).toContain(result.ann.sanityWarning);
  });

  it('says nothing of the ANN when it is clearly above chance', async () => {
    // Labels = the ANN's own predictions: 100%, far from chance.
    const labelled = makeImageSet({ name: 'self-labelled', data: readAll(), count: 40, shape: [8, 8, 2], layout: 'nhwc', labels: await predictions(), transform: { scale: 1, offset: 0 } });
    const result = await runExperiment(options({ data: labelled, calibration: { set: labelled, indices: Int32Array.from({ length: 8 }, (_, i) => 32 + i), source: 'last 8' } }));
    expect(result.ann.accuracy).toBe(1);
    expect(result.ann.sanityWarning).toBeUndefined();
    expect(result.warnings.some((w) => w.startsWith('ANN'))).toBe(false);
  });

  it('warns when calibration samples are evaluated too, for the first N and for a seeded subset', async () => {
    const first = await runExperiment(options({ indices: Int32Array.from({ length: 36 }, (_, i) => i) }));
    // Brute force: evaluated 0..35, calibrated 32..39 → 32, 33, 34, 35 are shared.
    expect(first.warnings).toContain(overlapWarning(4));
    const seeded = seededSubset(40, 20, 3);
    const shared = [...seeded].filter((i) => i >= 32).length;
    expect(shared).toBeGreaterThan(0);
    const subset = await runExperiment(options({ indices: seeded }));
    expect(subset.warnings).toContain(overlapWarning(shared));
    const disjoint = await runExperiment(options({ indices: Int32Array.from({ length: 32 }, (_, i) => i) }));
    expect(disjoint.warnings.filter((w) => w.includes('calibration samples are also evaluated'))).toEqual([]);
  });

  it('reports fewer samples than asked for instead of clamping silently', async () => {
    const result = await runExperiment(options({ indices: Int32Array.from({ length: 40 }, (_, i) => i), requested: { samples: 100, calibration: 64 } }));
    expect(result.samples).toBe(40);
    expect(result.warnings).toContain('100 samples asked for, but random images has 40: evaluated 40');
    expect(result.warnings).toContain('64 calibration samples asked for, but last 8 gives 8: calibrated on 8');
  });

  it('records in each converted network the input transform its thresholds were fitted under', async () => {
    const scaled = makeImageSet({ name: 'scaled', data: readAll(), count: 40, shape: [8, 8, 2], layout: 'nhwc', labels: set.labels, transform: { scale: 0.5, offset: 0.25 } });
    const converted: SnnModel[] = [];
    await runExperiment(options({ data: scaled, calibration: { set: scaled, indices: Int32Array.of(30, 31), source: 'two' }, onConverted: (m) => converted.push(m) }));
    expect(converted.map((m) => m.graph.preprocessing)).toEqual([{ scale: 0.5, offset: 0.25 }]);
  });

  it('starts QCFS at θ/2 unless v0 is given, and warns when 0 is asked for', () => {
    expect(resolveV0({ kind: 'qcfs' }, undefined)).toEqual({ v0: 'half' });
    expect(resolveV0({ kind: 'percentile', percentile: 99.9 }, undefined)).toEqual({ v0: 'zero' });
    expect(resolveV0({ kind: 'max' }, 'half')).toEqual({ v0: 'half' });
    const explicit = resolveV0({ kind: 'qcfs' }, 'zero');
    expect(explicit.v0).toBe('zero');
    expect(explicit.warning).toMatch(/v0 = 0 with QCFS thresholds/);
  });
});

function overlapWarning(shared: number): string {
  return `${shared} of the 8 calibration samples are also evaluated (thresholds fitted on test samples flatter the SNN): use a separate calibration set or a dataset with a training split`;
}

function readAll(): Float32Array {
  return set.read(Int32Array.from({ length: 40 }, (_, i) => i));
}

async function predictions(): Promise<Int32Array> {
  const { evaluateAnn } = await import('../../../src-main/engine/ann/evaluate');
  const { prepareForConversion } = await import('../../../src-main/engine/prepare/prepare');
  return (await evaluateAnn(prepareForConversion(smallCnn(11), 'refuse').graph, set, Int32Array.from({ length: 40 }, (_, i) => i))).predictions;
}
