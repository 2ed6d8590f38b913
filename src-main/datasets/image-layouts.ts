import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { invalidArgument, invalidData } from '../common/errors';
import { decodeCifarBatch, type CifarKind } from '../formats/images/cifar-binary';
import { decodeImage, resizeAndCrop } from '../formats/images/decode-image';
import { readBytes } from '../formats/node/files';
import { loadImageArrays } from './array-files';
import type { ImageFolderOptions, ImageLayout, InputTransform } from '../common/datasets';
import { entryKind, subfolders } from './folder-entries';
import { makeImageSet, type SampleSet } from './sample-set';



const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/**
 * The IDX files of an MNIST-style folder by split (`train-…`, `t10k-…`, gzipped or not, with or
 * without a prefix such as `mnist_` or `fashion-`); a folder may hold only one split.
 */
export function mnistIdxFiles(root: string): Partial<Record<'train' | 'test', { images: string; labels: string }>> {
  const files = readdirSync(root);
  const find = (prefix: string, kind: string): string | undefined => files.find((n) => new RegExp(`^(?:.*[-_.])?${prefix}-${kind}-idx\\d-ubyte(\\.gz)?$`).test(n));
  const out: Partial<Record<'train' | 'test', { images: string; labels: string }>> = {};
  for (const [prefix, split] of [['train', 'train'], ['t10k', 'test']] as const) {
    const images = find(prefix, 'images');
    const labels = find(prefix, 'labels');
    if (images !== undefined && labels !== undefined) out[split] = { images: join(root, images), labels: join(root, labels) };
  }
  return out;
}

export function detectImageLayout(root: string): ImageLayout | undefined {
  const files = readdirSync(root);
  if (files.includes('test_batch.bin') && files.some((f) => /^data_batch_\d\.bin$/.test(f))) return 'cifar10';
  if (files.includes('train.bin') && files.includes('test.bin')) return 'cifar100';
  if (Object.keys(mnistIdxFiles(root)).length > 0) return 'mnist-idx';
  const hasImages = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((d) => entryKind(dir, d) === 'dir' && readdirSync(join(dir, d.name)).some((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())));
  if (hasImages(root)) return 'image-folders';
  const split = readdirSync(root, { withFileTypes: true }).find((d) => entryKind(root, d) === 'dir' && ['train', 'val', 'test'].includes(d.name.toLowerCase()));
  if (split && hasImages(join(root, split.name))) return 'image-folders';
  return undefined;
}

export function openImageDataset(root: string, layout: ImageLayout, split: 'train' | 'test' | 'all', options: ImageFolderOptions): SampleSet {
  switch (layout) {
    case 'cifar10':
    case 'cifar100':
      return openCifar(root, layout, split, options.transform);
    case 'mnist-idx': {
      const files = mnistIdxFiles(root);
      const which = split === 'train' ? 'train' : files.test !== undefined ? 'test' : split === 'all' ? 'train' : 'test';
      const pair = files[which];
      if (pair === undefined) throw invalidData(`dataset ${root}: no ${which === 'train' ? 'train' : 't10k'}-images and -labels IDX files`);
      return { ...loadImageArrays({ images: pair.images, labels: pair.labels, transform: options.transform }), name: `${root} (${which === 'train' ? 'train' : 't10k'})` };
    }
    case 'image-folders':
      return openImageFolders(root, split, options);
  }
}

function openCifar(root: string, kind: CifarKind, split: 'train' | 'test' | 'all', transform: InputTransform): SampleSet {
  const files = kind === 'cifar10'
    ? split === 'test' ? ['test_batch.bin'] : [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`)
    : [split === 'test' ? 'test.bin' : 'train.bin'];
  const batches = files.map((f) => decodeCifarBatch(readBytes(join(root, f), 'CIFAR batch'), kind, join(root, f)));
  const count = batches.reduce((a, b) => a + b.count, 0);
  const pixels = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let at = 0;
  for (const b of batches) {
    pixels.set(b.pixels, at * 3072);
    labels.set(b.labels, at);
    at += b.count;
  }
  // CIFAR stores channel-first (all red, then green, then blue).
  return { ...makeImageSet({ name: `${root} (${kind} ${split})`, data: pixels, count, shape: [32, 32, 3], layout: 'nchw', labels, transform }), classes: kind === 'cifar10' ? 10 : 100 };
}

/** The split folder of an image-folder tree (`train`, `val` or `test`), if it has one. */
function splitFolder(root: string, split: 'train' | 'test' | 'all'): string | undefined {
  if (split === 'all') return undefined;
  const entries = subfolders(root);
  return entries.find((d) => (split === 'train' ? ['train'] : ['val', 'test']).includes(d.toLowerCase()));
}

/** The images of a class-folder tree (sorted class names, files by class then name). */
export function imageFolderFiles(root: string, split: 'train' | 'test' | 'all'): { splitDir: string | undefined; classes: string[]; files: string[]; labels: number[] } {
  const splitDir = splitFolder(root, split);
  const base = splitDir ? join(root, splitDir) : root;
  const classes = subfolders(base);
  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, c] of classes.entries()) {
    for (const f of readdirSync(join(base, c)).sort()) {
      if (!IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) continue;
      files.push(join(base, c, f));
      labels.push(label);
    }
  }
  return { splitDir, classes, files, labels };
}

/** The splits a layout holds: train and test, or one of them, or 'all' for an unsplit folder. */
export function imageLayoutSplits(root: string, layout: ImageLayout): ('train' | 'test' | 'all')[] {
  switch (layout) {
    case 'cifar10':
    case 'cifar100':
      return ['train', 'test'];
    case 'mnist-idx':
      return (['train', 'test'] as const).filter((s) => mnistIdxFiles(root)[s] !== undefined);
    case 'image-folders':
      return splitFolder(root, 'train') !== undefined && splitFolder(root, 'test') !== undefined ? ['train', 'test'] : ['all'];
  }
}

function openImageFolders(root: string, split: 'train' | 'test' | 'all', options: ImageFolderOptions): SampleSet {
  const { splitDir, classes, files, labels } = imageFolderFiles(root, split);
  if (files.length === 0) throw invalidData(`dataset ${root}: no JPEG or PNG images in class folders`);
  const load = (i: number) => resizeAndCrop(decodeImage(readBytes(files[i]!, 'image'), files[i]!), options.resize, options.crop);
  const first = load(0);
  const C = options.channels ?? 3;
  const shape = [first.height, first.width, C] as const;
  const size = first.height * first.width * C;
  const { scale, offset } = options.transform;
  return {
    name: `${root} (image folders${splitDir ? `, ${splitDir}` : ''}, ${classes.length} classes)`,
    count: files.length,
    shape,
    classes: classes.length,
    labels: Int32Array.from(labels),
    transform: options.transform,
    read(indices: ArrayLike<number>): Float32Array {
      const out = new Float32Array(indices.length * size);
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        if (!(i >= 0 && i < files.length)) throw invalidArgument(`sample ${i} is out of range (0..${files.length - 1})`);
        const img = load(i);
        if (img.width !== shape[1] || img.height !== shape[0]) {
          throw invalidData(`${relative(root, files[i]!)} is ${img.width}×${img.height}, the first image is ${shape[1]}×${shape[0]}: pass --resize and --crop`);
        }
        if (C === 3) for (let j = 0; j < size; j++) out[k * size + j] = img.data[j]! * scale + offset;
        else for (let j = 0; j < size; j++) out[k * size + j] = (0.299 * img.data[3 * j]! + 0.587 * img.data[3 * j + 1]! + 0.114 * img.data[3 * j + 2]!) * scale + offset;
      }
      return out;
    },
    describe: () => ({ kind: 'images', root, layout: 'image-folders', split, options }),
  };
}

export function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Class names shipped with CIFAR (batches.meta.txt, fine_label_names.txt), when present. */
export function cifarClassNames(root: string, kind: CifarKind): string[] | undefined {
  const file = join(root, kind === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '') : undefined;
}
