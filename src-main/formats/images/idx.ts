import { invalidData } from '../../common/errors';
import { maybeGunzip } from '../compression/gzip';

/**
 * IDX files (the MNIST distribution format, LeCun et al.): a 4-byte magic `0x00 0x00 TYPE NDIM`,
 * NDIM big-endian uint32 dimensions, then the values in row-major order, big-endian.
 */
export type IdxData =
  | { readonly dtype: 'uint8' | 'int8'; readonly dims: readonly number[]; readonly data: Uint8Array | Int8Array }
  | { readonly dtype: 'int16' | 'int32' | 'float32' | 'float64'; readonly dims: readonly number[]; readonly data: Float64Array };

const TYPES: Record<number, { dtype: IdxData['dtype']; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Decodes an IDX file, gzip-compressed or raw. `source` names the file in errors. */
export function decodeIdx(raw: Uint8Array, source: string): IdxData {
  const bytes = maybeGunzip(raw, source);
  if (bytes.length < 4) throw invalidData(`${source}: ${bytes.length} bytes is too short for an IDX header (4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw invalidData(`${source}: not an IDX file (magic bytes 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}, expected 0x00 0x00)`);
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) throw invalidData(`${source}: unknown IDX value type 0x${hex(bytes[2]!)} at byte 2`);
  const ndim = bytes[3]!;
  if (ndim === 0) throw invalidData(`${source}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw invalidData(`${source}: truncated IDX header: ${ndim} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw invalidData(
      `${source}: IDX dimensions [${dims.join(', ')}] of ${type.dtype} need ${expected} bytes, file has ${bytes.length}`,
    );
  }
  const body = bytes.subarray(headerBytes);
  switch (type.dtype) {
    case 'uint8':
      return { dtype: 'uint8', dims, data: body };
    case 'int8':
      return { dtype: 'int8', dims, data: new Int8Array(body.buffer, body.byteOffset, body.byteLength) };
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64': {
      const out = new Float64Array(count);
      const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
      for (let i = 0; i < count; i++) out[i] = readBigEndian(bodyView, i * type.bytes, type.dtype);
      return { dtype: type.dtype, dims, data: out };
    }
  }
}

function readBigEndian(view: DataView, offset: number, dtype: 'int16' | 'int32' | 'float32' | 'float64'): number {
  switch (dtype) {
    case 'int16':
      return view.getInt16(offset, false);
    case 'int32':
      return view.getInt32(offset, false);
    case 'float32':
      return view.getFloat32(offset, false);
    case 'float64':
      return view.getFloat64(offset, false);
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
