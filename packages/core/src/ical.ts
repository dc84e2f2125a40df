/**
 * iCalendar output through ical-generator. Separate entry point (`@eventail/core/ical`):
 * browsers never need it.
 *
 * Times are handed over as Luxon DateTimes in the event's zone: given a plain Date and a
 * TZID, ical-generator would print the wall clock of the *server's* zone.
 */
import icalGenerator, { foldLines, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import { tzlib_get_ical_block } from "timezones-ical-library";
import type { EventJson } from "./json.ts";
import { formatAddress, htmlToText } from "./text.ts";
import { wallClock } from "./time.ts";

export interface CalendarInfo {
  name: string;
  description?: string;
  /** Page the calendar belongs to (instance, group or event). */
  url: string;
  /** Host used to make UIDs globally unique. */
  host: string;
  /** Suggested refresh interval for subscribers, in seconds. */
  ttl?: number;
  /**
   * Also write each description as HTML (X-ALT-DESC). Worth it for one event; a large feed
   * would carry every description twice.
   */
  htmlDescriptions?: boolean;
}

const STATUS: Record<EventJson["status"], ICalEventStatus> = {
  confirmed: ICalEventStatus.CONFIRMED,
  tentative: ICalEventStatus.TENTATIVE,
  postponed: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

/**
 * VTIMEZONE for `tz`. The library answers aliases (America/Montreal) with the canonical
 * zone's block (America/Toronto); its TZID is rewritten so it matches our DTSTART lines.
 */
const vtimezones = new Map<string, string | null>();

function vtimezone(tz: string): string | null {
  if (!vtimezones.has(tz)) vtimezones.set(tz, buildVtimezone(tz));
  return vtimezones.get(tz)!;
}

function buildVtimezone(tz: string): string | null {
  try {
    const block = tzlib_get_ical_block(tz);
    if (!Array.isArray(block) || !block[0]) return null;
    return block[0]
      .replace(/^TZID:.*$/m, `TZID:${tz}`)
      .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${tz}`);
  } catch {
    return null;
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Zones without a VTIMEZONE definition are written in UTC instead; so is "UTC" itself, which
 * ical-generator always writes as a "Z" time without a VTIMEZONE.
 */
function zoneFor(e: EventJson): string | null {
  return e.timezone !== "UTC" && vtimezone(e.timezone) ? e.timezone : null;
}

function exdateLine(e: EventJson, zone: string | null): string {
  // All-day: DTSTART is a DATE, so EXDATE must be one too (RFC 5545 3.8.5.1), in local dates.
  if (e.allDay)
    return `EXDATE;VALUE=DATE:${e.recurrence!.exdates.map((iso) => iso.slice(0, 10).replace(/-/g, "")).join(",")}`;
  const stamps = e.recurrence!.exdates.map((iso) => {
    const d = new Date(iso);
    if (!zone)
      return d
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    const w = wallClock(d, zone);
    return `${w.year}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
  });
  return zone ? `EXDATE;TZID=${zone}:${stamps.join(",")}` : `EXDATE:${stamps.join(",")}`;
}

// ORGANIZER is a URI (RFC 5545 CAL-ADDRESS); ical-generator only writes mailto:, so a
// placeholder address is written and swapped for the organizer's profile URL afterwards.
const ORGANIZER_TOKEN = "organizer.eventail.invalid";

export function toICalendar(events: EventJson[], info: CalendarInfo): string {
  const cal = icalGenerator({
    name: info.name,
    description: info.description,
    url: info.url,
    prodId: { company: "Eventail", product: "Eventail", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: info.ttl ?? 3600,
    timezone: { name: null, generator: vtimezone },
  });
  const organizerUrls: string[] = [];
  for (const e of events) {
    const zone = zoneFor(e);
    const at = (iso: string) =>
      e.allDay
        ? DateTime.fromISO(iso.slice(0, 10), { zone: "UTC" })
        : DateTime.fromISO(iso, { zone: zone ?? "UTC" });
    const organizer = e.group ?? e.organizer;
    organizerUrls.push(organizer.url);
    const categories = [e.category, ...e.tags].map((name) => ({ name }));
    const where = formatAddress(e.address);
    cal.createEvent({
      id: `${e.id}@${info.host}`,
      sequence: e.sequence,
      start: at(e.beginsAt),
      end: e.endsAt ? at(e.endsAt) : null,
      allDay: e.allDay,
      timezone: e.allDay ? null : zone,
      stamp: DateTime.fromISO(e.updatedAt, { zone: "UTC" }),
      created: DateTime.fromISO(e.createdAt, { zone: "UTC" }),
      lastModified: DateTime.fromISO(e.updatedAt, { zone: "UTC" }),
      summary: e.title,
      description: {
        plain: [htmlToText(e.description), e.onlineUrl ? `Online: ${e.onlineUrl}` : "", e.url]
          .filter(Boolean)
          .join("\n\n"),
        html:
          (info.htmlDescriptions ?? events.length === 1) ? e.description || undefined : undefined,
      },
      location:
        where || e.onlineUrl
          ? {
              title: where || e.onlineUrl!,
              ...(e.address?.latitude !== undefined
                ? { geo: { lat: e.address.latitude, lon: e.address.longitude! } }
                : {}),
            }
          : null,
      url: e.url,
      status: STATUS[e.status],
      categories,
      organizer: { name: organizer.name, email: `${organizerUrls.length - 1}@${ORGANIZER_TOKEN}` },
      repeating: e.recurrence
        ? [
            `RRULE:${e.recurrence.rrule.replace(/^RRULE:/i, "")}`,
            ...(e.recurrence.exdates.length ? [exdateLine(e, zone)] : []),
          ].join("\r\n")
        : null,
    });
  }
  const unfolded = cal.toString().replace(/\r\n[ \t]/g, "");
  const patched = unfolded.replace(
    new RegExp(`mailto:(\\d+)@${ORGANIZER_TOKEN.replace(/\./g, "\\.")}`, "g"),
    (_, i: string) => organizerUrls[Number(i)] ?? "",
  );
  return foldLines(patched);
}
