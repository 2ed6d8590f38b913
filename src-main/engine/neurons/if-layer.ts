import { compactRows, copyRows, kernelArena, padded, type KernelArena } from './kernels/arena';
import { checkCurrent, type Current, type IfLayer, type LayerRun } from './layer';
import { emptyTrace, recordCheckpoint } from './trace';

/**
 * Integrate-and-fire over a window of T steps (METHODS.md):
 *   v[0] = v0 (+ the SNNC potential correction);  v ← v + I[t] (+ θ/(2T)) (+ the SNNC bias correction);  s[t] = v ≥ θ;  then v ← v − θ·s (subtract) or v = 0 (zero).
 * Arithmetic is float32 throughout. Because step t only depends on steps ≤ t, the checkpoint sums
 * at every t in `checkpoints` equal a separate run of length t: one pass gives the anytime
 * readout. The step loop runs in the SIMD kernel `if_steps` (kernels/neuron-kernels.wat).
 */
export function runIfLayer(layer: IfLayer, current: Current, checkpoints: readonly number[], ann?: Float32Array, placed?: InPlace): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const Np = padded(N);
  if (placed !== undefined && Np !== N) throw new Error(`neuron layer: ${N} neurons are not whole SIMD vectors, which in-place currents need`);
  const temporal = current.kind === 'temporal';
  const curRows = temporal ? T : 1;
  const arena = placed?.arena ?? kernelArena();
  const [vAt, thetaAt, shiftAt, countsAt, firedAt, histAt, firstAt, curCopyAt, outCopyAt] = arena.reserve([
    Np * 4, Np * 4, Np * 4, Np * 4, Np * 4, T * 4, T * 4, ...(placed === undefined ? [curRows * Np * 4, T * Np * 4] : []),
  ]) as [number, number, number, number, number, number, number, number | undefined, number | undefined];
  const curAt = placed?.current ?? curCopyAt!;
  const outAt = placed?.spikes ?? outCopyAt!;
  if (placed === undefined) copyRows(arena.f32(curAt, curRows * Np), current.data, curRows, N, Np);
  initialState(layer, arena.f32(vAt, Np), arena.f32(thetaAt, Np), arena.f32(shiftAt, Np));
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
  return { spikes: placed !== undefined ? arena.f32(outAt, T * N) : compactRows(arena.f32(outAt, T * Np), T, N, Np), counts, trace };
}

/** Where the kernel finds the current and writes the spikes when they are tensors in tfjs's heap
 * (heapKernels): byte addresses of `rows × N` and `T × N` float32 values, N a multiple of 4. */
export interface InPlace {
  readonly arena: KernelArena;
  readonly current: number;
  readonly spikes: number;
}

/**
 * The initial potential, threshold and per-step shift of every lane: one sample's F values
 * (θ repeats every C, the bias every Cb, the potential offset is per neuron), repeated for the B
 * samples by doubling copies; padded lanes get θ = +∞ and never fire.
 */
function initialState(layer: IfLayer, v: Float32Array, th: Float32Array, shift: Float32Array): void {
  const { T, B, F, theta, bias, v0Offset } = layer;
  const half = layer.v0 === 'half';
  const C = theta.length;
  const Cb = bias?.length ?? 1;
  for (let f = 0; f < F; f++) {
    const t = theta[f % C]!;
    th[f] = t;
    v[f] = (half ? t / 2 : 0) + (v0Offset !== undefined ? v0Offset[f]! : 0);
    shift[f] = (layer.shift ? Math.fround(t / (2 * T)) : 0) + (bias !== undefined ? bias[f % Cb]! : 0);
  }
  const N = B * F;
  for (const a of [th, v, shift]) {
    for (let filled = F; filled < N; filled *= 2) a.copyWithin(filled, 0, Math.min(filled, N - filled));
  }
  th.fill(Infinity, N);
  v.fill(0, N);
  shift.fill(0, N);
}
