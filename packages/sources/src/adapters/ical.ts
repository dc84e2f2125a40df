/**
 * Any iCalendar feed (Nextcloud, Google, Outlook, Gancio, Mobilizon…), parsed with ical.js.
 * Recurring events are expanded within a window (RRULE, RDATE, EXDATE and modified
 * occurrences with RECURRENCE-ID). Times never depend on the machine's zone: an IANA TZID is
 * converted with the runtime's tz database, another TZID through the calendar's VTIMEZONE,
 * and floating times or dates are read in `timezone` (else X-WR-TIMEZONE, else UTC).
 */
import {
  type ActorRef,
  attendanceMode,
  DEFAULT_CATEGORY,
  type EventJson,
  instantAt,
  normalizeTag,
  parseCategory,
  startOfLocalDay,
  toZonedIso,
} from "@eventail/core";
import { sanitizeDescription } from "@eventail/core/sanitize";
import ICAL from "ical.js";
import { SourceError } from "../errors.ts";
import {
  checkEvent,
  compactAddress,
  hostOf,
  httpUrlOrNull,
  mapAll,
  pickZone,
  textToHtml,
} from "../mapping.ts";
import type { EventSource, SourceOptions } from "../source.ts";
import { WINDOWS_ZONES } from "./windows-zones.ts";

export interface ICalSourceOptions extends SourceOptions {
  /** URL of the .ics feed. */
  url: string;
  /** Zone for floating times and all-day dates. Default: X-WR-TIMEZONE, else UTC. */
  timezone?: string;
  /** Events ending before this are left out. Default: now. */
  from?: Date;
  /** Events starting at or after this are left out. Default: a year after `from`. */
  to?: Date;
}

/** Hard caps per series, as in core's own expansion (recurrence.ts). */
const MAX_OCCURRENCES = 1000;
const MAX_STEPS = 7400;
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, "0");
const dateOf = (t: ICAL.Time) => `${t.year}-${pad(t.month)}-${pad(t.day)}`;
const wall = (t: ICAL.Time) => ({
  year: t.year,
  month: t.month,
  day: t.day,
  hour: t.hour,
  minute: t.minute,
  second: t.second,
});

/** An IANA name for a TZID: itself, a Windows name, or an old "/mozilla.org/…/Europe/Paris". */
function ianaOf(tzid: string | undefined): string | undefined {
  if (!tzid) return undefined;
  const tail = tzid.split("/").slice(-2).join("/");
  const tail3 = tzid.split("/").slice(-3).join("/");
  return pickZone(tzid, WINDOWS_ZONES[tzid], tail3, tail);
}

export function icalSource(opts: ICalSourceOptions): EventSource {
  const feed = opts.url;
  const name = opts.name ?? `ical:${hostOf(feed)}`;
  return {
    name,
    kind: "ical",
    origin: feed,
    options: opts,
    async load(run) {
      const text = await run.fetcher.get(feed, "text/calendar, text/plain;q=0.5, */*;q=0.1");
      let cal: ICAL.Component;
      try {
        cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
      } catch (e) {
        throw new SourceError(`not an iCalendar file: ${(e as Error).message}`, {
          source: name,
          kind: "invalid",
          field: "(calendar)",
          url: feed,
        });
      }
      if (cal.name !== "vcalendar")
        throw new SourceError(`expected VCALENDAR, found ${cal.name.toUpperCase()}`, {
          source: name,
          kind: "invalid",
          field: "(calendar)",
        });
      const from = opts.from ?? run.now;
      const to = opts.to ?? new Date(from.getTime() + 366 * DAY_MS);
      const calZone = cal.getFirstPropertyValue("x-wr-timezone");
      const defaultZone =
        pickZone(opts.timezone, typeof calZone === "string" ? calZone : "") ?? "UTC";
      const calName = cal.getFirstPropertyValue("x-wr-calname");
      const feedOrigin = new URL(feed).origin;

      /** The instant `t` stands for, and the zone to show it in. */
      const resolve = (t: ICAL.Time, tzid: string | undefined): { at: Date; zone: string } => {
        if (t.zone === ICAL.Timezone.utcTimezone) {
          const at = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
          return { at, zone: defaultZone };
        }
        const iana = ianaOf(tzid);
        const defined = t.zone && t.zone !== ICAL.Timezone.localTimezone ? t.zone : null;
        if (iana && !(defined && WINDOWS_ZONES[tzid ?? ""]))
          return { at: instantAt(wall(t), iana), zone: iana };
        if (defined) {
          const location = defined.component?.getFirstPropertyValue("x-lic-location");
          const zone =
            iana ?? pickZone(typeof location === "string" ? location : "") ?? defaultZone;
          return { at: new Date(t.toUnixTime() * 1000), zone };
        }
        return { at: instantAt(wall(t), defaultZone), zone: defaultZone };
      };

      const utcIso = (t: ICAL.Time | null): string | null =>
        t ? new Date(t.toUnixTime() * 1000).toISOString() : null;

      const byUid = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[] }>();
      for (const [i, vevent] of cal.getAllSubcomponents("vevent").entries()) {
        const uid = String(vevent.getFirstPropertyValue("uid") ?? `${feed}#${i}`);
        const entry = byUid.get(uid) ?? { exceptions: [] };
        if (vevent.hasProperty("recurrence-id")) entry.exceptions.push(vevent);
        else entry.master = vevent;
        byUid.set(uid, entry);
      }

      interface Item {
        uid: string;
        item: ICAL.Event;
        start: ICAL.Time;
        end: ICAL.Time | null;
        series: ICAL.Event | null;
      }
      const items: Item[] = [];
      for (const [uid, { master, exceptions }] of byUid) {
        if (!master) {
          // Modified occurrences whose series is not in the feed stand on their own.
          for (const ex of exceptions) {
            const ev = new ICAL.Event(ex);
            items.push({ uid, item: ev, start: ev.startDate, end: endOf(ev), series: null });
          }
          continue;
        }
        const event = new ICAL.Event(master);
        if (!event.startDate)
          throw new SourceError("has no start", {
            source: name,
            kind: "invalid",
            event: uid,
            field: "DTSTART",
          });
        for (const ex of exceptions) event.relateException(ex);
        if (!event.isRecurring()) {
          items.push({ uid, item: event, start: event.startDate, end: endOf(event), series: null });
          continue;
        }
        const tzid = master.getFirstProperty("dtstart")?.getParameter("tzid") as string | undefined;
        const excluded = new Set<number>();
        for (const prop of master.getAllProperties("exdate")) {
          const exTzid = prop.getParameter("tzid") as string | undefined;
          for (const v of prop.getValues() as ICAL.Time[])
            excluded.add(resolve(v, exTzid).at.getTime());
        }
        const it = event.iterator();
        let found = 0;
        for (let step = 0; step < MAX_STEPS && found < MAX_OCCURRENCES; step++) {
          const next = it.next();
          if (!next) break;
          const details = event.getOccurrenceDetails(next);
          const start = resolve(next, tzid).at;
          if (start.getTime() >= to.getTime()) break;
          if (excluded.has(start.getTime()) && details.item === event) continue;
          items.push({
            uid,
            item: details.item,
            start: details.startDate,
            end: details.endDate,
            series: event,
          });
          found++;
        }
      }

      const toEventJson = (o: Item): EventJson | null => {
        const comp = o.item.component;
        const tzid = comp.getFirstProperty("dtstart")?.getParameter("tzid") as string | undefined;
        const allDay = o.start.isDate;
        const begin = resolve(o.start, tzid);
        const zone = begin.zone;
        let beginsAt: string;
        let endsAt: string | null;
        let endMs: number;
        if (allDay) {
          const first = startOfLocalDay(dateOf(o.start), zone);
          const last =
            o.end?.isDate && dateOf(o.end) > dateOf(o.start)
              ? startOfLocalDay(dateOf(o.end), zone)
              : new Date(first.getTime() + DAY_MS);
          beginsAt = toZonedIso(first, zone);
          endsAt = toZonedIso(last, zone);
          endMs = last.getTime();
        } else {
          const endTzid = comp.getFirstProperty("dtend")?.getParameter("tzid") as
            | string
            | undefined;
          const end = o.end ? resolve(o.end, endTzid ?? tzid).at : null;
          beginsAt = toZonedIso(begin.at, zone);
          endsAt = end && end > begin.at ? toZonedIso(end, zone) : null;
          endMs = end && end > begin.at ? end.getTime() : begin.at.getTime();
        }
        const startMs = Date.parse(beginsAt);
        if (startMs >= to.getTime() || endMs < from.getTime()) return null;

        const prop = (n: string) => {
          const v = comp.getFirstPropertyValue(n);
          return typeof v === "string" ? v : v == null ? undefined : String(v);
        };
        const title = prop("summary")?.trim();
        if (!title)
          throw new SourceError("is missing or empty", {
            source: name,
            kind: "invalid",
            event: o.uid,
            field: "SUMMARY",
          });
        const htmlDesc = comp
          .getAllProperties("x-alt-desc")
          .find((p) => String(p.getParameter("fmttype") ?? "").toLowerCase() === "text/html");
        const description = sanitizeDescription(
          htmlDesc ? String(htmlDesc.getFirstValue() ?? "") : textToHtml(prop("description") ?? ""),
        );
        const location = prop("location")?.trim() ?? "";
        const locationUrl = httpUrlOrNull(location);
        const onlineUrl =
          httpUrlOrNull(prop("conference")) ??
          locationUrl ??
          httpUrlOrNull(prop("x-google-conference"));
        const geo = comp.getFirstPropertyValue("geo") as unknown;
        const [lat, lon] = Array.isArray(geo) ? (geo as number[]) : [];
        const address =
          location && !locationUrl
            ? compactAddress({
                venue: location,
                ...(lat !== undefined && lon !== undefined
                  ? { latitude: lat, longitude: lon }
                  : {}),
              })
            : null;
        const words = comp
          .getAllProperties("categories")
          .flatMap((p) => p.getValues() as unknown[])
          .map(String);
        const status = prop("status")?.toUpperCase();
        const klass = prop("class")?.toUpperCase();
        const organizerProp = comp.getFirstProperty("organizer");
        // The organizer's address is a mailto: link; only its display name is shown.
        const organizerName = organizerProp?.getParameter("cn") as string | undefined;
        const organizer: ActorRef = {
          id: feed,
          handle: hostOf(feed),
          name: organizerName || (typeof calName === "string" && calName) || hostOf(feed),
          url: feedOrigin,
        };
        const createdAt =
          utcIso(comp.getFirstPropertyValue("created") as ICAL.Time | null) ??
          utcIso(comp.getFirstPropertyValue("dtstamp") as ICAL.Time | null) ??
          run.now.toISOString();
        const updatedAt =
          utcIso(comp.getFirstPropertyValue("last-modified") as ICAL.Time | null) ??
          utcIso(comp.getFirstPropertyValue("dtstamp") as ICAL.Time | null) ??
          createdAt;
        const rrule = o.series?.component.getFirstPropertyValue("rrule");
        const seriesExdates = o.series
          ? o.series.component.getAllProperties("exdate").flatMap((p) => {
              const exTzid = p.getParameter("tzid") as string | undefined;
              return (p.getValues() as ICAL.Time[]).map((v) =>
                toZonedIso(resolve(v, exTzid).at, zone),
              );
            })
          : [];
        return checkEvent(
          {
            id: o.uid,
            url: httpUrlOrNull(prop("url")) ?? feed,
            icsUrl: feed,
            title,
            description,
            beginsAt,
            endsAt,
            timezone: zone,
            allDay,
            attendanceMode: attendanceMode({ address, onlineUrl }),
            address,
            onlineUrl,
            category: words.map(parseCategory).find(Boolean) ?? DEFAULT_CATEGORY,
            tags: [...new Set(words.map(normalizeTag).filter(Boolean))].slice(0, 20),
            language: "und",
            banner: null,
            visibility: klass === "PRIVATE" || klass === "CONFIDENTIAL" ? "private" : "public",
            status:
              status === "CANCELLED"
                ? "cancelled"
                : status === "TENTATIVE"
                  ? "tentative"
                  : "confirmed",
            draft: false,
            publishAt: null,
            joinMode: "free",
            externalUrl: null,
            capacity: 0,
            participantCount: 0,
            rsvpOpen: false,
            remainingCapacity: null,
            organizer,
            group: null,
            recurrence: o.series && rrule ? { rrule: String(rrule), exdates: seriesExdates } : null,
            ...(o.series ? { occurrence: new Date(startMs).toISOString() } : {}),
            sequence: Number(prop("sequence") ?? 0) || 0,
            createdAt,
            updatedAt,
          },
          name,
        );
      };
      return mapAll(items, toEventJson, opts, run);
    },
  };
}

/** DTEND, else DTSTART + DURATION, else nothing (ical.js would answer the start itself). */
function endOf(event: ICAL.Event): ICAL.Time | null {
  const c = event.component;
  return c.hasProperty("dtend") || c.hasProperty("duration") ? event.endDate : null;
}
