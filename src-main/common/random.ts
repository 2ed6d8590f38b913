/**
 * Seeded random streams, one per sample, so a stochastic run gives the same spikes for a sample
 * whatever batch it lands in and whatever order batches run in. A stream's state is one uint32
 * advanced by the Weyl increment of mulberry32 (Tommy Ettinger's generator); draws are uniform
 * in [0, 1) with 32 bits of resolution.
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

/** States for the samples at `sampleIndices`, for one stream id (e.g. a layer). */
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
