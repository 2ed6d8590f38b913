import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeNpyHeader } from '../../src-main/formats/arrays/npy';
import { unpackNpz } from '../../src-main/formats/arrays/npz';
import { npyBytes } from '../helpers/npy';

const f32 = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

describe('.npy decoder', () => {
  it('reads float32 C-order arrays', () => {
    const a = decodeNpy(npyBytes('<f4', [2, 3], f32([1, 2, 3, 4, 5, 6])), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reorders Fortran-order arrays to C order', () => {
    // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1, 4, 2, 5, 3, 6.
    const a = decodeNpy(npyBytes('<f4', [2, 3], f32([1, 4, 2, 5, 3, 6]), true), 'a.npy');
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads version 2 headers, big-endian and int64 data', () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -2, false);
    expect(Array.from(decodeNpy(npyBytes('>f4', [2], be, false, 2), 'b.npy').data)).toEqual([1.5, -2]);
    const i8 = new Uint8Array(new BigInt64Array([3n, 9n]).buffer);
    expect(Array.from(decodeNpy(npyBytes('<i8', [2], i8), 'c.npy').data)).toEqual([3, 9]);
    expect(Array.from(decodeNpy(npyBytes('|u1', [3], Uint8Array.of(0, 128, 255)), 'd.npy').data)).toEqual([0, 128, 255]);
  });

  it('parses structured dtypes in the header and refuses them as plain arrays', () => {
    const fixed = npyBytes("[('t', '<i8'), ('x', '<i2')]", [1], new Uint8Array(10));
    const header = decodeNpyHeader(fixed, 'e.npy');
    expect(header.descr).toEqual([{ name: 't', dtype: '<i8', offset: 0 }, { name: 'x', dtype: '<i2', offset: 8 }]);
    expect(header.itemBytes).toBe(10);
    expect(() => decodeNpy(fixed, 'e.npy')).toThrow(/structured array with fields t, x/);
  });

  it('refuses truncated data, bad magic and unsupported dtypes clearly', () => {
    expect(() => decodeNpy(npyBytes('<f4', [4], f32([1, 2])), 'short.npy')).toThrow(/short.npy: shape \[4\] of <f4 needs \d+ bytes, file has \d+/);
    expect(() => decodeNpy(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 'x.npy')).toThrow(/not a .npy file/);
    expect(() => decodeNpy(npyBytes('<c8', [1], new Uint8Array(8)), 'z.npy')).toThrow(/dtype '<c8' is not supported/);
    const cut = npyBytes('<f4', [1], f32([1])).subarray(0, 20);
    expect(() => decodeNpy(cut, 'cut.npy')).toThrow(/header claims \d+ bytes but the file ends at byte 20/);
  });
});

describe('.npz archives', () => {
  it('unpacks deflated and stored members by array name', () => {
    const x = npyBytes('<f4', [1], f32([7]));
    const zip = zipSync({ 'x.npy': [x, { level: 6 }], 'y.npy': [x, { level: 0 }] });
    const members = unpackNpz(zip, 'a.npz');
    expect([...members.keys()].sort()).toEqual(['x', 'y']);
    expect(Array.from(decodeNpy(members.get('x')!, 'a.npz:x').data)).toEqual([7]);
  });

  it('refuses a corrupt archive', () => {
    const zip = zipSync({ 'x.npy': [new Uint8Array(100).fill(3), { level: 6 }] });
    expect(() => unpackNpz(zip.subarray(0, 40), 'bad.npz')).toThrow(/bad.npz: the zip archive is corrupt or truncated/);
  });
});
