import * as tf from '@tensorflow/tfjs-core';
import { isActivation, type Graph } from '../../common/ir/types';
import type { SampleSet } from '../../datasets/sample-set';
import { batches, batchSizeFor } from '../ann/batching';
import { GraphTensors } from '../ann/graph-tensors';
import { runGraph } from '../ann/run-graph';
import { makeRandom } from '../../common/random';

/**
 * Statistics of every activation node's output a_l over calibration samples: the maximum per
 * layer and per channel, and the positive values themselves (for percentiles and the SNNC
 * search). Positive values only, as in Rueckauer et al. 2017 / SNN Toolbox: zeros are silent
 * neurons and would drag every percentile down. Up to `capValues` values are kept per layer
 * (split evenly over channels when per-channel statistics are asked for); beyond that a seeded
 * reservoir sample (Vitter's algorithm R) stands in, and `exact` says so.
 */
export interface ActivationStats {
  readonly node: string;
  readonly channels: number;
  /** Values seen (all, including zeros). */
  count: number;
  max: number;
  readonly channelMax: Float32Array;
  /** Positive values kept: one reservoir per layer, or one per channel when per-channel. */
  readonly reservoirs: Reservoir[];
  exact: boolean;
}

export class Reservoir {
  values: Float32Array;
  size = 0;
  seen = 0;
  constructor(readonly cap: number, private readonly random: () => number) {
    this.values = new Float32Array(Math.min(cap, 1024));
  }
  add(v: number): void {
    this.seen++;
    if (this.size < this.cap) {
      if (this.size === this.values.length) {
        const grown = new Float32Array(Math.min(this.cap, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.size++] = v;
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.cap) this.values[j] = v;
  }
  kept(): Float32Array {
    return this.values.subarray(0, this.size);
  }
}

export interface CalibrationOptions {
  readonly perChannel: boolean;
  readonly capValues?: number;
  readonly seed?: number;
  /** Called after each batch with the samples done so far. */
  readonly onBatch?: (samplesDone: number) => void;
}

export const DEFAULT_CAP_VALUES = 4_000_000;

export function collectActivationStats(
  graph: Graph,
  set: SampleSet,
  indices: Int32Array,
  options: CalibrationOptions,
): Map<string, ActivationStats> {
  const activations = graph.nodes.filter(isActivation).map((n) => n.name);
  const stats = new Map<string, ActivationStats>();
  const random = makeRandom(options.seed ?? 0, 0x5eed);
  for (const name of activations) {
    const shape = graph.shapes.get(name)!;
    const channels = shape[shape.length - 1]!;
    const cap = options.capValues ?? DEFAULT_CAP_VALUES;
    const reservoirs = options.perChannel
      ? Array.from({ length: channels }, () => new Reservoir(Math.max(1, Math.floor(cap / channels)), random))
      : [new Reservoir(cap, random)];
    stats.set(name, { node: name, channels, count: 0, max: 0, channelMax: new Float32Array(channels), reservoirs, exact: true });
  }
  const capture = new Set(activations);
  const weights = new GraphTensors(graph);
  try {
    for (const [start, end] of batches(indices.length, batchSizeFor(graph))) {
      const batch = indices.subarray(start, end);
      const x = tf.tensor(set.read(batch), [batch.length, ...set.shape]);
      const { output, captured } = runGraph(graph, weights, x, capture);
      output.dispose();
      x.dispose();
      for (const [name, tensor] of captured) {
        addValues(stats.get(name)!, tensor.dataSync() as Float32Array);
        tensor.dispose();
      }
      options.onBatch?.(end);
    }
  } finally {
    weights.dispose();
  }
  for (const s of stats.values()) s.exact = s.reservoirs.every((r) => r.seen <= r.cap);
  return stats;
}

function addValues(stats: ActivationStats, values: Float32Array): void {
  const C = stats.channels;
  const perChannel = stats.reservoirs.length > 1;
  let max = stats.max;
  for (let i = 0, c = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 0) {
      if (v > max) max = v;
      if (v > stats.channelMax[c]!) stats.channelMax[c] = v;
      stats.reservoirs[perChannel ? c : 0]!.add(v);
    }
    if (++c === C) c = 0;
  }
  stats.max = max;
  stats.count += values.length;
}

/** The p-th percentile (0 < p ≤ 100) with linear interpolation between order statistics (NumPy's default). */
export function percentile(values: Float32Array, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}
