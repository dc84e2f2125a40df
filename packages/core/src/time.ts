/**
 * Time-zone arithmetic on top of Intl, so it runs unchanged in Node and in browsers
 * (no Temporal in Node 24, and widgets cannot afford a date library).
 *
 * Instants are always `Date` (UTC); wall-clock times are plain records read in an IANA zone.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const userFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A memoized `Intl.DateTimeFormat`: building one costs ~20 µs, which dominated static-site
 * builds formatting thousands of dates with a handful of distinct option sets.
 */
export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let f = userFormatters.get(key);
  if (!f) {
    // Bounded: keys come from locales × zones × a few styles, but never trust that blindly.
    if (userFormatters.size >= 500) userFormatters.clear();
    f = new Intl.DateTimeFormat(locale, options);
    userFormatters.set(key, f);
  }
  return f;
}

/** True when `tz` is an IANA zone this runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64) return false;
  // Intl also takes UTC offsets ("+01:00") as zones since Node 24; they are not IANA names.
  if (/^[+\-\u2212]/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const era = parts.find((p) => p.type === "era")?.value;
  const year = era === "BC" || era === "B" ? 1 - get("year") : get("year");
  return {
    year,
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

function wallClockAsUtcMs(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Paris in winter: 60). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallClockAsUtcMs(wallClock(new Date(ms), timeZone)) - ms) / 60_000);
}

/**
 * The instant at which clocks in `timeZone` read `w`. In a gap (spring forward) the
 * time is pushed forward by the gap; in an overlap (fall back) the earlier instant wins,
 * which is what RFC 5545 prescribes for recurring wall-clock times.
 */
export function instantAt(w: WallClock, timeZone: string): Date {
  const local = wallClockAsUtcMs(w);
  const before = offsetMinutes(new Date(local - 86_400_000), timeZone);
  const after = offsetMinutes(new Date(local + 86_400_000), timeZone);
  // Try the earlier offset first so an ambiguous time resolves to its first occurrence.
  const candidates = before >= after ? [before, after] : [after, before];
  for (const off of candidates) {
    const t = local - off * 60_000;
    if (offsetMinutes(new Date(t), timeZone) === off) return new Date(t);
  }
  // Non-existent wall time (DST gap): shift by the offset in force before the gap.
  return new Date(local - after * 60_000 + (after - before) * 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

function formatOffset(minutes: number): string {
  if (minutes === 0) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** RFC 3339 timestamp with the offset of `timeZone`: "2026-12-01T19:00:00+01:00". */
export function toZonedIso(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  const off = offsetMinutes(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(off)}`;
}

/** Calendar date "YYYY-MM-DD" of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Midnight at the start of the calendar day `date` ("YYYY-MM-DD") in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return instantAt({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, timeZone);
}
