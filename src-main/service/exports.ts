import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { HandlerArgs, HandlerOutput } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import { neuronOf, type Method } from '../common/methods';
import { EXPORT_FILES, type ArtifactInfo, type ExportFileKind } from '../common/report/kinds';
import { buildReportModel, type ReportRunInput } from '../common/report/model';
import type { SnnModel } from '../common/snn';
import { WORKBENCH_VERSION } from '../common/version';
import { snnToNir } from '../formats/model/nir/from-ir';
import { decodeModel, encodeModel } from '../formats/model/tppw-model';
import { readBytes, writeBytesAtomic } from '../formats/node/files';
import { encodeNirFile } from '../formats/node/nir-file';
import { renderExport } from '../report/render';
import type { Artifact } from '../store/artifacts';
import { readEnvironment, runFolder, snnArtifactPath } from '../store/run-files';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { resolveOutputPath } from './paths';
import { showRun } from './runs';

/**
 * Exports (DESIGN.md): reports, figures and tables of finished runs, and their converted networks
 * as NIR or .tppw. Every export is a file under `artifacts/runs/<run>/exports/` with an artifacts
 * row, and also lands at `out` when one is given. Bad input — an unknown run, a run not finished,
 * an unwritable `out` — is refused before anything is drawn or written.
 */
export async function reportRuns(ctx: ServiceContext, args: HandlerArgs<'runs.report'>): Promise<ArtifactInfo> {
  const out = args.out === undefined ? undefined : resolveOutputPath(args.out, ctx.roots, 'report file');
  const ids = [...new Set(args.ids)];
  const inputs = ids.map((id) => reportInput(ctx, id));
  if ((args.format === 'svg' || args.format === 'png') && args.figure === undefined) {
    throw new WorkbenchError('invalid_argument', `runs.report: a ${args.format} export is one figure: give figure (accuracy, latency, energy, layers or heatmap)`);
  }
  if (args.T !== undefined && !inputs.some((i) => i.run.result!.config.timesteps.includes(args.T!))) {
    throw new WorkbenchError('invalid_argument', `runs.report: T = ${args.T} is not among the time steps of run${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`);
  }
  const model = buildReportModel(inputs, {
    generatedAt: new Date().toISOString(),
    workbench: ctx.version,
    node: process.version,
    dataDir: ctx.store.dir.root,
    focus: { method: args.method, T: args.T },
  });
  const bytes = await renderExport(model, { format: args.format, figure: args.figure, table: args.table, focus: args.method !== undefined && args.T !== undefined ? { method: args.method, T: args.T } : undefined });
  const runs = `run${ids.join('-')}`;
  const name =
    args.format === 'svg' || args.format === 'png' ? `figure-${args.figure}-${runs}` : args.format === 'csv' ? `${args.table ?? 'results'}-${runs}` : `report-${runs}`;
  const kind = args.format === 'svg' || args.format === 'png' ? 'figure' : args.format === 'csv' ? 'table' : 'report';
  return keep(ctx, { bytes, kind, file: args.format, name, runId: ids[0]!, owner: ids.length === 1 ? `run:${ids[0]}` : `runs:${ids.join(',')}`, out });
}

export async function exportNetwork(ctx: ServiceContext, args: HandlerArgs<'runs.export'>): Promise<HandlerOutput<'runs.export'>> {
  const out = args.out === undefined ? undefined : resolveOutputPath(args.out, ctx.roots, `${args.to === 'nir' ? 'NIR' : '.tppw'} file`);
  const { run } = reportInput(ctx, args.id);
  const config = run.result!.config;
  if (!config.methods.includes(args.method)) throw new WorkbenchError('invalid_argument', `run ${args.id} did not run ${args.method} (it ran ${config.methods.join(', ')})`);
  const T = args.T ?? Math.max(...config.timesteps);
  if (!config.timesteps.includes(T)) throw new WorkbenchError('invalid_argument', `run ${args.id} has no T = ${T} (its time steps: ${config.timesteps.join(', ')})`);
  const model = withMethod(storedNetwork(ctx, args.id, T), args.method);
  const notes: string[] = [];
  let bytes: Uint8Array;
  if (args.to === 'tppw') {
    bytes = encodeModel(model);
  } else {
    const nir = snnToNir(model, { method: args.method, timesteps: T, source: `TPP Workbench ${ctx.version}, run ${args.id}` });
    notes.push(...nir.notes);
    bytes = await encodeNirFile(nir.file);
  }
  const artifact = keep(ctx, { bytes, kind: 'network', file: args.to, name: `network-run${args.id}-${args.method}-T${T}`, runId: args.id, owner: `run:${args.id}`, out });
  return { ...artifact, notes };
}

export function showArtifact(ctx: ServiceContext, args: HandlerArgs<'artifacts.show'>): ArtifactInfo {
  return artifactInfo(ctx.store.artifacts.get(args.id) ?? notFound('artifact', args.id));
}

/** The absolute path of an artifact's file (the HTTP bridge's download route). */
export function artifactFile(ctx: ServiceContext, id: number): { info: ArtifactInfo; path: string } {
  const a = ctx.store.artifacts.get(id) ?? notFound('artifact', id);
  const path = join(ctx.store.dir.root, a.path);
  if (!existsSync(path)) throw new WorkbenchError('not_found', `artifact ${id} (${a.path}) is no longer on disk`);
  return { info: artifactInfo(a), path };
}

/** A run that has finished, with what its report shows; anything else is one clear error. */
function reportInput(ctx: ServiceContext, id: number): ReportRunInput {
  const run = showRun(ctx, { id });
  if (run.result === null) {
    const status = run.job.status;
    const why =
      status === 'queued' || status === 'running'
        ? `run ${id} is ${status}: export it once it has succeeded (tppw runs watch ${id})`
        : `run ${id} is ${status} and has no result: resume it first (tppw runs resume ${id})`;
    throw new WorkbenchError('invalid_argument', why);
  }
  const model = ctx.store.models.get(run.modelId);
  const dataset = ctx.store.datasets.detail(run.datasetId);
  return { run, model, dataset, environment: readEnvironment(ctx.store.dir.root, id) };
}

/** The converted network a run stored for this T (thresholds tuned per T), else its shared one. */
function storedNetwork(ctx: ServiceContext, runId: number, T: number): SnnModel {
  for (const path of [snnArtifactPath(runId, T), snnArtifactPath(runId, undefined)]) {
    const absolute = join(ctx.store.dir.root, path);
    if (!existsSync(absolute)) continue;
    const file = decodeModel(readBytes(absolute, 'stored converted network'), absolute);
    if (file.snn === undefined) throw new WorkbenchError('invalid_data', `${absolute} holds no converted network`);
    return { graph: file.graph, snn: file.snn };
  }
  throw new WorkbenchError('not_found', `run ${runId} kept no converted network (it ran before runs kept them): run the study again (tppw runs start …) to export it`);
}

/** The stored network is the IF conversion; TPP and TPP-iid use the same weights and thresholds. */
function withMethod(model: SnnModel, method: Method): SnnModel {
  const neuron = neuronOf(method);
  return { ...model, snn: { ...model.snn, layers: model.snn.layers.map((l) => ({ ...l, neuron })) } };
}

function keep(ctx: ServiceContext, e: { bytes: Uint8Array; kind: string; file: ExportFileKind; name: string; runId: number; owner: string; out: string | undefined }): ArtifactInfo {
  const path = join(runFolder(e.runId), 'exports', `${e.name}.${EXPORT_FILES[e.file].ext}`);
  // The user's file first: when it cannot be written after all, nothing is.
  if (e.out !== undefined) writeBytesAtomic(e.out, e.bytes, 'export file');
  writeBytesAtomic(join(ctx.store.dir.root, path), e.bytes, 'export');
  const id = ctx.store.artifacts.put({ kind: e.kind, path, sha256: createHash('sha256').update(e.bytes).digest('hex'), bytes: e.bytes.length, owner: e.owner });
  return { ...artifactInfo(ctx.store.artifacts.get(id)!), ...(e.out !== undefined ? { writtenTo: e.out } : {}) };
}

function artifactInfo(a: Artifact): ArtifactInfo {
  const ext = extname(a.path).slice(1) as ExportFileKind;
  return { id: a.id, kind: a.kind, path: a.path, fileName: basename(a.path), mediaType: EXPORT_FILES[ext]?.type ?? 'application/octet-stream', bytes: a.bytes, sha256: a.sha256, owner: a.owner };
}
