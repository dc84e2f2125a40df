/**
 * Versioned migrations, run in order on start inside one transaction each. Written with
 * Kysely's schema builder so one definition creates the same tables on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

export interface Migration {
  version: number;
  name: string;
  /** `dialect` lets a migration do what the schema builder cannot express for both. */
  up(db: Kysely<Database>, dialect: "sqlite" | "postgres"): Promise<void>;
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
  {
    version: 3,
    name: "federation: Fedify key-value store and queue, actor keys, followers, follows, remote events",
    async up(kdb, dialect) {
      const db = kdb as AnyDb;
      // Remote events live in `events` too (listings, feeds and pages then show them with no
      // second code path); they have no local organizer, so organizer_id becomes nullable.
      if (dialect === "postgres") {
        await sql`alter table events alter column organizer_id drop not null`.execute(db);
      } else {
        // SQLite cannot drop NOT NULL: rebuild the table. Foreign keys are on and cannot be
        // turned off inside the migration's transaction, so dropping the old table cascades
        // to event_tags and participations: their rows are kept aside and put back.
        await db.schema
          .createTable("events_new")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("organizer_id", "text", (c) => c.references("identities.id"))
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
          .addColumn("rsvp_closed", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        const columns = sql.raw(
          "id, organizer_id, group_id, title, description, begins_at, ends_at, last_ends_at, " +
            "timezone, all_day, address, latitude, longitude, online_url, category, tags, " +
            "language, banner, visibility, status, draft, publish_at, join_mode, external_url, " +
            "capacity, rrule, exdates, sequence, search, created_at, updated_at, rsvp_closed",
        );
        await sql`insert into events_new (${columns}) select ${columns} from events`.execute(db);
        await sql`create temp table keep_event_tags as select * from event_tags`.execute(db);
        await sql`create temp table keep_participations as select * from participations`.execute(
          db,
        );
        await sql`drop table events`.execute(db);
        await sql`alter table events_new rename to events`.execute(db);
        await sql`insert into event_tags select * from keep_event_tags`.execute(db);
        await sql`insert into participations select * from keep_participations`.execute(db);
        await sql`drop table keep_event_tags`.execute(db);
        await sql`drop table keep_participations`.execute(db);
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
      }

      // Fedify's KvStore: JSON-encoded key (a string array) → JSON value, with optional expiry.
      await db.schema
        .createTable("fedify_kv")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("expires_at", "bigint")
        .execute();
      await db.schema
        .createIndex("fedify_kv_expires")
        .on("fedify_kv")
        .column("expires_at")
        .execute();

      // Fedify's MessageQueue: one table for the inbox, outbox and fanout queues.
      await db.schema
        .createTable("fedify_queue")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("queue", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("ordering_key", "text")
        .addColumn("host", "text")
        .addColumn("available_at", "bigint", (c) => c.notNull())
        .addColumn("locked_until", "bigint")
        .addColumn("locked_by", "text")
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("fedify_queue_ready")
        .on("fedify_queue")
        .columns(["queue", "available_at", "seq"])
        .execute();
      await db.schema
        .createIndex("fedify_queue_order")
        .on("fedify_queue")
        .columns(["queue", "ordering_key", "seq"])
        .execute();

      // Key pairs of local actors (the instance, identities, groups), as JWK.
      await db.schema
        .createTable("actor_keys")
        .addColumn("actor", "text", (c) => c.primaryKey())
        .addColumn("rsa_public", "text", (c) => c.notNull())
        .addColumn("rsa_private", "text", (c) => c.notNull())
        .addColumn("ed25519_public", "text", (c) => c.notNull())
        .addColumn("ed25519_private", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      // Remote actors following a local actor (identified by handle, or "relay").
      await db.schema
        .createTable("ap_followers")
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("follower", "text", (c) => c.notNull())
        .addColumn("follow_id", "text")
        .addColumn("inbox", "text", (c) => c.notNull())
        .addColumn("shared_inbox", "text")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("ap_followers_pk", ["actor", "follower"])
        .execute();
      await db.schema
        .createIndex("ap_followers_follower")
        .on("ap_followers")
        .column("follower")
        .execute();

      // Remote actors a local actor follows; id is our Follow activity's id.
      await db.schema
        .createTable("ap_following")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("target_host", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("ap_following_actor_target", ["actor", "target"])
        .execute();
      await db.schema
        .createIndex("ap_following_target")
        .on("ap_following")
        .column("target")
        .execute();

      // What we know of remote actors: enough to show and address them.
      await db.schema
        .createTable("remote_actors")
        .addColumn("url", "text", (c) => c.primaryKey())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("handle", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("page_url", "text", (c) => c.notNull())
        .addColumn("inbox", "text")
        .addColumn("shared_inbox", "text")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();

      // Origin of each remote event (the copy itself is a row of `events`).
      await db.schema
        .createTable("remote_events")
        .addColumn("event_id", "text", (c) =>
          c.primaryKey().references("events.id").onDelete("cascade"),
        )
        .addColumn("ap_id", "text", (c) => c.notNull().unique())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("attributed_to", "text")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("organizer", "text", (c) => c.notNull())
        .addColumn("group_ref", "text")
        .addColumn("participant_count", "integer", (c) => c.notNull())
        .addColumn("raw", "text", (c) => c.notNull())
        .addColumn("received_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("remote_events_host")
        .on("remote_events")
        .column("host")
        .execute();
      await db.schema
        .createIndex("remote_events_actor")
        .on("remote_events")
        .column("actor")
        .execute();

      // RSVPs of local identities to remote events (our Join, and the origin's answer).
      await db.schema
        .createTable("ap_rsvps")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("identity_id", "text", (c) =>
          c.notNull().references("identities.id").onDelete("cascade"),
        )
        .addColumn("event_id", "text", (c) =>
          c.notNull().references("events.id").onDelete("cascade"),
        )
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("ap_rsvps_identity_event", ["identity_id", "event_id"])
        .execute();

      // One answer per remote actor per event: a repeated Join cannot take two seats.
      await db.schema
        .createIndex("participations_event_actor")
        .on("participations")
        .columns(["event_id", "actor_url"])
        .unique()
        .execute();
    },
  },
  {
    version: 4,
    name: "federation: comments and comment policies, instance blocks, follow requests, blocked followers",
    up: async (db) => {
      // Comments on events: local (author_identity_id) or remote Notes (author_actor, ap_id).
      await db.schema
        .createTable("comments")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("event_id", "text", (c) =>
          c.notNull().references("events.id").onDelete("cascade"),
        )
        .addColumn("ap_id", "text", (c) => c.notNull().unique())
        .addColumn("author_identity_id", "text", (c) =>
          c.references("identities.id").onDelete("cascade"),
        )
        .addColumn("author_actor", "text")
        .addColumn("author_name", "text", (c) => c.notNull())
        .addColumn("author_url", "text", (c) => c.notNull())
        .addColumn("host", "text")
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("comments_event")
        .on("comments")
        .columns(["event_id", "created_at"])
        .execute();
      await db.schema.createIndex("comments_host").on("comments").column("host").execute();
      // Kept beside events, not in them: most events never change the default (open).
      await db.schema
        .createTable("event_comment_policies")
        .addColumn("event_id", "text", (c) =>
          c.primaryKey().references("events.id").onDelete("cascade"),
        )
        .addColumn("policy", "text", (c) => c.notNull())
        .execute();
      // Instance policies set by admins: block, limit, or allow (allowlist mode).
      await db.schema
        .createTable("instance_policies")
        .addColumn("host", "text", (c) => c.primaryKey())
        .addColumn("level", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      // Follows waiting for a local actor's approval (manual approval), and per-actor settings.
      await db.schema
        .createTable("ap_follow_requests")
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("follower", "text", (c) => c.notNull())
        .addColumn("follow_id", "text", (c) => c.notNull())
        .addColumn("inbox", "text", (c) => c.notNull())
        .addColumn("shared_inbox", "text")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("ap_follow_requests_pk", ["actor", "follower"])
        .execute();
      await db.schema
        .createTable("ap_blocked_followers")
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("follower", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("ap_blocked_followers_pk", ["actor", "follower"])
        .execute();
      await db.schema
        .createTable("ap_actor_settings")
        .addColumn("actor", "text", (c) => c.primaryKey())
        .addColumn("manual_approval", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  {
    version: 5,
    name: "groups: avatar, banner, resources",
    up: async (db) => {
      // avatar and banner: JSON of a Banner (path under /media, alt, type, size) or null;
      // resources: JSON array of { title, url } (links to the group's own tools).
      for (const column of ["avatar", "banner"])
        await db.schema.alterTable("groups").addColumn(column, "text").execute();
      await db.schema
        .alterTable("groups")
        .addColumn("resources", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
    },
  },
  {
    version: 6,
    name: "password resets",
    up: async (kdb) => {
      const db = kdb as AnyDb;
      // One row per emailed link, keyed by the SHA-256 of its secret; deleted when used.
      await db.schema
        .createTable("password_resets")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) =>
          c.notNull().references("accounts.id").onDelete("cascade"),
        )
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("password_resets_account")
        .on("password_resets")
        .column("account_id")
        .execute();
    },
  },
  {
    version: 7,
    name: "reports (local and ActivityPub Flag)",
    up: async (kdb) => {
      const db = kdb as AnyDb;
      await db.schema
        .createTable("reports")
        .addColumn("id", "text", (c) => c.primaryKey())
        // local: an account of ours; remote: a Flag from another instance.
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("reporter_account_id", "text", (c) =>
          c.references("accounts.id").onDelete("set null"),
        )
        .addColumn("reporter_actor", "text")
        .addColumn("origin_host", "text")
        // The Flag's id: a repeated delivery stores nothing new.
        .addColumn("activity_id", "text", (c) => c.unique())
        // event, comment, identity, group, or remote (an object we do not hold).
        .addColumn("target_kind", "text", (c) => c.notNull())
        .addColumn("target_id", "text", (c) => c.notNull())
        .addColumn("target_label", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("resolution", "text", (c) => c.notNull())
        .addColumn("resolved_by", "text", (c) => c.references("accounts.id").onDelete("set null"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("resolved_at", "bigint")
        .execute();
      await db.schema
        .createIndex("reports_state")
        .on("reports")
        .columns(["state", "created_at"])
        .execute();
    },
  },
  {
    version: 8,
    name: "moderation: suspended remote actors, forwarded and public reports",
    up: async (kdb) => {
      const db = kdb as AnyDb;
      // Remote actors suspended instance-wide: their activities are refused at the inbox.
      await db.schema
        .createTable("suspended_actors")
        .addColumn("actor", "text", (c) => c.primaryKey())
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      // The instance a report was forwarded to (a Flag from our instance actor), and when.
      await db.schema.alterTable("reports").addColumn("forwarded_to", "text").execute();
      await db.schema.alterTable("reports").addColumn("forwarded_at", "bigint").execute();
      // Reports from the public pages: a category, and the reporter's optional email (never
      // shown publicly; erased with the report's personal data).
      await db.schema
        .alterTable("reports")
        .addColumn("category", "text", (c) => c.notNull().defaultTo(""))
        .execute();
      await db.schema.alterTable("reports").addColumn("reporter_email", "text").execute();
    },
  },
  {
    version: 9,
    name: "identities: avatar",
    up: async (db) => {
      // JSON of a Banner (path under /media, alt, type, size) or null, as for groups.
      await db.schema.alterTable("identities").addColumn("avatar", "text").execute();
    },
  },
  {
    version: 10,
    name: "event changes not yet federated (transactional outbox)",
    up: async (kdb) => {
      const db = kdb as AnyDb;
      await db.schema
        .createTable("event_changes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("before", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("event_changes_created")
        .on("event_changes")
        .column("created_at")
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
      await m.up(trx, dialect);
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
