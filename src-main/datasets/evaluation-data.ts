import { invalidArgument } from '../common/errors';
import type { EventDatasetIndex, EventInputOptions, ImageFolderOptions, ImageLayout } from '../common/datasets';
import { openEventSampleSet } from './event-source';
import type { SampleSet } from './sample-set';
import { openImageDataset } from './image-layouts';
import { seededSubset } from './subsets';

/**
 * The samples a study evaluates and the ones it calibrates on, from a dataset folder: the
 * requested split (default: test when there is one), and calibration from the training split
 * when the dataset has one (a seeded subset, seed 0), else from the last samples of the
 * evaluated set (the engine warns when they overlap the evaluated ones). The CLI and the service
 * both open their data here, so a run means the same thing from either.
 */
export type DatasetSource =
  | { readonly kind: 'images'; readonly root: string; readonly layout: ImageLayout; readonly splits: readonly SplitChoice[]; readonly options: ImageFolderOptions }
  | { readonly kind: 'events'; readonly index: EventDatasetIndex; readonly options: EventInputOptions };

export type SplitChoice = 'test' | 'train' | 'all';

export interface EvaluationData {
  readonly data: SampleSet;
  readonly calibration: { readonly set: SampleSet; readonly indices: Int32Array; readonly source: string };
  readonly warnings: string[];
}

export function openEvaluationData(source: DatasetSource, settings: { split?: SplitChoice; limit: number; calibration: number }): EvaluationData {
  const root = source.kind === 'images' ? source.root : source.index.root;
  const splits = source.kind === 'images' ? source.splits : [...new Set(source.index.samples.map((s) => s.split))];
  const split = settings.split ?? (splits.includes('test') ? 'test' : splits.includes('all') ? 'all' : 'train');
  if (split !== 'all' && !splits.includes(split)) throw invalidArgument(`dataset ${root} has no ${split} split (it has ${splits.join(', ')})`);
  const open = (which: SplitChoice): SampleSet =>
    source.kind === 'images'
      ? openImageDataset(source.root, source.layout, which, source.options)
      : openEventSampleSet(source.index, which === 'all' ? 'any' : which, source.options);
  const data = open(split);
  const warnings: string[] = [];
  if (split === 'test' && splits.includes('train')) {
    const train = open('train');
    const indices = seededSubset(train.count, settings.calibration, 0);
    return { data, warnings, calibration: { set: train, indices, source: `${root} train split (${indices.length} samples, seed 0)` } };
  }
  const indices = calibrationIndices(data, settings.calibration);
  return { data, warnings, calibration: { set: data, indices, source: `${root} (last ${indices.length})` } };
}

/**
 * Calibration samples from the evaluated set when no separate one is given: the last N
 * samples, disjoint from the first ones evaluated when the set is large enough.
 */
export function calibrationIndices(set: SampleSet, n: number): Int32Array {
  const count = Math.min(n, set.count);
  const start = set.count - count;
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
