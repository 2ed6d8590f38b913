import { makeRandom } from '../common/random';

/**
 * Deterministic subsets: n of `count` sample indices chosen uniformly without replacement by a
 * seeded shuffle, returned in ascending order (so reading them walks the files in order).
 */
export function seededSubset(count: number, n: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: count }, (_, i) => i);
  if (n >= count) return all;
  const random = makeRandom(seed, 0x5b5e7);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (count - i));
    const tmp = all[i]!;
    all[i] = all[j]!;
    all[j] = tmp;
  }
  return all.subarray(0, n).sort();
}
