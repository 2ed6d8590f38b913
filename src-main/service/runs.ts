import type { HandlerArgs, Job, LogLine, PoolingCost, RunDetail, RunRow, RunStart } from '../common/contract';
import { thresholdLabel, type ThresholdMethod } from '../common/snn';
import { resolveV0 } from '../common/study';
import { WorkbenchError } from '../common/errors';
import { planStudy } from '../common/plan';
import { cancelJob } from '../jobs/cancel';
import { measurePoolingCost } from '../jobs/pooling-cost';
import { recoverJob } from '../jobs/scheduler';
import type { ServiceContext } from './context';
import { notFound } from './errors';

/** runs.* and jobs.*: start a conversion study (a job), follow, cancel and resume it. */
export function startRun(ctx: ServiceContext, args: HandlerArgs<'runs.start'>): Job {
  const { store } = ctx;
  if (store.models.get(args.modelId) === undefined) notFound('model', args.modelId);
  if (store.datasets.get(args.datasetId) === undefined) notFound('dataset', args.datasetId);
  const jobId = store.db.transaction(() => {
    const id = store.jobs.create('run', args);
    const conversionId = store.conversions.create(id, args);
    store.jobs.setResult(id, { conversionId });
    return id;
  })();
  ctx.dispatch();
  return store.jobs.get(jobId)!;
}

/** A run as the lists show it: what it studies, with its threshold method and resolved v0.
 * `spikingLayers`, the model's, counts the attribution study's units. */
function runRow(c: { id: number; job: Job; modelId: number; datasetId: number; config: RunStart; createdAt: string }, unitsDone: number, spikingLayers: number): RunRow {
  const { study } = c.config;
  const threshold: ThresholdMethod = study.threshold;
  return {
    id: c.id,
    job: c.job,
    modelId: c.modelId,
    datasetId: c.datasetId,
    methods: study.methods,
    timesteps: study.timesteps,
    threshold: thresholdLabel(threshold),
    v0: resolveV0(threshold, study.v0).v0,
    unitsDone,
    unitsPlanned: planStudy(study, c.config.input, spikingLayers).length,
    createdAt: c.createdAt,
    ...(c.config.name !== undefined ? { name: c.config.name } : {}),
  };
}

export function listRuns(ctx: ServiceContext, args: HandlerArgs<'runs.list'>): RunRow[] {
  const layers = new Map<number, number>();
  const spikingLayers = (modelId: number): number => {
    if (!layers.has(modelId)) layers.set(modelId, ctx.store.models.get(modelId)?.summary.totals.spikingLayers ?? 0);
    return layers.get(modelId)!;
  };
  return ctx.store.conversions.list(args.limit, args.offset).map((c) => runRow(c, c.unitsDone, c.config.study.attribution === undefined ? 0 : spikingLayers(c.modelId)));
}

export function showRun(ctx: ServiceContext, args: HandlerArgs<'runs.show'>): RunDetail {
  const { store } = ctx;
  const c = store.conversions.get(args.id) ?? notFound('run', args.id);
  return {
    ...runRow({ ...c, job: store.jobs.get(c.jobId)! }, store.conversions.unitsDone(c.id), store.models.get(c.modelId)?.summary.totals.spikingLayers ?? 0),
    config: c.config,
    measured: store.conversions.measured(c.id),
    result: c.summary,
  };
}

function jobOfRun(ctx: ServiceContext, runId: number): number {
  return (ctx.store.conversions.get(runId) ?? notFound('run', runId)).jobId;
}

export async function cancelRun(ctx: ServiceContext, args: HandlerArgs<'runs.cancel'>): Promise<Job> {
  const jobId = jobOfRun(ctx, args.id);
  const job = ctx.store.jobs.get(jobId)!;
  if (job.status !== 'queued' && job.status !== 'running') throw new WorkbenchError('invalid_argument', `run ${args.id} is ${job.status}, not queued or running`);
  await cancelJob(ctx.store, jobId);
  ctx.dispatch();
  return ctx.store.jobs.get(jobId)!;
}

/**
 * Queues an interrupted, failed or cancelled run again. A run whose worker is dead or dying is
 * interrupted at this moment, however recently it was killed; two resumes racing each other
 * requeue it once (the loser is told it is queued or running) and start one worker between them.
 */
export async function resumeRun(ctx: ServiceContext, args: HandlerArgs<'runs.resume'>): Promise<Job> {
  const jobId = jobOfRun(ctx, args.id);
  if (ctx.store.jobs.get(jobId)?.status === 'running') await recoverJob(ctx.store, jobId);
  if (!ctx.store.jobs.requeue(jobId)) {
    const job = ctx.store.jobs.get(jobId)!;
    throw new WorkbenchError('invalid_argument', `run ${args.id} is ${job.status}: only interrupted, failed or cancelled runs resume`);
  }
  ctx.dispatch();
  return ctx.store.jobs.get(jobId)!;
}

export function listJobs(ctx: ServiceContext, args: HandlerArgs<'jobs.list'>): Job[] {
  return ctx.store.jobs.list(args.status);
}

export function showJob(ctx: ServiceContext, args: HandlerArgs<'jobs.show'>): Job {
  return ctx.store.jobs.get(args.id) ?? notFound('job', args.id);
}

export function jobLogs(ctx: ServiceContext, args: HandlerArgs<'jobs.logs'>): LogLine[] {
  if (ctx.store.jobs.get(args.id) === undefined) notFound('job', args.id);
  return ctx.store.logs.of(args.id);
}

/** runs.poolingCost: measured in a worker thread (the jobs layer's), so other calls go on. */
export function poolingCost(ctx: ServiceContext, args: HandlerArgs<'runs.poolingCost'>): Promise<PoolingCost> {
  return measurePoolingCost(ctx.store, args);
}
