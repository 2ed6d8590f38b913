/**
 * Event frames for the viewer: the events of a time window [end − window, end) drawn into an RGBA
 * image of the sensor. Pure, so it runs in the frame worker and in tests alike. Time stamps are
 * sorted (decoders emit them in order), so the window is found by binary search.
 */
export type ColorMode = 'polarity' | 'time';

export interface ViewerEvents {
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly p: Uint8Array;
  readonly tUs: Float64Array;
}

export const BACKGROUND = [24, 24, 28] as const;
export const ON_COLOUR = [255, 176, 32] as const;
export const OFF_COLOUR = [40, 150, 255] as const;

/** First index i with t[i] ≥ value. */
export function lowerBound(t: Float64Array, value: number, from = 0, to = t.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Draws the window into `out` (width·height·4 bytes) and returns how many events it held. */
export function renderWindow(events: ViewerEvents, width: number, height: number, endUs: number, windowUs: number, mode: ColorMode, out: Uint8ClampedArray): number {
  for (let i = 0; i < width * height; i++) {
    out[4 * i] = BACKGROUND[0];
    out[4 * i + 1] = BACKGROUND[1];
    out[4 * i + 2] = BACKGROUND[2];
    out[4 * i + 3] = 255;
  }
  const startUs = endUs - windowUs;
  const from = lowerBound(events.tUs, startUs);
  const to = lowerBound(events.tUs, endUs, from);
  for (let i = from; i < to; i++) {
    const x = events.x[i]!;
    const y = events.y[i]!;
    if (x >= width || y >= height) continue;
    const colour = events.p[i] ? ON_COLOUR : OFF_COLOUR;
    // Time mode: newer events brighter, so motion shows its direction.
    const w = mode === 'time' ? 0.2 + (0.8 * (events.tUs[i]! - startUs)) / windowUs : 1;
    const o = 4 * (y * width + x);
    out[o] = BACKGROUND[0] + w * (colour[0] - BACKGROUND[0]);
    out[o + 1] = BACKGROUND[1] + w * (colour[1] - BACKGROUND[1]);
    out[o + 2] = BACKGROUND[2] + w * (colour[2] - BACKGROUND[2]);
  }
  return to - from;
}
