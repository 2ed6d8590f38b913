import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThresholdMethod } from '../../../src-main/common/snn';
import type { Progress } from '../../../src-main/common/progress';
import { runExperiment, type ExperimentOptions } from '../../../src-main/engine/experiment/run-experiment';
import { planUnits } from '../../../src-main/common/plan';
import { prestartWorkers, spareWorkers } from '../../../src-main/engine/parallel/unit-pool';
import { useBackend } from '../../helpers/backend';
import { study } from '../../helpers/study';
import { randomImageSet } from '../../helpers/data';
import { smallCnn } from '../../helpers/graphs';

const set = randomImageSet(40, [8, 8, 2], 5, 4);
const calib = randomImageSet(32, [8, 8, 2], 5, 5);

function options(overrides: Partial<ExperimentOptions> = {}): ExperimentOptions {
  return {
    graph: smallCnn(11),
    data: set,
    indices: Int32Array.from({ length: 40 }, (_, i) => i),
    calibration: { set: calib, indices: Int32Array.from({ length: 32 }, (_, i) => i), source: 'calib' },
    ...study({ methods: ['if', 'if-permute', 'tpp', 'tpp-iid'], timesteps: [4, 1, 2], seeds: [0, 1] }),
    backend: 'wasm',
    budgetValues: 20_000,
    ...overrides,
  };
}

describe('a whole conversion run', () => {
  beforeAll(() => useBackend('wasm'));

  it('plans one anytime pass for IF and one pass per T and seed for the rest', () => {
    const units = planUnits({ methods: ['if', 'if-permute', 'tpp'], timesteps: [1, 2, 4], seeds: [0, 1], permute: 'neuron', dependsOnT: false, thresholdsPerT: false });
    expect(units.filter((u) => u.method === 'if')).toEqual([{ method: 'if', T: 4, checkpoints: [1, 2, 4], seed: 0 }]);
    expect(units.filter((u) => u.method === 'tpp')).toHaveLength(6);
    const perT = planUnits({ methods: ['if'], timesteps: [1, 2], seeds: [0], permute: 'neuron', dependsOnT: true, thresholdsPerT: true });
    expect(perT).toEqual([{ method: 'if', T: 1, checkpoints: [1], seed: 0, conversionT: 1 }, { method: 'if', T: 2, checkpoints: [2], seed: 0, conversionT: 2 }]);
  });

  it('reports every method at every T, with seeds, metrics and no leaked tensors', async () => {
    const before = tf.memory().numTensors;
    const progress: Progress[] = [];
    const result = await runExperiment(options({ onProgress: (p) => progress.push(p) }));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.results.map((r) => `${r.method}@${r.T}`)).toEqual(
      ['if', 'if-permute', 'tpp', 'tpp-iid'].flatMap((m) => [1, 2, 4].map((t) => `${m}@${t}`)),
    );
    for (const r of result.results) {
      expect(r.seeds).toBe(r.method === 'if' ? 1 : 2);
      expect(r.perSeed).toHaveLength(r.seeds);
      expect(r.accuracy.mean).toBeGreaterThanOrEqual(0);
      expect(r.accuracy.mean).toBeLessThanOrEqual(1);
      expect(r.perLayer.map((l) => l.node)).toEqual(['r1', 'r2']);
      expect(r.perLayer[0]!.spikesPerStep).toHaveLength(r.T);
      expect(r.latencySteps).toBe(r.method.startsWith('tpp') ? 2 * r.T : r.T);
      expect(r.energyPj).toBeGreaterThan(0);
    }
    expect(result.results.find((r) => r.method === 'if')!.accuracy.std).toBe(0);
    expect(result.layers.map((l) => l.node)).toEqual(['r1', 'r2']);
    expect(result.notes.join(' ')).toMatch(/folded 1 batch norm/);
    expect(result.samples).toBe(40);
    // Confusion counts: each row holds its label's samples (counted here from the labels; once per
    // seed for the SNN), the diagonal the correct ones (the accuracies above)
    const K = 5;
    const perLabel = Array.from({ length: K }, (_, c) => Array.from(set.labels.subarray(0, 40)).filter((l) => l === c).length);
    const rowSums = (m: readonly number[]) => Array.from({ length: K }, (_, c) => m.slice(c * K, (c + 1) * K).reduce((a, b) => a + b, 0));
    const diagonal = (m: readonly number[]) => Array.from({ length: K }, (_, c) => m[c * K + c]!).reduce((a, b) => a + b, 0);
    expect(rowSums(result.ann.confusion!)).toEqual(perLabel);
    expect(diagonal(result.ann.confusion!) / 40).toBeCloseTo(result.ann.accuracy, 12);
    for (const r of result.results) {
      expect(rowSums(r.confusion!)).toEqual(perLabel.map((n) => n * r.seeds));
      expect(diagonal(r.confusion!)).toBe(Math.round(r.perSeed.reduce((a, b) => a + b, 0) * 40));
    }
    const sim = progress.filter((p) => p.step === 'simulate');
    expect(sim[sim.length - 1]!.current).toBe(sim[sim.length - 1]!.total);
    for (let i = 1; i < sim.length; i++) expect(sim[i]!.current).toBeGreaterThanOrEqual(sim[i - 1]!.current);
  });

  it('results do not depend on the batch size', async () => {
    const a = await runExperiment(options({ methods: ['if', 'tpp'], seeds: [3], budgetValues: 5_000 }));
    const b = await runExperiment(options({ methods: ['if', 'tpp'], seeds: [3], budgetValues: 200_000 }));
    expect(a.results.map((r) => r.accuracy)).toEqual(b.results.map((r) => r.accuracy));
    expect(a.results.map((r) => r.sops)).toEqual(b.results.map((r) => r.sops));
  });

  it.each<[string, ThresholdMethod, boolean]>([
    ['snnc', { kind: 'snnc' }, false],
    ['max with shift', { kind: 'max' }, true],
  ])('converts per T when the network depends on T (%s)', async (_, threshold, shift) => {
    const result = await runExperiment(options({ methods: ['if'], threshold, shift, seeds: [0] }));
    expect(result.results.map((r) => r.T)).toEqual([1, 2, 4]);
  });

  it('stops with a cancelled error when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runExperiment(options({ signal: controller.signal }))).rejects.toThrow(/cancelled/);
    await expect(runExperiment(options({ signal: controller.signal, workers: 2 }))).rejects.toThrow(/cancelled/);
  });

  it('where accuracy goes: the ANN, each cut, the whole SNN at T; every step of every window', async () => {
    const result = await runExperiment(options(study({ methods: ['if', 'tpp'], timesteps: [2, 4], seeds: [0, 1], attribution: 4 })));
    const a = result.attribution!;
    expect(a.T).toBe(4);
    expect(a.layers).toEqual(['r1', 'r2']);
    for (const method of ['if', 'tpp'] as const) {
      const row = a.rows.find((r) => r.method === method)!;
      const full = result.results.find((r) => r.method === method && r.T === 4)!;
      expect(row.accuracy).toHaveLength(3);
      expect(row.accuracy[0]).toBe(result.ann.accuracy);
      expect(row.accuracy[2]).toBe(full.perSeed[0]);
    }
    // the cut units stay out of the results table
    expect(result.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@4', 'tpp@2', 'tpp@4']);
    for (const r of result.results) {
      expect(r.stepAccuracy).toHaveLength(r.T);
      expect(r.stepAccuracy![r.T - 1]).toBeCloseTo(r.accuracy.mean, 12);
    }
  });

  it('one unit over three shards: two worker threads give exactly the in-process sums', async () => {
    // 300 samples are shards of 128, 128 and 44 (SHARD_SAMPLES); the pool runs them on both
    // workers and sums them in shard order, as the in-process run does one after another
    const many = randomImageSet(300, [8, 8, 2], 5, 6);
    const one = { data: many, indices: Int32Array.from({ length: 300 }, (_, i) => i), ...study({ methods: ['if'], timesteps: [4], seeds: [0] }) };
    const local = await runExperiment(options(one));
    const pooled = await runExperiment(options({ ...one, workers: 2 }));
    expect(local.results[0]!.perLayer.length).toBeGreaterThan(0);
    expect(pooled.results).toEqual(local.results);
    // the workers also evaluate the ANN, shard by shard, while this thread calibrates
    expect(pooled.ann).toEqual(local.ann);
    expect(pooled.ann.confusion!.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('workers started ahead of the study serve its pool, even ones that started another backend; the spares left are ended', async () => {
    const local = await runExperiment(options({ seeds: [0] }));
    prestartWorkers(2, 'cpu');
    prestartWorkers(1, 'wasm');
    expect(spareWorkers()).toBe(3);
    const pooled = await runExperiment(options({ seeds: [0], workers: 2 }));
    expect(spareWorkers()).toBe(0);
    expect(pooled.results).toEqual(local.results);
    expect(pooled.ann).toEqual(local.ann);
  });

  it('two worker threads give exactly the in-process results', async () => {
    const local = await runExperiment(options({ seeds: [0, 1] }));
    const pooled = await runExperiment(options({ seeds: [0, 1], workers: 2 }));
    expect(pooled.results).toEqual(local.results);
  });
});
