import { invalidArgument } from '../../common/errors';
import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * AEDAT 3.1 (cAER/libcaer; iniVation "AEDAT file formats"): '#' header lines from `#!AER-DAT3.1`
 * to `#!END-HEADER`, then packets, all little-endian: a 28-byte header
 *   int16 eventType, int16 eventSource, int32 eventSize, int32 eventTSOffset,
 *   int32 eventTSOverflow, int32 eventCapacity, int32 eventNumber, int32 eventValid
 * and eventCapacity × eventSize bytes of events. Polarity events (type 1, 8 bytes): uint32 data
 * with bit 0 valid, bit 1 polarity (1 = ON), bits 2–16 y, bits 17–31 x (origin top-left), then
 * int32 timestamp; t = (eventTSOverflow << 31) | timestamp µs. Packets of other types are
 * skipped and counted by type; invalid polarity events are counted too.
 * The sensor size is not in the file: the decoder takes it as the bounding box (DVS Gesture and
 * other datasets state it).
 */
const TYPE_NAMES: Record<number, string> = {
  0: 'special', 2: 'frame', 3: 'IMU6', 4: 'IMU9', 5: 'sample', 6: 'ear', 7: 'config', 8: 'point1D', 9: 'point2D', 10: 'point3D', 11: 'point4D', 12: 'spike', 13: 'matrix4x4',
};
const MAX_PACKET_BYTES = 1 << 28;

export class Aedat31Decoder extends ChunkedDecoder {
  readonly format = 'aedat3.1' as const;
  private headerDone = false;

  constructor(source: string, private readonly declared?: SensorSize) {
    super(source);
    this.size = declared;
  }

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (!this.headerDone) {
      const header = readTextHeader(bytes, 0x23, atEnd);
      if (header === undefined) return 0;
      const end = header.lines.findIndex((l) => l.startsWith('!END-HEADER'));
      if (!/^!AER-DAT3/.test(header.lines[0] ?? '')) throw this.error(this.base, `not an AEDAT 3 file (first line '#${header.lines[0] ?? ''}')`);
      if (end < 0) {
        if (!atEnd && bytes.length < 1 << 20) return 0;
        throw this.error(this.base + header.length, 'the header has no #!END-HEADER line');
      }
      for (let i = 0; i <= end; i++) p = bytes.indexOf(0x0a, p) + 1;
      this.headerDone = true;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    while (p + 28 <= bytes.length) {
      const type = view.getInt16(p, true);
      const size = view.getInt32(p + 4, true);
      const tsOffset = view.getInt32(p + 8, true);
      const overflow = view.getInt32(p + 12, true);
      const capacity = view.getInt32(p + 16, true);
      const bodyBytes = size * capacity;
      if (size <= 0 || capacity < 0 || bodyBytes > MAX_PACKET_BYTES || tsOffset < 0 || tsOffset + 4 > size) {
        throw this.error(this.base + p, `corrupt packet header (type ${type}, event size ${size}, capacity ${capacity}, timestamp offset ${tsOffset})`);
      }
      if (p + 28 + bodyBytes > bytes.length) break; // the packet continues in the next chunk
      const body = p + 28;
      if (type !== 1) {
        this.skip(`${TYPE_NAMES[type] ?? `type ${type}`} packets`);
      } else {
        if (size !== 8) throw this.error(this.base + p, `polarity packet with ${size}-byte events (8 expected)`);
        out.reserve(capacity);
        const { x, y, tUs, p: pol } = out;
        let k = out.length;
        let invalid = 0;
        const high = overflow * 2147483648;
        for (let i = 0, at = body; i < capacity; i++, at += 8) {
          const data = view.getUint32(at, true);
          if ((data & 1) === 0) {
            invalid++;
            continue;
          }
          x[k] = (data >>> 17) & 0x7fff;
          y[k] = (data >>> 2) & 0x7fff;
          pol[k] = (data >>> 1) & 1;
          tUs[k] = high + view.getInt32(at + tsOffset, true);
          k++;
        }
        out.length = k;
        if (invalid) this.skip('invalid polarity events', invalid);
      }
      p = body + bodyBytes;
    }
    if (atEnd && p < bytes.length) throw this.error(this.base + p, `the file ends inside a packet (${bytes.length - p} bytes of it present)`);
    return p;
  }
}

/**
 * Writes events (in time order) as AEDAT 3.1: polarity packets of at most `packetEvents` events,
 * source 1, a new packet whenever the timestamp's overflow counter (t >> 31) changes.
 */
export function encodeAedat31(events: EventColumns, options: { source?: string; packetEvents?: number } = {}): Uint8Array {
  const header = ['#!AER-DAT3.1', '#Format: RAW', `#Source 1: ${options.source ?? 'DVS128'}`, '#!END-HEADER'];
  const text = new TextEncoder().encode(header.map((l) => `${l}\r\n`).join(''));
  const n = events.x.length;
  const per = options.packetEvents ?? 4096;
  const overflowOf = (i: number): number => Math.floor(events.tUs[i]! / 2147483648);
  // packet boundaries
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && overflowOf(i) < overflowOf(i - 1)) throw invalidArgument(`event ${i}: timestamps must be in time order to be written as AEDAT 3.1`);
    if (starts.length === 0 || i - starts[starts.length - 1]! >= per || overflowOf(i) !== overflowOf(starts[starts.length - 1]!)) starts.push(i);
  }
  const out = new Uint8Array(text.length + starts.length * 28 + n * 8);
  out.set(text);
  const view = new DataView(out.buffer);
  let at = text.length;
  starts.forEach((start, s) => {
    const end = starts[s + 1] ?? n;
    const count = end - start;
    const overflow = overflowOf(start);
    view.setInt16(at, 1, true);
    view.setInt16(at + 2, 1, true);
    view.setInt32(at + 4, 8, true);
    view.setInt32(at + 8, 4, true);
    view.setInt32(at + 12, overflow, true);
    view.setInt32(at + 16, count, true);
    view.setInt32(at + 20, count, true);
    view.setInt32(at + 24, count, true);
    at += 28;
    for (let i = start; i < end; i++) {
      view.setUint32(at, ((events.x[i]! << 17) | (events.y[i]! << 2) | (events.p[i]! << 1) | 1) >>> 0, true);
      view.setInt32(at + 4, events.tUs[i]! - overflow * 2147483648, true);
      at += 8;
    }
  });
  return out;
}
