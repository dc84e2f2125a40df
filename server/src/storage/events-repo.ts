/** Events table ↔ EventRecord, and the candidate queries behind listings. */
import type {
  Address,
  Banner,
  Category,
  EventRecord,
  EventStatus,
  JoinMode,
  Visibility,
} from "@eventail/core";
import { type Kysely, sql } from "kysely";
import type { Database, EventChangesTable, EventsTable } from "./schema.ts";

export function toEventRow(e: EventRecord, lastEndsAt: number | null): EventsTable {
  return {
    id: e.id,
    organizer_id: e.organizerId,
    group_id: e.groupId,
    title: e.title,
    description: e.description,
    begins_at: e.beginsAt.getTime(),
    ends_at: e.endsAt?.getTime() ?? null,
    last_ends_at: lastEndsAt,
    timezone: e.timezone,
    all_day: e.allDay ? 1 : 0,
    address: e.address ? JSON.stringify(e.address) : null,
    latitude: e.address?.latitude ?? null,
    longitude: e.address?.longitude ?? null,
    online_url: e.onlineUrl,
    category: e.category,
    tags: JSON.stringify(e.tags),
    language: e.language,
    banner: e.banner ? JSON.stringify(e.banner) : null,
    visibility: e.visibility,
    status: e.status,
    draft: e.draft ? 1 : 0,
    publish_at: e.publishAt?.getTime() ?? null,
    join_mode: e.joinMode,
    external_url: e.externalUrl,
    capacity: e.capacity,
    rrule: e.recurrence?.rrule ?? null,
    exdates: e.recurrence ? JSON.stringify(e.recurrence.exdates.map((d) => d.getTime())) : null,
    sequence: e.sequence,
    rsvp_closed: e.rsvpClosed ? 1 : 0,
    search: searchText(e),
    created_at: e.createdAt.getTime(),
    updated_at: e.updatedAt.getTime(),
  };
}

function searchText(e: EventRecord): string {
  const plain = e.description.replace(/<[^>]*>/g, " ");
  return [e.title, e.tags.join(" "), e.address?.venue, e.address?.locality, plain]
    .filter(Boolean)
    .join(" ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .slice(0, 4000);
}

export function fromEventRow(r: EventsTable): EventRecord {
  return {
    id: r.id,
    organizerId: r.organizer_id,
    groupId: r.group_id,
    title: r.title,
    description: r.description,
    beginsAt: new Date(r.begins_at),
    endsAt: r.ends_at === null ? null : new Date(r.ends_at),
    timezone: r.timezone,
    allDay: r.all_day === 1,
    address: r.address ? (JSON.parse(r.address) as Address) : null,
    onlineUrl: r.online_url,
    category: r.category as Category,
    tags: JSON.parse(r.tags) as string[],
    language: r.language,
    banner: r.banner ? (JSON.parse(r.banner) as Banner) : null,
    visibility: r.visibility as Visibility,
    status: r.status as EventStatus,
    draft: r.draft === 1,
    publishAt: r.publish_at === null ? null : new Date(r.publish_at),
    joinMode: r.join_mode as JoinMode,
    externalUrl: r.external_url,
    capacity: r.capacity,
    recurrence: r.rrule
      ? {
          rrule: r.rrule,
          exdates: (JSON.parse(r.exdates ?? "[]") as number[]).map((t) => new Date(t)),
        }
      : null,
    sequence: r.sequence,
    rsvpClosed: r.rsvp_closed === 1,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Filters the listing pushes down to SQL; the rest (recurrence, distance) is done in memory. */
export interface EventQuery {
  from: number;
  to: number | null;
  groupId?: string;
  organizerId?: string;
  tag?: string;
  category?: string;
  status?: string;
  text?: string;
  online?: boolean;
  /** Bounding box, degrees. */
  box?: { minLat: number; maxLat: number; minLon: number; maxLon: number };
  /** Only events visible to everyone at `now`. */
  publicAt: number;
  /** Keyset: rows strictly after (begins_at, id). */
  after?: { begins: number; id: string };
  limit: number;
  recurring: boolean;
}

export class EventsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(e: EventRecord, lastEndsAt: number | null): Promise<void> {
    await this.#db.insertInto("events").values(toEventRow(e, lastEndsAt)).execute();
    if (e.tags.length) {
      await this.#db
        .insertInto("event_tags")
        .values(e.tags.map((tag) => ({ event_id: e.id, tag })))
        .execute();
    }
  }

  async update(e: EventRecord, lastEndsAt: number | null): Promise<void> {
    const { id: _id, ...row } = toEventRow(e, lastEndsAt);
    await this.#db.updateTable("events").set(row).where("id", "=", e.id).execute();
    await this.#db.deleteFrom("event_tags").where("event_id", "=", e.id).execute();
    if (e.tags.length) {
      await this.#db
        .insertInto("event_tags")
        .values(e.tags.map((tag) => ({ event_id: e.id, tag })))
        .execute();
    }
  }

  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom("events").where("id", "=", id).execute();
  }

  /** Records a write for federation, in the caller's transaction (see EventChangesTable). */
  async recordChange(row: EventChangesTable): Promise<void> {
    await this.#db.insertInto("event_changes").values(row).execute();
  }

  /** Recorded changes older than `before` (ms), oldest first. */
  pendingChanges(before: number, limit = 100): Promise<EventChangesTable[]> {
    return this.#db
      .selectFrom("event_changes")
      .selectAll()
      .where("created_at", "<", before)
      .orderBy("created_at")
      .limit(limit)
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, created_at: Number(r.created_at) })));
  }

  async deleteChange(id: string): Promise<void> {
    await this.#db.deleteFrom("event_changes").where("id", "=", id).execute();
  }

  async get(id: string): Promise<EventRecord | null> {
    const row = await this.#db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? fromEventRow(row) : null;
  }

  async count(): Promise<number> {
    const r = await this.#db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Non-recurring events (`recurring: false`) meeting the window in (begins_at, id) order
   * after the keyset, or every recurring event that may have an occurrence in the window.
   */
  async find(q: EventQuery): Promise<EventRecord[]> {
    let query = this.#db
      .selectFrom("events")
      .selectAll()
      .where("visibility", "=", "public")
      .where("draft", "=", 0)
      .where((eb) => eb.or([eb("publish_at", "is", null), eb("publish_at", "<=", q.publicAt)]))
      .where("rrule", q.recurring ? "is not" : "is", null);
    // An event meets [from, to) when it starts before `to` and ends (or starts) at/after `from`.
    query = query.where((eb) =>
      eb.or([eb("last_ends_at", "is", null), eb("last_ends_at", ">=", q.from)]),
    );
    if (q.to !== null) query = query.where("begins_at", "<", q.to);
    if (q.groupId) query = query.where("group_id", "=", q.groupId);
    if (q.organizerId) query = query.where("organizer_id", "=", q.organizerId);
    if (q.category) query = query.where("category", "=", q.category);
    if (q.status) query = query.where("status", "=", q.status);
    if (q.online === true) query = query.where("online_url", "is not", null);
    if (q.online === false) query = query.where("address", "is not", null);
    if (q.text) {
      const words = q.text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
      for (const w of words) {
        const pattern = `%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        query = query.where(sql<boolean>`search like ${pattern} escape '\\'`);
      }
    }
    if (q.tag) {
      const tag = q.tag;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("event_tags")
            .select("event_tags.event_id")
            .whereRef("event_tags.event_id", "=", "events.id")
            .where("event_tags.tag", "=", tag),
        ),
      );
    }
    if (q.box) {
      query = query
        .where("latitude", ">=", q.box.minLat)
        .where("latitude", "<=", q.box.maxLat)
        .where("longitude", ">=", q.box.minLon)
        .where("longitude", "<=", q.box.maxLon);
    }
    if (!q.recurring && q.after) {
      const { begins, id } = q.after;
      query = query.where((eb) =>
        eb.or([
          eb("begins_at", ">", begins),
          eb.and([eb("begins_at", "=", begins), eb("id", ">", id)]),
        ]),
      );
    }
    const rows = await query.orderBy("begins_at").orderBy("id").limit(q.limit).execute();
    return rows.map(fromEventRow);
  }

  /**
   * Every event `organizerId` organizes or that belongs to one of `groupIds`, drafts, private,
   * scheduled and past ones included (the console's list), latest start first.
   */
  async managed(organizerId: string, groupIds: string[], limit: number): Promise<EventRecord[]> {
    const rows = await this.#db
      .selectFrom("events")
      .selectAll()
      .where((eb) =>
        groupIds.length
          ? eb.or([eb("organizer_id", "=", organizerId), eb("group_id", "in", groupIds)])
          : eb("organizer_id", "=", organizerId),
      )
      .orderBy("begins_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(fromEventRow);
  }

  /** Confirmed participants per event, for participantCount and remaining capacity. */
  async confirmedCounts(ids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (ids.length === 0) return out;
    const rows = await this.#db
      .selectFrom("participations")
      .select(["event_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("event_id", "in", ids)
      .where("state", "=", "confirmed")
      .groupBy("event_id")
      .execute();
    for (const r of rows) out.set(r.event_id, Number(r.n));
    return out;
  }

  /** Most recent change to any public event: drives feed ETags and the response cache. */
  async lastChange(): Promise<number> {
    const r = await this.#db
      .selectFrom("events")
      .select((eb) => eb.fn.max("updated_at").as("t"))
      .executeTakeFirst();
    return Number(r?.t ?? 0);
  }
}
