/**
 * Mobilizon through its public GraphQL API (`POST /api`): the instance's upcoming events, a
 * group's organized events, or one event by UUID. The group listing of Mobilizon's front end
 * carries no description, end or tags, so each of its events is completed with the
 * single-event query (`details: false` skips that).
 */
import {
  type ActorRef,
  attendanceMode,
  DEFAULT_CATEGORY,
  type EventJson,
  normalizeTag,
  parseCategory,
} from "@eventail/core";
import { sanitizeDescription, toPlainText } from "@eventail/core/sanitize";
import { z } from "zod";
import { SourceError } from "../errors.ts";
import {
  checkEvent,
  compactAddress,
  hostOf,
  httpUrlOrNull,
  isoUtc,
  mapAll,
  mapLimit,
  mediaTypeOf,
  parseRecord,
  pickZone,
  rawId,
  zoned,
} from "../mapping.ts";
import type { EventSource, SourceOptions, SourceRun } from "../source.ts";
import { FETCH_EVENT, FETCH_EVENTS, FETCH_GROUP_EVENTS } from "./mobilizon-queries.ts";

export interface MobilizonSourceOptions extends SourceOptions {
  /** Base URL of the instance, e.g. "https://mobilizon.fr". */
  instance: string;
  /** A group's preferred username: its organized events instead of the instance's. */
  group?: string;
  /** One event by UUID. */
  event?: string;
  /** Complete group events with the single-event query. Default true. */
  details?: boolean;
  /** Page size (Mobilizon caps it below 100). Default 50. */
  pageSize?: number;
  maxPages?: number;
  /** Zone for events that name none. Default: the address's zone, else UTC. */
  timezone?: string;
}

const nullish = <T extends z.ZodType>(t: T) => t.nullish();

const actorSchema = z.object({
  id: nullish(z.string()),
  type: nullish(z.string()),
  preferredUsername: z.string(),
  name: nullish(z.string()),
  domain: nullish(z.string()),
  url: nullish(z.string()),
});

const mobilizonEventSchema = z.object({
  uuid: z.string().min(1),
  url: nullish(z.string()),
  title: z.string(),
  description: nullish(z.string()),
  beginsOn: z.string(),
  endsOn: nullish(z.string()),
  status: nullish(z.enum(["TENTATIVE", "CONFIRMED", "CANCELLED"])),
  visibility: nullish(z.string()),
  joinOptions: nullish(z.string()),
  externalParticipationUrl: nullish(z.string()),
  draft: nullish(z.boolean()),
  language: nullish(z.string()),
  category: nullish(z.string()),
  insertedAt: nullish(z.string()),
  publishAt: nullish(z.string()),
  onlineAddress: nullish(z.string()),
  picture: nullish(
    z.object({
      url: z.string(),
      name: nullish(z.string()),
      alt: nullish(z.string()),
      metadata: nullish(z.object({ width: nullish(z.number()), height: nullish(z.number()) })),
    }),
  ),
  physicalAddress: nullish(
    z.object({
      description: nullish(z.string()),
      geom: nullish(z.string()),
      street: nullish(z.string()),
      locality: nullish(z.string()),
      postalCode: nullish(z.string()),
      region: nullish(z.string()),
      country: nullish(z.string()),
      timezone: nullish(z.string()),
    }),
  ),
  organizerActor: nullish(actorSchema),
  attributedTo: nullish(actorSchema),
  participantStats: nullish(z.object({ participant: nullish(z.number()) })),
  tags: nullish(z.array(z.object({ title: z.string() }))),
  options: nullish(
    z.object({
      maximumAttendeeCapacity: nullish(z.number()),
      remainingAttendeeCapacity: nullish(z.number()),
      timezone: nullish(z.string()),
    }),
  ),
});
type MobilizonEvent = z.output<typeof mobilizonEventSchema>;

const listSchema = z.object({
  total: nullish(z.number()),
  elements: z.array(z.unknown()),
});

const STATUS = { TENTATIVE: "tentative", CONFIRMED: "confirmed", CANCELLED: "cancelled" } as const;
const JOIN = { FREE: "free", RESTRICTED: "restricted", INVITE: "invite", EXTERNAL: "external" };

export function mobilizonSource(opts: MobilizonSourceOptions): EventSource {
  const instance = opts.instance.replace(/\/+$/, "");
  const host = hostOf(instance);
  const name = opts.name ?? `mobilizon:${host}${opts.group ? `/@${opts.group}` : ""}`;
  const api = `${instance}/api`;

  async function query(run: SourceRun, doc: string, variables: object, cacheKey: string) {
    const operationName = /query\s+(\w+)/.exec(doc)?.[1];
    const answer = (await run.fetcher.postJson(
      api,
      { operationName, query: doc, variables },
      cacheKey,
    )) as { data?: Record<string, unknown> | null; errors?: Array<{ message?: string }> };
    return answer;
  }

  function graphqlError(answer: { errors?: Array<{ message?: string }> }, field: string) {
    const message = answer.errors?.map((e) => e.message).join("; ") || "no data";
    return new SourceError(`GraphQL: ${message}`, { source: name, kind: "invalid", field });
  }

  const instanceRef: ActorRef = { id: instance, handle: host, name: host, url: instance };
  const actorRef = (a: z.output<typeof actorSchema>): ActorRef => ({
    id: a.url ?? a.id ?? a.preferredUsername,
    handle: `${a.preferredUsername}@${a.domain ?? host}`,
    name: a.name || a.preferredUsername,
    url: a.url ?? `${instance}/@${a.preferredUsername}`,
  });

  function toEventJson(raw: unknown): EventJson {
    const id = rawId(raw, "uuid", "id");
    const m: MobilizonEvent = parseRecord(mobilizonEventSchema, raw, name, id);
    const ctx = { source: name, event: m.uuid };
    const zone = pickZone(m.options?.timezone, m.physicalAddress?.timezone, opts.timezone) ?? "UTC";
    const a = m.physicalAddress;
    // Mobilizon's Point is "lon;lat".
    const [lon, lat] = (a?.geom ?? "").split(";").map(Number);
    const address = a
      ? compactAddress({
          venue: a.description ?? undefined,
          street: a.street ?? undefined,
          locality: a.locality ?? undefined,
          region: a.region ?? undefined,
          postalCode: a.postalCode ?? undefined,
          country: a.country ?? undefined,
          ...(a.geom ? { latitude: lat, longitude: lon } : {}),
        })
      : null;
    const onlineUrl = httpUrlOrNull(m.onlineAddress);
    const url = m.url ?? `${instance}/events/${m.uuid}`;
    const capacity = Math.max(0, m.options?.maximumAttendeeCapacity ?? 0);
    const created = isoUtc(m.insertedAt ?? m.publishAt, isoUtc(m.beginsOn, ""));
    return checkEvent(
      {
        id: m.uuid,
        url,
        icsUrl: `${instance}/events/${m.uuid}/export/ics`,
        title: toPlainText(m.title),
        description: sanitizeDescription(m.description ?? ""),
        beginsAt: zoned(m.beginsOn, zone, { ...ctx, field: "beginsOn" }),
        endsAt: m.endsOn ? zoned(m.endsOn, zone, { ...ctx, field: "endsOn" }) : null,
        timezone: zone,
        allDay: false,
        attendanceMode: attendanceMode({ address, onlineUrl }),
        address,
        onlineUrl,
        category: parseCategory(m.category) ?? DEFAULT_CATEGORY,
        tags: [...new Set((m.tags ?? []).map((t) => normalizeTag(t.title)).filter(Boolean))],
        language: m.language || "und",
        banner: m.picture
          ? {
              url: m.picture.url,
              alt: m.picture.alt ?? "",
              mediaType: mediaTypeOf(m.picture.url),
              ...(m.picture.metadata?.width && m.picture.metadata.height
                ? { width: m.picture.metadata.width, height: m.picture.metadata.height }
                : {}),
            }
          : null,
        visibility:
          m.visibility === "UNLISTED"
            ? "unlisted"
            : m.visibility && m.visibility !== "PUBLIC"
              ? "private"
              : "public",
        status: m.status ? STATUS[m.status] : "confirmed",
        draft: m.draft ?? false,
        publishAt: m.publishAt ? isoUtc(m.publishAt, "") : null,
        joinMode:
          (JOIN as Record<string, EventJson["joinMode"]>)[m.joinOptions ?? "FREE"] ?? "free",
        externalUrl: httpUrlOrNull(m.externalParticipationUrl),
        capacity,
        participantCount: Math.max(0, m.participantStats?.participant ?? 0),
        // RSVPs for a Mobilizon event are made on Mobilizon, not through Eventail's form.
        rsvpOpen: false,
        remainingCapacity:
          capacity > 0 ? Math.max(0, m.options?.remainingAttendeeCapacity ?? capacity) : null,
        organizer: m.organizerActor
          ? actorRef(m.organizerActor)
          : m.attributedTo
            ? actorRef(m.attributedTo)
            : instanceRef,
        group: m.attributedTo?.type === "GROUP" ? actorRef(m.attributedTo) : null,
        recurrence: null,
        sequence: 0,
        createdAt: created,
        updatedAt: created,
      },
      name,
    );
  }

  async function fetchOne(run: SourceRun, uuid: string): Promise<unknown | null> {
    const answer = await query(run, FETCH_EVENT, { uuid }, `FetchEvent ${uuid}`);
    return answer.data?.event ?? null;
  }

  async function pages(
    run: SourceRun,
    fetchPage: (page: number) => Promise<z.output<typeof listSchema>>,
  ): Promise<unknown[]> {
    const size = opts.pageSize ?? 50;
    const all: unknown[] = [];
    for (let page = 1; page <= (opts.maxPages ?? 20); page++) {
      const list = await fetchPage(page);
      all.push(...list.elements);
      if (list.elements.length < size || (list.total != null && all.length >= list.total))
        return all;
    }
    run.warn(`stopped after ${opts.maxPages ?? 20} pages; more events exist`);
    return all;
  }

  return {
    name,
    kind: "mobilizon",
    origin: instance,
    options: opts,
    async load(run) {
      const size = opts.pageSize ?? 50;
      if (opts.event) {
        const raw = await fetchOne(run, opts.event);
        if (!raw)
          throw new SourceError(`no event with UUID ${opts.event}`, {
            source: name,
            kind: "invalid",
            event: opts.event,
            field: "event",
          });
        return [toEventJson(raw)];
      }
      if (opts.group) {
        const group = opts.group;
        const elements = await pages(run, async (page) => {
          const answer = await query(
            run,
            FETCH_GROUP_EVENTS,
            {
              name: group,
              afterDateTime: run.now.toISOString(),
              order: "BEGINS_ON",
              orderDirection: "ASC",
              organisedEventsPage: page,
              organisedEventsLimit: size,
            },
            `FetchGroupEvents ${group} ${page} ${size}`,
          );
          const found = answer.data?.group as { organizedEvents?: unknown } | null | undefined;
          if (!found) throw graphqlError(answer, "group");
          return parseRecord(listSchema, found.organizedEvents, name, undefined);
        });
        const complete =
          opts.details === false
            ? elements
            : await mapLimit(elements, 4, async (el) => {
                const uuid = rawId(el, "uuid");
                if (!uuid) return el;
                const full = await fetchOne(run, uuid);
                if (full) return full;
                run.warn(
                  `event ${uuid}: no details from the single-event query; listing data kept`,
                );
                return el;
              });
        return mapAll(complete, toEventJson, opts, run);
      }
      const elements = await pages(run, async (page) => {
        const answer = await query(
          run,
          FETCH_EVENTS,
          { orderBy: "BEGINS_ON", direction: "ASC", page, limit: size },
          `FetchEvents ${page} ${size}`,
        );
        if (!answer.data?.events) throw graphqlError(answer, "events");
        return parseRecord(listSchema, answer.data.events, name, undefined);
      });
      return mapAll(elements, toEventJson, opts, run);
    },
  };
}
