import type { ModelDetail, ModelRow } from '../common/contract';
import type { ModelSummary } from '../common/ir/summary';
import type { Db } from './database';
import { statementCache } from './statements';

/** The models table: imported models, their summaries, content hashes and IR copies. */
interface ModelDb {
  id: number;
  name: string;
  source_path: string;
  format: string;
  sha256: string;
  artifact: string;
  summary: string;
  params: number;
  macs: number;
  created_at: string;
}

function toRow(r: ModelDb): ModelRow {
  return { id: r.id, name: r.name, sourcePath: r.source_path, format: r.format, sha256: r.sha256, params: r.params, macs: r.macs, createdAt: r.created_at };
}

export class ModelsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  insert(m: { name: string; sourcePath: string; format: string; sha256: string; artifact: string; summary: ModelSummary }): number {
    return Number(
      this.q('INSERT INTO models (name, source_path, format, sha256, artifact, summary, params, macs, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(m.name, m.sourcePath, m.format, m.sha256, m.artifact, JSON.stringify(m.summary), m.summary.totals.params, m.summary.totals.macs, new Date().toISOString()).lastInsertRowid,
    );
  }

  list(): ModelRow[] {
    return (this.q('SELECT * FROM models ORDER BY id').all() as ModelDb[]).map(toRow);
  }

  get(id: number): (ModelDetail & { artifact: string }) | undefined {
    const r = this.q('SELECT * FROM models WHERE id = ?').get(id) as ModelDb | undefined;
    return r && { ...toRow(r), summary: JSON.parse(r.summary), artifact: r.artifact };
  }

  byHash(sha256: string): ModelRow | undefined {
    const r = this.q('SELECT * FROM models WHERE sha256 = ? ORDER BY id LIMIT 1').get(sha256) as ModelDb | undefined;
    return r && toRow(r);
  }

  remove(id: number): number {
    return this.q('DELETE FROM models WHERE id = ?').run(id).changes;
  }
}
