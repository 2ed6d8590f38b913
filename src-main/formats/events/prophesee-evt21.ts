import { rawHeader } from './prophesee-header';
import { RawDecoder } from './prophesee-raw';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Prophesee RAW EVT 2.1 (Metavision documentation, "EVT 2.1 format"; OpenEB evt21 decoder):
 * 64-bit words. In the default ("little") byte order a word is one little-endian uint64:
 *   bits 60–63 type, 54–59 timestamp low 6 bits, 43–53 x base, 32–42 y, 0–31 valid mask
 * EVT_NEG 0x0 / EVT_POS 0x1 put one event at (x base + i, y) for every set bit i of the mask;
 * EVT_TIME_HIGH 0x8 carries timestamp bits 6–33 in bits 32–59. EXT_TRIGGER 0xA, OTHERS 0xE and
 * CONTINUED 0xF are counted and skipped. "legacy" files (the header's `endianness=legacy`, or
 * Prophesee cameras with system_ID below 0x37 that do not say) store the two 32-bit halves
 * swapped: the first holds type, time, x and y, the second the mask.
 */
export class Evt21Decoder extends RawDecoder {
  readonly format = 'evt2.1' as const;
  private legacy = false;
  private timeHigh = 0;

  protected override readHeader(lines: readonly string[]): void {
    this.legacy = isLegacy(lines);
  }

  protected decodeWords(bytes: Uint8Array, p: number): number {
    const words = Math.floor((bytes.length - p) / 8);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    out.reserve(words + 32);
    let { x, y, tUs, p: pol } = out;
    let k = out.length;
    let high = this.timeHigh + this.t0Us;
    let triggers = 0;
    let others = 0;
    const hiAt = this.legacy ? 0 : 4;
    const maskAt = this.legacy ? 4 : 0;
    for (let i = 0, at = p; i < words; i++, at += 8) {
      const upper = view.getUint32(at + hiAt, true);
      const type = upper >>> 28;
      if (type <= 1) {
        let mask = view.getUint32(at + maskAt, true);
        if (k + 32 > x.length) {
          out.length = k;
          out.reserve(words - i + 32);
          ({ x, y, tUs, p: pol } = out);
        }
        const xBase = (upper >>> 11) & 0x7ff;
        const yv = upper & 0x7ff;
        const t = high + ((upper >>> 22) & 0x3f);
        while (mask !== 0) {
          const bit = 31 - Math.clz32(mask & -mask);
          x[k] = xBase + bit;
          y[k] = yv;
          pol[k] = type;
          tUs[k] = t;
          k++;
          mask = (mask & (mask - 1)) >>> 0;
        }
      } else if (type === 0x8) high = (upper & 0x0fffffff) * 64 + this.t0Us;
      else if (type === 0xa) triggers++;
      else others++;
    }
    out.length = k;
    this.timeHigh = high - this.t0Us;
    if (triggers) this.skip('EXT_TRIGGER events', triggers);
    if (others) this.skip('OTHERS/CONTINUED words', others);
    return words * 8;
  }
}

function isLegacy(lines: readonly string[]): boolean {
  const text = lines.join('\n');
  const explicit = /endianness\s*[=\s]\s*(legacy|little)/i.exec(text);
  if (explicit) return explicit[1]!.toLowerCase() === 'legacy';
  const id = /^\s*system_ID\s+(\d+)/im.exec(text);
  const prophesee = /integrator_name\s+prophesee/i.test(text) || !/integrator_name/i.test(text);
  return id !== null && prophesee && Number(id[1]) < 0x37;
}

/** Writes events as RAW EVT 2.1 (little byte order), one word per event (a one-bit mask). */
export function encodeEvt21(events: EventColumns, sensor: SensorSize): Uint8Array {
  const header = rawHeader('2.1', sensor);
  const words: [number, number][] = [];
  let high = -1;
  for (let i = 0; i < events.x.length; i++) {
    const t = events.tUs[i]!;
    const h = Math.floor(t / 64);
    if (h !== high) {
      words.push([(0x8 << 28) | (h & 0x0fffffff), 0]);
      high = h;
    }
    const x = events.x[i]!;
    // x base aligned down to 32, the pixel as a bit of the mask
    const base = x & ~31;
    words.push([((events.p[i]! & 1) << 28) | ((t % 64) << 22) | (base << 11) | (events.y[i]! & 0x7ff), 1 << (x - base)]);
  }
  const out = new Uint8Array(header.length + 8 * words.length);
  out.set(header);
  const view = new DataView(out.buffer);
  words.forEach(([upper, mask], i) => {
    view.setUint32(header.length + 8 * i, mask >>> 0, true);
    view.setUint32(header.length + 8 * i + 4, upper >>> 0, true);
  });
  return out;
}
