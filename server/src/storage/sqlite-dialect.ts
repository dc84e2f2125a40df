/**
 * Kysely's SQLite dialect over Node's built-in node:sqlite (no native addon to compile).
 * Kysely expects a better-sqlite3-shaped database; this adapter provides one, with a
 * cache of prepared statements since Kysely prepares on every query.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { SqliteDialect } from "kysely";

type Param = null | number | bigint | string | Uint8Array;

function toParam(v: unknown): Param {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  return v as Param;
}

class CachedDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, { stmt: StatementSync; reader: boolean }>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  close(): void {
    this.#cache.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  prepare(sql: string) {
    let entry = this.#cache.get(sql);
    if (!entry) {
      const stmt = this.#db.prepare(sql);
      entry = { stmt, reader: stmt.columns().length > 0 };
      if (this.#cache.size > 500) this.#cache.clear();
      this.#cache.set(sql, entry);
    }
    const { stmt, reader } = entry;
    return {
      reader,
      all: (params: ReadonlyArray<unknown>) => stmt.all(...params.map(toParam)),
      run: (params: ReadonlyArray<unknown>) => {
        const r = stmt.run(...params.map(toParam));
        return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
      },
      iterate: (params: ReadonlyArray<unknown>) => stmt.iterate(...params.map(toParam)),
    };
  }
}

/** Opens `path` with WAL and foreign keys on; ":memory:" for tests. */
export function openSqlite(path: string): { dialect: SqliteDialect; raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { timeout: 5000 });
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("PRAGMA synchronous = NORMAL");
  raw.exec("PRAGMA foreign_keys = ON");
  raw.exec("PRAGMA busy_timeout = 5000");
  const dialect = new SqliteDialect({ database: new CachedDatabase(raw) });
  return { dialect, raw };
}
