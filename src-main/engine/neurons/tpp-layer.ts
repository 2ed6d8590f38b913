import { copyRows, kernelArena, padded } from './kernels/arena';
import { checkCurrent, type Current, type LayerRun, type NeuronLayer } from './layer';
import { drawBits, neuronKey, openUniform } from '../../common/random';
import { emptyTrace, recordCheckpoint } from './trace';
import type { TppNeuron } from '../../common/snn';

/**
 * Two-phase probabilistic neuron (Bojković, Wu & Gu, ICML 2025; rule as reconstructed in
 * METHODS.md). Phase 1 accumulates without firing: V = v0 + Σ_t (I[t] + shift) (+ the SNNC
 * corrections of a calibrated network: T × the bias and the potential offset). Phase 2 fires
 * for T steps from u = V:
 *   sequential: p_k = clip(u / ((T − k + 1)·θ), 0, 1);  s_k ~ Bernoulli(p_k);  u −= θ·s_k
 *   iid:        p   = clip(V / (T·θ), 0, 1) at every step.
 * The potential is kept in units of θ (ũ = u/θ), so V = n·θ gives p = 1 exactly when the
 * remaining steps must all fire, and the rule then emits exactly n spikes. p ≤ 0 never fires and
 * p ≥ 1 always fires (the clip), without a draw.
 *
 * Every step is float32 + − × (`tppCharge`, `tppFire`), which the GPU kernels (WGSL) compute
 * bit for bit alike; where the rule divides, it multiplies by a reciprocal rounded once on the
 * host (1/θ, 1/(T − k)). Phase 1 runs in the SIMD kernel `sum_steps`; phase 2 skips neurons with
 * no charge (most of a layer) and draws one random number per spike rather than per step.
 *
 * `keys` holds one random-stream key per sample (`sampleStreams`); neuron f of sample b draws
 * from `neuronKey(keys[b], f)`, its j-th spike from draw j.
 */
export function runTppLayer(layer: NeuronLayer, current: Current, variant: TppNeuron, keys: Uint32Array, ann?: Float32Array): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const Np = padded(N);
  const C = theta.length;
  const rows = current.kind === 'temporal' ? T : 1;
  const arena = kernelArena();
  const [curAt, accAt, outAt] = arena.reserve([rows * Np * 4, Np * 4, T * N * 4]) as [number, number, number];

  copyRows(arena.f32(curAt, rows * Np), current.data, rows, N, Np);
  arena.f32(accAt, Np).fill(0);
  arena.exports.sum_steps(curAt, Np * 4, accAt, Np, rows);
  const u = tppCharge(arena.f32(accAt, N), current.kind === 'static' ? T : 1, layer);

  const spikes = arena.f32(outAt, T * N).fill(0);
  const counts = new Uint16Array(N);
  const trace = emptyTrace(F, T, [T], layer.positions);
  trace.samples = B;
  tppFire(u, { T, B, F, theta }, variant, keys, spikes, counts, trace);
  recordCheckpoint(trace, 0, T, theta, counts, u, true, ann);
  return { spikes, counts, trace };
}

/** Smallest positive normal float32: smaller charges are taken as 0, on every device alike
 * (GPUs may flush subnormals to zero). */
export const F32_MIN_NORMAL = 2 ** -126;

/**
 * Phase 1's end, in units of θ: ũ = fl(fl(steps·Σ) · fl(1/θ)) + share, share = ½ for v0 = θ/2
 * plus ½ for the shift (T·θ/(2T)). `sums` are Σ_t I[t] (steps = 1), or a static current I
 * (steps = T). Returns a new array.
 */
export function tppCharge(sums: Float32Array, steps: number, layer: Pick<NeuronLayer, 'theta' | 'v0' | 'shift' | 'T' | 'F' | 'bias' | 'v0Offset'>): Float32Array {
  const f32 = Math.fround;
  const { theta, bias, v0Offset, T, F } = layer;
  const C = theta.length;
  const Cb = bias?.length ?? 1;
  const inverse = reciprocals(theta);
  const share = (layer.v0 === 'half' ? 0.5 : 0) + (layer.shift ? 0.5 : 0);
  const corrected = bias !== undefined || v0Offset !== undefined;
  const u = new Float32Array(sums.length);
  for (let i = 0, c = 0, cb = 0, f = 0; i < u.length; i++) {
    let charge = steps === 1 ? sums[i]! : f32(steps * sums[i]!);
    // SNNC corrections (calibrated networks only): T steps of the bias and the potential offset.
    if (corrected) charge = f32(charge + f32(f32(bias !== undefined ? T * bias[cb]! : 0) + (v0Offset !== undefined ? v0Offset[f]! : 0)));
    const x = f32(f32(charge * inverse[c]!) + share);
    u[i] = Math.abs(x) < F32_MIN_NORMAL ? 0 : x;
    if (++c === C) c = 0;
    if (++cb === Cb) cb = 0;
    if (++f === F) f = 0;
  }
  return u;
}

/** fl(1/x) for each x: the reciprocals the float32 rules multiply by. */
export function reciprocals(x: ArrayLike<number>): Float32Array {
  return Float32Array.from(x, (v) => 1 / v);
}

/**
 * Phase 2 for every neuron with charge. Instead of one Bernoulli draw per step, each next spike
 * time is drawn at once by inversion: with S_k = Π_{j ≤ k} (1 − p_j) the chance of staying silent
 * through step k, a uniform r fires the neuron at the first k with S_k ≤ r, which happens with
 * probability S_{k−1} − S_k = S_{k−1}·p_k — the sequential rule's law, at one draw per spike.
 * 1 − p_k is computed as fl(fl(R − ũ)·fl(1/R)) with R = T − k remaining steps (≤ 0 when p_k
 * clips at 1). For the iid variant 1 − p = fl(fl(T − ũ)·fl(1/T)) at every step (a geometric
 * wait). `u` is left holding the charge that did not fire, in θ.
 */
export function tppFire(
  u: Float32Array,
  shape: { readonly T: number; readonly B: number; readonly F: number; readonly theta: Float32Array },
  variant: TppNeuron,
  keys: Uint32Array,
  spikes: Float32Array,
  counts: Uint16Array,
  trace: { readonly spikesPerStep: Float64Array; readonly firstSpikesPerStep: Float64Array },
): void {
  const { T, B, F, theta } = shape;
  const N = B * F;
  const C = theta.length;
  const perStep = trace.spikesPerStep;
  const firstPerStep = trace.firstSpikesPerStep;
  const f32 = Math.fround;
  // Locals, not module bindings, inside the hot loop (imported bindings compile to getters).
  const bits = drawBits;
  const uniform = openUniform;
  const iid = variant === 'tpp-iid';
  const perRemaining = Float32Array.from({ length: T }, (_, k) => 1 / (T - k)); // fl(1/(T − k))
  for (let b = 0; b < B; b++) {
    const sampleKey = keys[b]!;
    for (let i = b * F, c = 0; i < (b + 1) * F; i++, c = c + 1 === C ? 0 : c + 1) {
      let left = u[i]!;
      if (!(left > 0)) continue;
      const key = neuronKey(sampleKey, i - b * F);
      const th = theta[c]!;
      const stayIid = iid ? f32(f32(T - left) * perRemaining[0]!) : 0;
      let n = 0;
      let k = 0;
      while (k < T) {
        if (iid) {
          if (stayIid > 0) {
            const r = uniform(bits(key, n));
            let stay = 1;
            for (; k < T; k++) {
              stay = f32(stay * stayIid);
              if (stay <= r) break;
            }
            if (k >= T) break;
          }
        } else {
          if (!(left > 0)) break;
          if (left < T - k) {
            const r = uniform(bits(key, n));
            let stay = 1;
            for (; k < T; k++) {
              stay = f32(stay * f32(f32(T - k - left) * perRemaining[k]!));
              if (stay <= r) break;
            }
            if (k >= T) break;
          }
        }
        spikes[k * N + i] = th;
        perStep[k]!++;
        if (n === 0) firstPerStep[k]!++;
        n++;
        left = f32(left - 1);
        k++;
      }
      counts[i] = n;
      u[i] = left;
    }
  }
}
