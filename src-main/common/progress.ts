/**
 * How far a piece of work is, as everything reports it (STYLE.md: `{ step, current, total }`):
 * the engine per batch and unit, the dataset indexer per sample, the jobs runner with an ETA on
 * top, and every transport shows the same object.
 */
export interface Progress {
  /** The phase: `ann`, `calibrate`, `simulate`, `index`, `import`, … */
  readonly step: string;
  readonly current: number;
  readonly total: number;
  /** What is being worked on inside the step (e.g. `tpp T=8 seed 1`). */
  readonly detail?: string;
}

/** A job's progress as stored and sent to transports: the work's progress and the time left. */
export interface JobProgress extends Progress {
  /** Estimated milliseconds left, from the rate so far (null until there is one). */
  readonly etaMs: number | null;
}
