/**
 * Seeded random numbers.
 *
 * `makeRandom` is a sequential stream (mulberry32: a uint32 state advanced by a Weyl increment,
 * then hashed), for code outside the neuron kernels (sample subsets, reservoirs, training).
 *
 * The neurons draw from counter-based streams instead, so every backend (the WebAssembly and
 * JavaScript kernels here, the WGSL kernels on a GPU) gives the same spikes for a seed: draw j of
 * neuron f of a sample is a pure function of (seed, layer, sample, f, j), with no state carried
 * from one draw or neuron to the next. `streamState(seed, layer, sample)` is the sample's key,
 * `neuronKey` the neuron's, and `drawBits(key, j)` its j-th 32 random bits (mulberry32's output
 * function at state key + (j + 1)·WEYL). Everything is 32-bit integer arithmetic (xor, shifts,
 * wrapping multiplies), which WGSL's u32 computes identically. A sample's spikes therefore do
 * not depend on the batch it lands in, the batch size, the number of threads or the device.
 */

const GOLDEN = 0x9e3779b9;

/** 32-bit finaliser (murmur3 fmix32): spreads a key over all bits. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Initial state of the stream for (seed, stream id, sample index). */
export function streamState(seed: number, stream: number, sample: number): number {
  let h = mix32((seed >>> 0) ^ GOLDEN);
  h = mix32(h ^ Math.imul(stream + 1, GOLDEN));
  return mix32(h ^ Math.imul(sample + 1, 0x85ebca6b));
}

/** Keys of the samples at `sampleIndices`, for one stream id (e.g. a layer). */
export function sampleStreams(seed: number, stream: number, sampleIndices: ArrayLike<number>): Uint32Array {
  const states = new Uint32Array(sampleIndices.length);
  for (let b = 0; b < states.length; b++) states[b] = streamState(seed, stream, sampleIndices[b]!);
  return states;
}

export const WEYL = 0x6d2b79f5;

/** mulberry32 output for an already advanced state, in [0, 1). */
export function uniformFrom(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 15), z | 1);
  z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
  return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
}

/** A single stream as a closure, for code that is not in a hot loop. */
export function makeRandom(seed: number, stream = 0, sample = 0): () => number {
  let state = streamState(seed, stream, sample);
  return () => {
    state = (state + WEYL) | 0;
    return uniformFrom(state);
  };
}

export const NEURON_MULTIPLIER = 0x27d4eb2f;

/** Mixes a neuron's index within its sample into the sample's key (index −1: the sample's own
 * draws, e.g. a permutation of its steps shared by all its neurons). */
export function neuronKey(sampleKey: number, neuron: number): number {
  return mix32((sampleKey ^ Math.imul(neuron + 1, NEURON_MULTIPLIER)) >>> 0);
}

/** The j-th 32 random bits (j ≥ 0) of the stream with `key`, as a uint32. */
export function drawBits(key: number, j: number): number {
  let z = (key + Math.imul(j + 1, WEYL)) | 0;
  z = Math.imul(z ^ (z >>> 15), z | 1);
  z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
  return (z ^ (z >>> 14)) >>> 0;
}

/** A uniform in the open interval (0, 1) from 32 random bits: (⌊bits / 2⁹⌋ + ½)·2⁻²³, exact in
 * float32 (24 significant bits), so float32 code on any device sees the same number. */
export function openUniform(bits: number): number {
  return ((bits >>> 9) + 0.5) * 2 ** -23;
}

/** ⌊bits·R / 2³²⌋, a uniform integer in [0, R) for 1 ≤ R ≤ 65535, computed exactly in 32-bit
 * halves (WGSL has no 64-bit integers): ⌊(hi·R + ⌊lo·R / 2¹⁶⌋) / 2¹⁶⌋ with bits = hi·2¹⁶ + lo. */
export function below(bits: number, R: number): number {
  return ((bits >>> 16) * R + (((bits & 0xffff) * R) >>> 16)) >>> 16;
}
