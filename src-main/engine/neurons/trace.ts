import type { LayerTrace, SpikeRaster } from '../../common/units';

/** Spatial positions of a per-sample shape: H·W of an [H, W, C] map, 1 of a flat [F] vector. */
export function positionsOf(shape: readonly number[]): number {
  return shape.length === 3 ? shape[0]! * shape[1]! : 1;
}

/**
 * A trace for spikes moved in time with their counts kept (Permute): the counts-based sums of
 * `original` (spikes per position, residual, conversion error) carry over; the timing is empty.
 */
export function retimedTrace(original: LayerTrace, T: number): LayerTrace {
  const trace = emptyTrace(original.neurons, T, original.checkpoints, original.positions);
  trace.samples = original.samples;
  trace.spikesPerPosition.set(original.spikesPerPosition);
  trace.residualSum.set(original.residualSum);
  trace.convErrorNum.set(original.convErrorNum);
  trace.convErrorDen.set(original.convErrorDen);
  return trace;
}

export function emptyTrace(neurons: number, T: number, checkpoints: readonly number[], positions = 1): LayerTrace {
  if (neurons % positions !== 0) throw new Error(`layer trace: ${positions} positions do not divide ${neurons} neurons`);
  return {
    neurons,
    positions,
    samples: 0,
    spikesPerStep: new Float64Array(T),
    firstSpikesPerStep: new Float64Array(T),
    checkpoints,
    residualSum: new Float64Array(checkpoints.length),
    convErrorNum: new Float64Array(checkpoints.length),
    convErrorDen: new Float64Array(checkpoints.length),
    spikesPerPosition: new Float64Array(checkpoints.length * positions),
  };
}

/**
 * The trace of a spiking input (rate-coded spikes, or per-step event frames), time-major
 * [T·B, …shape]: every nonzero value at a step is one spike of that input element, whatever its
 * size (an event-driven core handles each active input once per step). Spikes per step, first
 * spikes and spikes per position at each checkpoint; no potentials, no conversion error.
 */
export function inputSpikeTrace(steps: Float32Array, shape: readonly number[], T: number, B: number, checkpoints: readonly number[]): LayerTrace {
  const F = shape.reduce((a, b) => a * b, 1);
  const P = positionsOf(shape);
  const perPosition = F / P;
  const trace = emptyTrace(F, T, checkpoints, P);
  trace.samples = B;
  const atPosition = new Float64Array(P);
  const fired = new Uint8Array(B * F);
  let next = 0;
  for (let t = 0; t < T; t++) {
    let spikes = 0;
    let first = 0;
    for (let b = 0, i = 0; b < B; b++) {
      for (let p = 0; p < P; p++) {
        for (let c = 0; c < perPosition; c++, i++) {
          if (steps[t * B * F + i] === 0) continue;
          spikes++;
          atPosition[p]!++;
          if (fired[i] === 0) {
            fired[i] = 1;
            first++;
          }
        }
      }
    }
    trace.spikesPerStep[t] = spikes;
    trace.firstSpikesPerStep[t] = first;
    while (next < checkpoints.length && checkpoints[next] === t + 1) trace.spikesPerPosition.set(atPosition, P * next++);
  }
  return trace;
}

/** Adds `b` into `a` (same layer, window and checkpoints). */
export function accumulateTrace(a: LayerTrace, b: LayerTrace): void {
  a.samples += b.samples;
  if (a.raster === undefined && b.raster !== undefined) a.raster = b.raster;
  const add = (x: Float64Array, y: Float64Array): void => {
    for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
  };
  add(a.spikesPerStep, b.spikesPerStep);
  add(a.firstSpikesPerStep, b.firstSpikesPerStep);
  add(a.residualSum, b.residualSum);
  add(a.convErrorNum, b.convErrorNum);
  add(a.convErrorDen, b.convErrorDen);
  add(a.spikesPerPosition, b.spikesPerPosition);
}

/**
 * Records the checkpoint sums at the end of window `t` (1-based) for a layer of N = B·F neurons
 * with C threshold channels. `counts` are spikes per neuron so far; `potential` is v (IF) or the
 * potential left after firing (TPP), in the same units as θ unless `normalized`. Also sums the
 * counts per position into row k of `spikesPerPosition`.
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
  const P = trace.positions;
  const perPosition = trace.neurons / P;
  const atPosition = trace.spikesPerPosition.subarray(k * P, (k + 1) * P);
  // neuron i = (sample, position, channel) in NHWC order: the channels of a position are adjacent
  for (let i = 0; i < N; ) {
    for (let p = 0; p < P; p++) {
      let sum = 0;
      for (const end = i + perPosition; i < end; i++) sum += counts[i]!;
      atPosition[p]! += sum;
    }
  }
  let residual = 0;
  let num = 0;
  let den = 0;
  // one loop per case, each without branches on the case inside
  if (C === 1) {
    const th = theta[0]!;
    for (let i = 0; i < N; i++) {
      const v = potential[i]!;
      if (v > 0) residual += v;
    }
    if (!normalized) residual /= th;
    if (ann !== undefined) {
      const perStep = th / t;
      for (let i = 0; i < N; i++) {
        const a = Math.min(th, Math.max(0, ann[i]!));
        num += Math.abs(perStep * counts[i]! - a);
        den += a;
      }
    }
  } else {
    for (let i = 0, c = 0; i < N; i++) {
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
  }
  trace.residualSum[k]! += residual;
  trace.convErrorNum[k]! += num;
  trace.convErrorDen[k]! += den;
}

/** Neurons a raster shows per layer: evenly spaced over the layer's neurons. */
export const RASTER_NEURONS = 32;

/** The neurons (indices within a sample) a raster of an F-neuron layer shows: evenly spaced. */
export function rasterNeurons(F: number): number[] {
  const n = Math.min(RASTER_NEURONS, F);
  return Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * F) / n));
}

/**
 * The spike raster of sample 0 of a batch from its spike trains (time-major [T·B, F], a nonzero
 * value is a spike): rasterNeurons(F), each with its spike steps.
 */
export function rasterOf(spikes: Float32Array, T: number, B: number, F: number): SpikeRaster {
  const neurons = rasterNeurons(F);
  return rasterFromSteps(neurons, T, (t, i) => spikes[t * B * F + neurons[i]!]!);
}

/** A raster from `value(t, i)`, neuron i's spike value at step t + 1 (nonzero: a spike). */
export function rasterFromSteps(neurons: readonly number[], T: number, value: (t: number, i: number) => number): SpikeRaster {
  const steps = neurons.map((_, i) => {
    const fired: number[] = [];
    for (let t = 0; t < T; t++) if (value(t, i) !== 0) fired.push(t + 1);
    return fired;
  });
  return { neurons: [...neurons], steps };
}
