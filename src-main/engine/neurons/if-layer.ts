import { compactRows, copyRows, kernelArena, padded } from './kernels/arena';
import { checkCurrent, type Current, type IfLayer, type LayerRun } from './layer';
import { emptyTrace, recordCheckpoint } from './trace';

/**
 * Integrate-and-fire over a window of T steps (METHODS.md):
 *   v[0] = v0 (+ the SNNC potential correction);  v ← v + I[t] (+ θ/(2T)) (+ the SNNC bias correction);  s[t] = v ≥ θ;  then v ← v − θ·s (subtract) or v = 0 (zero).
 * Arithmetic is float32 throughout. Because step t only depends on steps ≤ t, the checkpoint sums
 * at every t in `checkpoints` equal a separate run of length t: one pass gives the anytime
 * readout. The step loop runs in the SIMD kernel `if_steps` (kernels/neuron-kernels.wat).
 */
export function runIfLayer(layer: IfLayer, current: Current, checkpoints: readonly number[], ann?: Float32Array): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const Np = padded(N);
  const C = theta.length;
  const temporal = current.kind === 'temporal';
  const curRows = temporal ? T : 1;
  const arena = kernelArena();
  const [curAt, vAt, thetaAt, shiftAt, outAt, countsAt, firedAt, histAt, firstAt] = arena.reserve([
    curRows * Np * 4, Np * 4, Np * 4, Np * 4, T * Np * 4, Np * 4, Np * 4, T * 4, T * 4,
  ]) as [number, number, number, number, number, number, number, number, number];

  copyRows(arena.f32(curAt, curRows * Np), current.data, curRows, N, Np);
  const v = arena.f32(vAt, Np);
  const th = arena.f32(thetaAt, Np);
  const shift = arena.f32(shiftAt, Np);
  const half = layer.v0 === 'half';
  const { bias, v0Offset } = layer;
  const Cb = bias?.length ?? 1;
  // The SNNC corrections ride on the same lanes: the bias joins the per-step shift, the
  // potential offset the initial potential.
  for (let i = 0, c = 0, cb = 0, f = 0; i < N; i++) {
    const t = theta[c]!;
    th[i] = t;
    v[i] = (half ? t / 2 : 0) + (v0Offset !== undefined ? v0Offset[f]! : 0);
    shift[i] = (layer.shift ? Math.fround(t / (2 * T)) : 0) + (bias !== undefined ? bias[cb]! : 0);
    if (++c === C) c = 0;
    if (++cb === Cb) cb = 0;
    if (++f === F) f = 0;
  }
  for (let i = N; i < Np; i++) {
    th[i] = Infinity; // padded lanes never fire
    v[i] = 0;
    shift[i] = 0;
  }
  arena.i32(countsAt, Np).fill(0);
  arena.i32(firedAt, Np).fill(0);

  const trace = emptyTrace(F, T, checkpoints, layer.positions);
  trace.samples = B;
  const counts = new Uint16Array(N);
  let t0 = 0;
  const segments = [...checkpoints.filter((t) => t < T), T];
  for (const [k, t1] of segments.entries()) {
    if (t1 > t0) {
      arena.exports.if_steps(curAt, temporal ? Np * 4 : 0, vAt, thetaAt, shiftAt, outAt, countsAt, firedAt, histAt, firstAt, Np, t0, t1, layer.reset === 'zero' ? 1 : 0);
      t0 = t1;
    }
    if (k < checkpoints.length && checkpoints[k] === t1) {
      counts.set(arena.i32(countsAt, N));
      recordCheckpoint(trace, k, t1, theta, counts, arena.f32(vAt, N), false, ann);
    }
  }
  counts.set(arena.i32(countsAt, N));
  const hist = arena.i32(histAt, T);
  const first = arena.i32(firstAt, T);
  for (let t = 0; t < T; t++) {
    trace.spikesPerStep[t] = hist[t]!;
    trace.firstSpikesPerStep[t] = first[t]!;
  }
  return { spikes: compactRows(arena.f32(outAt, T * Np), T, N, Np), counts, trace };
}
