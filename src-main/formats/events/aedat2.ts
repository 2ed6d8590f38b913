import { invalidArgument } from '../../common/errors';
import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import type { SensorSize } from '../../common/events';

/**
 * AEDAT 1.0 and 2.0 (jAER; iniVation "AEDAT file formats"). 1.0: optional '#' header lines (the
 * first `#!AER-DAT1.0` when present), then 6-byte big-endian records: uint16 address (DVS128
 * layout below), int32 timestamp in µs.
 * AEDAT 2.0: '#' header lines — the first `#!AER-DAT2.0`,
 * the chip as `# AEChip: <class>` — then 8-byte big-endian records: int32 address, int32
 * timestamp in µs. Newer jAER ends the header with `#End Of ASCII Header`.
 *
 * Addresses depend on the chip:
 * - DVS128 (the default when no chip is named): bit 0 polarity (0 = ON, jAER flips it), bits 1–7
 *   x, bits 8–14 y, bit 15 external event.
 * - DAVIS240/346/640 (class names containing "davis"): bit 31 = 0 marks a DVS event (1: APS
 *   frame or IMU words, skipped and counted); bits 12–21 x, bits 22–30 y, bit 11 polarity
 *   (1 = ON), bit 10 external event.
 * Coordinates are those jAER displays (x flipped), with the origin moved to the top-left image
 * corner (y flipped): x = W − 1 − raw x, y = H − 1 − raw y. For DAVIS this equals tonic's reader.
 *
 * jAER writes no chip line for some devices (silicon cochleas among them, whose addresses are
 * channels, not pixels). Then the DVS128 layout is assumed and said so, and the decoded events are
 * checked against it: a recording whose events all share one polarity bit, or whose addresses fill
 * only a few rows or columns of the 128×128 array, gets a warning that it is probably not from a
 * DVS camera. A chip class naming a cochlea is refused.
 */
interface Chip {
  readonly name: string;
  readonly davis: boolean;
  readonly size: SensorSize;
  /** True when no AEChip line named the chip and the DVS128 layout is a guess. */
  readonly assumed?: boolean;
}

const CHIPS: readonly [RegExp, Omit<Chip, 'name'>][] = [
  [/davis346|davis_346/i, { davis: true, size: { width: 346, height: 260 } }],
  [/davis240|davis_240/i, { davis: true, size: { width: 240, height: 180 } }],
  [/davis640|cdavis/i, { davis: true, size: { width: 640, height: 480 } }],
  [/davis208/i, { davis: true, size: { width: 208, height: 192 } }],
  [/davis128/i, { davis: true, size: { width: 128, height: 128 } }],
  [/dvs128|tmpdiff128/i, { davis: false, size: { width: 128, height: 128 } }],
];

export function chipFromHeader(lines: readonly string[]): Chip {
  for (const line of lines) {
    const m = /AEChip\s*[:=]\s*([\w.$]+)/i.exec(line);
    if (m === null) continue;
    const name = m[1]!;
    for (const [pattern, chip] of CHIPS) if (pattern.test(name)) return { name, ...chip };
    return { name, davis: /davis/i.test(name), size: /davis/i.test(name) ? { width: 346, height: 260 } : { width: 128, height: 128 } };
  }
  return { name: 'DVS128 (no AEChip line)', davis: false, size: { width: 128, height: 128 }, assumed: true };
}

/** What the decoded events of an assumed-layout file look like, to tell whether the guess holds. */
class LayoutCheck {
  events = 0;
  on = 0;
  minX = Infinity;
  maxX = -Infinity;
  minY = Infinity;
  maxY = -Infinity;

  add(x: Uint16Array, y: Uint16Array, p: Uint8Array, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.on += p[i]!;
      if (x[i]! < this.minX) this.minX = x[i]!;
      if (x[i]! > this.maxX) this.maxX = x[i]!;
      if (y[i]! < this.minY) this.minY = y[i]!;
      if (y[i]! > this.maxY) this.maxY = y[i]!;
    }
    this.events += to - from;
  }

  /** Why the events do not look like a DVS128's, or undefined when they do (or are too few to tell). */
  misfit(): string | undefined {
    if (this.events < 1000) return undefined;
    const reasons: string[] = [];
    if (this.on === 0 || this.on === this.events) reasons.push(`all ${this.events} events have polarity ${this.on === 0 ? 'OFF' : 'ON'}`);
    const rows = this.maxY - this.minY + 1;
    const cols = this.maxX - this.minX + 1;
    if (rows <= 8 || cols <= 8) reasons.push(`the addresses fill only ${cols} column(s) × ${rows} row(s) of the 128×128 array`);
    return reasons.length === 0 ? undefined : reasons.join(' and ');
  }
}

export class Aedat2Decoder extends ChunkedDecoder {
  readonly format: 'aedat1' | 'aedat2';
  private readonly recordBytes: number;
  private chip: Chip | undefined;
  private check: LayoutCheck | undefined;
  headerLines: string[] = [];

  constructor(source: string, version: 1 | 2 = 2) {
    super(source);
    this.format = version === 1 ? 'aedat1' : 'aedat2';
    this.recordBytes = version === 1 ? 6 : 8;
  }

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (this.chip === undefined) {
      // An explicit end line settles where data starts even when an address begins with '#'.
      const header = readHeader(bytes, atEnd);
      if (header === undefined) return 0;
      const v1 = this.recordBytes === 6;
      if (v1 ? /^!AER-DAT(?!1)/.test(header.lines[0] ?? '') : !/^!AER-DAT2/.test(header.lines[0] ?? '')) {
        throw this.error(this.base, `not an AEDAT ${v1 ? '1.0' : '2.0'} file (first line '#${header.lines[0] ?? ''}')`);
      }
      this.headerLines = header.lines;
      this.chip = chipFromHeader(header.lines);
      if (/cochlea/i.test(this.chip.name)) throw this.error(this.base, `chip class ${this.chip.name} is a silicon cochlea: its addresses are audio channels, not DVS pixels`);
      if (this.chip.assumed) {
        this.warn('the header names no chip class (no "# AEChip:" line): the DVS128 address layout is assumed');
        this.check = new LayoutCheck();
      } else if (!CHIPS.some(([pattern]) => pattern.test(this.chip!.name))) {
        this.warn(`chip class ${this.chip.name} is not one this build knows: the ${this.chip.davis ? 'DAVIS' : 'DVS128'} address layout is assumed`);
      }
      this.size = this.chip.size;
      p = header.length;
    }
    const size = this.recordBytes;
    const n = Math.floor((bytes.length - p) / size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    out.reserve(n);
    const { x, y, tUs, p: pol } = out;
    let k = out.length;
    const wm = this.size!.width - 1;
    const hm = this.size!.height - 1;
    let special = 0;
    let aps = 0;
    let outside = 0;
    if (this.chip.davis) {
      for (let i = 0, at = p; i < n; i++, at += 8) {
        const a = view.getUint32(at, false);
        if (a & 0x80000000) {
          aps++;
          continue;
        }
        if (a & 0x400) {
          special++;
          continue;
        }
        const rx = (a >>> 12) & 0x3ff;
        const ry = (a >>> 22) & 0x1ff;
        if (rx > wm || ry > hm) {
          outside++;
          continue;
        }
        x[k] = wm - rx;
        y[k] = hm - ry;
        pol[k] = (a >>> 11) & 1;
        tUs[k] = view.getInt32(at + 4, false);
        k++;
      }
    } else if (size === 6) {
      for (let i = 0, at = p; i < n; i++, at += 6) {
        const a = view.getUint16(at, false);
        if (a & 0x8000) {
          special++;
          continue;
        }
        x[k] = 127 - ((a >>> 1) & 0x7f);
        y[k] = 127 - ((a >>> 8) & 0x7f);
        pol[k] = 1 - (a & 1);
        tUs[k] = view.getInt32(at + 2, false);
        k++;
      }
    } else {
      for (let i = 0, at = p; i < n; i++, at += 8) {
        const a = view.getUint32(at, false);
        if (a & 0x80008000) {
          special++;
          continue;
        }
        x[k] = 127 - ((a >>> 1) & 0x7f);
        y[k] = 127 - ((a >>> 8) & 0x7f);
        pol[k] = 1 - (a & 1);
        tUs[k] = view.getInt32(at + 4, false);
        k++;
      }
    }
    this.check?.add(x, y, pol, out.length, k);
    out.length = k;
    if (atEnd && this.check !== undefined) {
      const misfit = this.check.misfit();
      if (misfit !== undefined) this.warn(`the addresses do not fit the assumed DVS128 layout (${misfit}): this is probably not a DVS recording (a silicon cochlea's, for one)`);
    }
    if (aps) this.skip('APS/IMU words', aps);
    if (special) this.skip('special (external input) events', special);
    if (outside) this.skip(`events outside the ${this.size!.width}×${this.size!.height} sensor`, outside);
    return p + n * size;
  }
}

/** '#' lines up to and including `#End Of ASCII Header` when present, else up to the first non-'#' byte. */
function readHeader(bytes: Uint8Array, atEnd: boolean): { lines: string[]; length: number } | undefined {
  const header = readTextHeader(bytes, 0x23, atEnd);
  if (header === undefined) return undefined;
  const end = header.lines.findIndex((l) => /^\s*end of ascii header/i.test(l));
  if (end < 0) return header;
  // recount the bytes up to the end line
  let length = 0;
  for (let i = 0; i <= end; i++) length = bytes.indexOf(0x0a, length) + 1;
  return { lines: header.lines.slice(0, end + 1), length };
}

/** Writes events as AEDAT 2.0 with DVS128 addresses (x, y < 128), inverting the decoder's mapping. */
export function encodeAedat2Dvs128(events: { x: ArrayLike<number>; y: ArrayLike<number>; tUs: ArrayLike<number>; p: ArrayLike<number> }, headerLines: readonly string[] = []): Uint8Array {
  const header = ['#!AER-DAT2.0', '# This is a raw AE data file - do not edit', '# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event', '# Timestamps tick is 1 us', '# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128', ...headerLines.map((l) => `# ${l}`), '#End Of ASCII Header'];
  const text = new TextEncoder().encode(header.map((l) => `${l}\r\n`).join(''));
  const n = events.x.length;
  const out = new Uint8Array(text.length + 8 * n);
  out.set(text);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const rx = 127 - events.x[i]!;
    const ry = 127 - events.y[i]!;
    if (rx < 0 || rx > 127 || ry < 0 || ry > 127) throw invalidArgument(`event ${i}: (${events.x[i]}, ${events.y[i]}) is outside the DVS128 sensor`);
    view.setUint32(text.length + 8 * i, (ry << 8) | (rx << 1) | (1 - events.p[i]!), false);
    view.setInt32(text.length + 8 * i + 4, events.tUs[i]!, false);
  }
  return out;
}
