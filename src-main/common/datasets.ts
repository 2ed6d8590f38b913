import type { SensorSize } from './events';

/**
 * What a dataset on disk is made of, as indexed, and how it is read: the vocabulary that
 * datasets/, store/, the engine, the service and the renderer share.
 */

/**
 * Image dataset folders, read in place:
 * - CIFAR-10 binary (`data_batch_1..5.bin`, `test_batch.bin`, `batches.meta.txt`) and CIFAR-100
 *   binary (`train.bin`, `test.bin`, `fine_label_names.txt`; fine labels).
 * - MNIST / Fashion-MNIST IDX files (`train-images-idx3-ubyte[.gz]`, `t10k-…`).
 * - ImageNet-style class folders of JPEG/PNG (`<class>/*.jpg`, optionally under `train/` and
 *   `val/` or `test/`), decoded when read, resized (shorter side) and centre-cropped on request.
 */
export type ImageLayout = 'cifar10' | 'cifar100' | 'mnist-idx' | 'image-folders';

/**
 * Event-camera dataset layouts on disk, indexed in place (files are never modified or copied):
 * - N-MNIST: `Train/<digit>/*.bin` and `Test/<digit>/*.bin`, 34×34 (Orchard et al. 2015).
 * - N-Caltech101: `<class>/*.bin`, up to 240×180, no official split.
 * - CIFAR10-DVS: `<class>/*.aedat` (AEDAT 2.0, DVS128), the ten CIFAR-10 class names (Li et al. 2017).
 * - DVS128 Gesture: `user*_<lighting>.aedat` AEDAT 3.1 recordings, each cut into gestures by its
 *   `<name>_labels.csv` (class, startTime_usec, endTime_usec; classes 1–11), with the official
 *   split in `trials_to_train.txt` / `trials_to_test.txt` (Amir et al. 2017).
 * - Any tree `<class>/<files>` (optionally under `train/` and `test/`) of a supported event format.
 */
export type EventLayout = 'nmnist' | 'ncaltech101' | 'cifar10-dvs' | 'dvs-gesture' | 'class-folders' | 'event-file';

export interface EventSample {
  /** Path relative to the dataset root. */
  readonly file: string;
  readonly label: number;
  readonly split: 'train' | 'test' | 'all';
  /** For recordings cut into several samples: the sample's time range [startUs, endUs). */
  readonly startUs?: number;
  readonly endUs?: number;
}

export interface EventDatasetIndex {
  readonly root: string;
  readonly layout: EventLayout;
  readonly classes: readonly string[];
  readonly sensor: SensorSize;
  readonly samples: readonly EventSample[];
  /** What indexing noticed and the user should know (a folder mixing formats, odd files). */
  readonly warnings?: readonly string[];
}

export interface IndexedSample {
  /** Path relative to the dataset root. */
  readonly file: string;
  /** Record number inside a container file (CIFAR batches, IDX files). */
  readonly record?: number;
  readonly label: number;
  readonly split: 'train' | 'test' | 'all';
  readonly startUs?: number;
  readonly endUs?: number;
  readonly events?: number;
  readonly durationUs?: number;
}

export interface IndexedDataset {
  readonly kind: 'images' | 'events';
  readonly layout: ImageLayout | EventLayout;
  readonly classes: readonly string[];
  /** [H, W, C] of an image sample as stored. */
  readonly shape: readonly number[] | null;
  readonly sensor: SensorSize | null;
  readonly samples: readonly IndexedSample[];
}

/** The input transform x·scale + offset applied to every sample value. */
export interface InputTransform {
  readonly scale: number;
  readonly offset: number;
}

/** Polarity in event frames: OFF and ON as two channels, ON − OFF in one, or all events in one. */
export type PolarityMode = 'two-channels' | 'signed' | 'merged';

/** How an event dataset becomes frames: polarity channels, frame size, how T frames cut a
 * sample, the input transform, and the decoded-sample cache budget. */
export interface EventInputOptions {
  readonly polarity: PolarityMode;
  /** Downsampled frame size (default: the sensor). */
  readonly size?: SensorSize;
  /** How T frames cut a sample: equal time spans or equal event counts. */
  readonly split: 'time' | 'count';
  readonly transform: InputTransform;
  readonly cacheBytes?: number;
}

export interface ImageFolderOptions {
  readonly transform: InputTransform;
  readonly resize?: number;
  readonly crop?: number;
  /** 1: luminance (0.299 R + 0.587 G + 0.114 B, ITU-R BT.601), for greyscale models; default 3. */
  readonly channels?: 1 | 3;
}

/**
 * A plain-data description from which a sample set can be opened again, in another thread or
 * process (simulation workers decode event samples themselves rather than receive them).
 */
export type SampleSetDescriptor =
  | { readonly kind: 'events'; readonly index: EventDatasetIndex; readonly split: EventSample['split'] | 'any'; readonly options: EventInputOptions }
  | { readonly kind: 'images'; readonly root: string; readonly layout: ImageLayout; readonly split: 'train' | 'test' | 'all'; readonly options: ImageFolderOptions };
