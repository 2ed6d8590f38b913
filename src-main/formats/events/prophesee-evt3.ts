import { invalidArgument } from '../../common/errors';
import { rawHeader } from './prophesee-header';
import { RawDecoder } from './prophesee-raw';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Prophesee RAW EVT 3.0 (Metavision documentation, "EVT 3.0 format"): a '%' text header, then
 * little-endian 16-bit words with the type in bits 12–15. The decoder is a state machine:
 *   EVT_ADDR_Y 0x0     y = bits 0–10 (bit 11: system type)
 *   EVT_ADDR_X 0x2     one event at x = bits 0–10, polarity bit 11
 *   VECT_BASE_X 0x3    base x = bits 0–10 and polarity bit 11 for the vectors that follow
 *   VECT_12 0x4        events at base x + i for each set bit i of bits 0–11; base x += 12
 *   VECT_8 0x5         the same for bits 0–7; base x += 8
 *   EVT_TIME_LOW 0x6   time bits 0–11
 *   EVT_TIME_HIGH 0x8  time bits 12–23
 *   EXT_TRIGGER 0xA, OTHERS 0xE, CONTINUED_4 0x7, CONTINUED_12 0xF: counted and skipped
 * The 24-bit time wraps every 2^24 µs (16.8 s); a time-high value below the previous one by more
 * than half the range is such a wrap and adds 2^24. The header's `% t0` is added to every timestamp.
 */
const WRAP = 1 << 24;

export class Evt3Decoder extends RawDecoder {
  readonly format = 'evt3' as const;
  private yNow = 0;
  private baseX = 0;
  private polarity = 0;
  private timeHigh = 0;
  private timeLow = 0;
  private wraps = 0;

  protected decodeWords(bytes: Uint8Array, p: number): number {
    const words = Math.floor((bytes.length - p) / 2);
    const out = this.out;
    // Most words yield at most one event; a vector word up to 12, and then room is checked.
    out.reserve(words + 12);
    let { x, y, tUs, p: pol } = out;
    let k = out.length;
    let yNow = this.yNow;
    let baseX = this.baseX;
    let polarity = this.polarity;
    let high = this.timeHigh;
    let low = this.timeLow;
    let wraps = this.wraps;
    const t0 = this.t0Us;
    let t = t0 + wraps * WRAP + high * 4096 + low;
    let triggers = 0;
    let others = 0;
    let unknown = 0;
    for (let i = 0, at = p; i < words; i++, at += 2) {
      const w = bytes[at]! | (bytes[at + 1]! << 8);
      switch (w >>> 12) {
        case 0x0:
          yNow = w & 0x7ff;
          break;
        case 0x2:
          x[k] = w & 0x7ff;
          y[k] = yNow;
          pol[k] = (w >>> 11) & 1;
          tUs[k] = t;
          k++;
          break;
        case 0x3:
          baseX = w & 0x7ff;
          polarity = (w >>> 11) & 1;
          break;
        case 0x4:
        case 0x5: {
          const width = w >>> 12 === 0x4 ? 12 : 8;
          let mask = w & (width === 12 ? 0xfff : 0xff);
          if (k + 12 > x.length) {
            out.length = k;
            out.reserve(words - i + 12);
            ({ x, y, tUs, p: pol } = out);
          }
          while (mask !== 0) {
            const bit = 31 - Math.clz32(mask & -mask);
            x[k] = baseX + bit;
            y[k] = yNow;
            pol[k] = polarity;
            tUs[k] = t;
            k++;
            mask &= mask - 1;
          }
          baseX += width;
          break;
        }
        case 0x6:
          low = w & 0xfff;
          t = t0 + wraps * WRAP + high * 4096 + low;
          break;
        case 0x8: {
          const next = w & 0xfff;
          if (next < high && high - next > 2048) wraps++;
          high = next;
          t = t0 + wraps * WRAP + high * 4096 + low;
          break;
        }
        case 0xa:
          triggers++;
          break;
        case 0x7:
        case 0xe:
        case 0xf:
          others++;
          break;
        default:
          unknown++;
      }
    }
    out.length = k;
    this.yNow = yNow;
    this.baseX = baseX;
    this.polarity = polarity;
    this.timeHigh = high;
    this.timeLow = low;
    this.wraps = wraps;
    if (triggers) this.skip('EXT_TRIGGER events', triggers);
    if (others) this.skip('OTHERS/CONTINUED words', others);
    if (unknown) this.skip('words of unknown type', unknown);
    return words * 2;
  }
}

/**
 * Writes events as RAW EVT 3.0. Events must be ordered by time; runs with the same time, y and
 * polarity and increasing x are written as vectors (VECT_BASE_X + VECT_12 / VECT_8), single
 * events as EVT_ADDR_X. TIME_HIGH and TIME_LOW words are written when they change.
 */
export function encodeEvt3(events: EventColumns, sensor: SensorSize): Uint8Array {
  const header = rawHeader('3.0', sensor);
  const words: number[] = [];
  let high = -1;
  let low = -1;
  let yNow = -1;
  const n = events.x.length;
  for (let i = 0; i < n; ) {
    const t = events.tUs[i]!;
    if (t < 0 || !Number.isInteger(t)) throw invalidArgument(`event ${i}: timestamp ${t} µs cannot be written as EVT 3.0`);
    const h = Math.floor(t / 4096) % 4096;
    const l = t % 4096;
    if (h !== high) {
      words.push((0x8 << 12) | h);
      high = h;
      low = -1;
    }
    if (l !== low) {
      words.push((0x6 << 12) | l);
      low = l;
    }
    const yv = events.y[i]!;
    const pv = events.p[i]! & 1;
    if (yv !== yNow) {
      words.push(yv & 0x7ff);
      yNow = yv;
    }
    // the run of events sharing t, y, p with strictly increasing x
    let j = i + 1;
    while (j < n && events.tUs[j] === t && events.y[j] === yv && (events.p[j]! & 1) === pv && events.x[j]! > events.x[j - 1]!) j++;
    if (j - i === 1) {
      words.push((0x2 << 12) | (pv << 11) | (events.x[i]! & 0x7ff));
    } else {
      let base = events.x[i]!;
      words.push((0x3 << 12) | (pv << 11) | (base & 0x7ff));
      let k = i;
      while (k < j) {
        const left = events.x[j - 1]! - base + 1;
        const width = left > 8 ? 12 : 8;
        let mask = 0;
        while (k < j && events.x[k]! < base + width) mask |= 1 << (events.x[k++]! - base);
        words.push(((width === 12 ? 0x4 : 0x5) << 12) | mask);
        base += width;
      }
    }
    i = j;
  }
  const out = new Uint8Array(header.length + 2 * words.length);
  out.set(header);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint16(header.length + 2 * i, w, true));
  return out;
}
