import type { Db } from './database';
import { statementCache } from './statements';

/** Files the workbench keeps under `artifacts/` (paths relative to the data directory). */
export interface Artifact {
  readonly id: number;
  readonly kind: string;
  readonly path: string;
  readonly sha256: string | null;
  readonly bytes: number;
  readonly owner: string | null;
}

export class ArtifactsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  add(a: Omit<Artifact, 'id'>): number {
    return Number(
      this.q('INSERT INTO artifacts (kind, path, sha256, bytes, owner, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(a.kind, a.path, a.sha256, a.bytes, a.owner, new Date().toISOString()).lastInsertRowid,
    );
  }

  ofOwner(owner: string): Artifact[] {
    return this.q('SELECT id, kind, path, sha256, bytes, owner FROM artifacts WHERE owner = ? ORDER BY id').all(owner) as Artifact[];
  }

  /** How many artifact rows name this file (several models can share one content-addressed copy). */
  references(path: string): number {
    return (this.q('SELECT COUNT(*) AS n FROM artifacts WHERE path = ?').get(path) as { n: number }).n;
  }

  removeOwner(owner: string): number {
    return this.q('DELETE FROM artifacts WHERE owner = ?').run(owner).changes;
  }
}
