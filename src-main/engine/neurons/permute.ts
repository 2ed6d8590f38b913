import { WEYL, uniformFrom } from './rng';
import { emptyTrace, type LayerTrace } from './trace';

/**
 * The temporal-misalignment probe (METHODS.md, "Permute"): moves each spike train's spikes in
 * time while keeping every count.
 * - `neuron`: each neuron's train gets its own uniformly random permutation. Drawn as sequential
 *   sampling without replacement: at step k a neuron with r spikes left fires with probability
 *   r / (T − k + 1), which places its n spikes on a uniformly random n-subset of the T steps.
 *   Integer arithmetic makes the count exact.
 * - `layer`: one permutation of the T steps per sample, shared by all neurons of the layer.
 * Returns the permuted spikes and a trace of the new timing (counts-based sums are copied from
 * the unpermuted run, since counts do not change).
 */
export type PermuteMode = 'neuron' | 'layer';

export function permuteSpikes(
  spikes: Float32Array,
  counts: Uint16Array,
  shape: { T: number; B: number; F: number },
  theta: Float32Array,
  mode: PermuteMode,
  streams: Uint32Array,
  original: LayerTrace,
): { spikes: Float32Array; trace: LayerTrace } {
  const { T, B, F } = shape;
  const N = B * F;
  const C = theta.length;
  const out = new Float32Array(T * N);
  const trace = emptyTrace(F, T, original.checkpoints);
  trace.samples = original.samples;
  trace.residualSum.set(original.residualSum);
  trace.convErrorNum.set(original.convErrorNum);
  trace.convErrorDen.set(original.convErrorDen);
  const fired = new Uint8Array(N);
  // Locals, not module bindings, inside the hot loops (imported bindings compile to getters).
  const weyl = WEYL;
  const uniform = uniformFrom;

  if (mode === 'neuron') {
    const left = Uint16Array.from(counts);
    for (let k = 0; k < T; k++) {
      const remaining = T - k;
      const base = k * N;
      for (let b = 0; b < B; b++) {
        let state = streams[b]!;
        for (let f = 0, i = b * F, c = i % C; f < F; f++, i++) {
          const r = left[i]!;
          if (r > 0) {
            state = (state + weyl) | 0;
            if (r === remaining || uniform(state) * remaining < r) {
              left[i] = r - 1;
              out[base + i] = theta[c]!;
            }
          }
          if (++c === C) c = 0;
        }
        streams[b] = state;
      }
    }
  } else {
    const order = new Int32Array(T);
    for (let b = 0; b < B; b++) {
      // Fisher–Yates shuffle of the steps for this sample: output step k takes input step order[k].
      let state = streams[b]!;
      for (let k = 0; k < T; k++) order[k] = k;
      for (let k = T - 1; k > 0; k--) {
        state = (state + weyl) | 0;
        const j = Math.floor(uniform(state) * (k + 1));
        const tmp = order[k]!;
        order[k] = order[j]!;
        order[j] = tmp;
      }
      streams[b] = state;
      for (let k = 0; k < T; k++) {
        out.set(spikes.subarray(order[k]! * N + b * F, order[k]! * N + (b + 1) * F), k * N + b * F);
      }
    }
  }

  for (let k = 0; k < T; k++) {
    let spikesNow = 0;
    let firstNow = 0;
    for (let i = 0, base = k * N; i < N; i++) {
      if (out[base + i] !== 0) {
        spikesNow++;
        if (fired[i] === 0) {
          fired[i] = 1;
          firstNow++;
        }
      }
    }
    trace.spikesPerStep[k] = spikesNow;
    trace.firstSpikesPerStep[k] = firstNow;
  }
  return { spikes: out, trace };
}
