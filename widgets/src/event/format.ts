/** The long forms of ev-event: full date and time, and the zone's name. */
import type { EventJson } from "@eventail/client";
import { beginOf, endOf } from "../shared/event.ts";
import { dtf } from "../shared/time.ts";

function range(f: Intl.DateTimeFormat, a: Date, b: Date | null): string {
  return b && b > a ? f.formatRange(a, b) : f.format(a);
}

/**
 * Full date and time, e.g. "Tuesday, December 1, 2026, 7:00 – 9:00 PM". All-day events
 * are dates in their own zone (their end is exclusive), whatever zone is displayed.
 */
export function whenText(e: EventJson, locale: string, zone: string): string {
  const b = beginOf(e);
  const en = endOf(e);
  if (e.allDay)
    return range(
      dtf(locale, { timeZone: e.timezone, dateStyle: "full" }),
      b,
      en && new Date(en.getTime() - 1),
    );
  return range(dtf(locale, { timeZone: zone, dateStyle: "full", timeStyle: "short" }), b, en);
}

/** Long generic name of a zone ("Central European Time"), else its IANA id. */
export function zoneName(timeZone: string, locale: string, at: Date): string {
  try {
    return (
      dtf(locale, { timeZone, timeZoneName: "longGeneric" })
        .formatToParts(at)
        .find((p) => p.type === "timeZoneName")?.value ?? timeZone
    );
  } catch {
    return timeZone;
  }
}

/** The zone as words, for "(Central European Time)". */
export const zoneLabel = (e: EventJson, locale: string, zone: string): string =>
  zoneName(zone, locale, beginOf(e));
