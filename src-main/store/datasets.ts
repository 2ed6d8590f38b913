import type { DatasetDetail, DatasetRow, Histogram, SampleInfo } from '../common/contract';
import { dirname } from 'node:path';
import type { EventDatasetIndex, EventLayout, IndexedDataset, IndexedSample } from '../common/datasets';
import type { Db } from './database';
import { statementCache } from './statements';

/** The datasets and samples tables: datasets indexed in place, one row per sample. */
export interface NewDataset extends Omit<IndexedDataset, 'samples'> {
  readonly name: string;
  readonly path: string;
}

interface DatasetDb {
  id: number;
  name: string;
  path: string;
  kind: 'images' | 'events';
  layout: string;
  classes: string;
  shape: string | null;
  sensor: string | null;
  sample_count: number;
  created_at: string;
}

function toRow(r: DatasetDb): DatasetRow {
  return {
    id: r.id,
    name: r.name,
    path: r.path,
    kind: r.kind,
    layout: r.layout,
    classes: JSON.parse(r.classes),
    samples: r.sample_count,
    shape: r.shape === null ? null : JSON.parse(r.shape),
    sensor: r.sensor === null ? null : JSON.parse(r.sensor),
    createdAt: r.created_at,
  };
}

export class DatasetsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  /** Inserts a dataset and its samples in one transaction; returns the dataset id. */
  insert(d: NewDataset, samples: readonly IndexedSample[]): number {
    return this.db.transaction(() => {
      const id = Number(
        this.q('INSERT INTO datasets (name, path, kind, layout, classes, shape, sensor, sample_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(d.name, d.path, d.kind, d.layout, JSON.stringify(d.classes), d.shape ? JSON.stringify(d.shape) : null, d.sensor ? JSON.stringify(d.sensor) : null, samples.length, new Date().toISOString()).lastInsertRowid,
      );
      const stmt = this.q('INSERT INTO samples (dataset_id, idx, file, record, label, split, start_us, end_us, events, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      samples.forEach((s, i) => stmt.run(id, i, s.file, s.record ?? null, s.label, s.split, s.startUs ?? null, s.endUs ?? null, s.events ?? null, s.durationUs ?? null));
      return id;
    })();
  }

  list(): DatasetRow[] {
    return (this.q('SELECT * FROM datasets ORDER BY id').all() as DatasetDb[]).map(toRow);
  }

  get(id: number): DatasetRow | undefined {
    const r = this.q('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetDb | undefined;
    return r && toRow(r);
  }

  byPath(path: string): DatasetRow | undefined {
    const r = this.q('SELECT * FROM datasets WHERE path = ?').get(path) as DatasetDb | undefined;
    return r && toRow(r);
  }

  detail(id: number): DatasetDetail | undefined {
    const row = this.get(id);
    if (row === undefined) return undefined;
    const stats = this.q('SELECT split, label, COUNT(*) AS n, AVG(events) AS events, AVG(duration_us) AS duration FROM samples WHERE dataset_id = ? GROUP BY split, label')
      .all(id) as { split: string; label: number; n: number; events: number | null; duration: number | null }[];
    const splits: Record<string, { samples: number; perClass: number[]; meanEvents: number | null; meanDurationUs: number | null; sumEvents: number; sumDuration: number }> = {};
    for (const s of stats) {
      const entry = (splits[s.split] ??= { samples: 0, perClass: new Array<number>(row.classes.length).fill(0), meanEvents: null, meanDurationUs: null, sumEvents: 0, sumDuration: 0 });
      entry.samples += s.n;
      entry.perClass[s.label] = s.n;
      if (s.events !== null) entry.sumEvents += s.events * s.n;
      if (s.duration !== null) entry.sumDuration += s.duration * s.n;
    }
    const out: DatasetDetail['splits'] = {};
    for (const [k, v] of Object.entries(splits)) {
      out[k] = { samples: v.samples, perClass: v.perClass, meanEvents: row.kind === 'events' ? v.sumEvents / v.samples : null, meanDurationUs: row.kind === 'events' ? v.sumDuration / v.samples : null };
    }
    const histograms =
      row.kind === 'events'
        ? { events: this.histogram(id, 'events'), durationUs: this.histogram(id, 'duration_us') }
        : null;
    return { ...row, splits: out, histograms };
  }

  private histogram(id: number, column: 'events' | 'duration_us', bins = 20): Histogram {
    const range = this.q(`SELECT MIN(${column}) AS lo, MAX(${column}) AS hi FROM samples WHERE dataset_id = ? AND ${column} IS NOT NULL`).get(id) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return { edges: [], counts: [] };
    const width = Math.max(range.hi - range.lo, 1) / bins;
    const counts = new Array<number>(bins).fill(0);
    const rows = this.q(`SELECT MIN(CAST((${column} - ?) / ? AS INTEGER), ?) AS bin, COUNT(*) AS n FROM samples WHERE dataset_id = ? AND ${column} IS NOT NULL GROUP BY bin`).all(range.lo, width, bins - 1, id) as { bin: number; n: number }[];
    for (const r of rows) counts[r.bin] = r.n;
    return { edges: Array.from({ length: bins + 1 }, (_, k) => range.lo! + k * width), counts };
  }

  samples(id: number): IndexedSample[] {
    return (this.q(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE dataset_id = ? ORDER BY idx`).all(id) as SampleDb[]).map(toSample);
  }

  /** One sample by its position in the dataset, without reading the rest of the index. */
  sample(id: number, index: number): IndexedSample | undefined {
    const row = this.q(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE dataset_id = ? AND idx = ?`).get(id, index) as SampleDb | undefined;
    return row === undefined ? undefined : toSample(row);
  }

  sampleCount(id: number): number {
    return (this.q('SELECT COUNT(*) AS n FROM samples WHERE dataset_id = ?').get(id) as { n: number }).n;
  }

  /** A page of samples (of one split, or all), with the split's total. */
  page(id: number, split: IndexedSample['split'] | undefined, offset: number, limit: number): { total: number; samples: SampleInfo[] } {
    const where = split === undefined ? 'dataset_id = ?' : 'dataset_id = ? AND split = ?';
    const params = split === undefined ? [id] : [id, split];
    const total = (this.q(`SELECT COUNT(*) AS n FROM samples WHERE ${where}`).get(...params) as { n: number }).n;
    const rows = this.q(`SELECT idx AS "index", file, record, label, split, events, duration_us AS durationUs FROM samples WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`).all(...params, limit, offset) as SampleInfo[];
    return { total, samples: rows };
  }

  /** An event dataset's index as the engine reads it, from the stored rows (no folder scan). */
  eventIndex(id: number): EventDatasetIndex {
    const d = this.get(id)!;
    return {
      root: d.layout === 'event-file' ? dirname(d.path) : d.path,
      layout: d.layout as EventLayout,
      classes: d.classes,
      sensor: d.sensor ?? { width: 0, height: 0 },
      samples: this.samples(id).map((s) => ({
        file: s.file,
        label: s.label,
        split: s.split,
        ...(s.startUs !== undefined ? { startUs: s.startUs } : {}),
        ...(s.endUs !== undefined ? { endUs: s.endUs } : {}),
      })),
    };
  }

  /** The splits the dataset's samples fall in. */
  splits(id: number): IndexedSample['split'][] {
    return (this.q('SELECT DISTINCT split FROM samples WHERE dataset_id = ? ORDER BY split').all(id) as { split: IndexedSample['split'] }[]).map((r) => r.split);
  }

  remove(id: number): number {
    return this.q('DELETE FROM datasets WHERE id = ?').run(id).changes;
  }
}

const SAMPLE_COLUMNS = 'file, record, label, split, start_us, end_us, events, duration_us';

interface SampleDb {
  file: string;
  record: number | null;
  label: number;
  split: IndexedSample['split'];
  start_us: number | null;
  end_us: number | null;
  events: number | null;
  duration_us: number | null;
}

function toSample(r: SampleDb): IndexedSample {
  return {
    file: r.file, label: r.label, split: r.split,
    ...(r.record !== null ? { record: r.record } : {}),
    ...(r.start_us !== null ? { startUs: r.start_us } : {}), ...(r.end_us !== null ? { endUs: r.end_us } : {}),
    ...(r.events !== null ? { events: r.events } : {}), ...(r.duration_us !== null ? { durationUs: r.duration_us } : {}),
  };
}
