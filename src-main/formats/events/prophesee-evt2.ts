import { invalidArgument } from '../../common/errors';
import { rawHeader } from './prophesee-header';
import { RawDecoder } from './prophesee-raw';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Prophesee RAW EVT 2.0 (Metavision documentation, "EVT 2.0 format"): a '%' text header, then
 * little-endian 32-bit words with the type in bits 28–31:
 *   CD_OFF 0x0 / CD_ON 0x1   bits 22–27 timestamp low 6 bits, bits 11–21 x, bits 0–10 y
 *   EVT_TIME_HIGH 0x8        bits 0–27 timestamp bits 6–33
 *   EXT_TRIGGER 0xA, OTHERS 0xE, CONTINUED 0xF: counted and skipped
 * t = (time_high << 6) | low, in µs. Other types are counted as unknown. TIME_HIGH wraps after
 * 2^34 µs (4.8 h): a value below the previous one adds 2^34 (as faery's decoder does). The
 * header's `% t0` is added to every timestamp.
 */
export class Evt2Decoder extends RawDecoder {
  readonly format = 'evt2' as const;
  private timeHigh = 0;
  private rawHigh = 0;
  private wrapUs = 0;
  private sawTimeHigh = false;

  protected decodeWords(bytes: Uint8Array, p: number): number {
    const words = Math.floor((bytes.length - p) / 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    out.reserve(words);
    const { x, y, tUs, p: pol } = out;
    let k = out.length;
    let high = this.sawTimeHigh ? this.timeHigh : this.t0Us;
    let rawHigh = this.rawHigh;
    let triggers = 0;
    let others = 0;
    let unknown = 0;
    // Words are read through a Uint32Array when they are 4-byte aligned in memory (every chunk
    // after the first: joined chunks start at offset 0), else through a DataView. (Typed arrays
    // are little-endian on every platform Node runs on.)
    const aligned = (bytes.byteOffset + p) % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + p, words) : undefined;
    for (let i = 0; i < words; i++) {
      const w = aligned !== undefined ? aligned[i]! : view.getUint32(p + 4 * i, true);
      const type = w >>> 28;
      if (type <= 1) {
        x[k] = (w >>> 11) & 0x7ff;
        y[k] = w & 0x7ff;
        pol[k] = type;
        tUs[k] = high + ((w >>> 22) & 0x3f);
        k++;
      } else if (type === 0x8) {
        const next = (w & 0x0fffffff) * 64;
        if (next < rawHigh) this.wrapUs += 2 ** 34;
        rawHigh = next;
        high = next + this.wrapUs + this.t0Us;
        this.sawTimeHigh = true;
      } else if (type === 0xa) triggers++;
      else if (type === 0xe || type === 0xf) others++;
      else unknown++;
    }
    out.length = k;
    this.timeHigh = high;
    this.rawHigh = rawHigh;
    if (triggers) this.skip('EXT_TRIGGER events', triggers);
    if (others) this.skip('OTHERS/CONTINUED words', others);
    if (unknown) this.skip('words of unknown type', unknown);
    if (k > 0 && !this.sawTimeHigh) this.warn('CD events before the first EVT_TIME_HIGH word: their timestamps lack the high bits');
    return words * 4;
  }
}

/** Writes events (in time order) as RAW EVT 2.0: a TIME_HIGH word whenever t >> 6 changes, one CD word per event. */
export function encodeEvt2(events: EventColumns, sensor: SensorSize): Uint8Array {
  const header = rawHeader('2.0', sensor);
  const words: number[] = [];
  let high = -1;
  for (let i = 0; i < events.x.length; i++) {
    const t = events.tUs[i]!;
    if (t < 0 || t >= 2 ** 34) throw invalidArgument(`event ${i}: timestamp ${t} µs is outside EVT 2.0's 34-bit range`);
    const h = Math.floor(t / 64);
    if (h !== high) {
      words.push((0x8 << 28) | (h & 0x0fffffff));
      high = h;
    }
    words.push(((events.p[i]! & 1) << 28) | ((t % 64) << 22) | ((events.x[i]! & 0x7ff) << 11) | (events.y[i]! & 0x7ff));
  }
  const out = new Uint8Array(header.length + 4 * words.length);
  out.set(header);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(header.length + 4 * i, w >>> 0, true));
  return out;
}
