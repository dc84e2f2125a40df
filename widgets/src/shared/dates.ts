/**
 * Calendar days in a zone and plain-date arithmetic, for the calendar and for
 * "add to calendar" links. Days are "YYYY-MM-DD" strings: they compare and sort as dates.
 */
import { dtf } from "./time.ts";

/** Wall-clock fields of `instant` in `timeZone`, as a UTC timestamp of the same reading. */
function wallAsUtc(instant: Date, timeZone: string): number {
  const parts = dtf("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour") % 24, n("minute"), n("second"));
}

/** Calendar day "YYYY-MM-DD" of `instant` in `timeZone`. */
export function dayKey(instant: Date, timeZone: string): string {
  return new Date(wallAsUtc(instant, timeZone)).toISOString().slice(0, 10);
}

/** The instant a calendar day starts in `timeZone` (two passes settle DST changes). */
export function startOfDay(key: string, timeZone: string): Date {
  const wall = Date.parse(`${key}T00:00:00Z`);
  let t = wall;
  for (let i = 0; i < 2; i++) t = wall - (wallAsUtc(new Date(t), timeZone) - t);
  return new Date(t);
}

/** "YYYY-MM-DD" arithmetic on plain dates (no zone involved). */
export function addDays(key: string, days: number): string {
  return new Date(Date.parse(`${key}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (key: string): number => new Date(`${key}T00:00:00Z`).getUTCDay();

/** A plain date as a Date at UTC midnight, to format with `timeZone: "UTC"`. */
export const keyDate = (key: string): Date => new Date(`${key}T00:00:00Z`);

type WeekInfoLocale = Intl.Locale & {
  getWeekInfo?: () => { firstDay: number };
  weekInfo?: { firstDay: number };
};

// Regions whose weeks start on Sunday (CLDR), for engines without Intl.Locale week info.
const SUNDAY_REGIONS =
  "AG AS BD BR BS BT BW BZ CA CN CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW";

/** First day of the week for a locale, 0 = Sunday … 6 = Saturday. */
export function firstDayOfWeek(locale: string): number {
  try {
    const l = new Intl.Locale(locale) as WeekInfoLocale;
    const info = l.getWeekInfo?.() ?? l.weekInfo;
    if (info) return info.firstDay % 7;
    const region = l.maximize().region ?? "";
    return SUNDAY_REGIONS.includes(region) ? 0 : 1;
  } catch {
    return 1;
  }
}
