/** Opens the configured database: embedded SQLite by default, PostgreSQL for a postgres:// URL. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { pgDriver } from "../lazy.ts";
import { migrate } from "./migrations.ts";
import type { Database } from "./schema.ts";
import { openSqlite } from "./sqlite-dialect.ts";

export type Dialect = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for logs: a file path or the PostgreSQL URL without password. */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

export async function openStore(opts: StoreOptions, { runMigrations = true } = {}): Promise<Store> {
  let store: Store;
  if (opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
    const pg = await pgDriver();
    // int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.maxConnections ?? 10,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = {
      db,
      dialect: "postgres",
      location: redactUrl(opts.databaseUrl),
      close: () => db.destroy(),
    };
  } else {
    if (opts.sqlitePath !== ":memory:") mkdirSync(dirname(opts.sqlitePath), { recursive: true });
    const { dialect } = openSqlite(opts.sqlitePath);
    const db = new Kysely<Database>({ dialect });
    store = { db, dialect: "sqlite", location: opts.sqlitePath, close: () => db.destroy() };
  }
  if (runMigrations) await migrate(store.db, store.dialect);
  return store;
}
