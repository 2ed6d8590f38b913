import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isActivation, type ActivationNode } from '../../../src-main/common/ir/types';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { collectActivationStats, percentileWithZeros } from '../../../src-main/engine/calibrate/activation-stats';
import { chooseThreshold } from '../../../src-main/engine/convert/thresholds';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { smallCnn } from '../../helpers/graphs';

/** numpy.percentile(values, p) with its default (linear) method, written out: sort, rank
 * p/100·(n − 1), interpolate between the neighbouring order statistics. */
function numpyPercentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}

describe('percentile thresholds over positive or all activations', () => {
  beforeAll(() => useBackend('wasm'));

  it('percentileWithZeros equals NumPy on the array with the zeros written out', () => {
    const positives = Float32Array.from([0.5, 3, 1.25, 2, 7, 0.75]);
    for (const zeros of [0, 1, 5, 40]) {
      const all = [...positives, ...new Array<number>(zeros).fill(0)];
      for (const p of [1, 10, 50, 87.5, 99, 99.9, 100]) {
        expect(percentileWithZeros(positives, zeros, p)).toBeCloseTo(numpyPercentile(all, p), 6);
      }
    }
  });

  it('a real network: p over all activations (SpikingJelly) and over the positive ones (SNN Toolbox), per layer and per channel', async () => {
    const graph = smallCnn(5, false);
    const set = randomImageSet(24, [8, 8, 2], 5, 9);
    const indices = Int32Array.from({ length: 24 }, (_, i) => i);
    // The activations themselves, as the test sees them.
    const capture = new Set(graph.nodes.filter(isActivation).map((n) => n.name));
    const weights = new GraphTensors(graph);
    const x = tf.tensor(set.read(indices), [24, 8, 8, 2]);
    const { output, captured } = runGraph(graph, weights, x, capture);
    const values = new Map([...captured].map(([name, t]) => [name, t.dataSync() as Float32Array]));
    [output, x, ...captured.values()].forEach((t) => t.dispose());
    weights.dispose();

    for (const perChannel of [false, true]) {
      const stats = await collectActivationStats(graph, set, indices, { perChannel });
      for (const node of graph.nodes.filter(isActivation) as ActivationNode[]) {
        const a = values.get(node.name)!;
        const C = graph.shapes.get(node.name)!.at(-1)!;
        const groups = perChannel ? Array.from({ length: C }, (_, c) => a.filter((_, i) => i % C === c)) : [a];
        for (const p of [50, 99.9]) {
          const all = chooseThreshold(graph, node, stats.get(node.name), { kind: 'percentile', percentile: p }, perChannel, undefined, 'all').theta;
          const positive = chooseThreshold(graph, node, stats.get(node.name), { kind: 'percentile', percentile: p }, perChannel, undefined, 'positive').theta;
          groups.forEach((g, c) => {
            const wantAll = numpyPercentile(g, p);
            const wantPositive = numpyPercentile(g.filter((v) => v > 0), p);
            // A percentile of 0 (mostly silent neurons) becomes θ = 1 with a warning, as a dead layer does.
            expect(all[c]).toBeCloseTo(wantAll > 0 ? wantAll : 1, 5);
            expect(positive[c]).toBeCloseTo(wantPositive, 5);
          });
        }
        // With zeros present the two readings differ: over all activations θ is lower.
        const zeros = a.filter((v) => v === 0).length;
        expect(zeros).toBeGreaterThan(0);
        if (!perChannel) {
          const all = chooseThreshold(graph, node, stats.get(node.name), { kind: 'percentile', percentile: 99 }, false, undefined, 'all').theta[0]!;
          const positive = chooseThreshold(graph, node, stats.get(node.name), { kind: 'percentile', percentile: 99 }, false, undefined).theta[0]!;
          expect(all).toBeLessThan(positive);
        }
      }
    }
  });

  it('keeps the zeros\' share when the reservoir samples', async () => {
    const graph = smallCnn(5, false);
    const set = randomImageSet(24, [8, 8, 2], 5, 9);
    const indices = Int32Array.from({ length: 24 }, (_, i) => i);
    const exact = await collectActivationStats(graph, set, indices, { perChannel: false });
    const sampled = await collectActivationStats(graph, set, indices, { perChannel: false, capValues: 300 });
    const node = graph.nodes.find((n) => n.name === 'r1') as ActivationNode;
    expect(sampled.get('r1')!.exact).toBe(false);
    const want = chooseThreshold(graph, node, exact.get('r1'), { kind: 'percentile', percentile: 60 }, false, undefined, 'all').theta[0]!;
    const got = chooseThreshold(graph, node, sampled.get('r1'), { kind: 'percentile', percentile: 60 }, false, undefined, 'all').theta[0]!;
    expect(Math.abs(got - want) / want).toBeLessThan(0.25);
  });

  it('max thresholds from statistics kept without values: the largest activation of each layer and channel over every batch', async () => {
    const graph = smallCnn(5, false);
    const n = 300; // two batches (at most 256 samples each)
    const set = randomImageSet(n, [8, 8, 2], 5, 4);
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    const capture = new Set(graph.nodes.filter(isActivation).map((node) => node.name));
    const weights = new GraphTensors(graph);
    const x = tf.tensor(set.read(indices), [n, 8, 8, 2]);
    const { output, captured } = runGraph(graph, weights, x, capture);
    const values = new Map([...captured].map(([name, t]) => [name, t.dataSync() as Float32Array]));
    [output, x, ...captured.values()].forEach((t) => t.dispose());
    weights.dispose();

    for (const perChannel of [false, true]) {
      const stats = await collectActivationStats(graph, set, indices, { perChannel, values: false });
      for (const node of graph.nodes.filter(isActivation) as ActivationNode[]) {
        const a = values.get(node.name)!;
        const C = graph.shapes.get(node.name)!.at(-1)!;
        const groups = perChannel ? Array.from({ length: C }, (_, c) => a.filter((_, i) => i % C === c)) : [a];
        const theta = chooseThreshold(graph, node, stats.get(node.name), { kind: 'max' }, perChannel, undefined).theta;
        groups.forEach((g, c) => expect(theta[c]).toBe(g.reduce((m, v) => Math.max(m, v), 0) || 1));
        expect(stats.get(node.name)!.count).toBe(a.length);
        // a percentile needs the values themselves: asking without them is an error, not θ = 1
        expect(() => chooseThreshold(graph, node, stats.get(node.name), { kind: 'percentile', percentile: 99 }, perChannel, undefined)).toThrow(/not kept/);
      }
    }
  });
});
