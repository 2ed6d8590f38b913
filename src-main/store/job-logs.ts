import type { LogLine } from '../common/contract';
import type { Db } from './database';
import { statementCache } from './statements';

/** Log lines of jobs (warnings, notes), kept with the job so any process can show them. */
export type LogLevel = LogLine['level'];

export class JobLogsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  add(jobId: number, level: LogLevel, message: string): void {
    this.q('INSERT INTO job_logs (job_id, level, message, at) VALUES (?, ?, ?, ?)').run(jobId, level, message, new Date().toISOString());
  }

  of(jobId: number): LogLine[] {
    return (this.q('SELECT id, job_id AS jobId, level, message, at FROM job_logs WHERE job_id = ? ORDER BY id').all(jobId) as LogLine[]);
  }

  /** Lines written after `afterId`, oldest first. */
  since(afterId: number, limit = 1000): LogLine[] {
    return this.q('SELECT id, job_id AS jobId, level, message, at FROM job_logs WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as LogLine[];
  }

  lastId(): number {
    return (this.q('SELECT COALESCE(MAX(id), 0) AS id FROM job_logs').get() as { id: number }).id;
  }
}
