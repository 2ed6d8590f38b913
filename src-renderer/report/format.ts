/** Number formats of the report: exact enough to quote, readable at a glance. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function pct(fraction: number, digits = 2): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

export function meanStd(m: { mean: number; std: number }, seeds: number): string {
  return seeds > 1 ? `${(100 * m.mean).toFixed(2)} ± ${(100 * m.std).toFixed(2)}` : (100 * m.mean).toFixed(2);
}

export function num(n: number | null, digits = 4): string {
  return n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

export function energy(pj: number): string {
  return pj >= 1e6 ? `${(pj / 1e6).toFixed(3)} µJ` : pj >= 1e3 ? `${(pj / 1e3).toFixed(3)} nJ` : `${pj.toFixed(1)} pJ`;
}

export function bytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(0)} MiB`;
}
