/**
 * One seeded mutation of a file's bytes, for fuzzing decoders (the fuzz tests and
 * bench/fuzz-formats.ts): a truncation, a few bit flips, or a splice (a run of the file copied
 * over another place).
 */
export function mutate(bytes: Uint8Array, random: () => number, options: { maxFlips?: number; flipWithin?: number; maxSplice?: number } = {}): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  const out = Uint8Array.from(bytes);
  switch (pick(3)) {
    case 0:
      return out.subarray(0, pick(bytes.length));
    case 1: {
      const within = options.flipWithin === undefined ? out.length : Math.min(out.length, options.flipWithin + pick(out.length));
      for (let k = 1 + pick(options.maxFlips ?? 8); k > 0; k--) out[pick(within)]! ^= 1 << pick(8);
      return out;
    }
    default: {
      const len = 1 + pick(Math.min(options.maxSplice ?? 64, bytes.length));
      const from = pick(bytes.length - len);
      out.set(bytes.subarray(from, from + len), pick(bytes.length - len));
      return out;
    }
  }
}
