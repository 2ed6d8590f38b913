import { invalidArgument } from '../../common/errors';
import { ChunkedDecoder } from './chunked-decoder';
import type { EventColumns } from '../../common/events';

/**
 * N-MNIST / N-Caltech101 `.bin` (Orchard et al. 2015, ATIS recordings): no header, 5 bytes per
 * event: byte 0 = x, byte 1 = y, byte 2 bit 7 = polarity (1 = ON), then a 23-bit timestamp in
 * µs from the low 7 bits of byte 2 and bytes 3, 4 (big-endian). N-MNIST's sensor is 34×34;
 * N-Caltech101's varies by sample, so the size is left to the dataset layout.
 * The format has no header to check, so the content is: a recording's time runs forward, and a file
 * whose timestamps step back at more than half of its events (of at least 100) is warned about
 * as probably not N-MNIST data.
 */
export class NmnistBinDecoder extends ChunkedDecoder {
  readonly format = 'nmnist-bin' as const;
  private events = 0;
  private reversals = 0;
  private lastT = -1;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    const n = Math.floor(bytes.length / 5);
    const out = this.out;
    out.reserve(n);
    const { x, y, tUs, p } = out;
    let k = out.length;
    let last = this.lastT;
    let reversals = 0;
    for (let i = 0, at = 0; i < n; i++, at += 5) {
      const b2 = bytes[at + 2]!;
      x[k] = bytes[at]!;
      y[k] = bytes[at + 1]!;
      p[k] = b2 >> 7;
      const t = ((b2 & 0x7f) << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!;
      if (t < last) reversals++;
      last = t;
      tUs[k] = t;
      k++;
    }
    out.length = k;
    this.lastT = last;
    this.events += n;
    this.reversals += reversals;
    if (atEnd && this.events >= 100 && this.reversals > this.events / 2) {
      this.warn(`time steps back at ${this.reversals} of ${this.events} events (${Math.round((100 * this.reversals) / this.events)}%): this is probably not an N-MNIST .bin file (40-bit events)`);
    }
    return n * 5;
  }
}

/** Writes events as N-MNIST `.bin` (x, y < 256; timestamps < 2^23 µs). */
export function encodeNmnistBin(events: EventColumns): Uint8Array {
  const n = events.x.length;
  const out = new Uint8Array(5 * n);
  for (let i = 0; i < n; i++) {
    const t = events.tUs[i]!;
    if (events.x[i]! > 255 || events.y[i]! > 255 || t < 0 || t >= 1 << 23) {
      throw invalidArgument(`event ${i} (x ${events.x[i]}, y ${events.y[i]}, t ${t} µs) does not fit the N-MNIST format (x, y < 256, t < 2^23 µs)`);
    }
    out[5 * i] = events.x[i]!;
    out[5 * i + 1] = events.y[i]!;
    out[5 * i + 2] = (events.p[i]! << 7) | ((t >> 16) & 0x7f);
    out[5 * i + 3] = (t >> 8) & 0xff;
    out[5 * i + 4] = t & 0xff;
  }
  return out;
}
