import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import type { ArenaColumns } from './arena-columns';
import { sensorFromHeader, t0FromHeader } from './prophesee-header';

/**
 * Prophesee DAT (Metavision "Event2d" files, e.g. N-CARS): '%' text header lines, then two bytes
 * (event type, event size in bytes), then little-endian 8-byte records: uint32 timestamp in µs,
 * then a uint32 whose layout the header's `% Version` line gives:
 *   version 2 (and later): x bits 0–13, y bits 14–27, polarity bits 28–31;
 *   version 1: x bits 0–8, y bits 9–16, polarity bits 17–31 (faery's Dat1 writer).
 * TD/CD events are types 0x00 and 0x0C. `% T0 N` (faery) is added to every timestamp. The record
 * loop is the `dat` kernel (event-kernels.wat).
 */
export class DatDecoder extends ChunkedDecoder {
  readonly format = 'dat' as const;
  private headerDone = false;
  private version = 2;
  private t0Us = 0;

  protected override get usesKernels(): boolean {
    return true;
  }

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
    const input = bytes.byteOffset + p; // (read before reserving: growth detaches the view)
    const out = this.out as ArenaColumns;
    out.reserve(n);
    const at = out.pointers();
    out.length = this.arena!.kernels.dat(input, n, this.t0Us, this.version === 1 ? 1 : 0, at.t, at.x, at.y, at.p, out.length);
    return p + n * 8;
  }
}
