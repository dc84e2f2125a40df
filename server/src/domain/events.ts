/**
 * Event rules: who may write, what a valid event is, what the public may see, and the
 * listing (recurrences expanded inside the asked window, keyset-paginated by start).
 */
import {
  type ActorRef,
  type Banner,
  type CreateEventInput,
  checkEventRules,
  DomainError,
  type EventFields,
  type EventJson,
  type EventRecord,
  forbidden,
  type Group,
  type Identity,
  invalid,
  isPubliclyListed,
  localDate,
  MAX_DATE,
  notFound,
  type Occurrence,
  occurrencesBetween,
  type Page,
  type RemoteOriginJson,
  startOfLocalDay,
  toEventJson,
  type UpdateEventInput,
  withEventDefaults,
} from "@eventail/core";
import { sanitizer } from "../lazy.ts";
import type { EventQuery, Repos } from "../storage/index.ts";
import type { Links } from "./links.ts";
import { attachImage } from "./media.ts";
import { newId } from "./secrets.ts";

export interface ListFilter {
  from?: Date;
  to?: Date;
  group?: string;
  organizer?: string;
  tag?: string;
  category?: string;
  status?: string;
  q?: string;
  online?: boolean;
  near?: { lat: number; lon: number; radiusKm: number };
  cursor?: string;
  limit: number;
}

/** One listing item: the event, and the occurrence when it recurs. */
export interface Listed {
  event: EventRecord;
  occurrence?: Occurrence;
}

/** How far ahead recurring events are expanded when the caller gives no `to`. */
const DEFAULT_HORIZON_MS = 366 * 86_400_000;
/** Longest window a listing may ask for (bounds recurrence expansion work). */
export const MAX_WINDOW_MS = 5 * 366 * 86_400_000;

export function encodeCursor(start: number, id: string): string {
  return Buffer.from(`${start}.${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { begins: number; id: string } {
  const text = Buffer.from(cursor, "base64url").toString();
  const m = /^(\d{1,15})\.([a-z0-9]{1,40})$/.exec(text);
  if (!m)
    throw invalid("invalid cursor", [
      { path: "cursor", message: "is not a cursor returned by this API" },
    ]);
  return { begins: Number(m[1]), id: m[2]! };
}

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** End of the last occurrence, or null when a recurrence never ends. */
function lastEndsAt(e: EventRecord): number | null {
  const duration = (e.endsAt ?? e.beginsAt).getTime() - e.beginsAt.getTime();
  if (!e.recurrence) return e.beginsAt.getTime() + duration;
  // UNTIL bounds every occurrence's start: exact enough to filter on, whatever the series length.
  const until = /UNTIL=(\d{8})(T(\d{6})Z?)?/i.exec(e.recurrence.rrule);
  if (until) {
    const [d, , t] = [until[1]!, until[2], until[3] ?? "235959"];
    const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
    // A floating UNTIL is wall-clock time: allow a day of zone offset.
    return Date.parse(iso) + 86_400_000 + duration;
  }
  if (!/COUNT=/i.test(e.recurrence.rrule)) return null;
  // COUNT is capped at MAX_OCCURRENCES by validation, so this expansion is complete.
  const last = occurrencesBetween(e, e.beginsAt, new Date(MAX_DATE)).at(-1);
  return last ? last.start.getTime() + duration : e.beginsAt.getTime() + duration;
}

/** What federation needs of an event's state before a write: who sends it, to whom, whether it was out. */
export type EventRef = Pick<
  EventRecord,
  "id" | "organizerId" | "groupId" | "visibility" | "draft" | "publishAt"
>;

const refOf = (e: EventRecord): EventRef => ({
  id: e.id,
  organizerId: e.organizerId,
  groupId: e.groupId,
  visibility: e.visibility,
  draft: e.draft,
  publishAt: e.publishAt,
});

/** A write that changed what an event is; `before`/`after` null when it did not exist. */
export interface EventChange {
  kind: "created" | "updated" | "deleted";
  before: EventRef | null;
  after: EventRecord | null;
}

/** How a remote event (no local organizer) is shown: its origin's actors and count. */
export interface RemoteRefs {
  organizer: ActorRef;
  group: ActorRef | null;
  participantCount: number;
  remote: RemoteOriginJson;
}

/** A change and its record (null when nothing listens for changes). */
interface PendingChange {
  change: EventChange;
  id: string | null;
}

function reviveRef(json: string): EventRef {
  const ref = JSON.parse(json) as EventRef & { publishAt: string | null };
  return { ...ref, publishAt: ref.publishAt ? new Date(ref.publishAt) : null };
}

/** Extension points for federation; each is optional and the service works without them. */
export interface EventHooks {
  /**
   * Called after every committed create, update or delete. When set, each change is also
   * recorded in the write's own transaction and forgotten once the hook returns; a change
   * whose hook threw, or whose process died first, is given again by `replayChanges`.
   */
  onChange?: (change: EventChange) => void | Promise<void>;
  /** Refs of remote events (those with no local organizer), by event id. */
  remoteRefs?: (events: EventRecord[]) => Promise<Map<string, RemoteRefs>>;
}

export class EventService {
  readonly #repos: Repos;
  readonly #links: Links;
  readonly hooks: EventHooks = {};

  constructor(repos: Repos, links: Links) {
    this.#repos = repos;
    this.#links = links;
  }

  // ------------------------------------------------------------ writes

  async create(actor: Identity, input: CreateEventInput): Promise<EventRecord> {
    const fields = withEventDefaults(input);
    await this.#checkFields(fields);
    if (fields.groupId && !(await this.#repos.actors.memberRole(fields.groupId, actor.id)))
      throw forbidden("only members of the group may create its events");
    const now = new Date();
    const record = await this.#toRecord(actor.accountId, fields, {
      id: newId(),
      organizerId: actor.id,
      sequence: 0,
      rsvpClosed: false,
      createdAt: now,
      updatedAt: now,
      banner: null,
    });
    const change = await this.#repos.transaction(async (tx) => {
      await tx.events.insert(record, lastEndsAt(record));
      return this.#record(tx, { kind: "created", before: null, after: record });
    });
    await this.#changed(change);
    return record;
  }

  async update(actor: Identity, id: string, patch: UpdateEventInput): Promise<EventRecord> {
    const current = await this.#writable(actor, id);
    const merged: EventFields = { ...this.#fieldsOf(current), ...patch };
    await this.#checkFields(merged);
    if (
      patch.groupId !== undefined &&
      patch.groupId !== current.groupId &&
      patch.groupId !== null
    ) {
      if (!(await this.#repos.actors.memberRole(patch.groupId, actor.id)))
        throw forbidden("only members of the group may move events into it");
    }
    const record = await this.#toRecord(actor.accountId, merged, {
      id: current.id,
      organizerId: current.organizerId,
      sequence: current.sequence + 1,
      rsvpClosed: current.rsvpClosed,
      createdAt: current.createdAt,
      updatedAt: new Date(Math.max(Date.now(), current.updatedAt.getTime() + 1)),
      // Kept unless the patch removes it; a new one, or a new description, is applied below.
      banner: patch.banner === null ? null : current.banner,
    });
    const change = await this.#repos.transaction(async (tx) => {
      await tx.events.update(record, lastEndsAt(record));
      return this.#record(tx, { kind: "updated", before: refOf(current), after: record });
    });
    await this.#changed(change);
    return record;
  }

  publish(actor: Identity, id: string): Promise<EventRecord> {
    return this.update(actor, id, { draft: false });
  }

  cancel(actor: Identity, id: string): Promise<EventRecord> {
    return this.update(actor, id, { status: "cancelled" });
  }

  async delete(actor: Identity, id: string): Promise<void> {
    const current = await this.#writable(actor, id);
    const change = await this.#repos.transaction(async (tx) => {
      await tx.events.delete(id);
      return this.#record(tx, { kind: "deleted", before: refOf(current), after: null });
    });
    await this.#changed(change);
  }

  /** Records `change` in the write's transaction `tx` when something listens for changes. */
  async #record(tx: Repos, change: EventChange): Promise<PendingChange> {
    if (!this.hooks.onChange) return { change, id: null };
    const id = newId();
    await tx.events.recordChange({
      id,
      event_id: (change.after ?? change.before)!.id,
      kind: change.kind,
      before: change.before && JSON.stringify(change.before),
      created_at: Date.now(),
    });
    return { change, id };
  }

  async #changed({ change, id }: PendingChange): Promise<boolean> {
    try {
      await this.hooks.onChange?.(change);
    } catch {
      // The write is committed; a hook failing (it logs its own errors) must not undo it.
      // Its record stays for replayChanges.
      return false;
    }
    if (id) await this.#repos.events.deleteChange(id);
    return true;
  }

  /**
   * Gives the hook again the recorded changes older than `minAgeMs` (their hook threw, or
   * the process died between the commit and the hook), with the event as it is now; a
   * change that keeps failing for a day is dropped. Returns how many were given.
   */
  async replayChanges(minAgeMs = 60_000, now = Date.now()): Promise<number> {
    let replayed = 0;
    for (const row of await this.#repos.events.pendingChanges(now - minAgeMs)) {
      const before = row.before ? reviveRef(row.before) : null;
      const after = row.kind === "deleted" ? null : await this.#repos.events.get(row.event_id);
      const given = await this.#changed({ change: { kind: row.kind, before, after }, id: row.id });
      if (given) replayed++;
      else if (row.created_at < now - 86_400_000) await this.#repos.events.deleteChange(row.id);
    }
    return replayed;
  }

  /** Whether `actor` may edit `event`: its organizer, or an admin or moderator of its group. */
  async canWrite(actor: Identity, event: EventRecord): Promise<boolean> {
    if (event.organizerId === actor.id) return true;
    if (!event.groupId) return false;
    const role = await this.#repos.actors.memberRole(event.groupId, actor.id);
    return role === "admin" || role === "moderator";
  }

  async #writable(actor: Identity, id: string): Promise<EventRecord> {
    const event = await this.#repos.events.get(id);
    if (!event) throw notFound("event");
    if (!(await this.canWrite(actor, event))) {
      // Someone who cannot even see it gets the same answer as for a missing event.
      if (!this.#publiclyReadable(event)) throw notFound("event");
      throw forbidden(
        "only the organizer, or an admin or moderator of its group, may change this event",
      );
    }
    return event;
  }

  async #checkFields(f: EventFields): Promise<void> {
    const issues = checkEventRules(f);
    if (f.groupId && !(await this.#repos.actors.group(f.groupId)))
      issues.push({ path: "groupId", message: "no such group" });
    if (issues.length) throw invalid("the event is not valid", issues);
  }

  #fieldsOf(e: EventRecord): EventFields {
    return {
      title: e.title,
      description: e.description,
      beginsAt: e.beginsAt.toISOString(),
      endsAt: e.endsAt?.toISOString() ?? null,
      timezone: e.timezone,
      allDay: e.allDay,
      address: e.address,
      onlineUrl: e.onlineUrl,
      category: e.category,
      tags: e.tags,
      language: e.language,
      banner: null,
      visibility: e.visibility,
      status: e.status,
      draft: e.draft,
      publishAt: e.publishAt?.toISOString() ?? null,
      joinMode: e.joinMode,
      externalUrl: e.externalUrl,
      capacity: e.capacity,
      groupId: e.groupId,
      recurrence: e.recurrence
        ? { rrule: e.recurrence.rrule, exdates: e.recurrence.exdates.map((d) => d.toISOString()) }
        : null,
    };
  }

  async #toRecord(
    accountId: string,
    f: EventFields,
    meta: Pick<
      EventRecord,
      "id" | "organizerId" | "sequence" | "createdAt" | "updatedAt" | "banner" | "rsvpClosed"
    >,
  ): Promise<EventRecord> {
    const banner = f.banner
      ? await attachImage(this.#repos, accountId, f.banner, "banner", meta.banner)
      : meta.banner;
    let beginsAt = new Date(f.beginsAt);
    let endsAt = f.endsAt ? new Date(f.endsAt) : null;
    if (f.allDay) {
      // All-day events are stored as local midnights of their zone; the end is exclusive.
      beginsAt = startOfLocalDay(localDate(beginsAt, f.timezone), f.timezone);
      if (endsAt) {
        const endDay = startOfLocalDay(localDate(endsAt, f.timezone), f.timezone);
        endsAt = endDay > beginsAt ? endDay : new Date(beginsAt.getTime() + 86_400_000);
      }
    }
    const { sanitizeDescription } = await sanitizer();
    return {
      ...meta,
      groupId: f.groupId,
      // Plain text, kept as typed ("Atelier <vélo>" is a title, not markup): every output
      // escapes it. Control characters are dropped.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      title: f.title.replace(/[\u0000-\u001f\u007f]/g, " ").trim(),
      description: sanitizeDescription(f.description),
      beginsAt,
      endsAt,
      timezone: f.timezone,
      allDay: f.allDay,
      address: f.address,
      onlineUrl: f.onlineUrl,
      category: f.category,
      tags: [...new Set(f.tags)],
      language: f.language,
      banner,
      visibility: f.visibility,
      status: f.status,
      draft: f.draft,
      publishAt: f.publishAt ? new Date(f.publishAt) : null,
      joinMode: f.joinMode,
      externalUrl: f.externalUrl,
      capacity: f.capacity,
      recurrence: f.recurrence
        ? {
            rrule: f.recurrence.rrule.replace(/^RRULE:/i, ""),
            exdates: (f.recurrence.exdates ?? []).map((d) => new Date(d)),
          }
        : null,
    };
  }

  // ------------------------------------------------------------ reads

  #publiclyReadable(e: EventRecord): boolean {
    // Unlisted events are readable by anyone who has the link; never listed.
    return (
      (e.visibility === "public" || e.visibility === "unlisted") &&
      isPubliclyListed({ ...e, visibility: "public" })
    );
  }

  /** An event as `viewer` may see it: public/unlisted to all, the rest to its writers only. */
  async get(id: string, viewer?: Identity[]): Promise<EventRecord> {
    const e = await this.#repos.events.get(id);
    if (!e) throw notFound("event");
    if (this.#publiclyReadable(e)) return e;
    for (const identity of viewer ?? []) if (await this.canWrite(identity, e)) return e;
    throw notFound("event");
  }

  /**
   * What `actor` may manage: the events it organizes and those of the groups where it is an
   * admin or moderator (the rule of canWrite), drafts and past ones included.
   */
  async managed(actor: Identity, limit = 500): Promise<EventRecord[]> {
    const groups = (await this.#repos.actors.groupsOf(actor.id))
      .filter((m) => m.role === "admin" || m.role === "moderator")
      .map((m) => m.group.id);
    return this.#repos.events.managed(actor.id, groups, limit);
  }

  /** The public listing. Private, unlisted, draft and scheduled events never appear. */
  async list(filter: ListFilter, now = new Date()): Promise<Page<Listed>> {
    const from = (filter.from ?? now).getTime();
    if (filter.to && filter.to.getTime() - from > MAX_WINDOW_MS)
      throw invalid("window too wide", [
        { path: "to", message: "may be at most 5 years after from" },
      ]);
    const to = filter.to?.getTime() ?? null;
    const horizon = to ?? from + DEFAULT_HORIZON_MS;
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const need = filter.limit + 1;

    const base: Omit<EventQuery, "recurring" | "limit" | "after"> = {
      from,
      to,
      publicAt: now.getTime(),
      tag: filter.tag,
      category: filter.category,
      status: filter.status,
      text: filter.q,
      online: filter.online,
    };
    if (filter.group) {
      const g = await this.#repos.actors.groupByHandle(filter.group);
      if (!g) return { items: [], next: null };
      base.groupId = g.id;
    }
    if (filter.organizer) {
      const i = await this.#repos.actors.identityByHandle(filter.organizer);
      if (!i) return { items: [], next: null };
      base.organizerId = i.id;
    }
    const near = filter.near;
    if (near) {
      const dLat = near.radiusKm / 111.2;
      const dLon = near.radiusKm / (111.2 * Math.max(0.01, Math.cos((near.lat * Math.PI) / 180)));
      base.box = {
        minLat: near.lat - dLat,
        maxLat: near.lat + dLat,
        minLon: near.lon - dLon,
        maxLon: near.lon + dLon,
      };
    }
    const close = (e: EventRecord) =>
      !near ||
      (e.address?.latitude !== undefined &&
        distanceKm(near, { lat: e.address.latitude, lon: e.address.longitude! }) <= near.radiusKm);

    // Single events: keyset pages from SQL, topped up when the distance filter drops rows.
    const singles: Listed[] = [];
    let position = after;
    for (let round = 0; round < 20 && singles.length < need; round++) {
      const batch = near ? need * 4 : need;
      const rows = await this.#repos.events.find({
        ...base,
        recurring: false,
        after: position,
        limit: batch,
      });
      for (const e of rows) if (close(e)) singles.push({ event: e });
      if (rows.length < batch) break;
      const last = rows.at(-1)!;
      position = { begins: last.beginsAt.getTime(), id: last.id };
    }

    // Recurring events: few, expanded in memory within [from, horizon). When the single events
    // already fill the page, occurrences after the last one needed cannot make it in.
    const recurring: Listed[] = [];
    const series = await this.#repos.events.find({ ...base, recurring: true, limit: 2000 });
    const filled =
      singles.length >= need
        ? singles[need - 1]!.event.beginsAt.getTime() + 1
        : Number.POSITIVE_INFINITY;
    const until = new Date(Math.min(horizon, filled));
    for (const e of series) {
      if (!close(e)) continue;
      for (const occurrence of occurrencesBetween(e, new Date(from), until)) {
        const t = occurrence.start.getTime();
        if (after && (t < after.begins || (t === after.begins && e.id <= after.id))) continue;
        recurring.push({ event: e, occurrence });
      }
    }

    const startOf = (l: Listed) => (l.occurrence?.start ?? l.event.beginsAt).getTime();
    const merged = [...singles, ...recurring].sort(
      (a, b) =>
        startOf(a) - startOf(b) || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0),
    );
    const items = merged.slice(0, filter.limit);
    const last = items.at(-1);
    const next =
      merged.length > filter.limit && last ? encodeCursor(startOf(last), last.event.id) : null;
    return { items, next };
  }

  /**
   * Public events for an iCalendar feed: one record per series (calendar clients expand
   * RRULEs themselves), from 30 days ago on, at most `limit` single events.
   */
  async forCalendar(
    scope: { group?: string; organizer?: string },
    limit = 1000,
    now = new Date(),
  ): Promise<Listed[]> {
    const from = now.getTime() - 30 * 86_400_000;
    const base = { from, to: null, publicAt: now.getTime() } as Omit<
      EventQuery,
      "recurring" | "limit"
    >;
    if (scope.group) {
      const g = await this.#repos.actors.groupByHandle(scope.group);
      if (!g) throw notFound("group");
      base.groupId = g.id;
    }
    if (scope.organizer) {
      const i = await this.#repos.actors.identityByHandle(scope.organizer);
      if (!i) throw notFound("identity");
      base.organizerId = i.id;
    }
    const [singles, series] = await Promise.all([
      this.#repos.events.find({ ...base, recurring: false, limit }),
      this.#repos.events.find({ ...base, recurring: true, limit }),
    ]);
    return [...singles, ...series]
      .sort((a, b) => a.beginsAt.getTime() - b.beginsAt.getTime())
      .map((event) => ({ event }));
  }

  // ------------------------------------------------------------ JSON

  /** Maps records to the public JSON shape, loading organizers, groups and counts in batches. */
  async toJson(listed: Listed[]): Promise<EventJson[]> {
    const events = listed.map((l) => l.event);
    const remote = events.filter((e) => !e.organizerId);
    const [identities, groups, counts, remoteRefs] = await Promise.all([
      this.#repos.actors.identitiesByIds([
        ...new Set(events.flatMap((e) => (e.organizerId ? [e.organizerId] : []))),
      ]),
      this.#repos.actors.groupsByIds([
        ...new Set(events.flatMap((e) => (e.groupId ? [e.groupId] : []))),
      ]),
      this.#repos.events.confirmedCounts([...new Set(events.map((e) => e.id))]),
      remote.length && this.hooks.remoteRefs
        ? this.hooks.remoteRefs(remote)
        : new Map<string, RemoteRefs>(),
    ]);
    const organizers = new Map(identities.map((i) => [i.id, this.#links.actorRef(i)]));
    const groupRefs = new Map(groups.map((g) => [g.id, this.#links.actorRef(g)]));
    return listed.map(({ event, occurrence }) => {
      const refs = remoteRefs.get(event.id);
      if (refs)
        return toEventJson(
          event,
          {
            origin: this.#links.origin,
            organizer: refs.organizer,
            group: refs.group,
            participantCount: refs.participantCount,
            remote: refs.remote,
          },
          occurrence,
        );
      const organizer = organizers.get(event.organizerId);
      if (!organizer) throw new DomainError("not_found", `organizer of ${event.id} missing`);
      return toEventJson(
        event,
        {
          origin: this.#links.origin,
          organizer,
          group: event.groupId ? (groupRefs.get(event.groupId) ?? null) : null,
          participantCount: counts.get(event.id) ?? 0,
        },
        occurrence,
      );
    });
  }

  async oneToJson(event: EventRecord): Promise<EventJson> {
    return (await this.toJson([{ event }]))[0]!;
  }

  actorRef(a: Identity | Group): ActorRef {
    return this.#links.actorRef(a);
  }
}
