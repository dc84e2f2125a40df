import { describe, expect, it } from "vitest";
import {
  MAX_OCCURRENCES,
  type Occurrence,
  occurrencesBetween,
  parseRRule,
  type RecurringEvent,
} from "./recurrence.ts";
import { toZonedIso } from "./time.ts";

const FAR_PAST = new Date("2000-01-01T00:00:00Z");
const FAR_FUTURE = new Date("2100-01-01T00:00:00Z");

function series(
  rrule: string | null,
  beginsAt: string,
  opts: { endsAt?: string; timezone?: string; exdates?: string[] } = {},
): RecurringEvent {
  return {
    beginsAt: new Date(beginsAt),
    endsAt: opts.endsAt ? new Date(opts.endsAt) : null,
    timezone: opts.timezone ?? "Europe/Paris",
    recurrence: rrule ? { rrule, exdates: (opts.exdates ?? []).map((d) => new Date(d)) } : null,
  };
}

const starts = (occ: Occurrence[], tz: string) => occ.map((o) => toZonedIso(o.start, tz));
const utcStarts = (occ: Occurrence[]) => occ.map((o) => o.start.toISOString());

describe("parseRRule", () => {
  it.each([
    "FREQ=WEEKLY;BYDAY=TU",
    "RRULE:FREQ=WEEKLY;BYDAY=TU",
    "  FREQ=DAILY;COUNT=10  ",
    "FREQ=MONTHLY;BYDAY=1TU;INTERVAL=2",
    "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21",
    "FREQ=WEEKLY;UNTIL=20270101T000000Z;WKST=MO",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=WEEKLY;COUNT=1000",
  ])("accepts %s", (rule) => {
    const r = parseRRule(rule);
    expect(r.ok).toBe(true);
  });

  it("returns the parsed rule", () => {
    const r = parseRRule("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=5;BYDAY=TU,TH");
    if (!r.ok) throw new Error(r.reason);
    expect(r.recur.freq).toBe("WEEKLY");
    expect(r.recur.interval).toBe(2);
    expect(r.recur.count).toBe(5);
    expect(r.recur.parts.BYDAY).toEqual(["TU", "TH"]);
  });

  it.each(["FREQ=HOURLY", "FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=HOURLY;INTERVAL=24;COUNT=3"])(
    "refuses the sub-daily rule %s",
    (rule) => {
      expect(parseRRule(rule)).toEqual({ ok: false, reason: "FREQ" });
    },
  );

  it.each([
    ["FREQ=DAILY;X-NAME=1", "X-NAME"],
    ["FREQ=DAILY;FOO=BAR", "FOO"],
    ["FREQ=DAILY;DTSTART=20260101T000000Z", "DTSTART"],
    ["FREQ=DAILY;RDATE=20260101", "RDATE"],
  ])("refuses the unknown part in %s", (rule, part) => {
    const r = parseRRule(rule);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(part);
  });

  it.each([
    "",
    "   ",
    "RRULE:",
    "FREQ=DAILY;FREQ=WEEKLY",
    "FREQ=WEEKLY;COUNT",
    "FREQ=WEEKLY;;COUNT=2",
    "COUNT=3",
    "FREQ=FORTNIGHTLY",
    "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=WEEKLY;COUNT=0",
    "FREQ=WEEKLY;COUNT=1001",
    "FREQ=WEEKLY;INTERVAL=1001",
    "FREQ=WEEKLY;UNTIL=never",
  ])("refuses %j", (rule) => {
    expect(parseRRule(rule).ok).toBe(false);
  });
});

describe("occurrencesBetween: wall-clock time across DST", () => {
  it("keeps a weekly 19:00 Paris meeting at 19:00 across the end of summer time (Oct 2026)", () => {
    const e = series("FREQ=WEEKLY;COUNT=4", "2026-10-13T19:00:00+02:00", {
      endsAt: "2026-10-13T21:00:00+02:00",
    });
    const occ = occurrencesBetween(e, FAR_PAST, FAR_FUTURE);
    expect(starts(occ, "Europe/Paris")).toEqual([
      "2026-10-13T19:00:00+02:00",
      "2026-10-20T19:00:00+02:00",
      "2026-10-27T19:00:00+01:00",
      "2026-11-03T19:00:00+01:00",
    ]);
    // The instants move by an hour in UTC...
    expect(utcStarts(occ)).toEqual([
      "2026-10-13T17:00:00.000Z",
      "2026-10-20T17:00:00.000Z",
      "2026-10-27T18:00:00.000Z",
      "2026-11-03T18:00:00.000Z",
    ]);
    // ...and every occurrence keeps the two-hour duration.
    for (const o of occ) expect(o.end!.getTime() - o.start.getTime()).toBe(2 * 3_600_000);
  });

  it("keeps the wall clock across the start of summer time too (Mar 2026)", () => {
    const e = series("FREQ=WEEKLY;COUNT=3", "2026-03-24T19:00:00+01:00");
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-03-24T19:00:00+01:00",
      "2026-03-31T19:00:00+02:00",
      "2026-04-07T19:00:00+02:00",
    ]);
  });

  it("keeps a New York weekly event at 18:30 across 1 Nov 2026", () => {
    const e = series("FREQ=WEEKLY;BYDAY=TH;COUNT=3", "2026-10-22T18:30:00-04:00", {
      timezone: "America/New_York",
    });
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "America/New_York")).toEqual([
      "2026-10-22T18:30:00-04:00",
      "2026-10-29T18:30:00-04:00",
      "2026-11-05T18:30:00-05:00",
    ]);
  });

  it("moves a daily 02:30 occurrence that falls in the spring gap to 03:30", () => {
    const e = series("FREQ=DAILY;COUNT=3", "2026-03-28T02:30:00+01:00");
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-03-28T02:30:00+01:00",
      "2026-03-29T03:30:00+02:00",
      "2026-03-30T02:30:00+02:00",
    ]);
  });

  it("expands BYDAY rules in the event's zone, not in UTC", () => {
    // 23:30 on Tuesdays in Kolkata is still Tuesday there, though Tuesday 18:00 UTC.
    const e = series("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "2026-12-01T23:30:00+05:30", {
      timezone: "Asia/Kolkata",
    });
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Asia/Kolkata")).toEqual([
      "2026-12-01T23:30:00+05:30",
      "2026-12-08T23:30:00+05:30",
    ]);
  });

  it("expands monthly nth-weekday rules", () => {
    const e = series("FREQ=MONTHLY;BYDAY=1TU;COUNT=3", "2026-12-01T19:00:00+01:00");
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-12-01T19:00:00+01:00",
      "2027-01-05T19:00:00+01:00",
      "2027-02-02T19:00:00+01:00",
    ]);
  });
});

describe("occurrencesBetween: exdates, COUNT and UNTIL", () => {
  it("an exdate removes exactly the occurrence starting at that instant", () => {
    const e = series("FREQ=WEEKLY;COUNT=5", "2026-10-13T19:00:00+02:00", {
      exdates: ["2026-10-27T19:00:00+01:00"],
    });
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-10-13T19:00:00+02:00",
      "2026-10-20T19:00:00+02:00",
      "2026-11-03T19:00:00+01:00",
      "2026-11-10T19:00:00+01:00",
    ]);
  });

  it("an exdate that matches no occurrence start removes nothing", () => {
    const e = series("FREQ=WEEKLY;COUNT=3", "2026-12-01T19:00:00+01:00", {
      // 19:00 *UTC* on the second Tuesday, i.e. 20:00 in Paris: not an occurrence.
      exdates: ["2026-12-08T19:00:00Z"],
    });
    expect(occurrencesBetween(e, FAR_PAST, FAR_FUTURE)).toHaveLength(3);
  });

  it("stops after COUNT occurrences, excluded ones counted (RFC 5545)", () => {
    expect(
      occurrencesBetween(
        series("FREQ=DAILY;COUNT=3", "2026-12-01T19:00:00+01:00"),
        FAR_PAST,
        FAR_FUTURE,
      ),
    ).toHaveLength(3);
    const e = series("FREQ=DAILY;COUNT=3", "2026-12-01T19:00:00+01:00", {
      exdates: ["2026-12-02T19:00:00+01:00"],
    });
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-12-01T19:00:00+01:00",
      "2026-12-03T19:00:00+01:00",
    ]);
  });

  it("includes an occurrence starting exactly at a UTC UNTIL (Paris, 19:00 = 18:00Z)", () => {
    const e = series("FREQ=WEEKLY;UNTIL=20261208T180000Z", "2026-12-01T19:00:00+01:00");
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "Europe/Paris")).toEqual([
      "2026-12-01T19:00:00+01:00",
      "2026-12-08T19:00:00+01:00",
    ]);
  });

  it("compares a UTC UNTIL with instants, not wall clocks (New York, 19:00 = 00:00Z next day)", () => {
    // The 8 Dec occurrence starts at 2026-12-09T00:00Z, after UNTIL.
    const e = series("FREQ=WEEKLY;UNTIL=20261208T233000Z", "2026-12-01T19:00:00-05:00", {
      timezone: "America/New_York",
    });
    expect(starts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE), "America/New_York")).toEqual([
      "2026-12-01T19:00:00-05:00",
    ]);
    const later = series("FREQ=WEEKLY;UNTIL=20261209T000000Z", "2026-12-01T19:00:00-05:00", {
      timezone: "America/New_York",
    });
    expect(occurrencesBetween(later, FAR_PAST, FAR_FUTURE)).toHaveLength(2);
  });

  it("ends a long weekly series at UNTIL across a DST change", () => {
    const e = series("FREQ=WEEKLY;UNTIL=20261231T235959Z", "2026-10-06T19:00:00+02:00");
    const occ = occurrencesBetween(e, FAR_PAST, FAR_FUTURE);
    expect(occ).toHaveLength(13);
    expect(toZonedIso(occ.at(-1)!.start, "Europe/Paris")).toBe("2026-12-29T19:00:00+01:00");
  });
});

describe("occurrencesBetween: window", () => {
  const daily = series("FREQ=DAILY", "2026-12-01T19:00:00+01:00", {
    endsAt: "2026-12-01T21:00:00+01:00",
  });

  it("keeps occurrences overlapping [from, to), including one still running at `from`", () => {
    const from = new Date("2026-12-03T20:00:00+01:00"); // during the 3 Dec occurrence
    const to = new Date("2026-12-05T19:00:00+01:00"); // exactly the start of the 5 Dec one
    const occ = occurrencesBetween(daily, from, to);
    expect(starts(occ, "Europe/Paris")).toEqual([
      "2026-12-03T19:00:00+01:00",
      "2026-12-04T19:00:00+01:00",
    ]);
    expect(occ.map((o) => toZonedIso(o.end!, "Europe/Paris"))).toEqual([
      "2026-12-03T21:00:00+01:00",
      "2026-12-04T21:00:00+01:00",
    ]);
  });

  it("drops occurrences that ended before `from`", () => {
    const from = new Date("2026-12-03T21:30:00+01:00");
    const to = new Date("2026-12-04T23:00:00+01:00");
    expect(starts(occurrencesBetween(daily, from, to), "Europe/Paris")).toEqual([
      "2026-12-04T19:00:00+01:00",
    ]);
  });

  it("returns nothing for a window before the series starts or an empty window", () => {
    expect(
      occurrencesBetween(daily, new Date("2026-11-01T00:00:00Z"), new Date("2026-12-01T17:59:59Z")),
    ).toEqual([]);
    const t = new Date("2026-12-10T18:00:00Z");
    expect(occurrencesBetween(daily, t, t)).toEqual([]);
  });

  it("returns a single event when it meets the window, with its own end", () => {
    const single = series(null, "2026-12-01T19:00:00+01:00", {
      endsAt: "2026-12-01T21:00:00+01:00",
    });
    const occ = occurrencesBetween(
      single,
      new Date("2026-12-01T00:00:00Z"),
      new Date("2026-12-02T00:00:00Z"),
    );
    expect(occ).toEqual([
      { start: new Date("2026-12-01T18:00:00Z"), end: new Date("2026-12-01T20:00:00Z") },
    ]);
    expect(occurrencesBetween(single, new Date("2026-12-01T20:00:01Z"), FAR_FUTURE)).toEqual([]);
    expect(occurrencesBetween(single, FAR_PAST, new Date("2026-12-01T18:00:00Z"))).toEqual([]);
  });

  it("includes an event without end that starts exactly at `from`, with end null", () => {
    const e = series(null, "2026-12-01T19:00:00+01:00");
    expect(occurrencesBetween(e, new Date("2026-12-01T18:00:00Z"), FAR_FUTURE)).toEqual([
      { start: new Date("2026-12-01T18:00:00Z"), end: null },
    ]);
  });

  it("falls back to the single first occurrence for an unparsable stored rule", () => {
    const e = series("FREQ=HOURLY", "2026-12-01T19:00:00+01:00");
    expect(utcStarts(occurrencesBetween(e, FAR_PAST, FAR_FUTURE))).toEqual([
      "2026-12-01T18:00:00.000Z",
    ]);
  });
});

describe("occurrencesBetween: bounds", () => {
  it(`caps a DAILY rule over a 10-year window at MAX_OCCURRENCES (${MAX_OCCURRENCES})`, () => {
    const e = series("FREQ=DAILY", "2026-01-01T19:00:00+01:00");
    const occ = occurrencesBetween(
      e,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2036-01-01T00:00:00Z"),
    );
    expect(occ).toHaveLength(MAX_OCCURRENCES);
    expect(toZonedIso(occ[0]!.start, "Europe/Paris")).toBe("2026-01-01T19:00:00+01:00");
    // Consecutive days, each at 19:00 local: the cap cuts the list, it does not thin it.
    expect(toZonedIso(occ.at(-1)!.start, "Europe/Paris")).toBe("2028-09-26T19:00:00+02:00");
    for (const o of occ) expect(toZonedIso(o.start, "Europe/Paris").slice(11, 19)).toBe("19:00:00");
  });

  it("caps a window that starts later in the series too", () => {
    const e = series("FREQ=DAILY", "2026-01-01T19:00:00+01:00");
    const occ = occurrencesBetween(
      e,
      new Date("2030-01-01T00:00:00Z"),
      new Date("2040-01-01T00:00:00Z"),
    );
    expect(occ).toHaveLength(MAX_OCCURRENCES);
    expect(toZonedIso(occ[0]!.start, "Europe/Paris")).toBe("2030-01-01T19:00:00+01:00");
  });

  it("does not spin on a window decades after a daily series began", () => {
    const e = series("FREQ=DAILY", "2026-01-01T19:00:00+01:00");
    const t0 = performance.now();
    const occ = occurrencesBetween(
      e,
      new Date("2080-01-01T00:00:00Z"),
      new Date("2080-02-01T00:00:00Z"),
    );
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(occ.length).toBeLessThanOrEqual(MAX_OCCURRENCES);
  });
});
