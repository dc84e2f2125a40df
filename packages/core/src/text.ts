/**
 * Plain-text renderings shared by every output that cannot carry structure: the
 * ActivityStreams `summary` Mastodon shows, Atom entries, OpenGraph descriptions.
 */
import type { AddressJson, EventJson } from "./json.ts";
import { dateTimeFormat } from "./time.ts";

/** "Le Lieu, 12 rue X, Lyon" from the parts that are present. */
export function formatAddress(a: AddressJson | null): string {
  if (!a) return "";
  const locality = [a.postalCode, a.locality].filter(Boolean).join(" ");
  return [a.venue, a.street, locality, a.region, a.country].filter(Boolean).join(", ");
}

/**
 * Date and time in the event's own zone with the zone named, e.g.
 * "Tue, Dec 1, 2026, 19:00 – 21:00 (Europe/Paris)". All-day events give dates only.
 */
export function formatWhen(
  e: Pick<EventJson, "beginsAt" | "endsAt" | "timezone" | "allDay">,
  locale = "en",
): string {
  const begin = new Date(e.beginsAt);
  const end = e.endsAt ? new Date(e.endsAt) : null;
  const opts: Intl.DateTimeFormatOptions = e.allDay
    ? { timeZone: e.timezone, dateStyle: "full" }
    : { timeZone: e.timezone, dateStyle: "full", timeStyle: "short", hourCycle: "h23" };
  const fmt = dateTimeFormat(locale, opts);
  const range = end
    ? fmt.formatRange(begin, e.allDay ? new Date(end.getTime() - 1) : end)
    : fmt.format(begin);
  return e.allDay ? range : `${range} (${e.timezone})`;
}

/** One line for microblogs: when, then where (place and/or "online"). */
export function formatWhenWhere(e: EventJson, locale = "en"): string {
  const where = [formatAddress(e.address), e.onlineUrl ? "online" : ""].filter(Boolean).join(" + ");
  const status =
    e.status === "cancelled" ? "CANCELLED · " : e.status === "postponed" ? "POSTPONED · " : "";
  return `${status}${formatWhen(e, locale)}${where ? ` · ${where}` : ""}`;
}

/** Escapes text for HTML and XML element content and double-quoted attributes. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Tag-free text of sanitized HTML, for places that take plain text. Not a sanitizer. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/h[1-6]|\/blockquote)\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}
