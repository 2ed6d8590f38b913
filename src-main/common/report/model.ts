import type { DatasetDetail, ModelDetail, RunDetail, RunStart } from '../contract';
import { METHOD_LABELS, type Method } from '../methods';
import { energyModelText, type RunResult } from '../results';
import type { RunEnvironment } from './environment';
import { rerunCommands } from './rerun';

/**
 * The one report model: everything a report of one or more finished runs shows, as plain data.
 * The HTML and PDF reports, the figures, the CSV tables and the JSON export are all drawn from it
 * (src-renderer/report draws it; tables.ts tabulates it), so they can never disagree.
 */
export interface ModelCard {
  readonly name: string;
  readonly file: string;
  readonly format: string;
  readonly sha256: string;
  readonly nodes: number;
  readonly params: number;
  readonly macs: number;
  readonly spikingLayers: number;
  readonly inputShape: readonly number[];
  readonly warnings: readonly string[];
}

export interface DatasetCard {
  readonly name: string;
  readonly path: string;
  readonly kind: 'images' | 'events' | 'unknown';
  readonly layout: string;
  readonly classes: number;
  readonly split: string;
  /** Samples in the evaluated split, when the dataset is registered. */
  readonly splitSamples: number | null;
  readonly evaluated: number;
  readonly sampleSeed: number | null;
  readonly calibration: { readonly source: string; readonly samples: number };
  /** How samples become the network's input, in words (scaling, frames, resizing). */
  readonly preprocessing: readonly string[];
}

export interface Setting {
  readonly label: string;
  readonly value: string;
}

/** The (method, T) whose per-layer charts and heat map the report shows. */
export interface Focus {
  readonly method: Method;
  readonly T: number;
}

export interface ReportRun {
  readonly id: number;
  /** The name the run was given, if any. */
  readonly name?: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly model: ModelCard | null;
  readonly dataset: DatasetCard;
  readonly settings: readonly Setting[];
  readonly result: RunResult;
  readonly environment: RunEnvironment | null;
  /** Commands that run the same study again: in this data directory, and from the files. */
  readonly commands: readonly { readonly label: string; readonly command: string }[];
  readonly focus: readonly Focus[];
}

export interface ReportModel {
  readonly format: 'tppw-report';
  readonly version: 1;
  readonly title: string;
  readonly generatedAt: string;
  readonly generatedBy: { readonly workbench: string; readonly node: string };
  readonly runs: readonly ReportRun[];
}

export interface ReportRunInput {
  readonly run: RunDetail;
  readonly model: ModelDetail | undefined;
  readonly dataset: DatasetDetail | undefined;
  readonly environment: RunEnvironment | null;
}

export interface ReportOptions {
  readonly generatedAt: string;
  readonly workbench: string;
  readonly node: string;
  /** Data directory, for the `tppw runs start` command. */
  readonly dataDir: string;
  /** Show only this (method, T) in the per-layer views; default every method at its largest T. */
  readonly focus?: { readonly method?: Method | undefined; readonly T?: number | undefined };
}

/** A run's model as the workbench knows it: its registered name, else the graph name in the file. */
export function modelName(run: Pick<ReportRun, 'model' | 'result'>): string {
  return run.model?.name ?? run.result.model;
}

/** `Run #3`, or `Run #3 (baseline)` when it has a name. */
export function runLabel(run: Pick<ReportRun, 'id' | 'name'>): string {
  return `Run #${run.id}${run.name !== undefined ? ` (${run.name})` : ''}`;
}

export function buildReportModel(inputs: readonly ReportRunInput[], options: ReportOptions): ReportModel {
  const runs = inputs.map((input) => reportRun(input, options));
  const title = runs.length === 1 ? `${runLabel(runs[0]!)}: ${modelName(runs[0]!)} on ${runs[0]!.dataset.name}` : `Runs ${runs.map((r) => runLabel(r).slice('Run '.length)).join(', ')}`;
  return { format: 'tppw-report', version: 1, title, generatedAt: options.generatedAt, generatedBy: { workbench: options.workbench, node: options.node }, runs };
}

function reportRun({ run, model, dataset, environment }: ReportRunInput, options: ReportOptions): ReportRun {
  const result = run.result;
  if (result === null) throw new Error(`run ${run.id} has no result`);
  return {
    id: run.id,
    ...(run.name !== undefined ? { name: run.name } : {}),
    createdAt: run.createdAt,
    finishedAt: run.job.finishedAt,
    model: model === undefined ? null : modelCard(model),
    dataset: datasetCard(run.config, result, dataset),
    settings: settingsOf(result),
    result,
    environment,
    commands: rerunCommands(run, model, dataset, options.dataDir),
    focus: focusOf(result, options.focus),
  };
}

function modelCard(m: ModelDetail): ModelCard {
  return {
    name: m.name,
    file: m.sourcePath,
    format: m.format,
    sha256: m.sha256,
    nodes: m.summary.totals.nodes,
    params: m.params,
    macs: m.macs,
    spikingLayers: m.summary.totals.spikingLayers,
    inputShape: m.summary.input.shape,
    warnings: m.summary.warnings,
  };
}

/** The split a run evaluated: as asked, else test when the dataset has one, else all (as runs.start decides). */
export function evaluatedSplit(config: RunStart, dataset: DatasetDetail | undefined): string {
  if (config.split !== undefined) return config.split;
  return dataset !== undefined && dataset.splits['test'] !== undefined ? 'test' : 'all';
}

function datasetCard(config: RunStart, result: RunResult, d: DatasetDetail | undefined): DatasetCard {
  const split = evaluatedSplit(config, d);
  const splitSamples = d === undefined ? null : split === 'all' ? d.samples : d.splits[split]?.samples ?? null;
  const { scale, offset } = result.config.inputTransform;
  const preprocessing = [`input x·${scale} + ${offset}`];
  if (d?.kind === 'events' || result.config.input === 'steps') {
    const f = config.frames;
    preprocessing.push(
      result.config.input === 'steps' ? 'events: frame t of T feeds step t, scaled by T' : 'events: one accumulated frame per sample',
      `polarity ${f?.polarity ?? 'two-channels'}, frames cut by ${f?.split ?? 'count'}${f?.size ? `, downsampled to ${f.size.width}×${f.size.height}` : ''}`,
    );
  }
  const img = config.images;
  if (img?.resize !== undefined || img?.crop !== undefined || img?.channels !== undefined) {
    preprocessing.push([img.resize ? `shorter side resized to ${img.resize}` : '', img.crop ? `centred ${img.crop}×${img.crop} crop` : '', img.channels ? `${img.channels === 1 ? 'greyscale' : 'RGB'}` : ''].filter(Boolean).join(', '));
  }
  return {
    name: result.dataset,
    path: d?.path ?? result.dataset,
    kind: d?.kind ?? 'unknown',
    layout: d?.layout ?? 'unknown',
    classes: d?.classes.length ?? 0,
    split,
    splitSamples,
    evaluated: result.samples,
    sampleSeed: config.sampleSeed ?? null,
    calibration: result.config.calibration,
    preprocessing,
  };
}

function settingsOf(r: RunResult): Setting[] {
  const c = r.config;
  return [
    { label: 'methods', value: c.methods.map((m) => METHOD_LABELS[m]).join(', ') },
    { label: 'time steps T', value: c.timesteps.join(', ') },
    { label: 'seeds', value: c.seeds.join(', ') },
    { label: 'thresholds', value: `${c.threshold}, ${c.perChannel ? 'per channel' : 'per layer'}` },
    { label: 'reset', value: c.reset },
    { label: 'initial potential v0', value: c.v0 === 'half' ? 'θ/2' : '0' },
    { label: 'bias shift θ/(2T)', value: c.shift ? 'on' : 'off' },
    { label: 'encoding', value: `${c.encoding}${c.input === 'steps' ? ', per-step event frames' : ''}` },
    { label: 'Permute probe', value: `one permutation per ${c.permute}` },
    { label: 'max pooling', value: c.maxPool === 'avg' ? 'replaced by average pooling' : 'refused' },
    { label: 'calibration', value: `${c.calibration.samples} samples from ${c.calibration.source}` },
    { label: 'backend', value: r.backendDetail ?? r.backend },
    { label: 'energy model', value: energyModelText(r) },
    { label: 'wall time', value: `${(r.wallMs / 1000).toFixed(1)} s${r.simulateMs !== undefined ? ` (simulation ${(r.simulateMs / 1000).toFixed(1)} s)` : ''}` },
  ];
}

function focusOf(result: RunResult, asked: ReportOptions['focus']): Focus[] {
  const methods = [...new Set(result.results.map((r) => r.method))];
  const chosen = asked?.method !== undefined ? methods.filter((m) => m === asked.method) : methods;
  return chosen.flatMap((method) => {
    const ts = result.results.filter((r) => r.method === method).map((r) => r.T);
    const T = asked?.T !== undefined ? (ts.includes(asked.T) ? asked.T : undefined) : Math.max(...ts);
    return T === undefined ? [] : [{ method, T }];
  });
}
