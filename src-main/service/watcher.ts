import type { EventMessage, Job } from '../common/contract';
import type { Store } from '../store/store';

/**
 * Turns the jobs table into the contract's events. Workers in any process write progress, status
 * and log lines to the database; one poll reads what changed since the last one and emits
 * `job.progress`, `job.finished` and `log` — so a browser sees jobs the CLI started, too.
 */
export class JobWatcher {
  private readonly seen = new Map<number, { status: Job['status']; progress: string }>();
  private lastLog: number;
  private lastJob = 0;

  constructor(private readonly store: Store, private readonly emit: (message: EventMessage) => void) {
    this.lastLog = store.logs.lastId();
    for (const job of store.jobs.list()) {
      this.seen.set(job.id, { status: job.status, progress: JSON.stringify(job.progress) });
      this.lastJob = Math.max(this.lastJob, job.id);
    }
  }

  poll(): void {
    // Log lines first: a job's last words arrive before its end.
    for (const line of this.store.logs.since(this.lastLog)) {
      this.lastLog = line.id;
      this.emit({ event: 'log', data: { jobId: line.jobId, level: line.level, message: line.message } });
    }
    const open = [...this.seen].filter(([, s]) => s.status === 'queued' || s.status === 'running').map(([id]) => id);
    for (const job of this.store.jobs.active(open, this.lastJob)) {
      const before = this.seen.get(job.id);
      this.lastJob = Math.max(this.lastJob, job.id);
      const progress = JSON.stringify(job.progress);
      this.seen.set(job.id, { status: job.status, progress });
      if (job.progress !== null && progress !== before?.progress && (job.status === 'running' || before?.status === 'running')) {
        this.emit({ event: 'job.progress', data: { jobId: job.id, progress: job.progress } });
      }
      const finished = job.status !== 'queued' && job.status !== 'running';
      if (finished && before?.status !== job.status) this.emit({ event: 'job.finished', data: { jobId: job.id, status: job.status, error: job.error } });
    }
  }
}
