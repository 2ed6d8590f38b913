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
 * Runs units on `workers` worker threads, one tfjs backend each (tfjs-backend-wasm is
 * single-threaded, so one worker per core is what uses the machine). The evaluation samples are
 * read once and shared with every worker through a SharedArrayBuffer. Each unit goes out as its
 * shards (SHARD_SAMPLES), longest units first, so even one unit keeps every worker busy; a
 * unit's shards are summed in shard order once all are back, exactly as runUnit sums them in
 * one thread. Outcomes come back in unit order.
 */
export interface PoolOptions {
  readonly workers: number;
  readonly backend: string;
  readonly models: ReadonlyMap<string, SnnModel>;
  readonly set: SampleSet;
  readonly indices: Int32Array;
  readonly stepInput?: boolean;
  readonly budgetValues?: number;
  readonly signal?: AbortSignal;
  readonly onWork?: (sampleSteps: number, unit: Unit) => void;
  /** Each unit's outcome as it arrives. */
  readonly onOutcome?: (outcome: UnitOutcome) => void;
}

function startUnitWorker(setup: WorkerSetup): Worker {
  return startWorker(join(__dirname, 'unit-worker'), __filename, setup);
}

export async function runUnitsInPool(units: readonly Unit[], options: PoolOptions): Promise<UnitOutcome[]> {
  const { set, indices } = options;
  const models: Record<string, Uint8Array> = {};
  for (const [key, model] of options.models) models[key] = encodeModel(model);
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
    models,
    data,
    stepInput: options.stepInput ?? false,
    ...(options.budgetValues !== undefined ? { budgetValues: options.budgetValues } : {}),
  };

  const ranges = shardRanges(indices.length);
  const jobs = units
    .map((unit, id) => ({ unit, id }))
    .sort((a, b) => unitWork(b.unit, 1) - unitWork(a.unit, 1))
    .flatMap(({ unit, id }) => ranges.map((range, shard) => ({ unit, id, shard, range })));
  const shards = units.map(() => new Array<UnitOutcome | undefined>(ranges.length));
  const left = units.map(() => ranges.length);
  const outcomes = new Array<UnitOutcome | undefined>(units.length);
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  const workers: Worker[] = [];

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
      const onAbort = (): void => fail(new WorkbenchError('cancelled', 'the run was cancelled'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (worker: Worker): void => {
        const job = jobs[next];
        if (job === undefined) return;
        worker.postMessage({ kind: 'unit', id: next++, unit: job.unit, range: job.range } satisfies ToWorker);
      };
      /** A shard's outcome; the unit's, summed in shard order, once it has them all. */
      const complete = (job: (typeof jobs)[number], outcome: UnitOutcome): UnitOutcome | undefined => {
        shards[job.id]![job.shard] = outcome;
        if (--left[job.id]! > 0) return undefined;
        return shards[job.id]!.reduce((a, b) => mergeOutcomes(a!, b!));
      };
      if (units.length === 0 || ranges.length === 0) {
        units.forEach((unit, id) => (outcomes[id] = emptyOutcome(unit)));
        return resolve();
      }
      for (let w = 0; w < count; w++) {
        const worker = startUnitWorker(setup);
        workers.push(worker);
        worker.on('message', (message: FromWorker) => {
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
        });
        worker.on('error', (error) => fail(new WorkbenchError('internal', `simulation worker failed: ${error.message}`)));
        worker.on('exit', (code) => {
          if (code !== 0 && finished < jobs.length) fail(new WorkbenchError('internal', `simulation worker exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return outcomes as UnitOutcome[];
}
