/**
 * Versioned migrations, run in order on start inside one transaction each. Written with
 * Kysely's schema builder so one definition creates the same tables on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>): Promise<void>;
}

// Kysely's schema builder is untyped by design (tables do not exist yet).
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDb = Kysely<any>;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "accounts, identities, groups, events",
    async up(kdb) {
      const db = kdb as AnyDb;
      await db.schema
        .createTable("accounts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) =>
          c.notNull().references("accounts.id").onDelete("cascade"),
        )
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) =>
          c.notNull().references("accounts.id").onDelete("cascade"),
        )
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_used_at", "bigint")
        .addColumn("revoked_at", "bigint")
        .execute();
      await db.schema
        .createTable("handles")
        .addColumn("handle", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("identities")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) =>
          c.notNull().references("accounts.id").onDelete("cascade"),
        )
        .addColumn("handle", "text", (c) => c.notNull().unique().references("handles.handle"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("bio", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("identities_account")
        .on("identities")
        .column("account_id")
        .execute();
      await db.schema
        .createTable("groups")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("handle", "text", (c) => c.notNull().unique().references("handles.handle"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("group_members")
        .addColumn("group_id", "text", (c) =>
          c.notNull().references("groups.id").onDelete("cascade"),
        )
        .addColumn("identity_id", "text", (c) =>
          c.notNull().references("identities.id").onDelete("cascade"),
        )
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("group_members_pk", ["group_id", "identity_id"])
        .execute();
      await db.schema
        .createTable("uploads")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) =>
          c.notNull().references("accounts.id").onDelete("cascade"),
        )
        .addColumn("file", "text", (c) => c.notNull())
        .addColumn("media_type", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("organizer_id", "text", (c) => c.notNull().references("identities.id"))
        .addColumn("group_id", "text", (c) => c.references("groups.id"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("begins_at", "bigint", (c) => c.notNull())
        .addColumn("ends_at", "bigint")
        .addColumn("last_ends_at", "bigint")
        .addColumn("timezone", "text", (c) => c.notNull())
        .addColumn("all_day", "integer", (c) => c.notNull())
        .addColumn("address", "text")
        .addColumn("latitude", "double precision")
        .addColumn("longitude", "double precision")
        .addColumn("online_url", "text")
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("banner", "text")
        .addColumn("visibility", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("draft", "integer", (c) => c.notNull())
        .addColumn("publish_at", "bigint")
        .addColumn("join_mode", "text", (c) => c.notNull())
        .addColumn("external_url", "text")
        .addColumn("capacity", "integer", (c) => c.notNull())
        .addColumn("rrule", "text")
        .addColumn("exdates", "text")
        .addColumn("sequence", "integer", (c) => c.notNull())
        .addColumn("search", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // The public listing: visible events ordered by start.
      await db.schema
        .createIndex("events_listing")
        .on("events")
        .columns(["visibility", "draft", "begins_at", "id"])
        .execute();
      await db.schema
        .createIndex("events_group")
        .on("events")
        .columns(["group_id", "begins_at"])
        .execute();
      await db.schema
        .createIndex("events_organizer")
        .on("events")
        .columns(["organizer_id", "begins_at"])
        .execute();
      await db.schema
        .createTable("event_tags")
        .addColumn("event_id", "text", (c) =>
          c.notNull().references("events.id").onDelete("cascade"),
        )
        .addColumn("tag", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("event_tags_pk", ["tag", "event_id"])
        .execute();
      await db.schema
        .createTable("participations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("event_id", "text", (c) =>
          c.notNull().references("events.id").onDelete("cascade"),
        )
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("email", "text")
        .addColumn("identity_id", "text", (c) => c.references("identities.id").onDelete("set null"))
        .addColumn("actor_url", "text")
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("participations_event")
        .on("participations")
        .columns(["event_id", "state"])
        .execute();
      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 2,
    name: "participations: tokens, waitlist order, idempotency; RSVP closing; embed origins; dev outbox",
    async up(kdb) {
      const db = kdb as AnyDb;
      await db.schema
        .alterTable("events")
        .addColumn("rsvp_closed", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable("groups")
        .addColumn("embed_origins", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      for (const [name, type] of [
        ["confirm_token_hash", "text"],
        ["confirm_expires_at", "bigint"],
        ["manage_token_hash", "text"],
        ["language", "text"],
        ["return_url", "text"],
        ["queued_at", "bigint"],
        ["updated_at", "bigint"],
      ] as const) {
        await db.schema.alterTable("participations").addColumn(name, type).execute();
      }
      // One answer per email per event: the database, not a prior lookup, makes RSVPs idempotent.
      await db.schema
        .createIndex("participations_event_email")
        .on("participations")
        .columns(["event_id", "email"])
        .unique()
        .execute();
      await db.schema
        .createIndex("participations_confirm")
        .on("participations")
        .column("confirm_token_hash")
        .execute();
      await db.schema
        .createIndex("participations_manage")
        .on("participations")
        .column("manage_token_hash")
        .execute();
      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("html", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];

export interface MigrationResult {
  applied: { version: number; name: string }[];
  current: number;
}

/** Applies pending migrations. On PostgreSQL an advisory lock keeps concurrent starts apart. */
export async function migrate(
  db: Kysely<Database>,
  dialect: "sqlite" | "postgres",
  migrations: Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  await (db as AnyDb).schema
    .createTable("eventail_migrations")
    .ifNotExists()
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("applied_at", "bigint", (c) => c.notNull())
    .execute();
  const applied: MigrationResult["applied"] = [];
  for (const m of migrations) {
    await db.transaction().execute(async (trx) => {
      if (dialect === "postgres") await sql`select pg_advisory_xact_lock(7422101)`.execute(trx);
      const done = await trx
        .selectFrom("eventail_migrations")
        .select("version")
        .where("version", "=", m.version)
        .executeTakeFirst();
      if (done) return;
      await m.up(trx);
      await trx
        .insertInto("eventail_migrations")
        .values({ version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
      applied.push({ version: m.version, name: m.name });
    });
  }
  const last = migrations.at(-1)?.version ?? 0;
  return { applied, current: last };
}
