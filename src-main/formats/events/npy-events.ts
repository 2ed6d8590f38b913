import { decodeNpyHeader, isNpy, scalarBytes, type NpyField } from '../arrays/npy';
import { ChunkedDecoder } from './chunked-decoder';

/**
 * NumPy structured event arrays (the layout tonic and expelliarmus save): a `.npy` whose dtype has
 * fields for x, y, a timestamp (t, ts or timestamp, in µs) and a polarity (p, pol or polarity;
 * non-zero = ON), in any order and any integer or float type. Records are decoded as they stream
 * in.
 */
const NAMES = { x: ['x'], y: ['y'], t: ['t', 'ts', 'timestamp'], p: ['p', 'pol', 'polarity'] } as const;

type Reader = (view: DataView, at: number) => number;

function reader(field: NpyField): Reader {
  const le = !field.dtype.startsWith('>');
  const kind = field.dtype.replace(/^[<>|=]/, '');
  const o = field.offset;
  switch (kind) {
    case 'i1':
      return (v, at) => v.getInt8(at + o);
    case 'u1':
    case 'b1':
      return (v, at) => v.getUint8(at + o);
    case 'i2':
      return (v, at) => v.getInt16(at + o, le);
    case 'u2':
      return (v, at) => v.getUint16(at + o, le);
    case 'i4':
      return (v, at) => v.getInt32(at + o, le);
    case 'u4':
      return (v, at) => v.getUint32(at + o, le);
    case 'i8':
      return (v, at) => Number(v.getBigInt64(at + o, le));
    case 'u8':
      return (v, at) => Number(v.getBigUint64(at + o, le));
    case 'f4':
      return (v, at) => v.getFloat32(at + o, le);
    case 'f8':
      return (v, at) => v.getFloat64(at + o, le);
    default:
      throw new Error(`dtype ${field.dtype}`);
  }
}

export class NpyEventDecoder extends ChunkedDecoder {
  readonly format = 'npy' as const;
  private itemBytes = 0;
  private remaining = 0;
  private readers: [Reader, Reader, Reader, Reader] | undefined;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (this.readers === undefined) {
      if (bytes.length < 12 && !atEnd) return 0;
      if (!isNpy(bytes)) throw this.error(this.base, 'not a .npy file (missing the \\x93NUMPY magic)');
      const major = bytes[6]!;
      const headerEnd = major === 1 ? 10 + (bytes[8]! | (bytes[9]! << 8)) : 12 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
      if (bytes.length < headerEnd) {
        if (atEnd) throw this.error(this.base, `the .npy header (${headerEnd} bytes) is cut short`);
        return 0;
      }
      const header = decodeNpyHeader(bytes.subarray(0, headerEnd), this.source);
      if (typeof header.descr === 'string') throw this.error(this.base, `a plain ${header.descr} array; event arrays are structured (fields x, y, t, p)`);
      const fields = header.descr;
      const find = (names: readonly string[], role: string): NpyField => {
        const f = fields.find((g) => names.includes(g.name.toLowerCase()));
        if (f === undefined) throw this.error(this.base, `no ${role} field (${names.join(' / ')}) among ${fields.map((g) => g.name).join(', ')}`);
        scalarBytes(f.dtype, this.source);
        return f;
      };
      try {
        this.readers = [reader(find(NAMES.x, 'x')), reader(find(NAMES.y, 'y')), reader(find(NAMES.t, 'timestamp')), reader(find(NAMES.p, 'polarity'))];
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('dtype')) throw this.error(this.base, `field ${error.message} is not numeric`);
        throw error;
      }
      this.itemBytes = header.itemBytes;
      this.remaining = header.shape.reduce((a, b) => a * b, 1);
      p = headerEnd;
    }
    const [rx, ry, rt, rp] = this.readers;
    const n = Math.min(this.remaining, Math.floor((bytes.length - p) / this.itemBytes));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.out;
    out.reserve(n);
    let k = out.length;
    for (let i = 0, at = p; i < n; i++, at += this.itemBytes) {
      out.x[k] = rx(view, at);
      out.y[k] = ry(view, at);
      out.tUs[k] = rt(view, at);
      out.p[k] = rp(view, at) > 0 ? 1 : 0;
      k++;
    }
    out.length = k;
    this.remaining -= n;
    const used = p + n * this.itemBytes;
    if (atEnd && this.remaining > 0) throw this.error(this.base + used, `the array declares ${this.remaining} more events than the file holds`);
    if (this.remaining === 0 && bytes.length > used) {
      this.warn(`${bytes.length - used} byte(s) after the declared array are ignored`);
      return bytes.length;
    }
    return used;
  }
}
