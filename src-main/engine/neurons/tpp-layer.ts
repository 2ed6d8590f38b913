import { copyRows, kernelArena, padded } from './kernels/arena';
import { checkCurrent, initialPotential, type Current, type LayerRun, type NeuronLayer } from './layer';
import { WEYL, uniformFrom } from './rng';
import { emptyTrace, recordCheckpoint } from './trace';

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
 * Phase 1 runs in the SIMD kernel `sum_steps`. Phase 2 visits only neurons that can still fire
 * (ũ > 0): a neuron leaves the list once its charge is spent, since nothing flows in during the
 * firing phase. Most neurons of a layer are silent, so this is what keeps TPP as cheap as IF.
 *
 * `streams` holds one random-stream state per sample (see rng.ts) and is advanced in place.
 */
export type TppVariant = 'sequential' | 'iid';

export function runTppLayer(layer: NeuronLayer, current: Current, variant: TppVariant, streams: Uint32Array, ann?: Float32Array): LayerRun {
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
  for (let i = 0, c = 0; i < N; i++) {
    const th = theta[c]!;
    u[i] = (staticSteps * sums[i]! + initialPotential(th, layer.v0) + (layer.shift ? th / 2 : 0)) / th;
    if (++c === C) c = 0;
  }

  // Neurons that can fire, in index order; sample b owns active[start[b] .. start[b + 1]).
  const active = new Int32Array(N);
  const start = new Int32Array(B + 1);
  let n = 0;
  for (let b = 0; b < B; b++) {
    start[b] = n;
    for (let i = b * F; i < (b + 1) * F; i++) if (u[i]! > 0) active[n++] = i;
  }
  start[B] = n;
  const pIid = variant === 'iid' ? u.map((x) => x / T) : undefined;

  // Phase 2: fire for T steps.
  const spikes = arena.f32(outAt, T * N).fill(0);
  const counts = new Uint16Array(N);
  const fired = new Uint8Array(N);
  const trace = emptyTrace(F, T, [T]);
  trace.samples = B;
  // Locals, not module bindings, inside the hot loop (imported bindings compile to getters).
  const weyl = WEYL;
  const uniform = uniformFrom;
  for (let k = 0; k < T; k++) {
    const remaining = T - k;
    const base = k * N;
    let spikesNow = 0;
    let firstNow = 0;
    let kept = 0;
    for (let b = 0; b < B; b++) {
      let state = streams[b]!;
      const from = start[b]!;
      const to = start[b + 1]!;
      start[b] = kept;
      for (let j = from; j < to; j++) {
        const i = active[j]!;
        const p = pIid === undefined ? u[i]! / remaining : pIid[i]!;
        let fire = p >= 1;
        if (!fire) {
          state = (state + weyl) | 0;
          fire = uniform(state) < p;
        }
        if (fire) {
          u[i]! -= 1;
          spikes[base + i] = theta[i % C]!;
          counts[i]!++;
          spikesNow++;
          if (fired[i] === 0) {
            fired[i] = 1;
            firstNow++;
          }
        }
        if (pIid !== undefined || u[i]! > 0) active[kept++] = i;
      }
      streams[b] = state;
    }
    start[B] = kept;
    trace.spikesPerStep[k] = spikesNow;
    trace.firstSpikesPerStep[k] = firstNow;
  }
  recordCheckpoint(trace, 0, T, theta, counts, u, true, ann);
  return { spikes, counts, trace };
}
