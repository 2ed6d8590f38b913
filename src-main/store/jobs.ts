import type { ErrorData } from '../common/errors';
import type { Job, JobKind, JobStatus } from '../common/contract';
import type { JobProgress } from '../common/progress';
import type { Db } from './database';
import { statementCache } from './statements';

/** The jobs table: a closed set of statuses, progress, errors, cancellation requests. */
export interface JobRowDb {
  id: number;
  kind: JobKind;
  status: JobStatus;
  progress_step: string | null;
  progress_current: number | null;
  progress_total: number | null;
  eta_ms: number | null;
  error: string | null;
  result_ref: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const now = (): string => new Date().toISOString();

/** The columns a Job is made of (not the arguments, worker identity, dispatch mark or cancel flag: those stay internal). */
export const JOB_COLUMNS = (alias = ''): string =>
  ['id', 'kind', 'status', 'progress_step', 'progress_current', 'progress_total', 'eta_ms', 'error', 'result_ref', 'created_at', 'started_at', 'finished_at'].map((c) => `${alias}${c}`).join(', ');

export function toJob(r: JobRowDb): Job {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    progress: r.progress_step === null ? null : { step: r.progress_step, current: r.progress_current ?? 0, total: r.progress_total ?? 0, etaMs: r.eta_ms },
    error: r.error === null ? null : (JSON.parse(r.error) as ErrorData),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result_ref === null ? null : JSON.parse(r.result_ref),
  };
}

export class JobsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  create(kind: JobKind, params: unknown): number {
    return Number(this.q('INSERT INTO jobs (kind, status, params, created_at) VALUES (?, ?, ?, ?)').run(kind, 'queued', JSON.stringify(params), now()).lastInsertRowid);
  }

  get(id: number): Job | undefined {
    const r = this.q(`SELECT ${JOB_COLUMNS()} FROM jobs WHERE id = ?`).get(id) as JobRowDb | undefined;
    return r && toJob(r);
  }

  params<T>(id: number): T {
    const r = this.q('SELECT params FROM jobs WHERE id = ?').get(id) as { params: string } | undefined;
    return JSON.parse(r!.params) as T;
  }

  list(status?: JobStatus): Job[] {
    const rows = (status ? this.q(`SELECT ${JOB_COLUMNS()} FROM jobs WHERE status = ? ORDER BY id DESC`).all(status) : this.q(`SELECT ${JOB_COLUMNS()} FROM jobs ORDER BY id DESC`).all()) as JobRowDb[];
    return rows.map(toJob);
  }

  /** Jobs queued or running now, the listed ones whatever their status (to see them end), and any newer than `afterId`. */
  active(ids: readonly number[], afterId: number): Job[] {
    const rows = this.q(`SELECT ${JOB_COLUMNS()} FROM jobs WHERE status IN ('queued', 'running') OR id > ? OR id IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .all(afterId, JSON.stringify(ids)) as JobRowDb[];
    return rows.map(toJob);
  }

  /**
   * Claims the oldest queued job for the process `pid` (started at `startedAt`, as the OS tells:
   * with the pid, what identifies the worker when its liveness is checked) when fewer than `limit`
   * jobs are running, atomically across processes (an immediate transaction holds the write lock
   * for the check).
   */
  claimNext(pid: number, limit: number, startedAt: string | null = null): { id: number; kind: JobKind } | undefined {
    return this.db.transaction(() => {
      const running = (this.q("SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").get() as { n: number }).n;
      if (running >= limit) return undefined;
      const next = this.q("SELECT id, kind FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1").get() as { id: number; kind: JobKind } | undefined;
      if (next === undefined) return undefined;
      this.q("UPDATE jobs SET status = 'running', pid = ?, worker_started = ?, dispatched_at = NULL, started_at = ?, finished_at = NULL, error = NULL, cancel_requested = 0, progress_step = NULL, eta_ms = NULL WHERE id = ?")
        .run(pid, startedAt, now(), next.id);
      return next;
    }).immediate();
  }

  /** Puts an interrupted, failed or cancelled job back in the queue (false when it is not one). */
  requeue(id: number): boolean {
    return this.q("UPDATE jobs SET status = 'queued', dispatched_at = NULL, finished_at = NULL, error = NULL, cancel_requested = 0 WHERE id = ? AND status IN ('interrupted', 'failed', 'cancelled')").run(id).changes === 1;
  }

  /**
   * How many workers to start now, reserved atomically across processes: one per queued job that
   * no dispatcher started a worker for in the last `staleMs`, while running jobs and workers on
   * their way stay within `limit`. Two dispatchers racing (two `runs resume` at once) thus start
   * one worker, not two; a worker that died before claiming is replaced once its mark is stale.
   */
  reserveWorkers(limit: number, nowMs: number, staleMs: number): number {
    return this.db.transaction(() => {
      const r = this.q("SELECT SUM(status = 'running') AS running, SUM(status = 'queued' AND dispatched_at > ?) AS onTheWay FROM jobs").get(nowMs - staleMs) as { running: number | null; onTheWay: number | null };
      const free = limit - (r.running ?? 0) - (r.onTheWay ?? 0);
      if (free <= 0) return 0;
      return this.q("UPDATE jobs SET dispatched_at = ? WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND (dispatched_at IS NULL OR dispatched_at <= ?) ORDER BY id LIMIT ?)")
        .run(nowMs, nowMs - staleMs, free).changes;
    }).immediate();
  }

  counts(): { running: number; queued: number } {
    const r = this.q("SELECT SUM(status = 'running') AS running, SUM(status = 'queued') AS queued FROM jobs").get() as { running: number | null; queued: number | null };
    return { running: r.running ?? 0, queued: r.queued ?? 0 };
  }

  pid(id: number): number | null {
    return (this.q('SELECT pid FROM jobs WHERE id = ?').get(id) as { pid: number | null } | undefined)?.pid ?? null;
  }

  /** The worker process holding a running job: its pid and start time (null when none holds it). */
  worker(id: number): { pid: number; startedAt: string | null } | null {
    const r = this.q("SELECT pid, worker_started FROM jobs WHERE id = ? AND status = 'running'").get(id) as { pid: number | null; worker_started: string | null } | undefined;
    return r === undefined || r.pid === null ? null : { pid: r.pid, startedAt: r.worker_started };
  }

  progress(id: number, p: JobProgress): void {
    this.q('UPDATE jobs SET progress_step = ?, progress_current = ?, progress_total = ?, eta_ms = ? WHERE id = ?').run(p.step, p.current, p.total, p.etaMs, id);
  }

  setResult(id: number, result: Job['result']): void {
    this.q('UPDATE jobs SET result_ref = ? WHERE id = ?').run(JSON.stringify(result), id);
  }

  /** Ends a running job; false when it was no longer running (another process settled it). */
  finish(id: number, status: Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled'>, error?: ErrorData): boolean {
    return this.q("UPDATE jobs SET status = ?, error = ?, pid = NULL, worker_started = NULL, finished_at = ? WHERE id = ? AND status = 'running'").run(status, error ? JSON.stringify(error) : null, now(), id).changes === 1;
  }

  requestCancel(id: number): void {
    this.q('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(id);
    // A job that has not started yet is cancelled outright.
    this.q("UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'").run(now(), id);
  }

  cancelRequested(id: number): boolean {
    const r = this.q('SELECT cancel_requested FROM jobs WHERE id = ?').get(id) as { cancel_requested: number } | undefined;
    return r?.cancel_requested === 1;
  }

  running(): { id: number; pid: number | null; startedAt: string | null }[] {
    return this.q("SELECT id, pid, worker_started AS startedAt FROM jobs WHERE status = 'running'").all() as { id: number; pid: number | null; startedAt: string | null }[];
  }

  /**
   * Jobs left 'running' by a worker that is no longer alive become 'interrupted' (all of them, or
   * job `only`). Returns the jobs it settled.
   */
  markInterrupted(isAlive: (pid: number, startedAt: string | null) => boolean, only?: number): number[] {
    const dead = this.running().filter((j) => (only === undefined || j.id === only) && (j.pid === null || !isAlive(j.pid, j.startedAt)));
    return dead.filter((j) => this.settle(j.id, { pid: j.pid, startedAt: j.startedAt }, 'interrupted')).map((j) => j.id);
  }

  /**
   * Ends a running job of a worker judged dead (or killed). The update names that worker, so a job
   * another process has meanwhile settled, resumed and handed to a new worker is left alone.
   */
  settle(id: number, worker: { pid: number | null; startedAt: string | null }, status: Extract<JobStatus, 'interrupted' | 'cancelled'>): boolean {
    return this.q("UPDATE jobs SET status = ?, pid = NULL, worker_started = NULL, finished_at = ? WHERE id = ? AND status = 'running' AND pid IS ? AND worker_started IS ?")
      .run(status, now(), id, worker.pid, worker.startedAt).changes === 1;
  }

  remove(id: number): void {
    this.q('DELETE FROM jobs WHERE id = ?').run(id);
  }
}
