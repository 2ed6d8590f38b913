/**
 * Events are columns, never objects (DESIGN.md): x, y, timestamp in microseconds and polarity
 * (1 = ON, brightness increase; 0 = OFF), plus the sensor size they live on.
 */
export interface EventColumns {
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly tUs: Float64Array;
  readonly p: Uint8Array;
}

export interface SensorSize {
  readonly width: number;
  readonly height: number;
}

/** Concatenates batches (for tests and small files; streams should consume batches as they come). */
export function concatEvents(batches: readonly (EventColumns | undefined)[]): EventColumns {
  const list = batches.filter((b): b is EventColumns => b !== undefined && b.x.length > 0);
  const n = list.reduce((a, b) => a + b.x.length, 0);
  const out = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  let at = 0;
  for (const b of list) {
    out.x.set(b.x, at);
    out.y.set(b.y, at);
    out.tUs.set(b.tUs, at);
    out.p.set(b.p, at);
    at += b.x.length;
  }
  return out;
}
