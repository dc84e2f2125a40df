/**
 * The site's own iCalendar feed, written by core's `toICalendar`. Imported recurring events
 * arrive expanded (one item per occurrence in the window, all sharing the series' id), and
 * the series' first DTSTART is not known here; so each occurrence becomes its own VEVENT
 * with its own UID rather than a repeated, wrongly anchored RRULE. Subscribers who want the
 * series itself can subscribe to the source's feed (ADR 0003 keeps series whole there).
 */
import type { EventJson } from "@eventail/core";
import { type CalendarInfo, toICalendar } from "@eventail/core/ical";

const stamp = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export function toSiteCalendar(events: readonly EventJson[], info: CalendarInfo): string {
  const flat = events
    .filter((e) => !e.draft && e.visibility !== "private")
    .map((e) =>
      e.occurrence
        ? { ...e, id: `${e.id}-${stamp(e.occurrence)}`, recurrence: null, occurrence: undefined }
        : e,
    );
  return toICalendar(flat, info);
}
