import type { EventColumns } from '../../common/events';

/**
 * Growable event columns for decoders: `reserve(n)` before a loop guarantees room for n more
 * events, so the hot loop writes without checks; `take()` hands the filled part over.
 */
export class ColumnsBuilder {
  x: Uint16Array;
  y: Uint16Array;
  tUs: Float64Array;
  p: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.x = new Uint16Array(capacity);
    this.y = new Uint16Array(capacity);
    this.tUs = new Float64Array(capacity);
    this.p = new Uint8Array(capacity);
  }

  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.x.length) return;
    const capacity = Math.max(need, Math.ceil(this.x.length * 1.5));
    const grow = <T extends Uint16Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.length) as never);
      return b;
    };
    this.x = grow(this.x, (n) => new Uint16Array(n));
    this.y = grow(this.y, (n) => new Uint16Array(n));
    this.tUs = grow(this.tUs, (n) => new Float64Array(n));
    this.p = grow(this.p, (n) => new Uint8Array(n));
  }

  append(e: EventColumns): void {
    const n = e.x.length;
    this.reserve(n);
    this.x.set(e.x, this.length);
    this.y.set(e.y, this.length);
    this.tUs.set(e.tUs, this.length);
    this.p.set(e.p, this.length);
    this.length += n;
  }

  /**
   * The events so far, or undefined when none. Copied out (the builder keeps its arrays for the
   * next batch), unless `transient`: then they are views of the builder's arrays, valid until the
   * next batch is decoded — no copy, for callers that only read each batch once.
   */
  take(transient = false): EventColumns | undefined {
    if (this.length === 0) return undefined;
    const n = this.length;
    const out = transient
      ? { x: this.x.subarray(0, n), y: this.y.subarray(0, n), tUs: this.tUs.subarray(0, n), p: this.p.subarray(0, n) }
      : { x: this.x.slice(0, n), y: this.y.slice(0, n), tUs: this.tUs.slice(0, n), p: this.p.slice(0, n) };
    this.length = 0;
    return out;
  }
}
