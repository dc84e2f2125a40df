/**
 * Remote `Event` JSON (Mobilizon, Gancio, Eventail, WordPress bridges, FEP-8a8e) → the fields
 * of a local copy. Read by key from the compacted JSON, as peers send it (a JSON-LD typed
 * reader loses Mobilizon's `location`, see INTEROP.md). Everything is bounded and cleaned:
 * names become plain text, HTML goes through the same allowlist as local descriptions, URLs
 * must be http(s), numbers must be in range.
 */
import {
  type Address,
  type Category,
  DEFAULT_CATEGORY,
  type EventStatus,
  isTimeZone,
  JOIN_MODES,
  type JoinMode,
  MAX_DATE,
  MIN_DATE,
  normalizeTag,
  parseCategory,
} from "@eventail/core";

export const AS_PUBLIC_IDS = new Set([
  "https://www.w3.org/ns/activitystreams#Public",
  "as:Public",
  "Public",
]);

type Json = Record<string, unknown>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

export interface Cleaners {
  /** Allowlisted HTML (the sanitizer of local descriptions). */
  html(html: string): string;
  /** HTML or text → plain text. */
  plain(html: string): string;
}

export interface InboundEvent {
  apId: string;
  /** Human page at the origin. */
  url: string;
  actor: string | null;
  attributedTo: string | null;
  title: string;
  description: string;
  beginsAt: Date;
  endsAt: Date | null;
  timezone: string;
  address: Address | null;
  onlineUrl: string | null;
  category: Category;
  tags: string[];
  language: string;
  status: EventStatus;
  joinMode: JoinMode;
  externalUrl: string | null;
  capacity: number;
  participantCount: number;
  isPublic: boolean;
  published: Date | null;
  updated: Date | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The first value of a property that may be a single value or an array. */
function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function all(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A property read under its usual compacted names. */
function prop(o: Json, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

export function idOf(v: unknown): string | null {
  const x = first(v);
  if (typeof x === "string") return x;
  if (x && typeof x === "object") {
    const o = x as Json;
    if (typeof o.id === "string") return o.id;
    if (typeof o["@id"] === "string") return o["@id"] as string;
    if (typeof o.href === "string") return o.href;
  }
  return null;
}

export function httpUrl(v: unknown, max = 2000): string | null {
  if (typeof v !== "string" || v.length > max) return null;
  try {
    const u = new URL(v);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

function text(v: unknown, clean: Cleaners, max: number): string | undefined {
  const x = first(v);
  if (typeof x !== "string") return undefined;
  const t = clean
    .plain(x.slice(0, max * 4))
    .replace(CONTROL_CHARS, " ")
    .trim();
  return t ? t.slice(0, max) : undefined;
}

export function mapValue(v: unknown): unknown {
  // contentMap / nameMap: { "fr": "…" } → the first language's value.
  if (v && typeof v === "object" && !Array.isArray(v)) return Object.values(v as Json)[0];
  return undefined;
}

function instant(v: unknown): Date | null {
  const x = first(v);
  if (typeof x !== "string" || x.length > 64) return null;
  const t = Date.parse(x);
  return Number.isFinite(t) && t >= MIN_DATE && t < MAX_DATE ? new Date(t) : null;
}

function number(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** An IANA zone for an event that names none: the fixed offset of its start, if whole hours. */
function zoneFromOffset(start: unknown): string {
  const m = typeof start === "string" ? /([+-])(\d{2}):?(\d{2})$/.exec(start) : null;
  if (m?.[3] !== "00") return "UTC";
  const hours = Number(m[2]);
  if (hours === 0) return "UTC";
  // Etc/GMT zones have POSIX signs: UTC+01:00 is Etc/GMT-1.
  const zone = `Etc/GMT${m[1] === "+" ? "-" : "+"}${hours}`;
  return isTimeZone(zone) ? zone : "UTC";
}

function parseAddress(place: Json, clean: Cleaners): Address | null {
  const a: Address = {};
  const venue = text(prop(place, "name"), clean, 200);
  if (venue) a.venue = venue;
  const addr = first(prop(place, "address", "sc:address"));
  if (typeof addr === "string") {
    const street = text(addr, clean, 200);
    if (street) a.street = street;
  } else if (addr && typeof addr === "object") {
    const o = addr as Json;
    const set = (key: keyof Address, max: number, ...names: string[]) => {
      const v = text(prop(o, ...names), clean, max);
      if (v) (a as Record<string, string>)[key] = v;
    };
    set("street", 200, "streetAddress", "sc:streetAddress");
    set("locality", 100, "addressLocality", "sc:addressLocality");
    set("region", 100, "addressRegion", "sc:addressRegion");
    set("postalCode", 20, "postalCode", "sc:postalCode");
    set("country", 100, "addressCountry", "sc:addressCountry");
  }
  const lat = number(prop(place, "latitude", "sc:latitude"), -90, 90);
  const lon = number(prop(place, "longitude", "sc:longitude"), -180, 180);
  if (lat !== undefined && lon !== undefined) {
    a.latitude = lat;
    a.longitude = lon;
  }
  return Object.keys(a).length ? a : null;
}

const STATUS: Record<string, EventStatus> = {
  CONFIRMED: "confirmed",
  TENTATIVE: "tentative",
  CANCELLED: "cancelled",
  EVENTCANCELLED: "cancelled",
  EVENTSCHEDULED: "confirmed",
  EVENTPOSTPONED: "postponed",
  EVENTRESCHEDULED: "confirmed",
};

function parseStatus(v: unknown): EventStatus {
  const x = first(v);
  if (typeof x !== "string") return "confirmed";
  const key = x
    .replace(/^.*[/#:]/, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
  return STATUS[key] ?? "confirmed";
}

/** Whether an audience list (to/cc) names the public collection. */
export function isPublicAudience(...lists: unknown[]): boolean {
  return lists.some((l) => all(l).some((x) => typeof x === "string" && AS_PUBLIC_IDS.has(x)));
}

/**
 * Maps a remote Event object. `audience` is the enclosing activity's to/cc (an Event
 * may carry none of its own).
 */
export function parseRemoteEvent(
  raw: unknown,
  clean: Cleaners,
  audience: unknown[] = [],
): Parsed<InboundEvent> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, reason: "the object is not a JSON object" };
  const o = raw as Json;
  const types = all(o.type);
  if (!types.includes("Event")) return { ok: false, reason: "the object is not an Event" };
  const apId = httpUrl(o.id);
  if (!apId) return { ok: false, reason: "the event has no http(s) id" };
  const beginsAt = instant(prop(o, "startTime"));
  if (!beginsAt) return { ok: false, reason: "the event has no valid startTime" };
  let endsAt = instant(prop(o, "endTime"));
  if (endsAt && (endsAt <= beginsAt || endsAt.getTime() - beginsAt.getTime() > 366 * 86_400_000))
    endsAt = null;
  const title =
    text(prop(o, "name"), clean, 200) ?? text(mapValue(o.nameMap), clean, 200) ?? undefined;
  if (!title) return { ok: false, reason: "the event has no name" };

  const rawContent = first(prop(o, "content")) ?? mapValue(o.contentMap);
  let description = typeof rawContent === "string" ? clean.html(rawContent.slice(0, 100_000)) : "";
  if (description.length > 50_000) description = clean.html(description.slice(0, 50_000));

  const zone = first(prop(o, "timezone", "mz:timezone"));
  const timezone =
    typeof zone === "string" && zone.length <= 64 && isTimeZone(zone)
      ? zone
      : zoneFromOffset(first(prop(o, "startTime")));

  let address: Address | null = null;
  let onlineUrl: string | null = null;
  for (const loc of all(prop(o, "location")).slice(0, 10)) {
    if (!loc || typeof loc !== "object") continue;
    const l = loc as Json;
    const ltypes = all(l.type);
    const inner = first(l.address);
    if (ltypes.includes("VirtualLocation")) onlineUrl ??= httpUrl(idOf(l.url) ?? l.url);
    // Gancio writes an online place as a Place whose address is a VirtualLocation.
    else if (
      inner &&
      typeof inner === "object" &&
      all((inner as Json).type).includes("VirtualLocation")
    )
      onlineUrl ??= httpUrl(idOf((inner as Json).url) ?? (inner as Json).url);
    else if (!address) address = parseAddress(l, clean);
  }

  const tags: string[] = [];
  for (const t of all(o.tag).slice(0, 50)) {
    const name =
      typeof t === "string"
        ? t
        : t && typeof t === "object" && all((t as Json).type).includes("Hashtag")
          ? (t as Json).name
          : undefined;
    if (typeof name !== "string" || name.length > 100) continue;
    const tag = normalizeTag(name);
    if (tag && !tags.includes(tag)) tags.push(tag);
    if (tags.length >= 20) break;
  }

  const lang = first(prop(o, "inLanguage", "sc:inLanguage"));
  const mapLang =
    o.contentMap && typeof o.contentMap === "object" ? Object.keys(o.contentMap)[0] : "";
  const language = [lang, mapLang].find(
    (l): l is string => typeof l === "string" && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l),
  );

  const external = httpUrl(prop(o, "externalParticipationUrl", "mz:externalParticipationUrl"));
  const mode = first(prop(o, "joinMode", "mz:joinMode"));
  const url = httpUrl(idOf(o.url) ?? o.url) ?? apId;
  let joinMode: JoinMode;
  let externalUrl: string | null = null;
  if (typeof mode === "string" && (JOIN_MODES as readonly string[]).includes(mode)) {
    joinMode = mode as JoinMode;
    if (joinMode === "external") externalUrl = external ?? url;
  } else if (external) {
    joinMode = "external";
    externalUrl = external;
  } else {
    // A server that says nothing of RSVPs (Gancio, plain ActivityPub) takes none here:
    // people register at its page.
    joinMode = "external";
    externalUrl = url;
  }

  const capacity = Math.trunc(
    number(prop(o, "maximumAttendeeCapacity", "sc:maximumAttendeeCapacity"), 0, 1_000_000) ?? 0,
  );
  const participantCount = Math.trunc(
    number(prop(o, "participantCount", "mz:participantCount"), 0, 10_000_000) ?? 0,
  );

  return {
    ok: true,
    value: {
      apId,
      url,
      actor: httpUrl(idOf(o.actor)),
      attributedTo: httpUrl(idOf(o.attributedTo)),
      title,
      description,
      beginsAt,
      endsAt,
      timezone,
      address,
      onlineUrl,
      category: parseCategory(first(prop(o, "category", "mz:category"))) ?? DEFAULT_CATEGORY,
      tags,
      language: language ?? "en",
      status: parseStatus(prop(o, "status", "ical:status", "eventStatus", "sc:eventStatus")),
      joinMode,
      externalUrl,
      capacity,
      participantCount,
      isPublic: isPublicAudience(o.to, o.cc, ...audience),
      published: instant(o.published),
      updated: instant(o.updated),
    },
  };
}
