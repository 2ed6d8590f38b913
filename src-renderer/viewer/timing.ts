/**
 * Time on the viewer's scale: durations in the unit that reads best, and the accumulation window a
 * recording opens with, chosen from its event rate rather than its length.
 */

/** 850 µs, 12.5 ms, 3.20 s. */
export function formatSpanUs(us: number): string {
  const a = Math.abs(us);
  if (a < 1000) return `${Math.round(us)} µs`;
  if (a < 1e6) return `${(us / 1000).toFixed(a < 1e4 ? 2 : 1)} ms`;
  return `${(us / 1e6).toFixed(a < 1e7 ? 2 : 1)} s`;
}

/** The nearest of 1, 2 and 5 times a power of ten. */
function nice(value: number): number {
  const p = 10 ** Math.floor(Math.log10(value));
  const m = value / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * The default window: long enough that a frame holds about one event per 20 pixels (and at least
 * 500 events), so edges read as edges, kept between 1 ms and 50 ms, and never past the recording.
 * A fixed share of the recording (a twentieth) would give 5 s windows on long recordings.
 */
export function defaultWindowUs(events: number, spanUs: number, pixels: number): number {
  if (events <= 0 || spanUs <= 0) return 1000;
  const wanted = Math.max(500, pixels / 20);
  const windowUs = (wanted / events) * spanUs;
  return Math.min(nice(Math.min(50_000, Math.max(1000, windowUs))), Math.max(1000, nice(spanUs)));
}
