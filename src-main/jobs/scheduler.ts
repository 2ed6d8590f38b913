import { availableParallelism } from 'node:os';
import type { Store } from '../store/store';
import { startJobWorker } from './spawn-worker';

/**
 * Scheduling without a daemon: whoever queues or frees work starts enough workers for the
 * queued jobs, up to the concurrency limit; each worker claims jobs atomically in the database,
 * so racing dispatchers never run more than the limit at once (a surplus worker finds nothing
 * to claim and exits).
 */
export function defaultConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env['TPPW_MAX_JOBS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

export function dispatchJobs(store: Store, limit: number, start: (dataDir: string, limit: number) => number = startJobWorker): number {
  const { running, queued } = store.jobs.counts();
  const workers = Math.min(queued, Math.max(0, limit - running));
  for (let i = 0; i < workers; i++) start(store.dir.root, limit);
  return workers;
}

/** Whether a process exists (signal 0 tests without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Jobs left running by a process that has died become interrupted (resumable). */
export function recoverJobs(store: Store): number[] {
  return store.jobs.markInterrupted(isAlive);
}
