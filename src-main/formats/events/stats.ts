import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Running statistics of an event stream, fed batch by batch: what `tppw inspect` reports.
 */
export interface EventSummary {
  readonly events: number;
  readonly on: number;
  readonly off: number;
  readonly firstTUs: number | null;
  readonly lastTUs: number | null;
  readonly durationUs: number;
  /** Events per second over the recording's duration. */
  readonly eventRateHz: number;
  /** Bounding box of the coordinates seen. */
  readonly xRange: readonly [number, number] | null;
  readonly yRange: readonly [number, number] | null;
  /** Events whose timestamp is below the one before them. */
  readonly timeReversals: number;
  /** Events outside the declared sensor (if one is declared). */
  readonly outsideSensor: number;
}

export class EventStats {
  private n = 0;
  private on = 0;
  private first = NaN;
  private last = NaN;
  private minX = Infinity;
  private maxX = -Infinity;
  private minY = Infinity;
  private maxY = -Infinity;
  private reversals = 0;
  private outside = 0;
  private minT = Infinity;
  private maxT = -Infinity;

  constructor(private readonly sensor?: SensorSize) {}

  add(e: EventColumns): void {
    const n = e.x.length;
    if (n === 0) return;
    const { x, y, tUs, p } = e;
    let prev = Number.isNaN(this.last) ? tUs[0]! : this.last;
    let on = 0;
    let minX = this.minX;
    let maxX = this.maxX;
    let minY = this.minY;
    let maxY = this.maxY;
    let reversals = 0;
    let outside = 0;
    let minT = this.minT;
    let maxT = this.maxT;
    const w = this.sensor?.width ?? Infinity;
    const h = this.sensor?.height ?? Infinity;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      const t = tUs[i]!;
      on += p[i]!;
      if (xi < minX) minX = xi;
      if (xi > maxX) maxX = xi;
      if (yi < minY) minY = yi;
      if (yi > maxY) maxY = yi;
      if (t < prev) reversals++;
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
      prev = t;
      if (xi >= w || yi >= h) outside++;
    }
    if (Number.isNaN(this.first)) this.first = tUs[0]!;
    this.last = prev;
    this.n += n;
    this.on += on;
    this.minX = minX;
    this.maxX = maxX;
    this.minY = minY;
    this.maxY = maxY;
    this.reversals += reversals;
    this.outside += outside;
    this.minT = minT;
    this.maxT = maxT;
  }

  summary(): EventSummary {
    const has = this.n > 0;
    // the span of the timestamps: with time running backwards, last − first could be negative
    const duration = has ? this.maxT - this.minT : 0;
    return {
      events: this.n,
      on: this.on,
      off: this.n - this.on,
      firstTUs: has ? this.first : null,
      lastTUs: has ? this.last : null,
      durationUs: duration,
      eventRateHz: duration > 0 ? (this.n / duration) * 1e6 : 0,
      xRange: has ? [this.minX, this.maxX] : null,
      yRange: has ? [this.minY, this.maxY] : null,
      timeReversals: this.reversals,
      outsideSensor: this.outside,
    };
  }
}
