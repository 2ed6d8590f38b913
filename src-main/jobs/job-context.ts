import type { LogLevel } from '../store/job-logs';
import type { Store } from '../store/store';

/** What a task gets from the worker that runs it: the store, its job id, progress, logs, cancellation. */
export interface JobContext {
  readonly store: Store;
  readonly jobId: number;
  /** Aborted when the user asks to cancel. */
  readonly signal: AbortSignal;
  progress(step: string, current: number, total: number): void;
  log(level: LogLevel, message: string): void;
  /** Throws the cancellation error once the job was cancelled; cheap enough to call per item
   * (it looks at the database at most every 100 ms), for synchronous loops the signal cannot reach. */
  checkCancelled(): void;
}

export type Task = (context: JobContext, params: unknown) => Promise<void>;
