import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/store';
import { workerAlive } from './liveness';
import { startJobWorker } from './spawn-worker';

/**
 * Scheduling without a daemon: whoever queues or frees work starts enough workers for the
 * queued jobs, up to the concurrency limit. Starting is reserved in the database (a queued job
 * gets one worker on its way, whoever dispatches), and each worker claims jobs atomically, so
 * racing dispatchers never start two workers for one job nor run more than the limit at once.
 */
export function defaultConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env['TPPW_MAX_JOBS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

/** How long a worker started for a queued job may take to claim it before another is started. */
export const WORKER_START_MS = 15_000;

export function dispatchJobs(store: Store, limit: number, start: (dataDir: string, limit: number) => number = startJobWorker, nowMs = Date.now()): number {
  const workers = store.jobs.reserveWorkers(limit, nowMs, WORKER_START_MS);
  for (let i = 0; i < workers; i++) start(store.dir.root, limit);
  return workers;
}

/** Whether a process exists and is not dying (see `workerAlive`; no start time to compare). */
export function isAlive(pid: number): boolean {
  return workerAlive({ pid, startedAt: null });
}

/** Jobs left running by a worker that has died (or is dying: killed, not yet gone) become interrupted. */
export function recoverJobs(store: Store, only?: number): number[] {
  return store.jobs.markInterrupted((pid, startedAt) => workerAlive({ pid, startedAt }), only);
}

/**
 * Settles job `id` if its worker is dead, looking again for up to `graceMs`: a worker told to
 * end (SIGTERM) can be past its pending signal and not yet marked as exiting for some
 * microseconds, and an answer that depends on that instant is what `kill; resume` must not get.
 */
export async function recoverJob(store: Store, id: number, graceMs = 50): Promise<boolean> {
  const deadline = performance.now() + graceMs;
  for (;;) {
    if (recoverJobs(store, id).length > 0) return true;
    if (store.jobs.get(id)?.status !== 'running' || performance.now() >= deadline) return false;
    await sleep(5);
  }
}
