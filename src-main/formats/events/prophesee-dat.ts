import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import { sensorFromHeader } from './prophesee-header';

/**
 * Prophesee DAT (Metavision "Event2d" files, e.g. N-CARS): '%' text header lines, then two bytes
 * (event type, event size in bytes), then little-endian records. TD/CD events (type 0x00 or 0x0C,
 * 8 bytes): uint32 timestamp in µs, uint32 with x in bits 0–13, y in bits 14–27, polarity in
 * bits 28–31 (Version 2 layout; the header's `% Version` line says which).
 */
export class DatDecoder extends ChunkedDecoder {
  readonly format = 'dat' as const;
  private headerDone = false;
  private eventSize = 8;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (!this.headerDone) {
      const header = readTextHeader(bytes, 0x25, atEnd);
      if (header === undefined) return 0;
      if (bytes.length < header.length + 2) {
        if (atEnd) throw this.error(this.base + header.length, 'the file ends before the event type and size bytes');
        return 0;
      }
      const versionLine = header.lines.find((l) => /^\s*version\s+\d+/i.test(l));
      const version = versionLine ? Number(/\d+/.exec(versionLine)![0]) : 2;
      if (version < 2) throw this.error(this.base, `DAT version ${version} is not supported (version 2 and later)`);
      this.size = sensorFromHeader(header.lines);
      const type = bytes[header.length]!;
      this.eventSize = bytes[header.length + 1]!;
      if (this.eventSize !== 8) throw this.error(this.base + header.length + 1, `event size ${this.eventSize} bytes; TD/CD events are 8`);
      if (type !== 0x00 && type !== 0x0c) throw this.error(this.base + header.length, `event type 0x${type.toString(16)}; only TD/CD events (0x00, 0x0C) are read`);
      this.headerDone = true;
      p = header.length + 2;
    }
    const n = Math.floor((bytes.length - p) / 8);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    out.reserve(n);
    const { x, y, tUs, p: pol } = out;
    let k = out.length;
    for (let i = 0, at = p; i < n; i++, at += 8) {
      const data = view.getUint32(at + 4, true);
      tUs[k] = view.getUint32(at, true);
      x[k] = data & 0x3fff;
      y[k] = (data >>> 14) & 0x3fff;
      pol[k] = (data >>> 28) === 0 ? 0 : 1;
      k++;
    }
    out.length = k;
    return p + n * 8;
  }
}
