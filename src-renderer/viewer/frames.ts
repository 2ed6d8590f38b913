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

/**
 * One conversion frame (event counts, [H, W, C] at `offset` in `data`) as RGBA on a shared scale
 * `peak`: two channels (OFF, ON) as blue and orange light added on the background; a signed
 * channel as orange where ON − OFF > 0 and blue below; a merged channel as white.
 */
export function renderCountFrame(
  data: Float32Array,
  offset: number,
  shape: readonly [number, number, number],
  peak: number,
  polarity: 'two-channels' | 'signed' | 'merged',
  out: Uint8ClampedArray,
): void {
  const [h, w] = shape;
  const k = peak > 0 ? 1 / peak : 0;
  const add = (o: number, colour: readonly number[], amount: number): void => {
    const a = Math.min(1, Math.abs(amount));
    out[o] = out[o]! + a * (colour[0]! - BACKGROUND[0]);
    out[o + 1] = out[o + 1]! + a * (colour[1]! - BACKGROUND[1]);
    out[o + 2] = out[o + 2]! + a * (colour[2]! - BACKGROUND[2]);
  };
  for (let i = 0; i < h * w; i++) {
    const o = 4 * i;
    out[o] = BACKGROUND[0];
    out[o + 1] = BACKGROUND[1];
    out[o + 2] = BACKGROUND[2];
    out[o + 3] = 255;
    if (polarity === 'two-channels') {
      add(o, OFF_COLOUR, data[offset + 2 * i]! * k);
      add(o, ON_COLOUR, data[offset + 2 * i + 1]! * k);
    } else {
      const v = data[offset + i]! * k;
      add(o, polarity === 'merged' ? MERGED_COLOUR : v >= 0 ? ON_COLOUR : OFF_COLOUR, v);
    }
  }
}

export const MERGED_COLOUR = [255, 255, 255] as const;
