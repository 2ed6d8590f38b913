import * as tf from '@tensorflow/tfjs-core';
import { isActivation, type Graph } from '../../common/ir/types';
import type { SampleSet } from '../../datasets/sample-set';
import { forEachCapturedBatch } from './captured-activations';
import { makeRandom } from '../../common/random';

/**
 * Statistics of every activation node's output a_l over calibration samples: the maximum per
 * layer and per channel, and the positive values themselves (for percentiles and the SNNC
 * search). Positive values are kept, as in Rueckauer et al. 2017 / SNN Toolbox (zeros are silent
 * neurons); the zeros are counted (`count` − the reservoirs' `seen`), so a percentile over all
 * activations (SpikingJelly) comes from the same statistics (percentileWithZeros). Up to
 * `capValues` values are kept per layer (split evenly over channels when per-channel statistics
 * are asked for); beyond that a seeded
 * reservoir sample (Vitter's algorithm R) stands in, and `exact` says so. Without `values` (the
 * max and qcfs thresholds need none) only the counts and maxima are kept, reduced by the backend.
 */
export interface ActivationStats {
  readonly node: string;
  readonly channels: number;
  /** Values seen (all, including zeros). */
  count: number;
  max: number;
  readonly channelMax: Float32Array;
  /** Positive values kept: one reservoir per layer, or one per channel when per-channel; none
   * when the statistics were collected without values. */
  readonly reservoirs: Reservoir[];
  readonly valuesKept: boolean;
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
  /** Keep the positive values (percentile and snnc thresholds); default true. */
  readonly values?: boolean;
  readonly seed?: number;
  /** Called after each batch with the samples done so far. */
  readonly onBatch?: (samplesDone: number) => void;
}

export const DEFAULT_CAP_VALUES = 4_000_000;

export async function collectActivationStats(
  graph: Graph,
  set: SampleSet,
  indices: Int32Array,
  options: CalibrationOptions,
): Promise<Map<string, ActivationStats>> {
  const activations = graph.nodes.filter(isActivation).map((n) => n.name);
  const stats = new Map<string, ActivationStats>();
  const random = makeRandom(options.seed ?? 0, 0x5eed);
  const valuesKept = options.values ?? true;
  for (const name of activations) {
    const shape = graph.shapes.get(name)!;
    const channels = shape[shape.length - 1]!;
    const cap = options.capValues ?? DEFAULT_CAP_VALUES;
    const reservoirs = !valuesKept
      ? []
      : options.perChannel
        ? Array.from({ length: channels }, () => new Reservoir(Math.max(1, Math.floor(cap / channels)), random))
        : [new Reservoir(cap, random)];
    stats.set(name, { node: name, channels, count: 0, max: 0, channelMax: new Float32Array(channels), reservoirs, valuesKept, exact: true });
  }
  const capture = new Set(activations);
  if (valuesKept) {
    await forEachCapturedBatch(graph, set, indices, capture, (name, values) => addValues(stats.get(name)!, values), options.onBatch);
  } else {
    // each channel's maximum over the batch, by the backend: C values read back, not the batch
    const channelMaxima = (output: tf.Tensor): tf.Tensor => tf.max(output, Array.from({ length: output.rank - 1 }, (_, axis) => axis));
    await forEachCapturedBatch(graph, set, indices, capture, (name, maxima, elements) => addMaxima(stats.get(name)!, maxima, elements), options.onBatch, channelMaxima);
  }
  for (const s of stats.values()) s.exact = s.reservoirs.every((r) => r.seen <= r.cap);
  return stats;
}

/** A batch's per-channel maxima (of `elements` values in all) into the statistics: positive
 * maxima only, as addValues keeps them. */
function addMaxima(stats: ActivationStats, maxima: Float32Array, elements: number): void {
  for (let c = 0; c < maxima.length; c++) {
    const v = maxima[c]!;
    if (v > stats.channelMax[c]!) stats.channelMax[c] = v;
    if (v > stats.max) stats.max = v;
  }
  stats.count += elements;
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
  return percentileWithZeros(values, 0, p);
}

/**
 * The p-th percentile, NumPy's linear method, of `values` together with `zeros` more zeros: the
 * percentile over all activations (SpikingJelly's `99.9%`) from the positive values kept and the
 * count of the others (activations are ≥ 0, so the others are exactly zero), without
 * materialising the zeros. rank = p/100·(n − 1) over the n = zeros + values.length sorted values.
 */
export function percentileWithZeros(values: Float32Array, zeros: number, p: number): number {
  const n = zeros + values.length;
  if (values.length === 0 || n === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const at = (i: number): number => (i < zeros ? 0 : sorted[i - zeros]!);
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  return at(lo) + (rank - lo) * (at(hi) - at(lo));
}

/**
 * How many zero activations stand beside a reservoir's kept positive values: the values it saw
 * (`total`, all of its layer or channel) minus the positive ones, scaled to the kept sample when
 * the reservoir had to sample (so zeros keep their share).
 */
export function zerosBeside(reservoir: Reservoir, total: number): number {
  const zeros = Math.max(0, total - reservoir.seen);
  return reservoir.seen <= reservoir.cap ? zeros : Math.round((zeros * reservoir.size) / reservoir.seen);
}
