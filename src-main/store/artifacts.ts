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

  get(id: number): (Artifact & { readonly createdAt: string }) | undefined {
    const r = this.q('SELECT id, kind, path, sha256, bytes, owner, created_at FROM artifacts WHERE id = ?').get(id) as (Artifact & { created_at: string }) | undefined;
    if (r === undefined) return undefined;
    const { created_at: createdAt, ...rest } = r;
    return { ...rest, createdAt };
  }

  /** The row of a file, when one names it (the newest). */
  byPath(path: string): Artifact | undefined {
    return this.q('SELECT id, kind, path, sha256, bytes, owner FROM artifacts WHERE path = ? ORDER BY id DESC LIMIT 1').get(path) as Artifact | undefined;
  }

  /** Records a file written at `path`, or updates the row that already names it (a file written again). */
  put(a: Omit<Artifact, 'id'>): number {
    const existing = this.byPath(a.path);
    if (existing === undefined) return this.add(a);
    this.q('UPDATE artifacts SET kind = ?, sha256 = ?, bytes = ?, owner = ?, created_at = ? WHERE id = ?').run(a.kind, a.sha256, a.bytes, a.owner, new Date().toISOString(), existing.id);
    return existing.id;
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
