import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Prepared statements by SQL text, prepared once per connection (preparing costs more than most queries). */
export function statementCache(db: Db): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
