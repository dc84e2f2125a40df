/**
 * An ActivityPub actor's outbox (Gancio's relay, a Mobilizon group, another Eventail): the
 * latest `Create`/`Update` of each `Event`, minus those deleted, read from a paged
 * OrderedCollection. Fields are read by key from the compacted JSON (INTEROP.md: Mobilizon's
 * context maps `location` to schema.org, so a JSON-LD-typed reader would miss it).
 */
import {
  type ActorRef,
  attendanceMode,
  DEFAULT_CATEGORY,
  EVENT_STATUSES,
  type EventJson,
  JOIN_MODES,
  normalizeTag,
  parseCategory,
} from "@eventail/core";
import { sanitizeDescription, toPlainText } from "@eventail/core/sanitize";
import { z } from "zod";
import {
  checkEvent,
  compactAddress,
  hostOf,
  httpUrlOrNull,
  isoUtc,
  mapAll,
  mediaTypeOf,
  parseRecord,
  pickZone,
  rawId,
  zoned,
  zoneOfOffset,
} from "../mapping.ts";
import type { EventSource, SourceOptions, SourceRun } from "../source.ts";

export interface ActivityPubSourceOptions extends SourceOptions {
  /** The actor's URL (its `id`), e.g. "https://gancio.example/federation/u/relay". */
  actor: string;
  /** Outbox pages to read at most. Default 10. */
  maxPages?: number;
  /** Zone for events that name none (Gancio sends only offsets). Default: from the offset. */
  timezone?: string;
}

const AP_ACCEPT =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
const PUBLIC = new Set(["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"]);
const MAX_ACTIVITIES = 5000;
const MAX_OBJECT_FETCHES = 100;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
const idOf = (v: unknown): string | undefined =>
  typeof v === "string" ? v : isObject(v) && typeof v.id === "string" ? v.id : undefined;
const hrefOf = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v
    : isObject(v)
      ? typeof v.href === "string"
        ? v.href
        : idOf(v)
      : undefined;

const actorSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  outbox: z.string(),
  name: z.string().nullish(),
  preferredUsername: z.string().nullish(),
  url: z.unknown().optional(),
});

const apEventSchema = z.object({
  id: z.string(),
  type: z.literal("Event"),
  name: z.string().min(1, "is required"),
  startTime: z.string(),
  endTime: z.string().nullish(),
  timezone: z.string().nullish(),
  content: z.string().nullish(),
  published: z.string().nullish(),
  updated: z.string().nullish(),
});

export function activityPubSource(opts: ActivityPubSourceOptions): EventSource {
  const actorUrl = opts.actor;
  const host = hostOf(actorUrl);
  const name = opts.name ?? `activitypub:${host}`;
  return {
    name,
    kind: "activitypub",
    origin: actorUrl,
    options: opts,
    async load(run) {
      const actor = parseRecord(
        actorSchema,
        await run.fetcher.getJson(actorUrl, AP_ACCEPT),
        name,
        undefined,
      );
      const actorRef: ActorRef = {
        id: actor.id,
        handle: `${actor.preferredUsername ?? "actor"}@${host}`,
        name: actor.name || actor.preferredUsername || host,
        url: httpUrlOrNull(hrefOf(list(actor.url)[0])) ?? httpUrlOrNull(actor.id) ?? actorUrl,
      };

      const activities = await readOutbox(run, actor.outbox, opts.maxPages ?? 10, name);
      // The outbox is newest first; replay oldest first so later updates and deletes win.
      const latest = new Map<string, Json>();
      let fetches = 0;
      for (const activity of activities.reverse()) {
        if (!isObject(activity)) continue;
        const type = activity.type;
        if (type === "Delete") {
          const target = idOf(activity.object);
          if (target) latest.delete(target);
          continue;
        }
        if (type !== "Create" && type !== "Update") continue;
        let object = activity.object;
        if (typeof object === "string" && fetches < MAX_OBJECT_FETCHES) {
          fetches++;
          object = await run.fetcher.getJson(object, AP_ACCEPT);
        }
        if (!isObject(object) || object.type !== "Event" || typeof object.id !== "string") continue;
        // An actor speaks only for objects on its own host (INTEROP.md, security case 6).
        if (hostOf(object.id) !== host) {
          run.warn(`event ${object.id}: not on the actor's host; ignored`);
          continue;
        }
        latest.set(object.id, { ...object, _activity: activity });
      }

      const toEventJson = (raw: Json): EventJson | null => {
        const o = parseRecord(apEventSchema, raw, name, rawId(raw, "id"));
        const audience = [...list(raw.to), ...list((raw._activity as Json).to)].map(String);
        const cc = [...list(raw.cc), ...list((raw._activity as Json).cc)].map(String);
        const visibility = audience.some((a) => PUBLIC.has(a))
          ? "public"
          : cc.some((a) => PUBLIC.has(a))
            ? "unlisted"
            : null;
        if (!visibility) return null; // followers-only or direct: not for a public site
        const zone = pickZone(o.timezone, opts.timezone) ?? zoneOfOffset(o.startTime);
        const ctx = { source: name, event: o.id };

        let address: EventJson["address"] = null;
        let onlineUrl: string | null = null;
        for (const loc of list(raw.location).filter(isObject)) {
          // Gancio also sends a virtual place as a Place whose address is a VirtualLocation.
          const virtual = isObject(loc.address) && loc.address.type === "VirtualLocation";
          if (loc.type === "VirtualLocation") onlineUrl ??= httpUrlOrNull(loc.url);
          else if (virtual) onlineUrl ??= httpUrlOrNull((loc.address as Json).url);
          else if (loc.type === "Place" && !address) {
            const a = loc.address;
            const postal = isObject(a) ? a : {};
            const str = (v: unknown) => (typeof v === "string" ? v : undefined);
            const num = (v: unknown) =>
              typeof v === "number" ? v : typeof v === "string" ? Number(v) : undefined;
            address = compactAddress({
              venue: str(loc.name),
              street: typeof a === "string" ? a : str(postal.streetAddress),
              locality: str(postal.addressLocality),
              region: str(postal.addressRegion),
              postalCode: str(postal.postalCode),
              country: str(postal.addressCountry),
              ...(num(loc.latitude) !== undefined && num(loc.longitude) !== undefined
                ? { latitude: num(loc.latitude), longitude: num(loc.longitude) }
                : {}),
            });
          }
        }
        const attachments = list(raw.attachment).filter(isObject);
        onlineUrl ??= httpUrlOrNull(
          attachments.find((a) => a.type === "Link" && a.name === "Website")?.href,
        );
        const image = [...list(raw.image), ...attachments].find(
          (a): a is Json =>
            isObject(a) &&
            (a.type === "Image" || a.type === "Document") &&
            String(a.mediaType ?? "image/").startsWith("image/"),
        );
        const imageUrl = image ? httpUrlOrNull(hrefOf(list(image.url)[0]) ?? image.href) : null;
        const tags = list(raw.tag)
          .filter(isObject)
          .filter((t) => t.type === "Hashtag" && typeof t.name === "string")
          .map((t) => normalizeTag(String(t.name)))
          .filter(Boolean);
        const statusRaw = String(raw.status ?? raw.eventStatus ?? "").toLowerCase();
        const joinRaw = String(raw.joinMode ?? "").toLowerCase();
        const capacity = Math.max(0, Number(raw.maximumAttendeeCapacity ?? 0) || 0);
        const attributed = list(raw.attributedTo).map(idOf).find(Boolean);
        const organizer: ActorRef =
          !attributed || attributed === actor.id
            ? actorRef
            : {
                id: attributed,
                handle: hostOf(attributed),
                name: hostOf(attributed),
                url: httpUrlOrNull(attributed) ?? actorRef.url,
              };
        const created = isoUtc(o.published, isoUtc(o.startTime, ""));
        return checkEvent(
          {
            id: o.id,
            url: httpUrlOrNull(hrefOf(list(raw.url)[0])) ?? o.id,
            icsUrl: httpUrlOrNull(hrefOf(list(raw.url)[0])) ?? o.id,
            title: toPlainText(o.name),
            description: sanitizeDescription(o.content ?? ""),
            beginsAt: zoned(o.startTime, zone, { ...ctx, field: "startTime" }),
            endsAt: o.endTime ? zoned(o.endTime, zone, { ...ctx, field: "endTime" }) : null,
            timezone: zone,
            allDay: false,
            attendanceMode: attendanceMode({ address, onlineUrl }),
            address,
            onlineUrl,
            category: parseCategory(raw.category) ?? DEFAULT_CATEGORY,
            tags: [...new Set(tags)],
            language: typeof raw.inLanguage === "string" ? raw.inLanguage : "und",
            banner: imageUrl
              ? {
                  url: imageUrl,
                  alt: typeof image?.name === "string" ? image.name : "",
                  mediaType:
                    typeof image?.mediaType === "string" ? image.mediaType : mediaTypeOf(imageUrl),
                }
              : null,
            visibility,
            status: (EVENT_STATUSES as readonly string[]).includes(statusRaw)
              ? (statusRaw as EventJson["status"])
              : "confirmed",
            draft: false,
            publishAt: null,
            joinMode: (JOIN_MODES as readonly string[]).includes(joinRaw)
              ? (joinRaw as EventJson["joinMode"])
              : "free",
            externalUrl: httpUrlOrNull(raw.externalParticipationUrl),
            capacity,
            participantCount: Math.max(0, Number(raw.participantCount ?? 0) || 0),
            rsvpOpen: false,
            remainingCapacity:
              capacity > 0
                ? Math.max(0, Number(raw.remainingAttendeeCapacity ?? capacity) || 0)
                : null,
            organizer,
            group: actor.type === "Group" ? actorRef : null,
            recurrence: null,
            sequence: 0,
            createdAt: created,
            updatedAt: isoUtc(o.updated, created),
          },
          name,
        );
      };
      return mapAll([...latest.values()], toEventJson, opts, run);
    },
  };
}

/** Activities of an outbox, newest first, from an inline list or by following `next`. */
async function readOutbox(
  run: SourceRun,
  outboxUrl: string,
  maxPages: number,
  name: string,
): Promise<unknown[]> {
  const outbox = parseRecord(
    z.record(z.string(), z.unknown()),
    await run.fetcher.getJson(outboxUrl, AP_ACCEPT),
    name,
    undefined,
  );
  const items: unknown[] = [...list(outbox.orderedItems ?? outbox.items)];
  let page: unknown = outbox.first;
  for (let n = 0; page && n < maxPages && items.length < MAX_ACTIVITIES; n++) {
    const doc = typeof page === "string" ? await run.fetcher.getJson(page, AP_ACCEPT) : page;
    if (!isObject(doc)) break;
    items.push(...list(doc.orderedItems ?? doc.items));
    page = doc.next;
  }
  return items.slice(0, MAX_ACTIVITIES);
}
