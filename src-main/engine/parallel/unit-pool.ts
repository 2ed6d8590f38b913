import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import type { SnnModel } from '../../common/snn';
import type { SampleSet } from '../../datasets/sample-set';
import { encodeModel } from '../../formats/model/tppw-model';
import { startWorker } from '../../formats/node/start-worker';
import type { Unit } from '../../common/plan';
import { shardRanges, unitWork } from '../../common/plan';
import { emptyOutcome, mergeOutcomes } from '../experiment/run-unit';
import type { UnitOutcome } from '../../common/units';
import type { FromWorker, ToWorker, WorkerData, WorkerJob, WorkerSetup } from './messages';
import type { Graph } from '../../common/ir/types';
import { joinAnnParts, type AnnEvaluation, type AnnPart } from '../ann/evaluate';

/**
 * Runs units on worker threads, one tfjs backend each (tfjs-backend-wasm is single-threaded, so
 * one worker per core is what uses the machine). The pool starts its workers before the networks
 * exist, so that they load, open the evaluation samples and start their backends while the
 * caller calibrates, and they evaluate the ANN (evaluateAnn) by sample shards meanwhile; the
 * converted networks follow with the units. The samples are read once and shared with every
 * worker through a SharedArrayBuffer. Each unit goes out as its shards (SHARD_SAMPLES), longest
 * units first, so even one unit keeps every worker busy; a unit's shards are summed in shard
 * order once all are back, exactly as runUnit sums them in one thread. Outcomes come back in unit
 * order.
 */
export interface PoolSetup {
  readonly workers: number;
  readonly backend: string;
  readonly set: SampleSet;
  readonly indices: Int32Array;
  readonly stepInput?: boolean;
  readonly budgetValues?: number;
}

export interface PoolRun {
  readonly models: ReadonlyMap<string, SnnModel>;
  readonly signal?: AbortSignal;
  readonly onWork?: (sampleSteps: number, unit: Unit) => void;
  /** Each unit's outcome as it arrives. */
  readonly onOutcome?: (outcome: UnitOutcome) => void;
}

function startUnitWorker(data: WorkerData): Worker {
  return startWorker(join(__dirname, 'unit-worker'), __filename, data);
}

/** Workers started ahead of a pool (prestartWorkers). */
const spares: { readonly thread: Worker; readonly release: () => void }[] = [];

/**
 * Starts `count` simulation workers now, before the study's model and data are loaded, so that
 * loading the engine and starting the backend (a few hundred ms of each) overlap the caller's own
 * loading; the next pool takes them and sends them their setup. They do not keep the process
 * alive, and a pool's start ends the ones it does not take.
 */
export function prestartWorkers(count: number, backend: string): void {
  for (let w = 0; w < count; w++) {
    const thread = startUnitWorker({ kind: 'spare', backend });
    const drop = (): void => {
      const at = spares.indexOf(spare);
      if (at >= 0) spares.splice(at, 1);
    };
    // one that fails to start (it posts its error) is not handed to a pool: a fresh worker is
    const failed = (message: FromWorker): void => {
      if (message.kind !== 'error') return;
      drop();
      void thread.terminate();
    };
    thread.once('error', drop);
    thread.once('exit', drop);
    thread.on('message', failed);
    thread.unref(); // after the listeners: a 'message' listener refs the worker again
    const spare = {
      thread,
      release: (): void => {
        thread.off('error', drop);
        thread.off('exit', drop);
        thread.off('message', failed);
      },
    };
    spares.push(spare);
  }
}

/** How many started workers wait for a pool. */
export function spareWorkers(): number {
  return spares.length;
}

/** A spare, given its setup (it starts the setup's backend, a no-op when that is the one it
 * started, as `auto` resolves to on the same machine); else a new worker. */
function workerFor(setup: WorkerSetup): Worker {
  const spare = spares.shift();
  if (spare === undefined) return startUnitWorker({ kind: 'setup', setup });
  const { thread } = spare;
  spare.release();
  thread.ref();
  thread.postMessage({ kind: 'setup', setup } satisfies ToWorker);
  return thread;
}

interface PoolWorker {
  readonly thread: Worker;
  ready: boolean;
}

export class UnitPool {
  private readonly workers: PoolWorker[] = [];
  /** The first failure of a worker outside a run (starting up), reported by the next run. */
  private failure: WorkbenchError | undefined;
  /** The run in progress: where worker messages go. */
  private listener: ((worker: PoolWorker, message: FromWorker) => void) | undefined;
  private onFailure: ((error: WorkbenchError) => void) | undefined;

  private constructor(setup: WorkerSetup, count: number, private readonly indicesLength: number) {
    for (let w = 0; w < count; w++) {
      const worker: PoolWorker = { thread: workerFor(setup), ready: false };
      this.workers.push(worker);
      const fail = (error: WorkbenchError): void => {
        if (this.onFailure) this.onFailure(error);
        else this.failure ??= error;
      };
      worker.thread.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') worker.ready = true;
        if (message.kind === 'error' && this.listener === undefined) fail(WorkbenchError.fromData(message.error));
        this.listener?.(worker, message);
      });
      worker.thread.on('error', (error) => fail(new WorkbenchError('internal', `simulation worker failed: ${error.message}`)));
      worker.thread.on('exit', (code) => {
        if (code !== 0) fail(new WorkbenchError('internal', `simulation worker exited with code ${code}`));
      });
    }
  }

  /** Starts min(workers, shards of the samples) workers now; they wait for `run`. */
  static start(options: PoolSetup): UnitPool {
    const { set, indices } = options;
    const descriptor = set.describe?.();
    if (options.stepInput && descriptor === undefined) throw new WorkbenchError('internal', `${set.name} cannot be reopened in a worker for per-step input`);
    let data: WorkerSetup['data'];
    if (descriptor !== undefined) {
      data = { kind: 'open', descriptor, indices };
    } else {
      const size = set.shape.reduce((a, b) => a * b, 1);
      const shared = new Float32Array(new SharedArrayBuffer(indices.length * size * 4));
      shared.set(set.read(indices));
      data = { kind: 'shared', x: shared, labels: Int32Array.from(indices, (i) => set.labels[i]!), indices, shape: set.shape };
    }
    const setup: WorkerSetup = {
      backend: options.backend,
      data,
      stepInput: options.stepInput ?? false,
      ...(options.budgetValues !== undefined ? { budgetValues: options.budgetValues } : {}),
    };
    const pool = new UnitPool(setup, Math.max(1, Math.min(options.workers, shardRanges(indices.length).length)), indices.length);
    for (const spare of spares.splice(0)) void spare.thread.terminate();
    return pool;
  }

  /** The ANN's class for every evaluation sample, shard by shard on the workers (evaluateAnn's
   * parts), scored against `labels` (one per evaluation sample). */
  async evaluateAnn(graph: Graph, labels: Int32Array, signal?: AbortSignal): Promise<AnnEvaluation> {
    const ranges = shardRanges(this.indicesLength);
    const parts = new Array<AnnPart>(ranges.length);
    await this.execute(
      ranges.map((range) => ({ kind: 'ann', range })),
      { kind: 'models', models: {}, ann: encodeModel({ graph }) },
      (job, message) => {
        if (message.kind === 'ann-done') parts[job] = message.part;
      },
      signal,
    );
    return joinAnnParts(parts, labels);
  }

  /** Simulates the units' shards on the workers. */
  async run(units: readonly Unit[], options: PoolRun): Promise<UnitOutcome[]> {
    const models: Record<string, Uint8Array> = {};
    for (const [key, model] of options.models) models[key] = encodeModel(model);
    const ranges = shardRanges(this.indicesLength);
    if (units.length === 0 || ranges.length === 0) return units.map((unit) => emptyOutcome(unit));
    const jobs = units
      .map((unit, id) => ({ unit, id }))
      .sort((a, b) => unitWork(b.unit, 1) - unitWork(a.unit, 1))
      .flatMap(({ unit, id }) => ranges.map((range, shard) => ({ unit, id, shard, range })));
    const shards = units.map(() => new Array<UnitOutcome | undefined>(ranges.length));
    const left = units.map(() => ranges.length);
    const outcomes = new Array<UnitOutcome | undefined>(units.length);
    await this.execute(
      jobs.map(({ unit, range }) => ({ kind: 'unit', unit, range })),
      { kind: 'models', models },
      (index, message) => {
        const job = jobs[index]!;
        if (message.kind === 'work') options.onWork?.(message.sampleSteps, job.unit);
        if (message.kind !== 'done') return;
        // a unit's outcome, summed in shard order, once all its shards are back
        shards[job.id]![job.shard] = message.outcome;
        if (--left[job.id]! > 0) return;
        const outcome = shards[job.id]!.reduce((a, b) => mergeOutcomes(a!, b!))!;
        outcomes[job.id] = outcome;
        try {
          options.onOutcome?.(outcome);
        } catch (error) {
          throw error instanceof WorkbenchError ? error : new WorkbenchError('internal', `storing a result failed: ${(error as Error).message}`);
        }
      },
      options.signal,
    );
    return outcomes as UnitOutcome[];
  }

  /**
   * Sends every worker the networks, then the jobs one at a time per worker as each finishes;
   * `onMessage` sees each job's messages (by job index) and may throw to fail the run. One run at
   * a time; resolves when every job is done.
   */
  private async execute(jobs: readonly WorkerJob[], models: ToWorker, onMessage: (job: number, message: FromWorker) => void, signal?: AbortSignal): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let finished = 0;
        let failed = false;
        const fail = (error: WorkbenchError): void => {
          if (failed) return;
          failed = true;
          reject(error);
        };
        this.onFailure = fail;
        if (this.failure !== undefined) return fail(this.failure);
        const onAbort = (): void => fail(new WorkbenchError('cancelled', 'the run was cancelled'));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const sent = new Set<PoolWorker>();
        const dispatch = (worker: PoolWorker): void => {
          if (!sent.has(worker)) {
            sent.add(worker);
            worker.thread.postMessage(models);
          }
          const job = jobs[next];
          if (job === undefined) return;
          worker.thread.postMessage({ ...job, id: next++ } satisfies ToWorker);
        };
        this.listener = (worker, message) => {
          if (failed) return;
          if (message.kind === 'ready') return dispatch(worker);
          if (message.kind === 'error') return fail(WorkbenchError.fromData(message.error));
          try {
            onMessage(message.id, message);
          } catch (error) {
            return fail(error instanceof WorkbenchError ? error : new WorkbenchError('internal', (error as Error).message));
          }
          if (message.kind === 'done' || message.kind === 'ann-done') {
            if (++finished === jobs.length) resolve();
            else dispatch(worker);
          }
        };
        for (const worker of this.workers) if (worker.ready) dispatch(worker);
      });
    } finally {
      this.listener = undefined;
      this.onFailure = undefined;
    }
  }

  async close(): Promise<void> {
    this.listener = undefined;
    this.onFailure = () => undefined;
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
