import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../src-main/formats/node/files';
import { decodeIdx } from '../../src-main/formats/images/idx';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS } from '../helpers/fixtures';

function idx(type: number, dims: number[], body: number[]): Uint8Array {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...body]);
}

describe('IDX decoder', () => {
  it.skipIf(!HAVE_FIXTURES)('reads the real MNIST test set (gzip): 10,000 images of 28x28 and 10,000 labels', () => {
    const images = decodeIdx(readBytes(MNIST_TEST_IMAGES), MNIST_TEST_IMAGES);
    const labels = decodeIdx(readBytes(MNIST_TEST_LABELS), MNIST_TEST_LABELS);
    expect(images.dtype).toBe('uint8');
    expect(images.dims).toEqual([10000, 28, 28]);
    expect(labels.dims).toEqual([10000]);
    // The first test digits are 7, 2, 1, 0, 4 and the last one is a 6.
    expect(Array.from(labels.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(labels.data[9999]).toBe(6);
    let sum = 0;
    for (const v of images.data) sum += v;
    expect(sum).toBe(264_923_200);
    expect(Math.max(...images.data.subarray(0, 784))).toBe(255);
  });

  it('reads raw and gzip files the same way', () => {
    const raw = idx(0x08, [2, 2], [1, 2, 3, 4]);
    expect(decodeIdx(gzipSync(raw), 'x').data).toEqual(decodeIdx(raw, 'x').data);
  });

  it('reads big-endian wider types', () => {
    const f = idx(0x0b, [2], [0xff, 0xfe, 0x01, 0x00]);
    expect(Array.from(decodeIdx(f, 'x').data)).toEqual([-2, 256]);
  });

  it('refuses bad magic, unknown types, truncation and trailing bytes with the numbers', () => {
    expect(() => decodeIdx(Uint8Array.of(1, 0, 8, 1), 'f.idx')).toThrow(/f.idx: not an IDX file/);
    expect(() => decodeIdx(Uint8Array.of(0, 0, 0x42, 1, 0, 0, 0, 1, 0), 'f.idx')).toThrow(/unknown IDX value type 0x42/);
    expect(() => decodeIdx(idx(0x08, [3], [1, 2]), 'f.idx')).toThrow(/need 11 bytes, file has 10/);
    expect(() => decodeIdx(idx(0x08, [1], [1, 2]), 'f.idx')).toThrow(/need 9 bytes, file has 10/);
    expect(() => decodeIdx(Uint8Array.of(0, 0, 8, 3, 0), 'f.idx')).toThrow(/truncated IDX header/);
    expect(() => decodeIdx(Uint8Array.of(0x1f, 0x8b, 8, 0, 0), 'f.gz')).toThrow(/gzip data is corrupt or truncated/);
  });
});
