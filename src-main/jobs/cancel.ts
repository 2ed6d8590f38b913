import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/store';
import { workerAlive } from './liveness';

/**
 * Cancels a job within a second: a queued job at once; a running one is asked through the
 * database (its worker checks the flag between batches and every 150 ms), and if it has not
 * stopped after `graceMs` — a long synchronous step — its worker process is killed and the job
 * marked cancelled; a worker that dies meanwhile leaves its job cancelled too. The worker is known
 * by pid and start time, so a recycled pid is never signalled. Results stored before that stay;
 * the database is never left half-written.
 */
export async function cancelJob(store: Store, id: number, graceMs = 700): Promise<void> {
  store.jobs.requestCancel(id);
  const deadline = performance.now() + graceMs;
  for (;;) {
    const worker = store.jobs.worker(id);
    if (worker === null) {
      // Settled by its worker, or running with no worker recorded (a database from before pids).
      if (store.jobs.get(id)?.status === 'running') store.jobs.settle(id, { pid: null, startedAt: null }, 'cancelled');
      return;
    }
    if (!workerAlive(worker)) {
      store.jobs.settle(id, worker, 'cancelled');
      return;
    }
    if (performance.now() >= deadline) {
      if (worker.pid !== process.pid) {
        try {
          process.kill(worker.pid, 'SIGKILL');
        } catch {
          // Gone in the meantime: the job is settled below all the same.
        }
      }
      store.jobs.settle(id, worker, 'cancelled');
      return;
    }
    await sleep(50);
  }
}
