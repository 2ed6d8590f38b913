import { readFileSync } from 'node:fs';
import { invalidData } from '../common/errors';
import { fileError } from '../formats/node/files';
import type { EventDatasetIndex, EventSample } from '../common/datasets';
import { openEventSampleSet } from './event-source';

/**
 * The sample index with each sample's event count and duration, from one pass over the files:
 * what `tppw dataset index` writes, so a later run can reuse it (`--dataset-index FILE`).
 */
export interface MeasuredSample extends EventSample {
  readonly events: number;
  readonly durationUs: number;
}

export interface MeasuredIndex extends EventDatasetIndex {
  readonly format: 'tppw-event-index';
  readonly samples: readonly MeasuredSample[];
}

export function measureEventDataset(index: EventDatasetIndex, onProgress?: (done: number, total: number) => void): MeasuredIndex {
  const set = openEventSampleSet(index, 'any', { polarity: 'merged', split: 'count', transform: { scale: 1, offset: 0 }, cacheBytes: 0 });
  const samples = index.samples.map((sample, i): MeasuredSample => {
    const e = set.events(i);
    const n = e.x.length;
    onProgress?.(i + 1, index.samples.length);
    return { ...sample, events: n, durationUs: n > 0 ? e.tUs[n - 1]! - e.tUs[0]! : 0 };
  });
  // Layouts that state no sensor get the one inferred from the events.
  return { ...index, sensor: set.sensor, format: 'tppw-event-index', samples };
}

/** Reads an index written by `tppw dataset index --out`. */
export function readDatasetIndex(path: string): EventDatasetIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw invalidData(`${path}: not valid JSON (${error.message})`);
    throw fileError(error, path, 'index file');
  }
  const index = raw as Partial<MeasuredIndex>;
  if (index.format !== 'tppw-event-index' || !Array.isArray(index.samples) || typeof index.root !== 'string') {
    throw invalidData(`${path}: not an index written by tppw dataset index`);
  }
  return index as EventDatasetIndex;
}
