import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import { sensorFromHeader, t0FromHeader } from './prophesee-header';

/**
 * Prophesee DAT (Metavision "Event2d" files, e.g. N-CARS): '%' text header lines, then two bytes
 * (event type, event size in bytes), then little-endian 8-byte records: uint32 timestamp in µs,
 * then a uint32 whose layout the header's `% Version` line gives:
 *   version 2 (and later): x bits 0–13, y bits 14–27, polarity bits 28–31;
 *   version 1: x bits 0–8, y bits 9–16, polarity bits 17–31 (faery's Dat1 writer).
 * TD/CD events are types 0x00 and 0x0C. `% T0 N` (faery) is added to every timestamp.
 */
export class DatDecoder extends ChunkedDecoder {
  readonly format = 'dat' as const;
  private headerDone = false;
  private version = 2;
  private t0Us = 0;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (!this.headerDone) {
      const header = readTextHeader(bytes, 0x25, atEnd);
      if (header === undefined) return 0;
      if (bytes.length < header.length + 2) {
        if (atEnd && bytes.length === header.length) return header.length; // a header and no events
        if (atEnd) throw this.error(this.base + header.length, 'the file ends before the event type and size bytes');
        return 0;
      }
      const versionLine = header.lines.find((l) => /^\s*version\s+\d+/i.test(l));
      this.version = versionLine ? Number(/\d+/.exec(versionLine)![0]) : 2;
      if (this.version < 1) throw this.error(this.base, `DAT version ${this.version} is not supported (versions 1 and 2)`);
      this.size = sensorFromHeader(header.lines);
      this.t0Us = t0FromHeader(header.lines);
      const type = bytes[header.length]!;
      const eventSize = bytes[header.length + 1]!;
      if (eventSize !== 8) throw this.error(this.base + header.length + 1, `event size ${eventSize} bytes; TD/CD events are 8`);
      if (type !== 0x00 && type !== 0x0c) throw this.error(this.base + header.length, `event type 0x${type.toString(16)}; only TD/CD events (0x00, 0x0C) are read`);
      this.headerDone = true;
      p = header.length + 2;
    }
    const n = Math.floor((bytes.length - p) / 8);
    const out = this.out;
    out.reserve(n);
    const { x, y, tUs, p: pol } = out;
    const k0 = out.length;
    const t0 = this.t0Us;
    const v1 = this.version === 1;
    // Records are 8 bytes: read them as uint32 pairs through an aligned view when the chunk allows
    // (the common case, and about twice as fast as DataView), else byte by byte.
    const at = bytes.byteOffset + p;
    const words = at % 4 === 0 ? new Uint32Array(bytes.buffer, at, 2 * n) : undefined;
    // (little-endian on every platform Node runs on; one loop per layout keeps each tight)
    if (words !== undefined && !v1) {
      for (let i = 0, k = k0; i < n; i++, k++) {
        const data = words[2 * i + 1]!;
        tUs[k] = words[2 * i]! + t0;
        x[k] = data & 0x3fff;
        y[k] = (data >>> 14) & 0x3fff;
        pol[k] = data >>> 28 === 0 ? 0 : 1;
      }
    } else {
      for (let i = 0, k = k0; i < n; i++, k++) {
        const b = p + 8 * i;
        const time = words !== undefined ? words[2 * i]! : (bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24)) >>> 0;
        const data = words !== undefined ? words[2 * i + 1]! : (bytes[b + 4]! | (bytes[b + 5]! << 8) | (bytes[b + 6]! << 16) | (bytes[b + 7]! << 24)) >>> 0;
        tUs[k] = time + t0;
        x[k] = v1 ? data & 0x1ff : data & 0x3fff;
        y[k] = v1 ? (data >>> 9) & 0xff : (data >>> 14) & 0x3fff;
        pol[k] = (v1 ? data >>> 17 : data >>> 28) === 0 ? 0 : 1;
      }
    }
    out.length = k0 + n;
    return p + n * 8;
  }
}
