import { unzlibSync } from 'fflate';
import { invalidData, unsupported } from '../../common/errors';

/**
 * MATLAB Level 5 MAT-files (MathWorks, "MAT-File Format", v5 to v7): a 128-byte header (text,
 * subsystem offset, version 0x0100, endian indicator 'IM' little / 'MI' big), then data elements,
 * each an 8-byte tag (uint32 type, uint32 byte count; the "small element" form packs both in 4
 * bytes when the count is ≤ 4) and its data padded to 8 bytes. miCOMPRESSED (15) elements hold one
 * zlib-compressed element; miMATRIX (14) holds array flags (class in the low byte), dimensions,
 * a name and the real part, in column-major order, stored in any numeric type (savemat writes a
 * double array of small integers as uint8). Numeric, logical and sparse matrices are read; cell,
 * struct, char and object arrays are listed but not read. v7.3 files are HDF5 (see isMat73).
 */
export interface MatVariable {
  readonly name: string;
  /** MATLAB's dimensions, rows first. */
  readonly dims: readonly number[];
  /** Values in column-major order (sparse matrices expanded); undefined for classes not read. */
  readonly values: Float64Array | undefined;
  readonly className: string;
}

const HEADER_BYTES = 128;
const CLASS_NAMES = ['', 'cell', 'struct', 'object', 'char', 'sparse', 'double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const MAX_ELEMENTS = 1 << 28;

/** A MAT header: text starting "MATLAB " ("MATLAB 5.0 MAT-file", also in v7; "MATLAB 7.3 MAT-file") and the endian indicator. */
export function isMat(head: Uint8Array): boolean {
  if (head.length < HEADER_BYTES || String.fromCharCode(...head.subarray(0, 7)) !== 'MATLAB ') return false;
  const indicator = String.fromCharCode(head[126]!, head[127]!);
  return indicator === 'IM' || indicator === 'MI';
}

/** A v7.3 MAT-file: HDF5 behind a 512-byte user block whose header says version 0x0200. */
export function isMat73(head: Uint8Array): boolean {
  if (head.length < HEADER_BYTES) return false;
  const little = head[126] === 0x49 && head[127] === 0x4d;
  const version = little ? head[124]! | (head[125]! << 8) : (head[124]! << 8) | head[125]!;
  return version === 0x0200;
}

export function readMat5(bytes: Uint8Array, source: string): MatVariable[] {
  if (bytes.length < HEADER_BYTES) throw invalidData(`${source}: ${bytes.length} bytes is too short for a MAT-file header`);
  const indicator = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (indicator !== 'IM' && indicator !== 'MI') throw invalidData(`${source}: not a MAT-file (endian indicator '${indicator}' at byte 126)`);
  const little = indicator === 'IM';
  if (isMat73(bytes)) throw unsupported(`${source}: a MATLAB v7.3 file is HDF5; it is read by the HDF5 reader`);
  const out: MatVariable[] = [];
  let p = HEADER_BYTES;
  while (p + 8 <= bytes.length) {
    const el = element(bytes, p, little, source);
    if (el.type === 15) {
      let inner: Uint8Array;
      try {
        inner = unzlibSync(el.data);
      } catch (error) {
        throw invalidData(`${source}: byte ${p}: compressed variable does not inflate (${(error as Error).message})`);
      }
      const sub = element(inner, 0, little, source);
      if (sub.type === 14) out.push(matrix(sub.data, little, `${source}: byte ${p}`));
    } else if (el.type === 14) {
      out.push(matrix(el.data, little, `${source}: byte ${p}`));
    }
    p = el.next;
  }
  return out;
}

interface Element {
  readonly type: number;
  readonly data: Uint8Array;
  /** Offset of the next element (8-byte aligned). */
  readonly next: number;
}

function element(bytes: Uint8Array, p: number, little: boolean, source: string): Element {
  if (p + 8 > bytes.length) throw invalidData(`${source}: byte ${p}: a data element tag is cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint32(p, little);
  if (first >>> 16 !== 0) {
    // small data element: type in the low 16 bits, count in the high 16, data in the next 4 bytes
    const count = first >>> 16;
    if (count > 4) throw invalidData(`${source}: byte ${p}: small data element of ${count} bytes (at most 4)`);
    return { type: first & 0xffff, data: bytes.subarray(p + 4, p + 4 + count), next: p + 8 };
  }
  const count = view.getUint32(p + 4, little);
  if (p + 8 + count > bytes.length) throw invalidData(`${source}: byte ${p}: data element of ${count} bytes runs past the end of the file (${bytes.length} bytes)`);
  // compressed elements are not padded (MATLAB and scipy write them back to back)
  return { type: first, data: bytes.subarray(p + 8, p + 8 + count), next: first === 15 ? p + 8 + count : p + 8 + Math.ceil(count / 8) * 8 };
}

/** The values of a numeric data element as float64. */
function numbers(el: Element, little: boolean, where: string): Float64Array {
  const d = el.data;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const read: Record<number, [number, (at: number) => number]> = {
    1: [1, (at) => view.getInt8(at)],
    2: [1, (at) => view.getUint8(at)],
    3: [2, (at) => view.getInt16(at, little)],
    4: [2, (at) => view.getUint16(at, little)],
    5: [4, (at) => view.getInt32(at, little)],
    6: [4, (at) => view.getUint32(at, little)],
    7: [4, (at) => view.getFloat32(at, little)],
    9: [8, (at) => view.getFloat64(at, little)],
    12: [8, (at) => Number(view.getBigInt64(at, little))],
    13: [8, (at) => Number(view.getBigUint64(at, little))],
  };
  const r = read[el.type];
  if (r === undefined) throw unsupported(`${where}: numeric data of MAT type ${el.type}`);
  const [size, get] = r;
  const n = Math.floor(d.length / size);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = get(i * size);
  return out;
}

function matrix(data: Uint8Array, little: boolean, where: string): MatVariable {
  const parts: Element[] = [];
  for (let p = 0; p + 8 <= data.length; ) {
    const el = element(data, p, little, where);
    parts.push(el);
    p = el.next;
  }
  const [flags, dimsEl, nameEl, real, second, third] = parts;
  if (flags === undefined || dimsEl === undefined || nameEl === undefined) throw invalidData(`${where}: a matrix without flags, dimensions or name`);
  const classId = numbers(flags, little, where)[0]! & 0xff;
  const dims = Array.from(numbers(dimsEl, little, where));
  const name = String.fromCharCode(...nameEl.data);
  const className = CLASS_NAMES[classId] ?? `class ${classId}`;
  const total = dims.reduce((a, b) => a * b, 1);
  if (!(total >= 0 && total <= MAX_ELEMENTS)) throw invalidData(`${where}: variable '${name}' has implausible dimensions ${dims.join('×')}`);
  if (classId === 5) {
    // sparse: row indices (ir), column starts (jc), then the non-zero values (pr)
    if (real === undefined || second === undefined || third === undefined) throw invalidData(`${where}: sparse '${name}' without ir, jc and values`);
    const ir = numbers(real, little, where);
    const jc = numbers(second, little, where);
    const pr = numbers(third, little, where);
    const rows = dims[0]!;
    const values = new Float64Array(total);
    for (let c = 0; c + 1 < jc.length; c++) {
      for (let k = jc[c]!; k < jc[c + 1]! && k < ir.length; k++) {
        const at = c * rows + ir[k]!;
        if (at < 0 || at >= total) throw invalidData(`${where}: sparse '${name}' has an entry outside its ${dims.join('×')} shape`);
        values[at] = pr[k] ?? 1;
      }
    }
    return { name, dims, values, className };
  }
  if (classId < 6 || real === undefined) return { name, dims, values: undefined, className };
  const values = numbers(real, little, where);
  if (values.length !== total) throw invalidData(`${where}: variable '${name}' holds ${values.length} values for dimensions ${dims.join('×')}`);
  return { name, dims, values, className };
}
