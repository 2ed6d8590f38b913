import { checkCurrent, initialPotential, type Current, type IfLayer, type LayerRun } from './layer';
import { emptyTrace, recordCheckpoint } from './trace';

/**
 * Integrate-and-fire over a window of T steps (METHODS.md):
 *   v[0] = v0;  v += I[t] (+ θ/(2T));  s[t] = v ≥ θ;  then v −= θ·s (subtract) or v = 0 (zero).
 * Because step t only depends on steps ≤ t, the checkpoint sums at every t in `checkpoints`
 * equal a separate run of length t: one pass gives the anytime readout.
 */
export function runIfLayer(
  layer: IfLayer,
  current: Current,
  checkpoints: readonly number[],
  ann?: Float32Array,
): LayerRun {
  checkCurrent(layer, current);
  const { T, B, F, theta } = layer;
  const N = B * F;
  const C = theta.length;
  const hard = layer.reset === 'zero';
  const temporal = current.kind === 'temporal';
  const cur = current.data;
  const shift = new Float32Array(C);
  const v = new Float32Array(N);
  for (let c = 0; c < C; c++) {
    if (layer.shift) shift[c] = theta[c]! / (2 * T);
  }
  for (let i = 0, c = 0; i < N; i++) {
    v[i] = initialPotential(theta[c]!, layer.v0);
    if (++c === C) c = 0;
  }
  const spikes = new Float32Array(T * N);
  const counts = new Uint16Array(N);
  const fired = new Uint8Array(N);
  const trace = emptyTrace(F, T, checkpoints);
  trace.samples = B;
  let nextCheckpoint = 0;
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const curBase = temporal ? base : 0;
    let spikesNow = 0;
    let firstNow = 0;
    for (let i = 0, c = 0; i < N; i++) {
      const th = theta[c]!;
      let vi = v[i]! + cur[curBase + i]! + shift[c]!;
      if (vi >= th) {
        spikes[base + i] = th;
        counts[i]!++;
        spikesNow++;
        if (fired[i] === 0) {
          fired[i] = 1;
          firstNow++;
        }
        vi = hard ? 0 : vi - th;
      }
      v[i] = vi;
      if (++c === C) c = 0;
    }
    trace.spikesPerStep[t] = spikesNow;
    trace.firstSpikesPerStep[t] = firstNow;
    while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint] === t + 1) {
      recordCheckpoint(trace, nextCheckpoint, t + 1, theta, counts, v, false, ann);
      nextCheckpoint++;
    }
  }
  return { spikes, counts, trace };
}
