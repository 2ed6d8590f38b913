import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { invalidArgument, invalidData } from '../common/errors';
import type { SensorSize } from '../common/events';
import { decodeCifarBatch } from '../formats/images/cifar-binary';
import { decodeImage } from '../formats/images/decode-image';
import { readBytes } from '../formats/node/files';
import { loadImageArrays } from './array-files';
import type { EventLayout, ImageLayout, IndexedDataset, IndexedSample } from '../common/datasets';
import { indexEventDataset } from './event-layouts';
import { cifarClassNames, detectImageLayout, imageFolderFiles, isFolder, mnistIdxFiles } from './image-layouts';
import { measureEventDataset } from './measure';

/**
 * One pass over a dataset folder (or a single event file) that lists every sample — file, record within the file, label,
 * split, and for events the sample's event count and duration — without copying or changing
 * anything: what registering a dataset stores.
 */
export const EVENT_LAYOUTS = ['nmnist', 'ncaltech101', 'cifar10-dvs', 'dvs-gesture', 'class-folders', 'event-file'] as const;
export const IMAGE_LAYOUTS = ['cifar10', 'cifar100', 'mnist-idx', 'image-folders'] as const;



export function indexDatasetFolder(root: string, layout?: string, onProgress?: (done: number, total: number) => void): IndexedDataset {
  if (!existsSync(root)) throw invalidArgument(`dataset ${root} does not exist`);
  if (layout !== undefined && !(IMAGE_LAYOUTS as readonly string[]).includes(layout) && !(EVENT_LAYOUTS as readonly string[]).includes(layout)) {
    throw invalidArgument(`unknown dataset layout '${layout}' (image layouts: ${IMAGE_LAYOUTS.join(', ')}; event layouts: ${EVENT_LAYOUTS.join(', ')})`);
  }
  const imageLayout = !isFolder(root) ? undefined : layout === undefined ? detectImageLayout(root) : (IMAGE_LAYOUTS as readonly string[]).includes(layout) ? (layout as ImageLayout) : undefined;
  if (imageLayout !== undefined) return indexImages(root, imageLayout);
  const measured = measureEventDataset(indexEventDataset(root, layout as EventLayout | undefined), onProgress);
  const sensor = measured.sensor.width > 0 && measured.sensor.height > 0 ? measured.sensor : null;
  return { kind: 'events', layout: measured.layout, classes: measured.classes, shape: null, sensor, samples: measured.samples };
}

function indexImages(root: string, layout: ImageLayout): IndexedDataset {
  switch (layout) {
    case 'cifar10':
    case 'cifar100': {
      const files: [string, 'train' | 'test'][] = layout === 'cifar10'
        ? [...[1, 2, 3, 4, 5].map((i): [string, 'train'] => [`data_batch_${i}.bin`, 'train']), ['test_batch.bin', 'test']]
        : [['train.bin', 'train'], ['test.bin', 'test']];
      const samples: IndexedSample[] = [];
      for (const [file, split] of files) {
        const batch = decodeCifarBatch(readBytes(join(root, file), 'CIFAR batch'), layout, join(root, file));
        batch.labels.forEach((label, record) => samples.push({ file, record, label, split }));
      }
      const count = layout === 'cifar10' ? 10 : 100;
      const classes = cifarClassNames(root, layout) ?? Array.from({ length: count }, (_, i) => String(i));
      return { kind: 'images', layout, classes, shape: [32, 32, 3], sensor: null, samples };
    }
    case 'mnist-idx': {
      const samples: IndexedSample[] = [];
      let shape: readonly number[] = [];
      let classes = 0;
      for (const [split, pair] of Object.entries(mnistIdxFiles(root)) as ['train' | 'test', { images: string; labels: string }][]) {
        const set = loadImageArrays({ images: pair.images, labels: pair.labels, transform: { scale: 1, offset: 0 } });
        shape = set.shape;
        classes = Math.max(classes, set.classes);
        const file = basename(pair.images);
        set.labels.forEach((label, record) => samples.push({ file, record, label, split }));
      }
      return { kind: 'images', layout, classes: Array.from({ length: classes }, (_, i) => String(i)), shape, sensor: null, samples };
    }
    case 'image-folders': {
      const samples: IndexedSample[] = [];
      const train = imageFolderFiles(root, 'train');
      const test = imageFolderFiles(root, 'test');
      const parts = train.splitDir !== undefined && test.splitDir !== undefined
        ? [{ split: 'train' as const, listed: train }, { split: 'test' as const, listed: test }]
        : [{ split: 'all' as const, listed: imageFolderFiles(root, 'all') }];
      const classes = parts[0]!.listed.classes;
      for (const { split, listed } of parts) {
        if (listed.classes.join('\n') !== classes.join('\n')) throw invalidData(`dataset ${root}: the ${split} folder has classes ${listed.classes.join(', ')}, the train folder ${classes.join(', ')}`);
        listed.files.forEach((f, i) => samples.push({ file: relative(root, f), label: listed.labels[i]!, split }));
      }
      if (samples.length === 0) throw invalidData(`dataset ${root}: no JPEG or PNG images in class folders`);
      const first = join(root, samples[0]!.file);
      const image = decodeImage(readBytes(first, 'image'), basename(first));
      return { kind: 'images', layout, classes, shape: [image.height, image.width, 3], sensor: null, samples };
    }
  }
}
