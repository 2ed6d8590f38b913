import type { Unit } from './plan';

/**
 * What a spiking layer did over one window, summed over the samples of a batch (and then over
 * batches). Metrics (firing rate, onset, late mass, residual potential, conversion error) are
 * derived from these sums in `engine/metrics/layer-metrics.ts`.
 */
export interface LayerTrace {
  /** Neurons per sample. */
  readonly neurons: number;
  /** Spatial positions per sample (`positionsOf` the layer's shape): neuron f of a sample sits at
   * position ⌊f / (neurons / positions)⌋ (NHWC, channels last). */
  readonly positions: number;
  /** Samples summed in. */
  samples: number;
  /** Spikes at each step t = 1..T (index t − 1), over all neurons and samples. */
  readonly spikesPerStep: Float64Array;
  /** Neurons whose first spike is at step t. */
  readonly firstSpikesPerStep: Float64Array;
  /** Window lengths at which the sums below were taken (ascending, each ≤ T). */
  readonly checkpoints: readonly number[];
  /** Σ max(v, 0)/θ over neurons at the end of each checkpoint window: charge that never fired
   * (negative potentials of inhibited neurons are not charge waiting to fire). */
  readonly residualSum: Float64Array;
  /** Σ |θ·n/t − clip(a, 0, θ)| at each checkpoint (needs the ANN activation a). */
  readonly convErrorNum: Float64Array;
  /** Σ clip(a, 0, θ). */
  readonly convErrorDen: Float64Array;
  /** Spikes at each position within each checkpoint window, summed over channels and samples:
   * [checkpoints, positions] row-major (what SOPs weigh by the per-position fan-out). */
  readonly spikesPerPosition: Float64Array;
  /** A spike raster of the first sample simulated: sampled neurons (indices within a sample)
   * and the steps (1-based) at which each fired, over the whole window. Set by the host kernels
   * on the first batch; kept from the first batch when traces are summed. */
  raster?: SpikeRaster;
}

export interface SpikeRaster {
  readonly neurons: readonly number[];
  readonly steps: readonly (readonly number[])[];
}

/** What one unit measured at each of its checkpoints, summed over all evaluation samples. */
export interface UnitOutcome {
  readonly unit: Unit;
  readonly samples: number;
  readonly correct: readonly number[];
  readonly top5: readonly number[];
  readonly traces: ReadonlyMap<string, LayerTrace>[];
  /** Per checkpoint, the K × K confusion counts (row: the label, column: the prediction),
   * row-major; absent in outcomes stored before they were counted. */
  readonly confusion?: readonly (readonly number[])[];
  /** Samples right at each step t = 1…T of the unit's window (the output summed over steps ≤ t);
   * absent in outcomes stored before they were counted. */
  readonly stepCorrect?: readonly number[];
}
