/**
 * RFC 5545 recurrence: validation and expansion of an RRULE within a window.
 *
 * Expansion runs on wall-clock ("floating") times in the event's zone, then converts each
 * occurrence to an instant, so a weekly 19:00 meeting stays at 19:00 across DST changes.
 * ical.js does the RRULE arithmetic; it is the same parser the tests and the iCal source use.
 */
import ICAL from "ical.js";
import { instantAt, wallClock } from "./time.ts";

/** Hard cap on occurrences produced by one expansion, whatever the window. */
export const MAX_OCCURRENCES = 1000;

const ALLOWED_PARTS = new Set([
  "FREQ",
  "UNTIL",
  "COUNT",
  "INTERVAL",
  "BYSECOND",
  "BYMINUTE",
  "BYHOUR",
  "BYDAY",
  "BYMONTHDAY",
  "BYYEARDAY",
  "BYWEEKNO",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
]);
const FREQS = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);

export function parseRRule(
  rrule: string,
): { ok: true; recur: ICAL.Recur } | { ok: false; reason: string } {
  const text = rrule.trim().replace(/^RRULE:/i, "");
  if (!text) return { ok: false, reason: "empty" };
  const parts = text.split(";");
  const seen = new Set<string>();
  for (const part of parts) {
    const [key, value] = part.split("=");
    if (!key || !value || !ALLOWED_PARTS.has(key.toUpperCase()))
      return { ok: false, reason: `unknown part ${key}` };
    if (seen.has(key.toUpperCase())) return { ok: false, reason: `${key} twice` };
    seen.add(key.toUpperCase());
  }
  try {
    const recur = ICAL.Recur.fromString(text);
    // Sub-daily frequencies are refused: no community event repeats every minute, and they
    // are the cheap way to make a server expand millions of occurrences.
    if (!recur.freq || !FREQS.has(recur.freq)) return { ok: false, reason: "FREQ" };
    if (recur.interval < 1 || recur.interval > 1000) return { ok: false, reason: "INTERVAL" };
    if (
      recur.count !== null &&
      recur.count !== undefined &&
      (recur.count < 1 || recur.count > MAX_OCCURRENCES)
    )
      return { ok: false, reason: "COUNT" };
    return { ok: true, recur };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

export interface Occurrence {
  start: Date;
  end: Date | null;
}

export interface RecurringEvent {
  beginsAt: Date;
  endsAt: Date | null;
  timezone: string;
  recurrence: { rrule: string; exdates: Date[] } | null;
}

/**
 * Occurrences of `event` whose time span meets [from, to). A non-recurring event yields
 * itself when it meets the window. Exception dates match an occurrence by its start instant.
 */
export function occurrencesBetween(event: RecurringEvent, from: Date, to: Date): Occurrence[] {
  const duration = event.endsAt ? event.endsAt.getTime() - event.beginsAt.getTime() : 0;
  const meets = (start: Date) =>
    start.getTime() < to.getTime() && start.getTime() + duration >= from.getTime();
  const make = (start: Date): Occurrence => ({
    start,
    end: event.endsAt ? new Date(start.getTime() + duration) : null,
  });
  if (!event.recurrence) return meets(event.beginsAt) ? [make(event.beginsAt)] : [];

  const parsed = parseRRule(event.recurrence.rrule);
  if (!parsed.ok) return meets(event.beginsAt) ? [make(event.beginsAt)] : [];
  const excluded = new Set(event.recurrence.exdates.map((d) => d.getTime()));
  const w = wallClock(event.beginsAt, event.timezone);
  const dtstart = ICAL.Time.fromData({ ...w, isDate: false });
  // ical.js would compare a UTC UNTIL with the floating wall-clock occurrences as if both were
  // UTC, off by the zone's offset. A UTC UNTIL (the RFC 5545 form for a zoned DTSTART) is
  // therefore applied here, to the occurrence instants.
  const recur = parsed.recur;
  let until = Number.POSITIVE_INFINITY;
  if (recur.until && !recur.until.isDate && recur.until.zone === ICAL.Timezone.utcTimezone) {
    until = recur.until.toUnixTime() * 1000;
    recur.until = null;
  }
  const it = recur.iterator(dtstart);
  const out: Occurrence[] = [];
  // Bound the walk itself, not only the output: a window far in the future of a daily rule
  // must not make the server spin. 20 years of daily occurrences is the ceiling.
  for (let steps = 0; steps < 7400 && out.length < MAX_OCCURRENCES; steps++) {
    const next = it.next();
    if (!next) break;
    const start = instantAt(
      {
        year: next.year,
        month: next.month,
        day: next.day,
        hour: next.hour,
        minute: next.minute,
        second: next.second,
      },
      event.timezone,
    );
    if (start.getTime() > until || start.getTime() >= to.getTime()) break;
    if (excluded.has(start.getTime())) continue;
    if (meets(start)) out.push(make(start));
  }
  return out;
}
