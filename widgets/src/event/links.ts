/**
 * "Add to calendar" and map links. They are plain links: nothing is requested from
 * Google, Microsoft or OpenStreetMap unless the visitor follows one.
 */
import type { EventJson } from "@eventail/client";
import { addDays, dayKey } from "../shared/dates.ts";
import { beginOf, endOf } from "../shared/event.ts";
import { safeHtml } from "../shared/sanitize.ts";

/** Plain-text details: the description's text (capped, URLs get long) and the event's page. */
function details(e: EventJson): string {
  const text = (safeHtml(e.description).textContent ?? "").trim();
  const capped = text.length > 800 ? `${text.slice(0, 800)}…` : text;
  return [capped, e.url].filter(Boolean).join("\n\n");
}

/** Start and end; an event without an end lasts an hour (all-day: one day). */
function span(e: EventJson): [Date, Date] {
  const b = beginOf(e);
  const end = endOf(e);
  return [b, end && end > b ? end : new Date(b.getTime() + (e.allDay ? 86_400_000 : 3_600_000))];
}

const basic = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** All-day dates "YYYY-MM-DD" in the event's own zone, the end exclusive. */
function days(e: EventJson): [string, string] {
  const [b, end] = span(e);
  return [dayKey(b, e.timezone), addDays(dayKey(new Date(end.getTime() - 1), e.timezone), 1)];
}

export function googleCalendarUrl(e: EventJson, where: string): string {
  const [b, end] = span(e);
  const dates = e.allDay
    ? days(e)
        .map((d) => d.replace(/-/g, ""))
        .join("/")
    : `${basic(b)}/${basic(end)}`;
  const q = new URLSearchParams({
    action: "TEMPLATE",
    text: e.title,
    dates,
    details: details(e),
    location: where,
    ctz: e.timezone,
  });
  return `https://calendar.google.com/calendar/render?${q}`;
}

export function outlookUrl(e: EventJson, where: string): string {
  const [b, end] = span(e);
  const q = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: e.title,
    startdt: e.allDay ? days(e)[0] : b.toISOString(),
    enddt: e.allDay ? days(e)[1] : end.toISOString(),
    allday: String(e.allDay),
    body: details(e),
    location: where,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${q}`;
}

/** OpenStreetMap at the venue's coordinates, else a search for its address. */
export function mapUrl(e: EventJson, where: string): string | undefined {
  const a = e.address;
  if (a && Number.isFinite(a.latitude) && Number.isFinite(a.longitude)) {
    const lat = a.latitude!.toFixed(5);
    const lon = a.longitude!.toFixed(5);
    return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
  }
  return where
    ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(where)}`
    : undefined;
}
