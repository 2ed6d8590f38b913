import type { Store } from '../store/store';

/** What every handler works with: the opened store, how to start queued jobs, the path policy. */
export interface ServiceContext {
  readonly store: Store;
  /** Folders requests may name (HTTP bridge); undefined: any existing path (local CLI). */
  readonly roots: readonly string[] | undefined;
  readonly version: string;
  /** Starts workers for queued jobs, up to the concurrency limit. */
  dispatch(): void;
}
