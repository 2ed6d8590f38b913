import { z } from 'zod';
import { METHODS } from './methods';
import { type RunResult } from './results';
import { NEURON_KINDS, RESET_MODES, V0_MODES } from './snn';
import { MAXPOOL_POLICIES, PERCENTILE_OF, PERMUTE_MODES, SNNC_MODES } from './study';
import type { ErrorData } from './errors';
import type { JobProgress } from './progress';
import { thresholdMethodSchema } from './ir/schema';
import type { ModelSummary } from './ir/summary';
import { CSV_TABLES, FIGURES, NETWORK_FORMATS, REPORT_FORMATS, type ArtifactInfo } from './report/kinds';

/**
 * The one contract between the workbench service and its transports (CLI, HTTP bridge, Electron
 * preload): a map of handlers — zod schema for the argument, TypeScript type for the answer — and
 * a map of events. Every argument is validated at the boundary; errors cross as ErrorData.
 */

const id = z.object({ id: z.number().int().positive() });

export const JOB_KINDS = ['dataset-index', 'model-import', 'run'] as const;
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];

export const studySchema = z.object({
  methods: z.array(z.enum(METHODS)).min(1),
  timesteps: z.array(z.number().int().positive().max(4096)).min(1),
  seeds: z.array(z.number().int().nonnegative()).min(1),
  threshold: thresholdMethodSchema,
  perChannel: z.boolean(),
  reset: z.enum(RESET_MODES),
  /** Default: θ/2 for QCFS thresholds, else 0 (resolveV0). */
  v0: z.enum(V0_MODES).optional(),
  shift: z.boolean(),
  encoding: z.enum(['direct', 'rate']),
  permute: z.enum(PERMUTE_MODES),
  maxPool: z.enum(MAXPOOL_POLICIES),
  /** Percentile thresholds over the positive activations (default) or all of them (zeros included). */
  percentileOf: z.enum(PERCENTILE_OF).optional(),
  /** SNNC calibration after the thresholds: none (default), light (bias) or advanced (potential). */
  snnc: z.enum(SNNC_MODES).optional(),
  /** The attribution study ("where accuracy goes") at this T, which must be one of `timesteps`. */
  attribution: z.number().int().positive().max(4096).optional(),
}).refine((s) => s.attribution === undefined || s.timesteps.includes(s.attribution), { message: 'attribution: T must be one of the time steps', path: ['attribution'] });

export const runStartSchema = z.object({
  modelId: z.number().int().positive(),
  datasetId: z.number().int().positive(),
  study: studySchema,
  /** Default: test when the dataset has a train/test split, else all. */
  split: z.enum(['test', 'train', 'all']).optional(),
  limit: z.number().int().positive().default(1000),
  calibration: z.number().int().positive().default(256),
  sampleSeed: z.number().int().nonnegative().optional(),
  input: z.enum(['static', 'steps']).default('static'),
  transform: z.object({ scale: z.number(), offset: z.number() }).optional(),
  frames: z
    .object({
      polarity: z.enum(['two-channels', 'signed', 'merged']).default('two-channels'),
      split: z.enum(['count', 'time']).default('count'),
      size: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
    })
    .optional(),
  images: z.object({ resize: z.number().int().positive().optional(), crop: z.number().int().positive().optional(), channels: z.union([z.literal(1), z.literal(3)]).optional() }).optional(),
  /** What the user calls the run (lists, Results, reports). */
  name: z.string().trim().min(1).max(200).optional(),
});
export type RunStart = z.infer<typeof runStartSchema>;

export const handlerSchemas = {
  'datasets.import': z.object({ path: z.string().min(1), name: z.string().optional(), layout: z.string().optional() }),
  'datasets.list': z.object({}),
  'datasets.show': id,
  'datasets.remove': id,
  'datasets.samples': z.object({
    id: z.number().int().positive(),
    split: z.enum(['train', 'test', 'all']).optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(1000).default(100),
  }),
  'datasets.events': z.object({
    id: z.number().int().positive(),
    index: z.number().int().nonnegative(),
    maxEvents: z.number().int().positive().max(20_000_000).default(5_000_000),
    /** Background-activity filter: keep events with a neighbour event in the last denoiseUs µs. */
    denoiseUs: z.number().positive().max(1e8).optional(),
    /** Refractory filter: drop events within refractoryUs µs of the pixel's last kept one. */
    refractoryUs: z.number().positive().max(1e8).optional(),
  }),
  /** The frames a conversion feeds for one event sample, computed by the engine's own code. */
  'datasets.frames': z.object({
    id: z.number().int().positive(),
    index: z.number().int().nonnegative(),
    input: z.enum(['summed', 'steps']).default('steps'),
    T: z.number().int().positive().max(64).default(8),
    polarity: z.enum(['two-channels', 'signed', 'merged']).default('two-channels'),
    split: z.enum(['count', 'time']).default('count'),
    size: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  }),
  'datasets.images': z.object({
    id: z.number().int().positive(),
    split: z.enum(['train', 'test', 'all']).optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(64).default(32),
  }),
  /** `weights`: the weights file (model.save_weights) of a Keras architecture JSON `path`. */
  'models.import': z.object({ path: z.string().min(1), weights: z.string().min(1).optional(), name: z.string().optional() }),
  'models.list': z.object({}),
  'models.show': id,
  'models.remove': id,
  'runs.start': runStartSchema,
  /** The ANN's accuracy with its max pooling and with average pooling instead, on the first
   * samples (at most 256) the run would evaluate: the pre-flight's cost of "average". */
  'runs.poolingCost': runStartSchema,
  'runs.list': z.object({ limit: z.number().int().positive().max(10000).default(100), offset: z.number().int().nonnegative().default(0) }),
  'runs.show': id,
  'runs.cancel': id,
  'runs.resume': id,
  /**
   * A report of finished runs as a file under artifacts/ (and at `out`, when given): html, pdf,
   * json, csv (one `table`), or one `figure` as svg or png. `method`/`T` choose the per-layer views.
   */
  'runs.report': z.object({
    ids: z.array(z.number().int().positive()).min(1).max(100),
    format: z.enum(REPORT_FORMATS),
    figure: z.enum(FIGURES).optional(),
    table: z.enum(CSV_TABLES).optional(),
    method: z.enum(METHODS).optional(),
    T: z.number().int().positive().optional(),
    out: z.string().min(1).optional(),
  }),
  /** A converted network of a finished run as NIR or .tppw, under artifacts/ (and at `out`). Default T: the run's largest. */
  'runs.export': z.object({
    id: z.number().int().positive(),
    method: z.enum(METHODS).default('if'),
    T: z.number().int().positive().optional(),
    to: z.enum(NETWORK_FORMATS),
    out: z.string().min(1).optional(),
  }),
  /** An exported file's record; its bytes: GET /artifacts/<id> on the HTTP bridge. */
  'artifacts.show': id,
  'jobs.list': z.object({ status: z.enum(JOB_STATUSES).optional() }),
  'jobs.show': id,
  'jobs.logs': id,
  'system.info': z.object({}),
} as const;

export type HandlerName = keyof typeof handlerSchemas;
export type HandlerInput<K extends HandlerName> = z.input<(typeof handlerSchemas)[K]>;
export type HandlerArgs<K extends HandlerName> = z.output<(typeof handlerSchemas)[K]>;
export const HANDLER_NAMES = Object.keys(handlerSchemas) as HandlerName[];

export interface Job {
  readonly id: number;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly progress: JobProgress | null;
  readonly error: ErrorData | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** What the job produced: a dataset, model or conversion id. */
  readonly result: { readonly datasetId?: number; readonly modelId?: number; readonly conversionId?: number } | null;
}

export interface DatasetRow {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly kind: 'images' | 'events';
  readonly layout: string;
  readonly classes: readonly string[];
  readonly samples: number;
  readonly shape: readonly number[] | null;
  readonly sensor: { readonly width: number; readonly height: number } | null;
  readonly createdAt: string;
}

export interface Histogram {
  /** Bin edges, one more than counts. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface DatasetDetail extends DatasetRow {
  readonly splits: Record<string, { readonly samples: number; readonly perClass: readonly number[]; readonly meanEvents: number | null; readonly meanDurationUs: number | null }>;
  /** Event datasets: how events per sample and sample durations are distributed (20 equal bins). */
  readonly histograms: { readonly events: Histogram; readonly durationUs: Histogram } | null;
}

export interface SampleInfo {
  /** Position in the dataset (what datasets.events takes). */
  readonly index: number;
  readonly file: string;
  readonly record: number | null;
  readonly label: number;
  readonly split: 'train' | 'test' | 'all';
  readonly events: number | null;
  readonly durationUs: number | null;
}

/**
 * One event sample's columns, base64-encoded little-endian arrays: x and y uint16, p uint8 (0 OFF,
 * 1 ON), tUs float64 (µs). At most `maxEvents` events are sent; `truncated` says when there were more.
 */
export interface EventSampleData {
  readonly index: number;
  readonly file: string;
  readonly label: number;
  readonly sensor: { readonly width: number; readonly height: number };
  readonly count: number;
  readonly truncated: boolean;
  /** Events the filters removed from what was read (0 without filters). */
  readonly filteredOut: number;
  readonly x: string;
  readonly y: string;
  readonly p: string;
  readonly tUs: string;
}

/** One event sample as the frames a conversion feeds: event counts, float32 base64, [frames, H, W, C]. */
export interface EventFrames {
  readonly index: number;
  readonly frames: number;
  readonly shape: readonly [number, number, number];
  readonly data: string;
  /** The largest count in any frame (for a shared colour scale). */
  readonly peak: number;
}

/** Image samples as raw pixels: base64 uint8, H×W×C, row-major. */
export interface ImagePage {
  readonly split: 'train' | 'test' | 'all';
  readonly total: number;
  readonly shape: readonly number[];
  readonly images: readonly { readonly index: number; readonly label: number; readonly pixels: string }[];
}

/** runs.poolingCost: ANN accuracies on `samples` samples, as imported and with `pools` averaged. */
export interface PoolingCost {
  readonly samples: number;
  readonly pools: readonly string[];
  readonly maxPool: number;
  readonly avgPool: number;
}

export interface ModelRow {
  readonly id: number;
  readonly name: string;
  readonly sourcePath: string;
  readonly format: string;
  readonly sha256: string;
  readonly params: number;
  readonly macs: number;
  readonly createdAt: string;
}

export interface ModelDetail extends ModelRow {
  readonly summary: ModelSummary;
}

export interface RunRow {
  readonly id: number;
  readonly job: Job;
  readonly modelId: number;
  readonly datasetId: number;
  readonly methods: readonly string[];
  readonly timesteps: readonly number[];
  /** The threshold method as a label (`p99.9`, `snnc`, …) and the initial potential the run uses. */
  readonly threshold: string;
  readonly v0: 'zero' | 'half';
  readonly unitsDone: number;
  /** Units the study plans (common/plan): (method, T, seed) simulation passes. */
  readonly unitsPlanned: number;
  readonly createdAt: string;
  /** The name given at the start, if any. */
  readonly name?: string;
}

export interface RunDetail extends RunRow {
  readonly config: RunStart;
  /** Accuracy of each (method, T, seed) stored so far: grows while the run is going. */
  readonly measured: readonly { readonly method: string; readonly T: number; readonly seed: number; readonly samples: number; readonly accuracy: number }[];
  /** The assembled result, once the run has succeeded. */
  readonly result: RunResult | null;
}

export interface LogLine {
  readonly id: number;
  readonly jobId: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly at: string;
}

export interface SystemInfo {
  readonly dataDir: string;
  readonly schemaVersion: number;
  readonly version: string;
  readonly node: string;
  readonly cores: number;
}

export interface HandlerOutputs {
  'datasets.import': Job;
  'datasets.list': DatasetRow[];
  'datasets.show': DatasetDetail;
  'datasets.remove': { removed: number };
  'datasets.samples': { total: number; samples: SampleInfo[] };
  'datasets.events': EventSampleData;
  'datasets.frames': EventFrames;
  'datasets.images': ImagePage;
  'models.import': Job;
  'models.list': ModelRow[];
  'models.show': ModelDetail;
  'models.remove': { removed: number };
  'runs.start': Job;
  'runs.poolingCost': PoolingCost;
  'runs.list': RunRow[];
  'runs.show': RunDetail;
  'runs.cancel': Job;
  'runs.resume': Job;
  'runs.report': ArtifactInfo;
  'runs.export': ArtifactInfo & { readonly notes: readonly string[] };
  'artifacts.show': ArtifactInfo;
  'jobs.list': Job[];
  'jobs.show': Job;
  'jobs.logs': LogLine[];
  'system.info': SystemInfo;
}

export type HandlerOutput<K extends HandlerName> = HandlerOutputs[K];

/** Events the service emits (job progress, job finished, log lines). */
export interface Events {
  'job.progress': { readonly jobId: number; readonly progress: JobProgress };
  'job.finished': { readonly jobId: number; readonly status: JobStatus; readonly error: ErrorData | null };
  'log': { readonly jobId: number | null; readonly level: 'info' | 'warn' | 'error'; readonly message: string };
}
export type EventName = keyof Events;
export type EventMessage = { [K in EventName]: { readonly event: K; readonly data: Events[K] } }[EventName];
