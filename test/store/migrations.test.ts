import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../src-main/common/errors';
import { openDatabase, schemaVersion } from '../../src-main/store/database';
import { MIGRATIONS, type Migration } from '../../src-main/store/migrations';
import { removeDir, tempDataDir } from '../helpers/workbench';

const dirs: string[] = [];
function dbPath(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return join(dir, 'workbench.sqlite');
}
afterEach(() => dirs.splice(0).forEach(removeDir));

const objects = (db: Database.Database, type: string): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(type) as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1, 2, … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('migration 1 creates the tables and the indexes the screens use, and sets user_version 1', () => {
    const db = openDatabase(dbPath(), MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    expect(objects(db, 'table')).toEqual(['artifacts', 'conversions', 'datasets', 'job_logs', 'jobs', 'layer_metrics', 'models', 'results', 'samples']);
    expect(objects(db, 'index')).toEqual(
      expect.arrayContaining(['samples_by_split', 'models_by_hash', 'jobs_by_status', 'conversions_by_model', 'conversions_by_dataset', 'results_by_conversion', 'job_logs_by_job']),
    );
    // Listing runs of a conversion reads the index, not the whole results table.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM results WHERE conversion_id = 1').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration 2 gives jobs a worker start time and a dispatch mark, keeping the jobs there were', () => {
    const path = dbPath();
    const v1 = openDatabase(path, MIGRATIONS.slice(0, 1));
    v1.prepare("INSERT INTO jobs (kind, status, params, pid, created_at) VALUES ('run', 'running', '{}', 4242, 'then')").run();
    v1.close();
    const db = openDatabase(path, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    const columns = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`);
    expect(columns).toEqual(expect.arrayContaining(['worker_started TEXT', 'dispatched_at INTEGER']));
    expect(db.prepare('SELECT status, pid, worker_started, dispatched_at FROM jobs').all()).toEqual([{ status: 'running', pid: 4242, worker_started: null, dispatched_at: null }]);
    db.close();
  });

  it('migration 3 gives results their confusion counts; rows stored before read back without them', () => {
    const path = dbPath();
    const v2 = openDatabase(path, MIGRATIONS.slice(0, 2));
    v2.close();
    const db = openDatabase(path, MIGRATIONS.slice(0, 3));
    expect(schemaVersion(db)).toBe(3);
    const columns = (db.prepare('PRAGMA table_info(results)').all() as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`);
    expect(columns).toEqual(expect.arrayContaining(['confusion TEXT', 'step_correct TEXT']));
    db.close();
  });

  it('opening again applies nothing twice', () => {
    const path = dbPath();
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('a failing migration rolls back whole: no half-made table, the version unchanged', () => {
    const path = dbPath();
    openDatabase(path).close();
    const broken: Migration = { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE extra (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    expect(() => openDatabase(path, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(objects(db, 'table')).not.toContain('extra');
    db.close();
  });

  it('a database from a newer build is refused with a clear message and left as it is', () => {
    const path = dbPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    let error: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).kind).toBe('unsupported');
    expect((error as WorkbenchError).message).toMatch(new RegExp(`newer TPP Workbench \\(schema 99; this build knows up to ${MIGRATIONS.length}\\)`));
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });

  it('a file that is not a database is refused as invalid data', () => {
    const path = dbPath();
    writeFileSync(path, 'this is not sqlite, just text that is long enough to have a header of sorts. '.repeat(20));
    expect(() => openDatabase(path)).toThrow(/corrupt or not a workbench database/);
  });
});
