import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/store';
import { isAlive } from './scheduler';

/**
 * Cancels a job within a second: a queued job at once; a running one is asked through the
 * database (its worker checks the flag between batches and every 150 ms), and if it has not
 * stopped after `graceMs` — a long synchronous step — its worker process is killed and the job
 * marked cancelled. Results stored before that stay; the database is never left half-written.
 */
export async function cancelJob(store: Store, id: number, graceMs = 700): Promise<void> {
  store.jobs.requestCancel(id);
  const deadline = performance.now() + graceMs;
  while (store.jobs.get(id)?.status === 'running' && performance.now() < deadline) await sleep(50);
  if (store.jobs.get(id)?.status !== 'running') return;
  const pid = store.jobs.pid(id);
  if (pid !== null && pid !== process.pid && isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone in the meantime: the job is settled below all the same.
    }
  }
  store.jobs.finish(id, 'cancelled');
}
