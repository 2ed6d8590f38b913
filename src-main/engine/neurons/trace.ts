/**
 * What a spiking layer did over one window, summed over the samples of a batch (and then over
 * batches). Metrics (firing rate, onset, late mass, residual potential, conversion error) are
 * derived from these sums in `engine/metrics/layer-metrics.ts`.
 */
export interface LayerTrace {
  /** Neurons per sample. */
  readonly neurons: number;
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
}

export function emptyTrace(neurons: number, T: number, checkpoints: readonly number[]): LayerTrace {
  return {
    neurons,
    samples: 0,
    spikesPerStep: new Float64Array(T),
    firstSpikesPerStep: new Float64Array(T),
    checkpoints,
    residualSum: new Float64Array(checkpoints.length),
    convErrorNum: new Float64Array(checkpoints.length),
    convErrorDen: new Float64Array(checkpoints.length),
  };
}

/** Adds `b` into `a` (same layer, window and checkpoints). */
export function accumulateTrace(a: LayerTrace, b: LayerTrace): void {
  a.samples += b.samples;
  const add = (x: Float64Array, y: Float64Array): void => {
    for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
  };
  add(a.spikesPerStep, b.spikesPerStep);
  add(a.firstSpikesPerStep, b.firstSpikesPerStep);
  add(a.residualSum, b.residualSum);
  add(a.convErrorNum, b.convErrorNum);
  add(a.convErrorDen, b.convErrorDen);
}

/**
 * Records the checkpoint sums at the end of window `t` (1-based) for a layer of N = B·F neurons
 * with C threshold channels. `counts` are spikes per neuron so far; `potential` is v (IF) or the
 * potential left after firing (TPP), in the same units as θ unless `normalized`.
 */
export function recordCheckpoint(
  trace: LayerTrace,
  k: number,
  t: number,
  theta: Float32Array,
  counts: Uint16Array,
  potential: Float32Array,
  normalized: boolean,
  ann: Float32Array | undefined,
): void {
  const C = theta.length;
  const N = counts.length;
  let residual = 0;
  let num = 0;
  let den = 0;
  let c = 0;
  for (let i = 0; i < N; i++) {
    const th = theta[c]!;
    const v = potential[i]!;
    if (v > 0) residual += normalized ? v : v / th;
    if (ann !== undefined) {
      const a = Math.min(th, Math.max(0, ann[i]!));
      num += Math.abs((th * counts[i]!) / t - a);
      den += a;
    }
    if (++c === C) c = 0;
  }
  trace.residualSum[k]! += residual;
  trace.convErrorNum[k]! += num;
  trace.convErrorDen[k]! += den;
}
