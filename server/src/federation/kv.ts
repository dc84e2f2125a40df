/**
 * Fedify's KvStore on our storage layer (SQLite or PostgreSQL, one code path): keys are
 * string arrays stored as their JSON text, values as JSON, with an optional expiry. Fedify
 * keeps its caches (remote documents, public keys), inbox idempotence marks and circuit
 * breaker state here; everything it writes has a TTL, and `sweep()` deletes what expired so
 * the table cannot grow without bound.
 */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { type Kysely, sql } from "kysely";
import type { Database } from "../storage/schema.ts";

/** Milliseconds of a Temporal.Duration (Fedify passes its polyfill's objects). */
export function durationMs(d: unknown): number {
  if (d && typeof d === "object" && "total" in d && typeof d.total === "function")
    return Number(d.total({ unit: "millisecond" }));
  return 0;
}

const encodeKey = (key: KvKey): string => JSON.stringify(key);

/** LIKE pattern matching every key that starts with `prefix` (and has more parts). */
function prefixPattern(prefix: KvKey): string {
  const open = encodeKey(prefix).slice(0, -1); // drop the closing "]"
  return `${open.replace(/[\\%_]/g, (m) => `\\${m}`)},%`;
}

/**
 * Fedify 2.3.6's inbox queue worker marks an activity done under (origin, id) alone, ignoring
 * the federation's idempotency strategy: a Mobilizon Update reusing its Create's id, or a
 * Leave reusing its Join's id, would be dropped as a repeat. Those marks are neither kept nor
 * read here; the inbox listeners mark what they handled under the strategy's key instead
 * (inbox.ts), which Fedify's front door also checks.
 */
function isWorkerMark(key: KvKey): boolean {
  return key.length === 4 && key[0] === "_fedify" && key[1] === "activityIdempotence";
}

export class DbKvStore implements KvStore {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;

  constructor(db: Kysely<Database>, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    if (isWorkerMark(key)) return undefined;
    const row = await this.#db
      .selectFrom("fedify_kv")
      .select(["value", "expires_at"])
      .where("key", "=", encodeKey(key))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.#now()) return undefined;
    return JSON.parse(row.value) as T;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (isWorkerMark(key)) return;
    const k = encodeKey(key);
    const v = JSON.stringify(value ?? null);
    const ttl = options?.ttl ? durationMs(options.ttl) : 0;
    const expires = ttl > 0 ? this.#now() + ttl : null;
    await this.#db
      .insertInto("fedify_kv")
      .values({ key: k, value: v, expires_at: expires })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: v, expires_at: expires }))
      .execute();
  }

  async delete(key: KvKey): Promise<void> {
    await this.#db.deleteFrom("fedify_kv").where("key", "=", encodeKey(key)).execute();
  }

  /**
   * Compare-and-swap. `expectedValue` undefined means "absent (or expired)". Values compare
   * by their JSON text, which is how they are stored.
   */
  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const k = encodeKey(key);
    const v = JSON.stringify(newValue ?? null);
    const now = this.#now();
    const ttl = options?.ttl ? durationMs(options.ttl) : 0;
    const expires = ttl > 0 ? now + ttl : null;
    if (expectedValue === undefined) {
      // Clear an expired entry first, then insert only if nobody holds the key.
      await this.#db
        .deleteFrom("fedify_kv")
        .where("key", "=", k)
        .where("expires_at", "<=", now)
        .execute();
      const r = await this.#db
        .insertInto("fedify_kv")
        .values({ key: k, value: v, expires_at: expires })
        .onConflict((oc) => oc.column("key").doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    const r = await this.#db
      .updateTable("fedify_kv")
      .set({ value: v, expires_at: expires })
      .where("key", "=", k)
      .where("value", "=", JSON.stringify(expectedValue))
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = this.#now();
    let q = this.#db
      .selectFrom("fedify_kv")
      .select(["key", "value"])
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
    if (prefix) {
      const exact = encodeKey(prefix);
      const pattern = prefixPattern(prefix);
      q = q.where((eb) =>
        eb.or([eb("key", "=", exact), sql<boolean>`key like ${pattern} escape '\\'`]),
      );
    }
    const rows = await q.orderBy("key").execute();
    for (const row of rows) {
      // SQLite's LIKE ignores ASCII case: re-check the prefix exactly.
      const key = JSON.parse(row.key) as string[];
      if (prefix && !prefix.every((part, i) => key[i] === part)) continue;
      yield { key: key as unknown as KvKey, value: JSON.parse(row.value) };
    }
  }

  /** Deletes expired entries; returns how many. */
  async sweep(): Promise<number> {
    const r = await this.#db
      .deleteFrom("fedify_kv")
      .where("expires_at", "<=", this.#now())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
