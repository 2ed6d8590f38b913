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
 * `streams` holds one random-stream state per sample (see rng.ts) and is advanced in place.
 */
export type TppVariant = 'sequential' | 'iid';

export function runTppLayer(
  layer: NeuronLayer,
  current: Current,
  variant: TppVariant,
  streams: Uint32Array,
  ann?: Float32Array,
): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const C = theta.length;
  const cur = current.data;

  // Phase 1: ũ = (v0 + Σ_t I[t] + T·shift) / θ, summed step by step in memory order.
  const u = new Float32Array(N);
  if (current.kind === 'static') {
    for (let i = 0; i < N; i++) u[i] = T * cur[i]!;
  } else {
    for (let t = 0; t < T; t++) {
      const base = t * N;
      for (let i = 0; i < N; i++) u[i]! += cur[base + i]!;
    }
  }
  for (let i = 0, c = 0; i < N; i++) {
    const th = theta[c]!;
    u[i] = (u[i]! + initialPotential(th, layer.v0) + (layer.shift ? th / 2 : 0)) / th;
    if (++c === C) c = 0;
  }
  const pIid = variant === 'iid' ? u.map((x) => x / T) : undefined;
  // Locals, not module bindings, inside the hot loop (imported bindings compile to getters).
  const weyl = WEYL;
  const uniform = uniformFrom;

  // Phase 2: fire for T steps.
  const spikes = new Float32Array(T * N);
  const counts = new Uint16Array(N);
  const fired = new Uint8Array(N);
  const trace = emptyTrace(F, T, [T]);
  trace.samples = B;
  for (let k = 0; k < T; k++) {
    const remaining = T - k;
    const base = k * N;
    let spikesNow = 0;
    let firstNow = 0;
    for (let b = 0; b < B; b++) {
      let state = streams[b]!;
      const start = b * F;
      for (let f = 0, c = start % C; f < F; f++) {
        const i = start + f;
        const p = pIid === undefined ? u[i]! / remaining : pIid[i]!;
        // Draws only where the outcome is uncertain (0 < p < 1): most neurons of a layer are
        // silent (p ≤ 0), and skipping them is what makes TPP cost about as much as IF.
        let fire = p >= 1;
        if (p > 0 && !fire) {
          state = (state + weyl) | 0;
          fire = uniform(state) < p;
        }
        if (fire) {
          u[i]! -= 1;
          spikes[base + i] = theta[c]!;
          counts[i]!++;
          spikesNow++;
          if (fired[i] === 0) {
            fired[i] = 1;
            firstNow++;
          }
        }
        if (++c === C) c = 0;
      }
      streams[b] = state;
    }
    trace.spikesPerStep[k] = spikesNow;
    trace.firstSpikesPerStep[k] = firstNow;
  }
  recordCheckpoint(trace, 0, T, theta, counts, u, true, ann);
  return { spikes, counts, trace };
}
