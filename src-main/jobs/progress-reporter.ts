import type { JobProgress } from '../common/progress';

/**
 * Job progress as the job sees it, written for everyone else to read: the latest
 * `{ step, current, total }` with an ETA from the rate so far in the step. Writes are throttled
 * (one per `intervalMs`, plus every change of step) and a heartbeat rewrites the latest value
 * whenever the thread is free, so readers see fresh progress at least every 500 ms.
 */
export class ProgressReporter {
  private latest: JobProgress | undefined;
  private stepStarted = 0;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (progress: JobProgress) => void,
    private readonly intervalMs = 200,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.latest !== undefined) this.flush(this.withEta(this.latest));
    }, Math.max(this.intervalMs, 250));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.latest !== undefined) this.flush(this.latest);
  }

  update(step: string, current: number, total: number): void {
    const now = this.clock();
    const changedStep = this.latest?.step !== step;
    if (changedStep) this.stepStarted = now;
    this.latest = this.withEta({ step, current, total, etaMs: null });
    if (changedStep || now - this.lastWrite >= this.intervalMs || current >= total) this.flush(this.latest);
  }

  private withEta(p: JobProgress): JobProgress {
    const elapsed = this.clock() - this.stepStarted;
    const etaMs = p.current > 0 && p.total >= p.current ? Math.round((elapsed * (p.total - p.current)) / p.current) : null;
    return { ...p, etaMs };
  }

  private flush(p: JobProgress): void {
    this.lastWrite = this.clock();
    this.write(p);
  }
}
