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
import type { FromWorker, ToWorker, WorkerSetup } from './messages';

/**
 * Runs units on worker threads, one tfjs backend each (tfjs-backend-wasm is single-threaded, so
 * one worker per core is what uses the machine). The pool starts its workers before the networks
 * exist, so that they load, open the evaluation samples and start their backends while the
 * caller evaluates the ANN and calibrates; the converted networks follow with the units. The
 * samples are read once and shared with every worker through a SharedArrayBuffer. Each unit goes
 * out as its shards (SHARD_SAMPLES), longest units first, so even one unit keeps every worker
 * busy; a unit's shards are summed in shard order once all are back, exactly as runUnit sums
 * them in one thread. Outcomes come back in unit order.
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
      const worker: PoolWorker = { thread: startWorker(join(__dirname, 'unit-worker'), __filename, setup), ready: false };
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
    return new UnitPool(setup, Math.max(1, Math.min(options.workers, shardRanges(indices.length).length)), indices.length);
  }

  /** Simulates the units' shards on the workers; one run at a time. */
  async run(units: readonly Unit[], options: PoolRun): Promise<UnitOutcome[]> {
    const models: Record<string, Uint8Array> = {};
    for (const [key, model] of options.models) models[key] = encodeModel(model);
    const ranges = shardRanges(this.indicesLength);
    const jobs = units
      .map((unit, id) => ({ unit, id }))
      .sort((a, b) => unitWork(b.unit, 1) - unitWork(a.unit, 1))
      .flatMap(({ unit, id }) => ranges.map((range, shard) => ({ unit, id, shard, range })));
    const shards = units.map(() => new Array<UnitOutcome | undefined>(ranges.length));
    const left = units.map(() => ranges.length);
    const outcomes = new Array<UnitOutcome | undefined>(units.length);
    if (units.length === 0 || ranges.length === 0) return units.map((unit) => emptyOutcome(unit));

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
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const sent = new Set<PoolWorker>();
        const dispatch = (worker: PoolWorker): void => {
          if (!sent.has(worker)) {
            sent.add(worker);
            worker.thread.postMessage({ kind: 'models', models } satisfies ToWorker);
          }
          const job = jobs[next];
          if (job === undefined) return;
          worker.thread.postMessage({ kind: 'unit', id: next++, unit: job.unit, range: job.range } satisfies ToWorker);
        };
        /** A shard's outcome; the unit's, summed in shard order, once it has them all. */
        const complete = (job: (typeof jobs)[number], outcome: UnitOutcome): UnitOutcome | undefined => {
          shards[job.id]![job.shard] = outcome;
          if (--left[job.id]! > 0) return undefined;
          return shards[job.id]!.reduce((a, b) => mergeOutcomes(a!, b!));
        };
        this.listener = (worker, message) => {
          switch (message.kind) {
            case 'ready':
              dispatch(worker);
              return;
            case 'work':
              options.onWork?.(message.sampleSteps, jobs[message.id]!.unit);
              return;
            case 'done': {
              const job = jobs[message.id]!;
              const outcome = complete(job, message.outcome);
              if (outcome !== undefined) {
                outcomes[job.id] = outcome;
                try {
                  options.onOutcome?.(outcome);
                } catch (error) {
                  fail(error instanceof WorkbenchError ? error : new WorkbenchError('internal', `storing a result failed: ${(error as Error).message}`));
                  return;
                }
              }
              if (++finished === jobs.length) resolve();
              else dispatch(worker);
              return;
            }
            case 'error':
              fail(WorkbenchError.fromData(message.error));
              return;
          }
        };
        for (const worker of this.workers) if (worker.ready) dispatch(worker);
      });
    } finally {
      this.listener = undefined;
      this.onFailure = undefined;
    }
    return outcomes as UnitOutcome[];
  }

  async close(): Promise<void> {
    this.listener = undefined;
    this.onFailure = () => undefined;
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
