import { invalidArgument } from '../../common/errors';
import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import type { SensorSize } from '../../common/events';

/**
 * AEDAT 2.0 (jAER; iniVation "AEDAT file formats"): '#' header lines — the first `#!AER-DAT2.0`,
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
 */
interface Chip {
  readonly name: string;
  readonly davis: boolean;
  readonly size: SensorSize;
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
  return { name: 'DVS128 (no AEChip line)', davis: false, size: { width: 128, height: 128 } };
}

export class Aedat2Decoder extends ChunkedDecoder {
  readonly format = 'aedat2' as const;
  private chip: Chip | undefined;
  headerLines: string[] = [];

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (this.chip === undefined) {
      // An explicit end line settles where data starts even when an address begins with '#'.
      const header = readHeader(bytes, atEnd);
      if (header === undefined) return 0;
      if (!/^!AER-DAT2/.test(header.lines[0] ?? '')) throw this.error(this.base, `not an AEDAT 2.0 file (first line '#${header.lines[0] ?? ''}')`);
      this.headerLines = header.lines;
      this.chip = chipFromHeader(header.lines);
      this.size = this.chip.size;
      p = header.length;
    }
    const n = Math.floor((bytes.length - p) / 8);
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
    out.length = k;
    if (aps) this.skip('APS/IMU words', aps);
    if (special) this.skip('special (external input) events', special);
    if (outside) this.skip(`events outside the ${this.size!.width}×${this.size!.height} sensor`, outside);
    return p + n * 8;
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
