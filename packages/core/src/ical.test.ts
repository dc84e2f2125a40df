import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CalendarInfo, toICalendar } from "./ical.ts";
import type { EventJson } from "./json.ts";
import { occurrencesBetween } from "./recurrence.ts";
import { ALICE, HOST, makeEvent, ORIGIN, REPAIR_GROUP } from "./test-helpers.ts";

const INFO: CalendarInfo = { name: "Events in Lyon", url: ORIGIN, host: HOST, ttl: 1800 };

const BOB = { id: "idn_bob", handle: "bob@events.example.org", name: "Bob", url: `${ORIGIN}/@bob` };

/** The fixtures every run uses: one per feature the calendar must carry. */
function fixtures(): Record<string, EventJson> {
  return {
    // Tuesday 1 Dec 2026, 19:00–21:00 in Lyon, organized by a group.
    paris: makeEvent({
      id: "evt_paris",
      title: "Repair café; bikes, toasters & more",
      group: REPAIR_GROUP,
      sequence: 3,
      tags: ["repair", "vélo"],
      category: "COMMUNITY",
    }),
    // Weekly on Tuesdays across the end of summer time, one week skipped.
    weekly: makeEvent({
      id: "evt_weekly",
      title: "Weekly bike workshop",
      beginsAt: "2026-10-13T19:00:00+02:00",
      endsAt: "2026-10-13T21:00:00+02:00",
      recurrence: { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=5", exdates: ["2026-10-27T19:00:00+01:00"] },
      organizer: BOB,
    }),
    newYork: makeEvent({
      id: "evt_ny",
      title: "Brooklyn meetup",
      beginsAt: "2026-12-01T19:00:00-05:00",
      endsAt: "2026-12-01T21:00:00-05:00",
      timezone: "America/New_York",
      address: { venue: "Community Hall", locality: "Brooklyn", country: "USA" },
      onlineUrl: "https://meet.example.org/brooklyn",
      status: "postponed",
    }),
    kolkata: makeEvent({
      id: "evt_kolkata",
      title: "Kolkata evening",
      beginsAt: "2026-12-01T19:00:00+05:30",
      endsAt: null,
      timezone: "Asia/Kolkata",
      address: null,
      onlineUrl: "https://meet.example.org/kolkata",
      status: "cancelled",
    }),
    // Two days, 1 and 2 December.
    allDay: makeEvent({
      id: "evt_allday",
      title: "Winter fair",
      allDay: true,
      beginsAt: "2026-12-01T00:00:00+01:00",
      endsAt: "2026-12-03T00:00:00+01:00",
    }),
    allDayWeekly: makeEvent({
      id: "evt_allday_weekly",
      title: "Market day",
      allDay: true,
      beginsAt: "2026-12-05T00:00:00+01:00",
      endsAt: "2026-12-06T00:00:00+01:00",
      recurrence: { rrule: "FREQ=WEEKLY;COUNT=4", exdates: ["2026-12-12T00:00:00+01:00"] },
    }),
    utc: makeEvent({
      id: "evt_utc",
      title: "Online standup",
      beginsAt: "2026-12-01T18:00:00Z",
      endsAt: "2026-12-01T18:30:00Z",
      timezone: "UTC",
      address: null,
      onlineUrl: "https://meet.example.org/standup",
      recurrence: { rrule: "FREQ=DAILY;COUNT=3", exdates: ["2026-12-02T18:00:00Z"] },
    }),
    // UNTIL exactly at the 8 Dec occurrence (19:00 CET = 18:00Z).
    until: makeEvent({
      id: "evt_until",
      recurrence: { rrule: "FREQ=WEEKLY;UNTIL=20261208T180000Z", exdates: [] },
    }),
  };
}

interface Parsed {
  calendar: ICAL.Component;
  text: string;
  vevent(id: string): ICAL.Component;
  event(id: string): ICAL.Event;
}

function parse(text: string): Parsed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtz of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const vevent = (id: string) => {
    const found = calendar
      .getAllSubcomponents("vevent")
      .find((v) => v.getFirstPropertyValue("uid") === `${id}@${HOST}`);
    if (!found) throw new Error(`no VEVENT for ${id}`);
    return found;
  };
  return { calendar, text, vevent, event: (id) => new ICAL.Event(vevent(id)) };
}

function expand(event: ICAL.Event, max = 50): ICAL.Time[] {
  const out: ICAL.Time[] = [];
  const it = event.iterator();
  for (let next = it.next(); next && out.length < max; next = it.next()) out.push(next);
  return out;
}

function render(): string {
  return toICalendar(Object.values(fixtures()), INFO);
}

const PROCESS_ZONES = [
  { tz: "UTC", localHourAtNoonUtc: 12 },
  { tz: "America/New_York", localHourAtNoonUtc: 7 },
];

const outputs = new Map<string, string>();

describe.each(PROCESS_ZONES)(
  "toICalendar with process.env.TZ=$tz",
  ({ tz, localHourAtNoonUtc }) => {
    let saved: string | undefined;
    let cal: Parsed;
    const f = fixtures();

    beforeAll(() => {
      saved = process.env.TZ;
      process.env.TZ = tz;
      const text = render();
      outputs.set(tz, text);
      cal = parse(text);
    });

    afterAll(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    it("really runs in that process zone", () => {
      expect(new Date("2026-12-01T12:00:00Z").getHours()).toBe(localHourAtNoonUtc);
    });

    it("is a PUBLISH calendar with a name and refresh interval", () => {
      expect(cal.calendar.getFirstPropertyValue("version")).toBe("2.0");
      expect(cal.calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
      expect(cal.calendar.getFirstPropertyValue("x-wr-calname")).toBe("Events in Lyon");
      expect(cal.text).toContain("X-PUBLISHED-TTL:PT30M");
      expect(cal.calendar.getAllSubcomponents("vevent")).toHaveLength(Object.keys(f).length);
    });

    it("has one VTIMEZONE per zone used, and every TZID refers to one", () => {
      const defined = cal.calendar
        .getAllSubcomponents("vtimezone")
        .map((c) => c.getFirstPropertyValue("tzid"));
      expect([...defined].sort()).toEqual(["America/New_York", "Asia/Kolkata", "Europe/Paris"]);
      const referenced = new Set<string>();
      for (const v of cal.calendar.getAllSubcomponents("vevent")) {
        for (const p of v.getAllProperties()) {
          const tzid = p.getParameter("tzid");
          if (typeof tzid === "string") referenced.add(tzid);
        }
      }
      expect([...referenced].sort()).toEqual(["America/New_York", "Asia/Kolkata", "Europe/Paris"]);
    });

    it("writes DTSTART in the venue's zone and wall clock (19:00 Europe/Paris = 18:00Z)", () => {
      const v = cal.vevent("evt_paris");
      const dtstart = v.getFirstProperty("dtstart")!;
      expect(dtstart.getParameter("tzid")).toBe("Europe/Paris");
      const start = dtstart.getFirstValue() as ICAL.Time;
      expect([start.year, start.month, start.day, start.hour, start.minute]).toEqual([
        2026, 12, 1, 19, 0,
      ]);
      expect(start.toJSDate().toISOString()).toBe("2026-12-01T18:00:00.000Z");
      expect(start.convertToZone(ICAL.Timezone.utcTimezone).toString()).toBe(
        "2026-12-01T18:00:00Z",
      );
      const end = cal.event("evt_paris").endDate;
      expect(end.hour).toBe(21);
      expect(end.toJSDate().toISOString()).toBe("2026-12-01T20:00:00.000Z");
      expect(cal.text).toContain("DTSTART;TZID=Europe/Paris:20261201T190000");
    });

    it("writes the other zones the same way", () => {
      const ny = cal.event("evt_ny").startDate;
      expect(ny.zone?.tzid).toBe("America/New_York");
      expect(ny.hour).toBe(19);
      expect(ny.toJSDate().toISOString()).toBe("2026-12-02T00:00:00.000Z");
      const kol = cal.event("evt_kolkata").startDate;
      expect(kol.zone?.tzid).toBe("Asia/Kolkata");
      expect(kol.hour).toBe(19);
      expect(kol.toJSDate().toISOString()).toBe("2026-12-01T13:30:00.000Z");
    });

    it("writes a UTC event in UTC, without a TZID", () => {
      const v = cal.vevent("evt_utc");
      expect(v.getFirstProperty("dtstart")!.getParameter("tzid")).toBeUndefined();
      expect(cal.text).toContain("DTSTART:20261201T180000Z");
      expect(cal.event("evt_utc").startDate.toJSDate().toISOString()).toBe(
        "2026-12-01T18:00:00.000Z",
      );
    });

    it("omits DTEND for an event without end", () => {
      expect(cal.vevent("evt_kolkata").getFirstProperty("dtend")).toBeNull();
    });

    it("gives a stable UID and the SEQUENCE", () => {
      expect(cal.vevent("evt_paris").getFirstPropertyValue("uid")).toBe(`evt_paris@${HOST}`);
      expect(cal.vevent("evt_paris").getFirstPropertyValue("sequence")).toBe(3);
      expect(cal.vevent("evt_weekly").getFirstPropertyValue("sequence")).toBe(0);
    });

    it("takes DTSTAMP, CREATED and LAST-MODIFIED from the event, in UTC", () => {
      const v = cal.vevent("evt_paris");
      expect((v.getFirstPropertyValue("dtstamp") as ICAL.Time).toString()).toBe(
        "2026-10-02T09:30:00Z",
      );
      expect((v.getFirstPropertyValue("created") as ICAL.Time).toString()).toBe(
        "2026-10-01T08:00:00Z",
      );
      expect((v.getFirstPropertyValue("last-modified") as ICAL.Time).toString()).toBe(
        "2026-10-02T09:30:00Z",
      );
    });

    it("maps the status: confirmed, postponed → TENTATIVE, cancelled → CANCELLED", () => {
      expect(cal.vevent("evt_paris").getFirstPropertyValue("status")).toBe("CONFIRMED");
      expect(cal.vevent("evt_ny").getFirstPropertyValue("status")).toBe("TENTATIVE");
      expect(cal.vevent("evt_kolkata").getFirstPropertyValue("status")).toBe("CANCELLED");
    });

    it("carries summary, location, geo, url and categories", () => {
      const v = cal.vevent("evt_paris");
      expect(v.getFirstPropertyValue("summary")).toBe("Repair café; bikes, toasters & more");
      expect(v.getFirstPropertyValue("location")).toBe(
        "La Halle, 12 rue de la République, 69001 Lyon, Auvergne-Rhône-Alpes, France",
      );
      expect(v.getFirstPropertyValue("geo")).toEqual([45.7676, 4.8345]);
      expect(v.getFirstPropertyValue("url")).toBe(`${ORIGIN}/events/evt_paris`);
      expect(v.getFirstProperty("categories")!.getValues()).toEqual([
        "COMMUNITY",
        "repair",
        "vélo",
      ]);
    });

    it("uses the online URL as LOCATION when there is no address, and has no GEO then", () => {
      const v = cal.vevent("evt_kolkata");
      expect(v.getFirstPropertyValue("location")).toBe("https://meet.example.org/kolkata");
      expect(v.getFirstProperty("geo")).toBeNull();
    });

    it("describes the event in plain text with the online link and the page, HTML alongside", () => {
      const plain = cal.vevent("evt_ny").getFirstPropertyValue("description") as string;
      expect(plain).toBe(
        `Bring a broken toaster & we fix it.\n\nOnline: https://meet.example.org/brooklyn\n\n${ORIGIN}/events/evt_ny`,
      );
      // A feed carries descriptions once; a single event also carries its HTML.
      expect(cal.vevent("evt_ny").getFirstProperty("x-alt-desc")).toBeNull();
      const single = parse(
        toICalendar(
          Object.values(fixtures()).filter((e) => e.id === "evt_ny"),
          INFO,
        ),
      );
      // ical.js does not know X-ALT-DESC is TEXT, so it keeps the TEXT escaping of ";".
      const html = single.vevent("evt_ny").getFirstProperty("x-alt-desc")!;
      expect(html.getParameter("fmttype")).toBe("text/html");
      expect(html.getFirstValue()).toBe(
        "<p>Bring a <strong>broken</strong> toaster &amp\\; we fix it.</p>",
      );
    });

    it("makes ORGANIZER the group's or organizer's profile URL, never mailto", () => {
      const paris = cal.vevent("evt_paris").getFirstProperty("organizer")!;
      expect(paris.getFirstValue()).toBe(REPAIR_GROUP.url);
      expect(paris.getParameter("cn")).toBe(REPAIR_GROUP.name);
      const weekly = cal.vevent("evt_weekly").getFirstProperty("organizer")!;
      expect(weekly.getFirstValue()).toBe(BOB.url);
      expect(cal.vevent("evt_ny").getFirstPropertyValue("organizer")).toBe(ALICE.url);
      expect(cal.text).not.toMatch(/mailto:/i);
      expect(cal.text).not.toContain("eventail.invalid");
    });

    it("writes RRULE and EXDATE in the event's zone", () => {
      const v = cal.vevent("evt_weekly");
      const rrule = v.getFirstPropertyValue("rrule") as ICAL.Recur;
      expect([rrule.freq, rrule.count, rrule.parts.BYDAY]).toEqual(["WEEKLY", 5, ["TU"]]);
      expect(cal.text).toContain("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5\r\n");
      const exdate = v.getFirstProperty("exdate")!;
      expect(exdate.getParameter("tzid")).toBe("Europe/Paris");
      expect((exdate.getFirstValue() as ICAL.Time).toJSDate().toISOString()).toBe(
        "2026-10-27T18:00:00.000Z",
      );
    });

    it("expands the weekly rule with ical.js at 19:00 Paris across DST, minus the exdate", () => {
      const occ = expand(cal.event("evt_weekly"));
      expect(occ.map((t) => t.toJSDate().toISOString())).toEqual([
        "2026-10-13T17:00:00.000Z",
        "2026-10-20T17:00:00.000Z",
        "2026-11-03T18:00:00.000Z",
        "2026-11-10T18:00:00.000Z",
      ]);
      for (const t of occ) expect(t.hour).toBe(19);
    });

    it("expands to the same instants as occurrencesBetween", () => {
      for (const e of [f.weekly!, f.until!, f.utc!]) {
        const ours = occurrencesBetween(
          {
            beginsAt: new Date(e.beginsAt),
            endsAt: e.endsAt ? new Date(e.endsAt) : null,
            timezone: e.timezone,
            recurrence: e.recurrence
              ? { rrule: e.recurrence.rrule, exdates: e.recurrence.exdates.map((d) => new Date(d)) }
              : null,
          },
          new Date("2000-01-01T00:00:00Z"),
          new Date("2100-01-01T00:00:00Z"),
        ).map((o) => o.start.toISOString());
        const theirs = expand(cal.event(e.id)).map((t) => t.toJSDate().toISOString());
        expect(theirs, e.id).toEqual(ours);
      }
      expect(expand(cal.event("evt_until"))).toHaveLength(2);
    });

    it("writes a UTC event's EXDATE in UTC, and ical.js honours it", () => {
      const exdate = cal.vevent("evt_utc").getFirstProperty("exdate")!;
      expect(exdate.getParameter("tzid")).toBeUndefined();
      expect(cal.text).toContain("EXDATE:20261202T180000Z");
      expect(expand(cal.event("evt_utc")).map((t) => t.toJSDate().toISOString())).toEqual([
        "2026-12-01T18:00:00.000Z",
        "2026-12-03T18:00:00.000Z",
      ]);
    });

    it("writes all-day events with VALUE=DATE and an exclusive DTEND", () => {
      const v = cal.vevent("evt_allday");
      const dtstart = v.getFirstProperty("dtstart")!;
      const dtend = v.getFirstProperty("dtend")!;
      expect(dtstart.type).toBe("date");
      expect(dtend.type).toBe("date");
      expect((dtstart.getFirstValue() as ICAL.Time).toString()).toBe("2026-12-01");
      expect((dtend.getFirstValue() as ICAL.Time).toString()).toBe("2026-12-03");
      expect(dtstart.getParameter("tzid")).toBeUndefined();
      expect(cal.text).toContain("DTSTART;VALUE=DATE:20261201");
      expect(cal.text).toContain("DTEND;VALUE=DATE:20261203");
    });

    it("writes a recurring all-day event's EXDATE as a DATE, so the day really is skipped", () => {
      const exdate = cal.vevent("evt_allday_weekly").getFirstProperty("exdate")!;
      expect(exdate.type).toBe("date");
      expect((exdate.getFirstValue() as ICAL.Time).toString()).toBe("2026-12-12");
      expect(expand(cal.event("evt_allday_weekly")).map((t) => t.toString())).toEqual([
        "2026-12-05",
        "2026-12-19",
        "2026-12-26",
      ]);
    });

    it("folds lines at 75 octets and uses CRLF", () => {
      const lines = cal.text.split("\r\n");
      expect(lines.length).toBeGreaterThan(50);
      for (const line of lines) {
        expect(line).not.toContain("\n");
        expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
      }
    });
  },
);

describe("toICalendar is independent of the process time zone", () => {
  it("produced identical output under TZ=UTC and TZ=America/New_York", () => {
    expect(outputs.get("UTC")).toBeDefined();
    expect(outputs.get("America/New_York")).toBe(outputs.get("UTC"));
  });

  it("also for a second rendering in each zone back to back", () => {
    const saved = process.env.TZ;
    try {
      const runs = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"].map((tz) => {
        process.env.TZ = tz;
        return render();
      });
      for (const r of runs) expect(r).toBe(runs[0]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("toICalendar edge cases", () => {
  it("gives an empty calendar for no events", () => {
    const cal = parse(toICalendar([], INFO));
    expect(cal.calendar.getAllSubcomponents("vevent")).toEqual([]);
    expect(cal.calendar.getAllSubcomponents("vtimezone")).toEqual([]);
  });

  it("defines a zone shared by several events only once", () => {
    const text = toICalendar([makeEvent({ id: "a" }), makeEvent({ id: "b" })], INFO);
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
  });

  it("names an alias zone's VTIMEZONE after the alias the DTSTART uses", () => {
    const e = makeEvent({
      timezone: "America/Montreal",
      beginsAt: "2026-12-01T19:00:00-05:00",
      endsAt: null,
    });
    const cal = parse(toICalendar([e], INFO));
    const tzids = cal.calendar
      .getAllSubcomponents("vtimezone")
      .map((c) => c.getFirstPropertyValue("tzid"));
    expect(tzids).toEqual(["America/Montreal"]);
    const dtstart = cal.vevent(e.id).getFirstProperty("dtstart")!;
    expect(dtstart.getParameter("tzid")).toBe("America/Montreal");
    expect((dtstart.getFirstValue() as ICAL.Time).toJSDate().toISOString()).toBe(
      "2026-12-02T00:00:00.000Z",
    );
  });

  it("folds a long non-ASCII line without splitting a character", () => {
    const title = "Atelier réparation vélo — ".repeat(8);
    const cal = parse(toICalendar([makeEvent({ title })], INFO));
    expect(cal.vevent("evt_repair1").getFirstPropertyValue("summary")).toBe(title);
  });

  it("keeps the organizer URL per event in a mixed calendar", () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      makeEvent({
        id: `e${i}`,
        organizer: { ...ALICE, url: `${ORIGIN}/@user${i}` },
        group: i % 3 === 0 ? { ...REPAIR_GROUP, url: `${ORIGIN}/@group${i}` } : null,
      }),
    );
    const cal = parse(toICalendar(events, INFO));
    for (let i = 0; i < 12; i++) {
      expect(cal.vevent(`e${i}`).getFirstPropertyValue("organizer")).toBe(
        i % 3 === 0 ? `${ORIGIN}/@group${i}` : `${ORIGIN}/@user${i}`,
      );
    }
  });
});
