/** Per-sample statistics the dataset screen shows next to the viewer. Pure functions. */
export interface RateSeries {
  readonly binUs: number;
  readonly startUs: number;
  /** Events per second in each bin. */
  readonly rates: readonly number[];
}

export function eventRate(tUs: Float64Array, bins: number): RateSeries {
  const n = tUs.length;
  if (n === 0) return { binUs: 0, startUs: 0, rates: [] };
  const startUs = tUs[0]!;
  const span = Math.max(1, tUs[n - 1]! - startUs);
  const binUs = span / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((tUs[i]! - startUs) / binUs))]!++;
  return { binUs, startUs, rates: counts.map((c) => c / (binUs / 1e6)) };
}

/** Share of ON events (polarity 1). */
export function onFraction(p: Uint8Array): number {
  if (p.length === 0) return 0;
  let on = 0;
  for (let i = 0; i < p.length; i++) on += p[i]!;
  return on / p.length;
}

/** Events per pixel. */
export function spatialCounts(x: Uint16Array, y: Uint16Array, width: number, height: number): Uint32Array {
  const counts = new Uint32Array(width * height);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < width && y[i]! < height) counts[y[i]! * width + x[i]!]!++;
  }
  return counts;
}
