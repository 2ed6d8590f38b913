import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError, invalidData } from '../common/errors';
import { EventStats } from '../formats/events/stats';
import { fileError } from '../formats/node/files';
import { streamEventFile } from '../formats/node/read-events';
import type { EventDatasetIndex, EventSample } from '../common/datasets';
import { timeSlice } from './sample-events';

/**
 * The sample index with each sample's event count and duration, from one pass over the files:
 * what `tppw dataset index` writes, so a later run can reuse it (`--dataset-index FILE`). Each
 * file is streamed (only running statistics are kept), so memory does not grow with a sample.
 * A sample that cannot be read fails the whole index, naming it, unless `skipBad` is set: then it
 * is left out and listed in `skipped` with the reason. Decoder warnings (a content that does not
 * look like its format, …) are collected per file in `warnings`.
 */
export interface MeasuredSample extends EventSample {
  readonly events: number;
  readonly durationUs: number;
}

export interface SkippedSample {
  readonly file: string;
  readonly reason: string;
}

export interface MeasuredIndex extends EventDatasetIndex {
  readonly format: 'tppw-event-index';
  readonly samples: readonly MeasuredSample[];
  readonly skipped: readonly SkippedSample[];
}

/** At most this many per-file warnings are kept (a dataset of bad files would repeat one per file). */
const MAX_WARNINGS = 20;

export function measureEventDataset(index: EventDatasetIndex, onProgress?: (done: number, total: number) => void, options: { skipBad?: boolean } = {}): MeasuredIndex {
  const samples: MeasuredSample[] = [];
  const skipped: SkippedSample[] = [];
  const warnings = [...(index.warnings ?? [])];
  let width = 0;
  let height = 0;
  /** The largest sensor the files' headers declare (e.g. an EVT 2.0 header's 640×480). */
  let declared: { width: number; height: number } | undefined;
  index.samples.forEach((sample, i) => {
    let stats: EventStats;
    try {
      stats = new EventStats();
      const { startUs, endUs } = sample;
      const info = streamEventFile(join(index.root, sample.file), (batch) => {
        stats.add(startUs === undefined || endUs === undefined ? batch : timeSlice(batch, startUs, endUs));
      }, { transient: true });
      for (const w of info.warnings) if (warnings.length < MAX_WARNINGS) warnings.push(`${sample.file}: ${w}`);
      if (info.sensor !== undefined) declared = { width: Math.max(declared?.width ?? 0, info.sensor.width), height: Math.max(declared?.height ?? 0, info.sensor.height) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!options.skipBad) {
        throw error instanceof WorkbenchError ? new WorkbenchError(error.kind, `${reason} (pass --skip-bad to leave unreadable samples out of the dataset)`, error.details) : error;
      }
      skipped.push({ file: sample.file, reason });
      onProgress?.(i + 1, index.samples.length);
      return;
    }
    const s = stats.summary();
    if (s.xRange && s.xRange[1] >= width) width = s.xRange[1] + 1;
    if (s.yRange && s.yRange[1] >= height) height = s.yRange[1] + 1;
    samples.push({ ...sample, events: s.events, durationUs: s.durationUs });
    onProgress?.(i + 1, index.samples.length);
  });
  if (samples.length === 0 && skipped.length > 0) throw invalidData(`dataset ${index.root}: none of its ${skipped.length} samples could be read (the first: ${skipped[0]!.reason})`);
  // Layouts that state no sensor get the one the files' headers declare, else what the events span.
  const sensor = index.sensor.width > 0 ? index.sensor : declared !== undefined ? { width: Math.max(width, declared.width), height: Math.max(height, declared.height) } : { width, height };
  return { ...index, sensor, ...(warnings.length > 0 ? { warnings } : {}), format: 'tppw-event-index', samples, skipped };
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
