/**
 * Heavy modules loaded on first use, not at start: an idle instance (most NGO instances,
 * most of the time) then stays small. Each loader caches its promise.
 */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load();
    return p;
  };
};

/** HTML sanitizer (htmlparser2): needed only when something is written. */
export const sanitizer = once(() => import("@eventail/core/sanitize"));

/** iCalendar writer (ical-generator, Luxon, VTIMEZONE data): needed only for .ics requests. */
export const icalWriter = once(() => import("@eventail/core/ical"));

/** PostgreSQL driver: needed only when DATABASE_URL selects PostgreSQL. */
export const pgDriver = once(async () => (await import("pg")).default);
