import type { PermuteMode } from '../../common/study';
import { scratchF32 } from './kernels/arena';
import { below, drawBits, neuronKey } from '../../common/random';
import type { LayerTrace } from '../../common/units';
import { retimedTrace } from './trace';

/**
 * The temporal-misalignment probe (METHODS.md, "Permute"): moves each spike train's spikes in
 * time while keeping every count.
 * - `neuron`: each neuron's train gets its own uniformly random permutation. Drawn as sequential
 *   sampling without replacement: at step k a neuron with r spikes left fires with probability
 *   r / (T − k + 1), which places its n spikes on a uniformly random n-subset of the T steps.
 *   Integer arithmetic makes the count exact: it fires when `below(draw k, T − k + 1) < r`, draw k
 *   of the neuron's counter-based stream (so the GPU kernel draws the same). Only neurons with
 *   spikes left are visited.
 * - `layer`: one permutation of the T steps per sample (`stepOrder`), shared by all neurons of
 *   the layer.
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
  keys: Uint32Array,
  original: LayerTrace,
): { spikes: Float32Array; trace: LayerTrace } {
  const { T, B, F } = shape;
  const N = B * F;
  const trace = retimedTrace(original, T);
  const out = scratchF32('permute', T * N).fill(0);
  if (mode === 'neuron') permuteNeurons(out, counts, shape, theta, keys, trace);
  else permuteLayer(out, spikes, shape, keys, trace);
  return { spikes: out, trace };
}

function permuteNeurons(out: Float32Array, counts: Uint16Array, shape: { T: number; B: number; F: number }, theta: Float32Array, keys: Uint32Array, trace: LayerTrace): void {
  const { T, B, F } = shape;
  const N = B * F;
  const C = theta.length;
  // Neurons with spikes to place, in index order, with their stream keys.
  const active = new Int32Array(N);
  const key = new Uint32Array(N);
  const left = new Uint16Array(N);
  let n = 0;
  for (let b = 0; b < B; b++) {
    for (let i = b * F; i < (b + 1) * F; i++) {
      if (counts[i]! > 0) {
        active[n++] = i;
        left[i] = counts[i]!;
        key[i] = neuronKey(keys[b]!, i - b * F);
      }
    }
  }
  // Locals, not module bindings, inside the hot loop (imported bindings compile to getters).
  const bits = drawBits;
  const uniformBelow = below;
  for (let k = 0; k < T; k++) {
    const remaining = T - k;
    const base = k * N;
    let spikesNow = 0;
    let firstNow = 0;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const i = active[j]!;
      const r = left[i]!;
      if (r === remaining || uniformBelow(bits(key[i]!, k), remaining) < r) {
        out[base + i] = theta[i % C]!;
        spikesNow++;
        if (r === counts[i]) firstNow++;
        left[i] = r - 1;
        if (r > 1) active[kept++] = i;
      } else {
        active[kept++] = i;
      }
    }
    n = kept;
    trace.spikesPerStep[k] = spikesNow;
    trace.firstSpikesPerStep[k] = firstNow;
  }
}

function permuteLayer(out: Float32Array, spikes: Float32Array, shape: { T: number; B: number; F: number }, keys: Uint32Array, trace: LayerTrace): void {
  const { T, B, F } = shape;
  const N = B * F;
  const order = stepOrder(keys, T);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < T; k++) {
      const from = order[b * T + k]! * N + b * F;
      out.set(spikes.subarray(from, from + F), k * N + b * F);
    }
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

/** Per sample b, a uniformly random permutation of the T steps: output step k takes input step
 * order[b·T + k]. Fisher–Yates with draw T − 1 − k of the sample's own stream
 * (`neuronKey(key, −1)`) choosing the partner of step k, for k = T − 1 … 1. */
export function stepOrder(keys: Uint32Array, T: number): Uint32Array {
  const order = new Uint32Array(keys.length * T);
  for (let b = 0; b < keys.length; b++) {
    const key = neuronKey(keys[b]!, -1);
    const o = order.subarray(b * T, (b + 1) * T);
    for (let k = 0; k < T; k++) o[k] = k;
    for (let k = T - 1; k > 0; k--) {
      const j = below(drawBits(key, T - 1 - k), k + 1);
      const tmp = o[k]!;
      o[k] = o[j]!;
      o[j] = tmp;
    }
  }
  return order;
}
