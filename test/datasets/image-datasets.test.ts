import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectImageLayout, openImageDataset } from '../../src-main/datasets/image-layouts';
import { evaluateAnn } from '../../src-main/engine/ann/evaluate';
import { loadModelFile } from '../../src-main/formats/node/load-model';
import { useBackend } from '../helpers/backend';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS, fixture } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

const t = { scale: 1, offset: 0 };

describe('image dataset folders', () => {
  it('CIFAR-10 binary batches: channel-first records become NHWC', () => {
    const root = tempDir('cifar10-');
    const record = (label: number, r: number, g: number, b: number): Uint8Array => {
      const rec = new Uint8Array(3073);
      rec[0] = label;
      rec.fill(r, 1, 1025);
      rec.fill(g, 1025, 2049);
      rec.fill(b, 2049, 3073);
      return rec;
    };
    for (let i = 1; i <= 5; i++) writeFileSync(join(root, `data_batch_${i}.bin`), Buffer.concat([record(i, 10, 20, 30), record(9, 1, 2, 3)]));
    writeFileSync(join(root, 'test_batch.bin'), Buffer.concat([record(3, 100, 150, 200)]));
    expect(detectImageLayout(root)).toBe('cifar10');
    const train = openImageDataset(root, 'cifar10', 'train', { transform: t });
    expect(train.count).toBe(10);
    expect(Array.from(train.labels)).toEqual([1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
    const test = openImageDataset(root, 'cifar10', 'test', { transform: { scale: 1 / 255, offset: 0 } });
    expect(test.shape).toEqual([32, 32, 3]);
    const px = test.read([0]);
    expect(Array.from(px.subarray(0, 3)).map((v) => Math.round(v * 255))).toEqual([100, 150, 200]);
    writeFileSync(join(root, 'test_batch.bin'), new Uint8Array(3074));
    expect(() => openImageDataset(root, 'cifar10', 'test', { transform: t })).toThrow(/3074 bytes is not a whole number of CIFAR-10 records \(3073 bytes each\)/);
  });

  it('class folders of PNG and JPEG images, resized and centre-cropped', () => {
    const root = tempDir('imagenet-');
    for (const [c, name] of ['cat', 'dog'].entries()) {
      mkdirSync(join(root, 'val', name), { recursive: true });
      const w = 40 + 10 * c;
      const h = 30;
      const rgba = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7 + c * 50) % 256));
      writeFileSync(join(root, 'val', name, 'a.png'), encodePng({ width: w, height: h, data: rgba, channels: 4, depth: 8 }));
      writeFileSync(join(root, 'val', name, 'b.jpg'), encodeJpeg({ width: w, height: h, data: Buffer.from(rgba) }, 90).data);
    }
    expect(detectImageLayout(root)).toBe('image-folders');
    const set = openImageDataset(root, 'image-folders', 'test', { transform: t, resize: 24, crop: 20 });
    expect(set.count).toBe(4);
    expect(set.shape).toEqual([20, 20, 3]);
    expect(Array.from(set.labels)).toEqual([0, 0, 1, 1]);
    expect(set.read([0, 1, 2, 3])).toHaveLength(4 * 20 * 20 * 3);
    const raw = openImageDataset(root, 'image-folders', 'test', { transform: t });
    expect(() => raw.read([2])).toThrow(/is 50×30, the first image is 40×30: pass --resize and --crop/);
  });

  it.skipIf(!HAVE_FIXTURES)('an MNIST IDX folder', () => {
    const root = tempDir('mnist-');
    copyFileSync(MNIST_TEST_IMAGES, join(root, 't10k-images-idx3-ubyte.gz'));
    copyFileSync(MNIST_TEST_LABELS, join(root, 't10k-labels-idx1-ubyte.gz'));
    expect(detectImageLayout(root)).toBe('mnist-idx');
    expect(openImageDataset(root, 'mnist-idx', 'test', { transform: t }).count).toBe(10000);
  });
});

describe.skipIf(!HAVE_FIXTURES)('real JPEG digits through a real model', () => {
  beforeAll(() => useBackend('wasm'));

  it('ONNX mnist-8 reads the digit in each wonnx JPEG file name', async () => {
    const root = tempDir('digits-');
    for (const d of [0, 3, 5, 7]) {
      mkdirSync(join(root, String(d)));
      copyFileSync(fixture(`images/wonnx_mnist_digit_${d}.jpg`), join(root, String(d), `digit_${d}.jpg`));
    }
    const set = openImageDataset(root, 'image-folders', 'all', { transform: { scale: 1 / 255, offset: 0 }, channels: 1 });
    expect(set.shape).toEqual([28, 28, 1]);
    const { graph } = await loadModelFile(fixture('models/wonnx_opt-mnist.onnx'));
    // class folders are sorted: 0, 3, 5, 7 → labels 0..3; compare predicted digits instead
    const result = await evaluateAnn({ ...graph }, { ...set, labels: Int32Array.of(0, 3, 5, 7), classes: 10 }, Int32Array.of(0, 1, 2, 3));
    expect(Array.from(result.predictions)).toEqual([0, 3, 5, 7]);
  });
});
