import { ChunkedDecoder } from './chunked-decoder';

/**
 * Event Stream 2.x (`.es`; neuromorphic-drivers, faery's event_stream module, which this follows):
 * the 12 bytes "Event Stream", three version bytes (major 2), a type byte (0 generic, 1 DVS,
 * 2 ATIS, 4 color) and, except for generic streams, width and height as uint16 LE. Then events,
 * each starting with one time byte that adds to the running timestamp (µs from 0):
 *   DVS:   0xFF adds 127 and starts no event; 0xFE is a reset (ignored); any other byte b adds
 *          b >> 1, its bit 0 is the polarity, and x, y (uint16 LE each) follow.
 *   ATIS:  a byte with its six high bits set adds 63 × (b & 3) and starts no event; any other adds
 *          b >> 2, its two low bits are 0 OFF, 2 ON (1 and 3 are exposure measurements, counted
 *          and skipped), and x, y follow.
 * The format stores no time origin: timestamps start at 0. Its y axis points up (row 0 at the
 * bottom, as the sensors' drivers count); like faery's reader (file_decoder.py), y is flipped to
 * the top-left origin used here: y = height − 1 − stored y. Generic and color streams hold no
 * polarity events and are refused.
 */
const MAGIC = 'Event Stream';
const HEADER_BYTES = MAGIC.length + 3 + 1 + 4;

export class EventStreamDecoder extends ChunkedDecoder {
  readonly format = 'es' as const;
  private type = -1;
  private t = 0;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let i = 0;
    if (this.type < 0) {
      if (bytes.length < HEADER_BYTES) {
        if (atEnd) throw this.error(0, `${bytes.length} bytes is too short for an Event Stream header`);
        return 0;
      }
      for (let k = 0; k < MAGIC.length; k++) if (bytes[k] !== MAGIC.charCodeAt(k)) throw this.error(k, 'not an Event Stream file (no "Event Stream" magic)');
      const [major, minor, patch] = [bytes[12]!, bytes[13]!, bytes[14]!];
      if (major !== 2) throw this.error(12, `Event Stream version ${major}.${minor}.${patch} is not supported (2.x)`);
      const type = bytes[15]!;
      if (type !== 1 && type !== 2) {
        const name = { 0: 'generic', 4: 'color' }[type] ?? `unknown (${type})`;
        throw this.error(15, `Event Stream type ${name}: only DVS and ATIS streams hold polarity events`);
      }
      this.type = type;
      this.size = { width: bytes[16]! | (bytes[17]! << 8), height: bytes[18]! | (bytes[19]! << 8) };
      i = HEADER_BYTES;
    }
    const n = bytes.length;
    const out = this.out;
    // at least 5 bytes per event
    out.reserve(Math.ceil((n - i) / 5));
    const { x, y, tUs, p } = out;
    let k = out.length;
    let t = this.t;
    let exposures = 0;
    const top = this.size!.height - 1;
    if (this.type === 1) {
      while (i < n) {
        const b = bytes[i]!;
        if (b === 0xff) {
          t += 127;
          i++;
        } else if (b === 0xfe) {
          i++;
        } else {
          if (i + 5 > n) break;
          t += b >> 1;
          x[k] = bytes[i + 1]! | (bytes[i + 2]! << 8);
          y[k] = top - (bytes[i + 3]! | (bytes[i + 4]! << 8));
          p[k] = b & 1;
          tUs[k] = t;
          k++;
          i += 5;
        }
      }
    } else {
      while (i < n) {
        const b = bytes[i]!;
        if ((b & 0xfc) === 0xfc) {
          t += 63 * (b & 3);
          i++;
        } else {
          if (i + 5 > n) break;
          t += b >> 2;
          const kind = b & 3;
          if (kind === 0 || kind === 2) {
            x[k] = bytes[i + 1]! | (bytes[i + 2]! << 8);
            y[k] = top - (bytes[i + 3]! | (bytes[i + 4]! << 8));
            p[k] = kind >> 1;
            tUs[k] = t;
            k++;
          } else exposures++;
          i += 5;
        }
      }
    }
    out.length = k;
    this.t = t;
    if (exposures) this.skip('ATIS exposure measurements', exposures);
    return i;
  }
}
