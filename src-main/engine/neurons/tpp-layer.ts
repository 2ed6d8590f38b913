import { copyRows, kernelArena, padded } from './kernels/arena';
import { checkCurrent, type Current, type LayerRun, type NeuronLayer } from './layer';
import { WEYL, uniformFrom } from '../../common/random';
import { emptyTrace, recordCheckpoint } from './trace';
import type { TppNeuron } from '../../common/snn';

/**
 * Two-phase probabilistic neuron (Bojković, Wu & Gu, ICML 2025; rule as reconstructed in
 * METHODS.md). Phase 1 accumulates without firing: V = v0 + Σ_t (I[t] + shift). Phase 2 fires
 * for T steps from u = V:
 *   sequential: p_k = clip(u / ((T − k + 1)·θ), 0, 1);  s_k ~ Bernoulli(p_k);  u −= θ·s_k
 *   iid:        p   = clip(V / (T·θ), 0, 1) at every step.
 * The potential is kept in units of θ (ũ = u/θ), so V = n·θ gives p = 1 exactly when the
 * remaining steps must all fire, and the rule then emits exactly n spikes. p ≤ 0 never fires and
 * p ≥ 1 always fires (the clip), without a draw.
 *
 * Phase 1 runs in the SIMD kernel `sum_steps`. Phase 2 skips neurons with no charge (most of a
 * layer) and draws one random number per spike rather than per step (see below).
 *
 * `streams` holds one random-stream state per sample (see rng.ts) and is advanced in place.
 */
export function runTppLayer(layer: NeuronLayer, current: Current, variant: TppNeuron, streams: Uint32Array, ann?: Float32Array): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const Np = padded(N);
  const C = theta.length;
  const rows = current.kind === 'temporal' ? T : 1;
  const arena = kernelArena();
  const [curAt, accAt, outAt] = arena.reserve([rows * Np * 4, Np * 4, T * N * 4]) as [number, number, number];

  // Phase 1: ũ = (v0 + Σ_t I[t] + T·shift) / θ.
  copyRows(arena.f32(curAt, rows * Np), current.data, rows, N, Np);
  arena.f32(accAt, Np).fill(0);
  arena.exports.sum_steps(curAt, Np * 4, accAt, Np, rows);
  const sums = arena.f32(accAt, N);
  const u = new Float32Array(N);
  const staticSteps = current.kind === 'static' ? T : 1;
  const v0Share = (layer.v0 === 'half' ? 0.5 : 0) + (layer.shift ? 0.5 : 0); // v0 and T·θ/(2T), in θ
  for (let i = 0, c = 0; i < N; i++) {
    u[i] = (staticSteps * sums[i]!) / theta[c]! + v0Share;
    if (++c === C) c = 0;
  }

  // Phase 2, one neuron at a time. Instead of one Bernoulli draw per step, each next spike time
  // is drawn at once by inversion: with S_k = Π_{j ≤ k} (1 − p_j) the chance of staying silent
  // through step k, a uniform r fires the neuron at the first k with S_k ≤ r, which happens with
  // probability S_{k−1} − S_k = S_{k−1}·p_k — the sequential rule's law exactly, at one draw per
  // spike. For the iid variant the wait is geometric: ⌊log(1 − r) / log(1 − p)⌋ steps.
  const spikes = arena.f32(outAt, T * N).fill(0);
  const counts = new Uint16Array(N);
  const trace = emptyTrace(F, T, [T], layer.positions);
  trace.samples = B;
  const perStep = trace.spikesPerStep;
  const firstPerStep = trace.firstSpikesPerStep;
  // Locals, not module bindings, inside the hot loop (imported bindings compile to getters).
  const weyl = WEYL;
  const uniform = uniformFrom;
  const iid = variant === 'tpp-iid';
  const perRemaining = Float64Array.from({ length: T }, (_, k) => 1 / (T - k)); // 1/(T − k)
  for (let b = 0; b < B; b++) {
    let state = streams[b]!;
    for (let i = b * F, c = 0; i < (b + 1) * F; i++, c = c + 1 === C ? 0 : c + 1) {
      let left = u[i]!;
      if (!(left > 0)) continue;
      const th = theta[c]!;
      const p = iid ? left / T : 0;
      const logStay = iid && p < 1 ? Math.log(1 - p) : 0;
      let n = 0;
      let k = 0;
      while (k < T) {
        if (iid) {
          if (p < 1) {
            state = (state + weyl) | 0;
            k += Math.floor(Math.log(1 - uniform(state)) / logStay);
            if (k >= T) break;
          }
        } else {
          if (!(left > 0)) break;
          if (left < T - k) {
            state = (state + weyl) | 0;
            const r = uniform(state);
            let stay = 1;
            for (; k < T; k++) {
              stay *= 1 - left * perRemaining[k]!;
              if (stay <= r) break;
            }
            if (k >= T) break;
          }
        }
        spikes[k * N + i] = th;
        perStep[k]!++;
        if (n === 0) firstPerStep[k]!++;
        n++;
        left -= 1;
        k++;
      }
      counts[i] = n;
      u[i] = left;
    }
    streams[b] = state;
  }
  recordCheckpoint(trace, 0, T, theta, counts, u, true, ann);
  return { spikes, counts, trace };
}
