/**
 * Participations (RSVPs). Capacity decisions run inside a transaction that first locks the
 * event row (`lockEvent`), so two confirmations can never both take the last seat.
 */
import type { Participation, ParticipationKind, ParticipationState } from "@eventail/core";
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./db.ts";
import type { Database, ParticipationsTable } from "./schema.ts";

export interface ParticipationRow extends Participation {
  confirmTokenHash: string | null;
  confirmExpiresAt: number | null;
  manageTokenHash: string | null;
  language: "en" | "fr";
  returnUrl: string | null;
  queuedAt: number | null;
  updatedAt: Date;
}

function fromRow(r: ParticipationsTable): ParticipationRow {
  return {
    id: r.id,
    eventId: r.event_id,
    kind: r.kind as ParticipationKind,
    state: r.state as ParticipationState,
    name: r.name,
    email: r.email,
    identityId: r.identity_id,
    actorUrl: r.actor_url,
    message: r.message,
    createdAt: new Date(r.created_at),
    confirmTokenHash: r.confirm_token_hash,
    confirmExpiresAt: r.confirm_expires_at,
    manageTokenHash: r.manage_token_hash,
    language: r.language === "fr" ? "fr" : "en",
    returnUrl: r.return_url,
    queuedAt: r.queued_at,
    updatedAt: new Date(r.updated_at ?? r.created_at),
  };
}

export type StateCounts = Record<ParticipationState, number>;

export class ParticipationsRepo {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Serializes capacity decisions for one event until the transaction ends. PostgreSQL:
   * a row lock. SQLite: transactions already run one at a time on the single connection,
   * and across processes a write upgrade fails instead of interleaving.
   */
  async lockEvent(eventId: string): Promise<void> {
    if (this.#dialect === "postgres") {
      await sql`select id from events where id = ${eventId} for update`.execute(this.#db);
    } else {
      // Take SQLite's write lock now rather than at the first write.
      await this.#db
        .updateTable("events")
        .set({ rsvp_closed: sql`rsvp_closed` })
        .where("id", "=", eventId)
        .execute();
    }
  }

  /** Inserts unless this email already answered for the event; returns whether it did. */
  async insert(p: ParticipationRow): Promise<boolean> {
    const r = await this.#db
      .insertInto("participations")
      .values({
        id: p.id,
        event_id: p.eventId,
        kind: p.kind,
        state: p.state,
        name: p.name,
        email: p.email,
        identity_id: p.identityId,
        actor_url: p.actorUrl,
        message: p.message,
        created_at: p.createdAt.getTime(),
        confirm_token_hash: p.confirmTokenHash,
        confirm_expires_at: p.confirmExpiresAt,
        manage_token_hash: p.manageTokenHash,
        language: p.language,
        return_url: p.returnUrl,
        queued_at: p.queuedAt,
        updated_at: p.updatedAt.getTime(),
      })
      .onConflict((oc) => oc.columns(["event_id", "email"]).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<ParticipationRow | null> {
    const r = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async byEmail(eventId: string, email: string): Promise<ParticipationRow | null> {
    const r = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("event_id", "=", eventId)
      .where("email", "=", email)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async byIdentity(eventId: string, identityId: string): Promise<ParticipationRow | null> {
    const r = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("event_id", "=", eventId)
      .where("identity_id", "=", identityId)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  /** The answer of a remote (ActivityPub) actor to an event. */
  async byActor(eventId: string, actorUrl: string): Promise<ParticipationRow | null> {
    const r = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("event_id", "=", eventId)
      .where("actor_url", "=", actorUrl)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  /**
   * Answers of remote actors whose URL starts with one of `prefixes` (an instance's
   * `https://host/`), or of exactly `actor`: what purging an instance or an actor erases.
   */
  async remoteAnswers(
    match: { prefixes: string[] } | { actor: string },
  ): Promise<ParticipationRow[]> {
    let q = this.#db.selectFrom("participations").selectAll().where("actor_url", "is not", null);
    if ("actor" in match) q = q.where("actor_url", "=", match.actor);
    else {
      if (match.prefixes.length === 0) return [];
      // Hosts carry no LIKE wildcard (normalizeHost allows [a-z0-9.-:[]] only).
      q = q.where((eb) => eb.or(match.prefixes.map((p) => eb("actor_url", "like", `${p}%`))));
    }
    return (await q.execute()).map(fromRow);
  }

  async byConfirmToken(hash: string): Promise<ParticipationRow | null> {
    const r = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("confirm_token_hash", "=", hash)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async update(
    id: string,
    patch: Partial<{
      state: ParticipationState;
      confirmTokenHash: string | null;
      confirmExpiresAt: number | null;
      queuedAt: number | null;
      name: string;
      email: string | null;
      message: string;
      returnUrl: string | null;
    }>,
  ): Promise<void> {
    const set: Partial<ParticipationsTable> = { updated_at: Date.now() };
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.confirmTokenHash !== undefined) set.confirm_token_hash = patch.confirmTokenHash;
    if (patch.confirmExpiresAt !== undefined) set.confirm_expires_at = patch.confirmExpiresAt;
    if (patch.queuedAt !== undefined) set.queued_at = patch.queuedAt;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.email !== undefined) set.email = patch.email;
    if (patch.message !== undefined) set.message = patch.message;
    if (patch.returnUrl !== undefined) set.return_url = patch.returnUrl;
    await this.#db.updateTable("participations").set(set).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom("participations").where("id", "=", id).execute();
  }

  async countState(eventId: string, state: ParticipationState): Promise<number> {
    const r = await this.#db
      .selectFrom("participations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "=", eventId)
      .where("state", "=", state)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async counts(eventId: string): Promise<StateCounts> {
    const rows = await this.#db
      .selectFrom("participations")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
      .where("event_id", "=", eventId)
      .groupBy("state")
      .execute();
    const out: StateCounts = {
      awaiting_email: 0,
      awaiting_approval: 0,
      confirmed: 0,
      waitlisted: 0,
      rejected: 0,
      cancelled: 0,
      invited: 0,
    };
    for (const r of rows) out[r.state as ParticipationState] = Number(r.n);
    return out;
  }

  /** Waitlisted people in order: first come, first promoted. */
  async waitlist(eventId: string, limit = 10_000): Promise<ParticipationRow[]> {
    const rows = await this.#db
      .selectFrom("participations")
      .selectAll()
      .where("event_id", "=", eventId)
      .where("state", "=", "waitlisted")
      .orderBy("queued_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  /** 1-based position of a waitlisted participation. */
  async waitlistPosition(p: ParticipationRow): Promise<number | null> {
    if (p.state !== "waitlisted" || p.queuedAt === null) return null;
    const r = await this.#db
      .selectFrom("participations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "=", p.eventId)
      .where("state", "=", "waitlisted")
      .where((eb) =>
        eb.or([
          eb("queued_at", "<", p.queuedAt),
          eb.and([eb("queued_at", "=", p.queuedAt), eb("id", "<", p.id)]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n) + 1;
  }

  async list(eventId: string, state?: ParticipationState): Promise<ParticipationRow[]> {
    let q = this.#db.selectFrom("participations").selectAll().where("event_id", "=", eventId);
    if (state) q = q.where("state", "=", state);
    const rows = await q.orderBy("created_at").orderBy("id").execute();
    return rows.map(fromRow);
  }

  /** Erases personal data of participations in events that ended before `before`. */
  async purgeEndedBefore(before: number): Promise<number> {
    const r = await this.#db
      .updateTable("participations")
      .set({
        name: "",
        email: null,
        message: "",
        confirm_token_hash: null,
        manage_token_hash: null,
        return_url: null,
      })
      .where("email", "is not", null)
      .where("event_id", "in", (eb) =>
        eb
          .selectFrom("events")
          .select("id")
          .where("last_ends_at", "is not", null)
          .where("last_ends_at", "<", before),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async setRsvpClosed(eventId: string, closed: boolean): Promise<void> {
    await this.#db
      .updateTable("events")
      .set({ rsvp_closed: closed ? 1 : 0, updated_at: Date.now() })
      .where("id", "=", eventId)
      .execute();
  }

  // ------------------------------------------------------------ dev outbox

  async addToOutbox(m: {
    id: string;
    recipient: string;
    subject: string;
    text: string;
    html: string;
  }): Promise<void> {
    await this.#db
      .insertInto("outbox")
      .values({ ...m, created_at: Date.now() })
      .execute();
  }

  async outbox(limit = 50) {
    return this.#db
      .selectFrom("outbox")
      .selectAll()
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute();
  }
}
