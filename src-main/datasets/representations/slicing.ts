import { invalidArgument } from '../../common/errors';

/**
 * How a recording is cut into frames (STYLE.md: a union, not optional fields):
 * - `bins`: a fixed number of frames. `split: 'time'` gives equal time spans and `'count'` equal
 *   event counts, as SpikingJelly's split_by='time' / split_by='number'.
 * - `time`: frames of `windowUs`, a new one every windowUs − overlapUs (tonic ToFrame time_window).
 * - `count`: frames of `events` events, a new one every events − overlap.
 * Each slice is a half-open range [start, end) of event indices.
 */
export type Slicing =
  | { readonly by: 'bins'; readonly bins: number; readonly split: 'time' | 'count' }
  | { readonly by: 'time'; readonly windowUs: number; readonly overlapUs?: number }
  | { readonly by: 'count'; readonly events: number; readonly overlap?: number };

export interface Slice {
  readonly start: number;
  readonly end: number;
}

/** First index i in [lo, hi) with t[i] ≥ value (t sorted ascending), else hi. */
export function lowerBound(t: ArrayLike<number>, value: number, lo = 0, hi = t.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function sliceEvents(tUs: ArrayLike<number>, slicing: Slicing): Slice[] {
  const n = tUs.length;
  switch (slicing.by) {
    case 'bins': {
      const { bins } = slicing;
      if (!Number.isInteger(bins) || bins < 1) throw invalidArgument(`bins ${bins} must be a positive integer`);
      if (slicing.split === 'count') {
        // N // bins events per frame, the last frame taking the remainder (SpikingJelly).
        const per = Math.floor(n / bins);
        return Array.from({ length: bins }, (_, i) => ({ start: i * per, end: i === bins - 1 ? n : (i + 1) * per }));
      }
      if (n === 0) return Array.from({ length: bins }, () => ({ start: 0, end: 0 }));
      // dt = (t_last − t_first) // bins; frame i holds t in [t0 + i·dt, t0 + (i + 1)·dt)
      // (SpikingJelly; events after the last window's end fall outside every frame). A recording
      // shorter than `bins` µs has dt = 0 and is cut by count instead.
      const t0 = tUs[0]!;
      const dt = Math.floor((tUs[n - 1]! - t0) / bins);
      if (dt === 0) return sliceEvents(tUs, { by: 'bins', bins, split: 'count' });
      const slices: Slice[] = [];
      let start = lowerBound(tUs, t0);
      for (let i = 0; i < bins; i++) {
        const end = lowerBound(tUs, t0 + (i + 1) * dt, start);
        slices.push({ start, end });
        start = end;
      }
      return slices;
    }
    case 'time': {
      const { windowUs } = slicing;
      const overlap = slicing.overlapUs ?? 0;
      if (!(windowUs > 0) || !(overlap >= 0) || overlap >= windowUs) throw invalidArgument(`time window ${windowUs} µs with overlap ${overlap} µs: the window must be positive and longer than the overlap`);
      if (n === 0) return [];
      const stride = windowUs - overlap;
      const t0 = tUs[0]!;
      const frames = Math.max(1, Math.ceil((tUs[n - 1]! - t0 - windowUs) / stride) + 1);
      return Array.from({ length: frames }, (_, i) => {
        const from = t0 + i * stride;
        return { start: lowerBound(tUs, from), end: lowerBound(tUs, from + windowUs) };
      });
    }
    case 'count': {
      const { events } = slicing;
      const overlap = slicing.overlap ?? 0;
      if (!Number.isInteger(events) || events < 1 || overlap < 0 || overlap >= events) throw invalidArgument(`event count ${events} with overlap ${overlap}: the count must be positive and larger than the overlap`);
      if (n === 0) return [];
      const stride = events - overlap;
      const frames = Math.max(1, Math.ceil((n - events) / stride) + 1);
      return Array.from({ length: frames }, (_, i) => ({ start: i * stride, end: Math.min(n, i * stride + events) }));
    }
    default: {
      const never: never = slicing;
      return never;
    }
  }
}
