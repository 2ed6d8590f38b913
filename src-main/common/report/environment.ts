/**
 * Where a run ran, recorded by the run job when it starts (the machine, the versions), so a report
 * printed later on another machine still says what produced its numbers.
 */
export interface RunEnvironment {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly workbench: string;
  readonly tfjs: string;
  /** ISO time the job started (the first time, when resumed). */
  readonly startedAt: string;
}
