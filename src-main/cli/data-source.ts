import { invalidArgument } from '../common/errors';
import type { Graph } from '../common/ir/types';
import { loadImageArrays } from '../datasets/array-files';
import type { EventDatasetIndex, EventLayout, ImageLayout, InputTransform, PolarityMode } from '../common/datasets';
import { indexEventDataset } from '../datasets/event-layouts';
import { measureEventDataset, readDatasetIndex } from '../datasets/measure';
import { calibrationIndices, openEvaluationData, type DatasetSource, type SplitChoice } from '../datasets/evaluation-data';
import { detectImageLayout, imageLayoutSplits, isFolder } from '../datasets/image-layouts';
import type { SampleSet } from '../datasets/sample-set';
import { inputTransformFor } from '../engine/experiment/run-study';
import type { OptionKind, Options } from './args';

/** How a dataset folder is read: shared by `tppw convert --dataset` and `tppw runs start`. */
export const FOLDER_OPTIONS: Record<string, OptionKind> = {
  split: 'string',
  'event-input': 'string',
  'frame-size': 'string',
  polarity: 'string',
  'frame-split': 'string',
  resize: 'string',
  crop: 'string',
  channels: 'string',
};

export interface FolderSettings {
  readonly split?: SplitChoice;
  readonly input: 'static' | 'steps';
  readonly frames: { readonly polarity: PolarityMode; readonly split: 'count' | 'time'; readonly size?: { readonly width: number; readonly height: number } };
  readonly images: { readonly resize?: number; readonly crop?: number; readonly channels?: 1 | 3 };
}

export function readFolderSettings(o: Options, command: string): FolderSettings {
  const positive = (n: number): boolean => Number.isInteger(n) && n > 0;
  const size = o.string('frame-size');
  const m = size === undefined ? null : /^(\d+)x(\d+)$/.exec(size);
  if (size !== undefined && m === null) throw invalidArgument(`${command}: --frame-size ${size} is not WxH (e.g. 48x48)`);
  const split = o.choice('split', ['test', 'train', 'all'] as const);
  const resize = o.number('resize', positive, 'a positive integer');
  const crop = o.number('crop', positive, 'a positive integer');
  const channels = o.choice('channels', ['1', '3'] as const);
  return {
    ...(split ? { split } : {}),
    input: o.choice('event-input', ['summed', 'steps'] as const) === 'steps' ? 'steps' : 'static',
    frames: {
      polarity: o.choice('polarity', ['two-channels', 'signed', 'merged'] as const) ?? 'two-channels',
      split: o.choice('frame-split', ['count', 'time'] as const) ?? 'count',
      ...(m ? { size: { width: Number(m[1]), height: Number(m[2]) } } : {}),
    },
    images: { ...(resize ? { resize } : {}), ...(crop ? { crop } : {}), ...(channels ? { channels: Number(channels) as 1 | 3 } : {}) },
  };
}

/** Where `tppw convert` reads samples from: image/label arrays, or a dataset folder. */
export const DATA_OPTIONS: Record<string, OptionKind> = {
  images: 'string',
  labels: 'string',
  dataset: 'string',
  'dataset-index': 'string',
  'dataset-layout': 'string',
  'skip-bad': 'flag',
  ...FOLDER_OPTIONS,
  scale: 'string',
  offset: 'string',
  layout: 'string',
  'calib-images': 'string',
  'calib-labels': 'string',
};

export const DATA_USAGE = `  --images PATH --labels PATH image and label arrays (IDX, .npy, .npz)
  --dataset PATH             a dataset folder instead of --images/--labels: images (CIFAR-10/100 binary,
                             MNIST IDX, class folders of JPEG/PNG) or events (N-MNIST, N-Caltech101,
                             CIFAR10-DVS, DVS Gesture, class folders of event files)
  --dataset-index FILE       an event dataset through the index tppw dataset index --out wrote
  --resize N --crop N        image folders: shorter side resized to N, then a centred N×N crop
  --channels 1|3             image folders: greyscale (luminance) or RGB (default 3)
  --dataset-layout L         nmnist | ncaltech101 | cifar10-dvs | dvs-gesture | class-folders (default: recognised)
  --skip-bad                 event datasets: decode every sample first and leave out (and list) unreadable ones
  --split test|train|all     which samples to evaluate (default test, or all without a split)
  --event-input summed|steps summed: each sample is one accumulated frame (direct coding);
                             steps: frame t of T feeds step t, scaled by T (default summed)
  --frame-size WxH           downsample frames (default: the sensor)
  --polarity two-channels|signed|merged   (default two-channels: OFF, ON)
  --frame-split count|time   how T frames cut a sample (default count, as SpikingJelly's split_by=number)
  --scale S --offset O       input transform x·S + O (default: what the model records, else 1 and 0)
  --layout nchw|nhwc         how 4-D image arrays are stored (default: decided from the channel axis)
  --calib-images PATH --calib-labels PATH
                             calibration arrays (default: the last --calibration samples of --images)`;

export interface DataSource {
  readonly data: SampleSet;
  readonly calibration: { set: SampleSet; indices: Int32Array; source: string };
  readonly input: 'static' | 'steps';
  readonly warnings: string[];
}

export function openDataSource(o: Options, graph: Graph, settings: { limit: number; calibration: number }): DataSource {
  const scaleFlag = o.number('scale', Number.isFinite, 'a number');
  const offsetFlag = o.number('offset', Number.isFinite, 'a number');
  const chosen = inputTransformFor(graph, { scale: scaleFlag, offset: offsetFlag });
  const transform: InputTransform = chosen.transform;
  const warnings: string[] = chosen.warning !== undefined ? [chosen.warning] : [];
  const folder = readFolderSettings(o, 'convert');
  const indexFile = o.string('dataset-index');
  if (indexFile !== undefined) return openFolderSource(eventSource(readDatasetIndex(indexFile), transform, folder), folder, settings, warnings);
  const dataset = o.string('dataset');
  if (dataset !== undefined) {
    if (o.string('images') !== undefined || o.string('labels') !== undefined) throw invalidArgument('convert: give either --dataset or --images/--labels, not both');
    if (!isFolder(dataset)) throw invalidArgument(`convert: --dataset ${dataset} is not a folder`);
    const imageLayout = o.string('dataset-layout') === undefined ? detectImageLayout(dataset) : undefined;
    if (imageLayout !== undefined) return openFolderSource(imageSource(dataset, imageLayout, transform, folder), folder, settings, warnings);
    const layout = o.choice('dataset-layout', ['nmnist', 'ncaltech101', 'cifar10-dvs', 'dvs-gesture', 'class-folders'] as const) as EventLayout | undefined;
    const index = indexEventDataset(dataset, layout);
    warnings.push(...(index.warnings ?? []));
    return openFolderSource(eventSource(o.flag('skip-bad') ? readableSamples(index, warnings) : index, transform, folder), folder, settings, warnings);
  }
  const images = o.required('images');
  const labels = o.required('labels');
  const layout = o.choice('layout', ['nchw', 'nhwc'] as const) ?? 'auto';
  const calibImages = o.string('calib-images');
  const calibLabels = o.string('calib-labels');
  if ((calibImages === undefined) !== (calibLabels === undefined)) throw invalidArgument('convert: --calib-images and --calib-labels go together');
  const data = loadImageArrays({ images, labels, transform, layout });
  if (calibImages !== undefined && calibLabels !== undefined) {
    const set = loadImageArrays({ images: calibImages, labels: calibLabels, transform, layout });
    return { data, input: 'static', warnings, calibration: { set, indices: Int32Array.from({ length: Math.min(settings.calibration, set.count) }, (_, i) => i), source: calibImages } };
  }
  const indices = calibrationIndices(data, settings.calibration);
  return { data, input: 'static', warnings, calibration: { set: data, indices, source: `${images} (last ${indices.length})` } };
}

function imageSource(root: string, layout: ImageLayout, transform: InputTransform, folder: FolderSettings): DatasetSource {
  return { kind: 'images', root, layout, splits: imageLayoutSplits(root, layout), options: { transform, ...folder.images } };
}

/** --skip-bad: every sample decoded once up front, the unreadable ones left out and listed. */
function readableSamples(index: EventDatasetIndex, warnings: string[]): EventDatasetIndex {
  const measured = measureEventDataset({ ...index, warnings: [] }, undefined, { skipBad: true });
  for (const k of measured.skipped) warnings.push(`skipped unreadable sample ${k.file}: ${k.reason}`);
  return measured;
}

function eventSource(index: EventDatasetIndex, transform: InputTransform, folder: FolderSettings): DatasetSource {
  return { kind: 'events', index, options: { ...folder.frames, transform } };
}

function openFolderSource(source: DatasetSource, folder: FolderSettings, settings: { limit: number; calibration: number }, warnings: string[]): DataSource {
  const opened = openEvaluationData(source, { ...settings, ...(folder.split ? { split: folder.split } : {}) });
  const input = source.kind === 'events' ? folder.input : 'static';
  return { data: opened.data, calibration: opened.calibration, input, warnings: [...warnings, ...opened.warnings] };
}
