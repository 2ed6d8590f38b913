import type { PermuteMode } from '../../common/study';
import { scratchF32 } from './kernels/arena';
import { WEYL, uniformFrom } from '../../common/random';
import type { LayerTrace } from '../../common/units';
import { emptyTrace } from './trace';

/**
 * The temporal-misalignment probe (METHODS.md, "Permute"): moves each spike train's spikes in
 * time while keeping every count.
 * - `neuron`: each neuron's train gets its own uniformly random permutation. Drawn as sequential
 *   sampling without replacement: at step k a neuron with r spikes left fires with probability
 *   r / (T − k + 1), which places its n spikes on a uniformly random n-subset of the T steps.
 *   Integer arithmetic makes the count exact. Only neurons with spikes left are visited.
 * - `layer`: one permutation of the T steps per sample, shared by all neurons of the layer.
 * Returns the permuted spikes (a reusable buffer, valid until the next permutation on this
 * thread) and a trace of the new timing; counts-based sums (residual, conversion error, spikes per
 * position) carry over, since counts do not change.
 */
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
  const trace = emptyTrace(F, T, original.checkpoints, original.positions);
  trace.samples = original.samples;
  trace.spikesPerPosition.set(original.spikesPerPosition);
  trace.residualSum.set(original.residualSum);
  trace.convErrorNum.set(original.convErrorNum);
  trace.convErrorDen.set(original.convErrorDen);
  const out = scratchF32('permute', T * N).fill(0);
  if (mode === 'neuron') permuteNeurons(out, counts, shape, theta, streams, trace);
  else permuteLayer(out, spikes, shape, streams, trace);
  return { spikes: out, trace };
}

function permuteNeurons(out: Float32Array, counts: Uint16Array, shape: { T: number; B: number; F: number }, theta: Float32Array, streams: Uint32Array, trace: LayerTrace): void {
  const { T, B, F } = shape;
  const N = B * F;
  const C = theta.length;
  // Neurons with spikes to place, in index order; sample b owns active[start[b] .. start[b + 1]).
  const active = new Int32Array(N);
  const left = new Uint16Array(N);
  const start = new Int32Array(B + 1);
  let n = 0;
  for (let b = 0; b < B; b++) {
    start[b] = n;
    for (let i = b * F; i < (b + 1) * F; i++) {
      if (counts[i]! > 0) {
        active[n++] = i;
        left[i] = counts[i]!;
      }
    }
  }
  start[B] = n;
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
        const r = left[i]!;
        let fire = r === remaining;
        if (!fire) {
          state = (state + weyl) | 0;
          fire = uniform(state) * remaining < r;
        }
        if (fire) {
          out[base + i] = theta[i % C]!;
          spikesNow++;
          if (r === counts[i]) firstNow++;
          left[i] = r - 1;
          if (r > 1) active[kept++] = i;
        } else {
          active[kept++] = i;
        }
      }
      streams[b] = state;
    }
    start[B] = kept;
    trace.spikesPerStep[k] = spikesNow;
    trace.firstSpikesPerStep[k] = firstNow;
  }
}

function permuteLayer(out: Float32Array, spikes: Float32Array, shape: { T: number; B: number; F: number }, streams: Uint32Array, trace: LayerTrace): void {
  const { T, B, F } = shape;
  const N = B * F;
  const weyl = WEYL;
  const uniform = uniformFrom;
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
    for (let k = 0; k < T; k++) out.set(spikes.subarray(order[k]! * N + b * F, order[k]! * N + (b + 1) * F), k * N + b * F);
  }
  const fired = new Uint8Array(N);
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
}
