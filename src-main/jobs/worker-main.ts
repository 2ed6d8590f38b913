import type { JobKind } from '../common/contract';
import { WorkbenchError, toErrorData } from '../common/errors';
import { asStoreError } from '../store/database';
import { openStore, type Store } from '../store/store';
import type { JobContext } from './job-context';
import { currentWorker } from './liveness';
import { ProgressReporter } from './progress-reporter';
import { TASKS } from './tasks';

/**
 * The job worker process: it owns tfjs and writes its own results. It claims queued jobs one
 * after another (never more running than the concurrency limit, across all processes on the
 * data directory) and exits when none is left. Started detached by `startJobWorker`, so a job
 * outlives the CLI command that queued it. Its claims record its pid and start time, which is how
 * others tell that it died (see `liveness.ts`); it installs no SIGTERM handler, so SIGTERM ends
 * it at once, like SIGKILL, and what it stored is whole (every write is one transaction).
 *
 *   node worker-main.js <data dir> <concurrency limit>
 */
async function runJob(store: Store, job: { id: number; kind: JobKind }): Promise<void> {
  const controller = new AbortController();
  const reporter = new ProgressReporter((p) => store.jobs.progress(job.id, p));
  let lastCheck = 0;
  const checkCancelled = (): void => {
    const now = performance.now();
    if (!controller.signal.aborted && now - lastCheck >= 100) {
      lastCheck = now;
      if (store.jobs.cancelRequested(job.id)) controller.abort();
    }
    if (controller.signal.aborted) throw new WorkbenchError('cancelled', `job ${job.id} was cancelled`);
  };
  // While the thread is free (simulation runs in worker threads), cancellation arrives by timer.
  const poll = setInterval(() => {
    if (store.jobs.cancelRequested(job.id)) controller.abort();
  }, 150);
  const context: JobContext = {
    store,
    jobId: job.id,
    signal: controller.signal,
    progress: (step, current, total) => reporter.update(step, current, total),
    log: (level, message) => store.logs.add(job.id, level, message),
    checkCancelled,
  };
  reporter.start();
  try {
    await TASKS[job.kind](context, store.jobs.params(job.id));
    reporter.stop();
    store.jobs.finish(job.id, 'succeeded');
  } catch (error) {
    reporter.stop();
    const data = toErrorData(asStoreError(error, store.dir.database));
    if (data.kind === 'cancelled' || controller.signal.aborted) {
      store.jobs.finish(job.id, 'cancelled');
    } else {
      store.logs.add(job.id, 'error', data.message);
      store.jobs.finish(job.id, 'failed', data);
    }
  } finally {
    clearInterval(poll);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [root, limitArg] = argv;
  if (root === undefined) throw new Error('usage: worker-main <data dir> <limit>');
  const limit = Math.max(1, Number(limitArg) || 1);
  const store = openStore(root);
  const me = currentWorker();
  // One line per worker started, in logs/workers.log: a start with no job after it is a surplus worker.
  process.stderr.write(`${new Date().toISOString()} tppw job worker ${me.pid} started\n`);
  try {
    for (let job = store.jobs.claimNext(me.pid, limit, me.startedAt); job !== undefined; job = store.jobs.claimNext(me.pid, limit, me.startedAt)) {
      await runJob(store, job);
    }
  } finally {
    store.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`tppw job worker ${process.pid}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
