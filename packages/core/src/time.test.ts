import { afterEach, describe, expect, it } from "vitest";
import {
  dateTimeFormat,
  instantAt,
  isTimeZone,
  localDate,
  offsetMinutes,
  startOfLocalDay,
  toZonedIso,
  type WallClock,
  wallClock,
} from "./time.ts";

const at = (iso: string) => new Date(iso);
const wc = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute = 0,
  second = 0,
): WallClock => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe("wallClock", () => {
  it.each([
    ["2026-12-01T18:00:00Z", "Europe/Paris", wc(2026, 12, 1, 19)],
    ["2026-07-01T17:00:00Z", "Europe/Paris", wc(2026, 7, 1, 19)],
    ["2026-12-02T00:00:00Z", "America/New_York", wc(2026, 12, 1, 19)],
    ["2026-07-01T23:00:00Z", "America/New_York", wc(2026, 7, 1, 19)],
    ["2026-12-01T13:30:00Z", "Asia/Kolkata", wc(2026, 12, 1, 19)],
    ["2026-07-01T13:30:00Z", "Asia/Kolkata", wc(2026, 7, 1, 19)],
    // Lord Howe: +11:00 in the southern summer, +10:30 in winter.
    ["2026-01-15T08:00:00Z", "Australia/Lord_Howe", wc(2026, 1, 15, 19)],
    ["2026-07-15T08:30:00Z", "Australia/Lord_Howe", wc(2026, 7, 15, 19)],
    ["2026-12-31T23:59:59Z", "UTC", wc(2026, 12, 31, 23, 59, 59)],
  ])("%s in %s", (iso, tz, expected) => {
    expect(wallClock(at(iso), tz)).toEqual(expected);
  });

  it("reads midnight as hour 0, not 24", () => {
    expect(wallClock(at("2026-12-01T23:00:00Z"), "Europe/Paris")).toEqual(wc(2026, 12, 2, 0));
  });
});

describe("offsetMinutes", () => {
  it.each([
    ["2026-01-15T12:00:00Z", "Europe/Paris", 60],
    ["2026-07-15T12:00:00Z", "Europe/Paris", 120],
    ["2026-01-15T12:00:00Z", "America/New_York", -300],
    ["2026-07-15T12:00:00Z", "America/New_York", -240],
    ["2026-01-15T12:00:00Z", "Asia/Kolkata", 330],
    ["2026-07-15T12:00:00Z", "Asia/Kolkata", 330],
    ["2026-01-15T12:00:00Z", "Australia/Lord_Howe", 660],
    ["2026-07-15T12:00:00Z", "Australia/Lord_Howe", 630],
    ["2026-07-15T12:00:00Z", "America/St_Johns", -150],
    ["2026-07-15T12:00:00Z", "UTC", 0],
  ])("%s in %s is %i", (iso, tz, minutes) => {
    expect(offsetMinutes(at(iso), tz)).toBe(minutes);
  });

  it("switches exactly at the Paris transitions", () => {
    expect(offsetMinutes(at("2026-03-29T00:59:59Z"), "Europe/Paris")).toBe(60);
    expect(offsetMinutes(at("2026-03-29T01:00:00Z"), "Europe/Paris")).toBe(120);
    expect(offsetMinutes(at("2026-10-25T00:59:59Z"), "Europe/Paris")).toBe(120);
    expect(offsetMinutes(at("2026-10-25T01:00:00Z"), "Europe/Paris")).toBe(60);
  });

  it("switches by 30 minutes at the Lord Howe transitions", () => {
    expect(offsetMinutes(at("2026-10-03T15:29:00Z"), "Australia/Lord_Howe")).toBe(630);
    expect(offsetMinutes(at("2026-10-03T15:30:00Z"), "Australia/Lord_Howe")).toBe(660);
    expect(offsetMinutes(at("2026-04-04T14:59:00Z"), "Australia/Lord_Howe")).toBe(660);
    expect(offsetMinutes(at("2026-04-04T15:00:00Z"), "Australia/Lord_Howe")).toBe(630);
  });

  it("ignores milliseconds", () => {
    expect(offsetMinutes(at("2026-01-15T12:00:00.999Z"), "Asia/Kolkata")).toBe(330);
  });
});

describe("toZonedIso", () => {
  it.each([
    ["2026-12-01T18:00:00Z", "Europe/Paris", "2026-12-01T19:00:00+01:00"],
    ["2026-07-01T17:00:00Z", "Europe/Paris", "2026-07-01T19:00:00+02:00"],
    ["2026-12-02T00:00:00Z", "America/New_York", "2026-12-01T19:00:00-05:00"],
    ["2026-07-01T23:00:00Z", "America/New_York", "2026-07-01T19:00:00-04:00"],
    ["2026-12-01T13:30:00Z", "Asia/Kolkata", "2026-12-01T19:00:00+05:30"],
    ["2026-01-15T08:00:00Z", "Australia/Lord_Howe", "2026-01-15T19:00:00+11:00"],
    ["2026-07-15T08:30:00Z", "Australia/Lord_Howe", "2026-07-15T19:00:00+10:30"],
    ["2026-12-01T22:30:00Z", "America/St_Johns", "2026-12-01T19:00:00-03:30"],
    ["2026-12-01T18:00:00Z", "UTC", "2026-12-01T18:00:00Z"],
    ["1970-01-01T00:00:00Z", "UTC", "1970-01-01T00:00:00Z"],
    ["2199-12-31T23:59:59Z", "Europe/Paris", "2200-01-01T00:59:59+01:00"],
  ])("%s in %s → %s", (iso, tz, expected) => {
    expect(toZonedIso(at(iso), tz)).toBe(expected);
  });

  it("names the same instant it was given", () => {
    for (const tz of ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      for (const iso of ["2026-03-29T01:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]) {
        expect(Date.parse(toZonedIso(at(iso), tz))).toBe(Date.parse(iso));
      }
    }
  });
});

describe("instantAt", () => {
  it.each([
    [wc(2026, 12, 1, 19), "Europe/Paris", "2026-12-01T18:00:00.000Z"],
    [wc(2026, 7, 1, 19), "Europe/Paris", "2026-07-01T17:00:00.000Z"],
    [wc(2026, 12, 1, 19), "America/New_York", "2026-12-02T00:00:00.000Z"],
    [wc(2026, 7, 1, 19), "America/New_York", "2026-07-01T23:00:00.000Z"],
    [wc(2026, 12, 1, 19), "Asia/Kolkata", "2026-12-01T13:30:00.000Z"],
    [wc(2026, 1, 15, 19), "Australia/Lord_Howe", "2026-01-15T08:00:00.000Z"],
    [wc(2026, 7, 15, 19), "Australia/Lord_Howe", "2026-07-15T08:30:00.000Z"],
    [wc(2026, 12, 1, 19), "UTC", "2026-12-01T19:00:00.000Z"],
  ])("%o in %s", (w, tz, iso) => {
    expect(instantAt(w, tz).toISOString()).toBe(iso);
  });

  it("pushes a Paris wall time in the spring gap forward by the gap (02:30 → 03:30 CEST)", () => {
    const t = instantAt(wc(2026, 3, 29, 2, 30), "Europe/Paris");
    expect(t.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(toZonedIso(t, "Europe/Paris")).toBe("2026-03-29T03:30:00+02:00");
  });

  it("takes the earlier instant of an ambiguous Paris wall time (02:30 on 25 Oct → 00:30Z)", () => {
    const t = instantAt(wc(2026, 10, 25, 2, 30), "Europe/Paris");
    expect(t.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(toZonedIso(t, "Europe/Paris")).toBe("2026-10-25T02:30:00+02:00");
  });

  it("handles the New York gap and overlap the same way", () => {
    expect(instantAt(wc(2026, 3, 8, 2, 30), "America/New_York").toISOString()).toBe(
      "2026-03-08T07:30:00.000Z",
    );
    expect(instantAt(wc(2026, 11, 1, 1, 30), "America/New_York").toISOString()).toBe(
      "2026-11-01T05:30:00.000Z",
    );
  });

  it("handles Lord Howe's 30-minute gap and overlap", () => {
    // 4 Oct 2026: 02:00 → 02:30. 02:15 does not exist and becomes 02:45 (+11:00).
    const gap = instantAt(wc(2026, 10, 4, 2, 15), "Australia/Lord_Howe");
    expect(gap.toISOString()).toBe("2026-10-03T15:45:00.000Z");
    expect(toZonedIso(gap, "Australia/Lord_Howe")).toBe("2026-10-04T02:45:00+11:00");
    // 5 Apr 2026: 02:00 → 01:30. 01:45 happens at +11:00 and again at +10:30; the first wins.
    const overlap = instantAt(wc(2026, 4, 5, 1, 45), "Australia/Lord_Howe");
    expect(overlap.toISOString()).toBe("2026-04-04T14:45:00.000Z");
    expect(toZonedIso(overlap, "Australia/Lord_Howe")).toBe("2026-04-05T01:45:00+11:00");
  });

  it("round-trips with wallClock all through 2026 outside overlaps", () => {
    for (const tz of ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      for (
        let t = Date.UTC(2026, 0, 1);
        t < Date.UTC(2027, 0, 1);
        t += 3 * 3_600_000 + 17 * 60_000
      ) {
        const instant = new Date(t - (t % 1000));
        const back = instantAt(wallClock(instant, tz), tz);
        const ambiguous = offsetMinutes(new Date(t - 3_600_000), tz) > offsetMinutes(instant, tz);
        if (!ambiguous)
          expect(back.getTime(), `${tz} ${instant.toISOString()}`).toBe(instant.getTime());
      }
    }
  });
});

describe("localDate and startOfLocalDay", () => {
  it("gives the calendar date in the zone, not in UTC", () => {
    expect(localDate(at("2026-12-01T23:30:00Z"), "Europe/Paris")).toBe("2026-12-02");
    expect(localDate(at("2026-12-01T23:30:00Z"), "America/New_York")).toBe("2026-12-01");
    expect(localDate(at("2026-12-01T20:00:00Z"), "Asia/Kolkata")).toBe("2026-12-02");
  });

  it("finds local midnight, including on DST change days", () => {
    expect(startOfLocalDay("2026-12-01", "Europe/Paris").toISOString()).toBe(
      "2026-11-30T23:00:00.000Z",
    );
    expect(startOfLocalDay("2026-03-29", "Europe/Paris").toISOString()).toBe(
      "2026-03-28T23:00:00.000Z",
    );
    expect(startOfLocalDay("2026-10-25", "Europe/Paris").toISOString()).toBe(
      "2026-10-24T22:00:00.000Z",
    );
    expect(startOfLocalDay("2026-12-01", "Asia/Kolkata").toISOString()).toBe(
      "2026-11-30T18:30:00.000Z",
    );
  });

  it("starts the day at 01:00 where midnight does not exist (Santiago, 6 Sep 2026)", () => {
    const t = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(toZonedIso(t, "America/Santiago")).toBe("2026-09-06T01:00:00-03:00");
  });
});

describe("isTimeZone", () => {
  it.each([
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Etc/GMT+5",
  ])("accepts %s", (tz) => {
    expect(isTimeZone(tz)).toBe(true);
  });

  it.each(["Nope/Zone", "", "Europe/Pariss", "Europe/Paris ", "+01:00", "-05:00", "x".repeat(65)])(
    "rejects %j",
    (tz) => {
      expect(isTimeZone(tz)).toBe(false);
    },
  );

  it("rejects non-strings arriving from untyped JSON", () => {
    expect(isTimeZone(42 as unknown as string)).toBe(false);
    expect(isTimeZone(null as unknown as string)).toBe(false);
  });
});

describe("independence from the process time zone", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it.each(["UTC", "America/New_York", "Asia/Kolkata"])(
    "gives the same answers with TZ=%s",
    (tz) => {
      process.env.TZ = tz;
      expect(toZonedIso(at("2026-12-01T18:00:00Z"), "Europe/Paris")).toBe(
        "2026-12-01T19:00:00+01:00",
      );
      expect(instantAt(wc(2026, 3, 29, 2, 30), "Europe/Paris").toISOString()).toBe(
        "2026-03-29T01:30:00.000Z",
      );
      expect(instantAt(wc(2026, 10, 25, 2, 30), "Europe/Paris").toISOString()).toBe(
        "2026-10-25T00:30:00.000Z",
      );
    },
  );
});

describe("dateTimeFormat", () => {
  it("returns one formatter per locale and option set, formatting in the given zone", () => {
    const a = dateTimeFormat("fr", { timeZone: "Europe/Paris", timeStyle: "short" });
    expect(dateTimeFormat("fr", { timeZone: "Europe/Paris", timeStyle: "short" })).toBe(a);
    expect(dateTimeFormat("fr", { timeZone: "America/New_York", timeStyle: "short" })).not.toBe(a);
    expect(a.format(new Date("2026-07-01T12:00:00Z"))).toBe("14:00");
  });
});
