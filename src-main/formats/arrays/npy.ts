import { invalidData, unsupported } from '../../common/errors';
import { parsePythonLiteral, type PyValue } from './python-literal';

/**
 * NumPy `.npy` (format versions 1.0, 2.0, 3.0; numpy/lib/format.py): the magic `\x93NUMPY`, a
 * major and minor version byte, the header length (uint16 LE in 1.0, uint32 LE from 2.0), an ASCII
 * (3.0: UTF-8) Python dict literal with `descr`, `fortran_order` and `shape`, then the raw data.
 */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

export interface NpyArray {
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Values in C (row-major) order; 64-bit integers arrive as Float64Array. */
  readonly data: NumericArray;
}

/** One field of a structured dtype, e.g. `('x', '<i2')`. */
export interface NpyField {
  readonly name: string;
  readonly dtype: string;
  readonly offset: number;
}

export interface NpyHeader {
  readonly descr: string | readonly NpyField[];
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  readonly dataOffset: number;
  /** Bytes per element (the sum of field sizes for structured dtypes). */
  readonly itemBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

export function scalarBytes(descr: string, source: string): number {
  const m = /^[<>|=]?([fiub])(\d+)$/.exec(descr);
  if (m === null) throw unsupported(`${source}: NumPy dtype '${descr}' is not supported (numbers and booleans only)`);
  return Number(m[2]);
}

export function decodeNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  if (bytes.length < 10 || !isNpy(bytes)) throw invalidData(`${source}: not a .npy file (missing the \\x93NUMPY magic)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw unsupported(`${source}: .npy format version ${major}.${bytes[7]} is not supported (1 to 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw invalidData(`${source}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  const dataOffset = start + headerLength;
  if (bytes.length < dataOffset) {
    throw invalidData(`${source}: .npy header claims ${headerLength} bytes but the file ends at byte ${bytes.length}`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset)).trim();
  const header = parsePythonLiteral(text, source);
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw invalidData(`${source}: .npy header is not a dict`);
  }
  const dict = header as { readonly [key: string]: PyValue };
  const shape = dict['shape'];
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || d < 0)) {
    throw invalidData(`${source}: .npy header has no valid 'shape'`);
  }
  const descr = parseDescr(dict['descr'], source);
  const itemBytes =
    typeof descr === 'string'
      ? scalarBytes(descr, source)
      : descr.reduce((end, f) => Math.max(end, f.offset + fieldBytes(f.dtype, source)), 0);
  return { descr, fortranOrder: dict['fortran_order'] === true, shape: shape as number[], dataOffset, itemBytes };
}

/** Bytes of a structured field: numbers, booleans, or `|V<n>` padding (which is never read). */
function fieldBytes(descr: string, source: string): number {
  const pad = /^\|?V(\d+)$/.exec(descr);
  return pad ? Number(pad[1]) : scalarBytes(descr, source);
}

function parseDescr(descr: PyValue | undefined, source: string): string | NpyField[] {
  if (typeof descr === 'string') return descr;
  if (!Array.isArray(descr)) throw invalidData(`${source}: .npy header has no valid 'descr'`);
  const fields: NpyField[] = [];
  let offset = 0;
  for (const entry of descr) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || entry.length > 2) {
      throw unsupported(`${source}: structured dtype entry ${JSON.stringify(entry)} is not a (name, scalar type) pair`);
    }
    fields.push({ name: entry[0], dtype: entry[1], offset });
    offset += fieldBytes(entry[1], source);
  }
  return fields;
}

/** Decodes a plain (non-structured) numeric `.npy` array. */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  const header = decodeNpyHeader(bytes, source);
  if (typeof header.descr !== 'string') {
    throw unsupported(
      `${source}: structured array with fields ${header.descr.map((f) => f.name).join(', ')}; a plain numeric array is needed here`,
    );
  }
  const count = header.shape.reduce((a, b) => a * b, 1);
  const needed = header.dataOffset + count * header.itemBytes;
  if (bytes.length < needed) {
    throw invalidData(
      `${source}: shape [${header.shape.join(', ')}] of ${header.descr} needs ${needed} bytes, file has ${bytes.length}`,
    );
  }
  const body = bytes.subarray(header.dataOffset, needed);
  let data = typedFromBytes(body, header.descr, count, source);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { dtype: header.descr.replace(/^[<>|=]/, ''), shape: header.shape, data };
}

function typedFromBytes(body: Uint8Array, descr: string, count: number, source: string): NumericArray {
  const order = descr[0];
  const kind = descr.replace(/^[<>|=]/, '');
  const bigEndian = order === '>';
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const read = (size: number, get: (offset: number) => number, Ctor: new (n: number) => NumericArray): NumericArray => {
    const out = new Ctor(count);
    for (let i = 0; i < count; i++) out[i] = get(i * size);
    return out;
  };
  const le = !bigEndian;
  switch (kind) {
    case 'u1':
    case 'b1':
      return body.slice();
    case 'i1':
      return new Int8Array(body.slice().buffer);
    case 'u2':
      return read(2, (o) => view.getUint16(o, le), Uint16Array);
    case 'i2':
      return read(2, (o) => view.getInt16(o, le), Int16Array);
    case 'u4':
      return read(4, (o) => view.getUint32(o, le), Uint32Array);
    case 'i4':
      return read(4, (o) => view.getInt32(o, le), Int32Array);
    case 'i8':
      return read(8, (o) => Number(view.getBigInt64(o, le)), Float64Array);
    case 'u8':
      return read(8, (o) => Number(view.getBigUint64(o, le)), Float64Array);
    case 'f4':
      return read(4, (o) => view.getFloat32(o, le), Float32Array);
    case 'f8':
      return read(8, (o) => view.getFloat64(o, le), Float64Array);
    default:
      throw unsupported(`${source}: NumPy dtype '${descr}' is not supported`);
  }
}

function fortranToC(data: NumericArray, shape: readonly number[]): NumericArray {
  const out = new (data.constructor as new (n: number) => NumericArray)(data.length);
  const n = shape.length;
  const cStrides = new Array<number>(n);
  const fStrides = new Array<number>(n);
  let c = 1;
  let f = 1;
  for (let d = n - 1; d >= 0; d--) {
    cStrides[d] = c;
    c *= shape[d]!;
  }
  for (let d = 0; d < n; d++) {
    fStrides[d] = f;
    f *= shape[d]!;
  }
  for (let i = 0; i < data.length; i++) {
    let rest = i;
    let src = 0;
    for (let d = 0; d < n; d++) {
      const idx = Math.floor(rest / cStrides[d]!);
      rest -= idx * cStrides[d]!;
      src += idx * fStrides[d]!;
    }
    out[i] = data[src]!;
  }
  return out;
}
