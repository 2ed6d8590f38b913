import Database from 'better-sqlite3';
import { WorkbenchError } from '../common/errors';
import { fileError } from '../formats/node/files';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * The workbench database (better-sqlite3): WAL journal so readers never block the writer, a busy
 * timeout so two processes on one data directory wait for each other instead of failing, foreign
 * keys on, and the schema brought to the newest migration on open.
 */
export type Db = Database.Database;

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db;
  try {
    db = new Database(path);
    // The busy timeout first: switching to WAL takes a lock another process may hold.
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw databaseError(error, path);
  }
  try {
    migrate(db, migrations, path);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[], path: string): void {
  const latest = migrations.reduce((a, m) => Math.max(a, m.version), 0);
  const current = schemaVersion(db);
  if (current > latest) {
    throw new WorkbenchError('unsupported', `${path} was written by a newer TPP Workbench (schema ${current}; this build knows up to ${latest}): update the workbench`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Each migration and its version bump commit together, or not at all. The version is read
    // again under the write lock: another process opening the same directory may have won.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

function databaseError(error: unknown, path: string): WorkbenchError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_DIRECTORY') {
    return new WorkbenchError('io', `database ${path}: cannot write (${code}): is the data directory read-only?`);
  }
  if (code === 'SQLITE_FULL') return new WorkbenchError('io', `database ${path}: the disk is full`);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return new WorkbenchError('invalid_data', `database ${path} is corrupt or not a workbench database (${code})`);
  if (code.startsWith('SQLITE_')) return new WorkbenchError('io', `database ${path}: ${(error as Error).message} (${code})`);
  return fileError(error, path, 'database');
}

/** SQLite failures (disk full, read-only, corrupt) as one clear WorkbenchError; anything else as is. */
export function asStoreError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? databaseError(error, path) : error;
}
