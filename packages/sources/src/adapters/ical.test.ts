import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  readLocal,
  readShared,
  startFixtureServer,
} from "../../test/fixture-server.ts";
import { MemoryCache } from "../cache.ts";
import { loadSource } from "../source.ts";
import { icalSource } from "./ical.ts";

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer((req, _body, origin) => {
    const path = new URL(req.url ?? "/", origin).pathname;
    if (path === "/feed/ics")
      return { type: "text/calendar", body: readShared("gancio/feed-ics.ics") };
    try {
      return { type: "text/calendar", body: readLocal(path.slice(1)) };
    } catch {
      return undefined;
    }
  });
});
afterAll(() => server.close());

const load = (path: string, options: Partial<Parameters<typeof icalSource>[0]> = {}) =>
  loadSource(
    icalSource({
      url: `${server.origin}/${path}`,
      allowPrivateNetwork: true,
      from: new Date("2026-10-01T00:00:00Z"),
      to: new Date("2027-03-01T00:00:00Z"),
      ...options,
    }),
  );

// Results must not depend on the machine's zone: every case runs under both.
describe.each(["UTC", "America/New_York"])("ical source with TZ=%s", (tz) => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = tz;
  });
  afterAll(() => {
    process.env.TZ = saved;
  });

  it("runs in the intended process zone", () => {
    const offset = new Date("2026-12-01T12:00:00Z").getTimezoneOffset();
    expect(offset).toBe(tz === "UTC" ? 0 : 300);
  });

  it("reads Gancio's recorded feed, in the zone given for its UTC times", async () => {
    const { events } = await load("feed/ics", {
      timezone: "Europe/Rome",
      from: new Date("2026-11-28T00:00:00Z"),
    });
    expect(events).toHaveLength(36);
    const jam = events.find((e) => e.id === "1@gancio.example")!;
    expect(jam).toMatchObject({
      title: "Jazz jam session at La Lanterna",
      beginsAt: "2026-11-28T21:30:00+01:00",
      endsAt: "2026-11-28T23:59:00+01:00",
      timezone: "Europe/Rome",
      url: "https://gancio.example/event/jazz-jam-session-at-la-lanterna",
      address: { venue: "Circolo Culturale La Lanterna - Via Nizza 112, 10126 Torino" },
      tags: ["jam-session", "music"],
      status: "confirmed",
      recurrence: null,
    });
    // The HTML alternative wins over the plain DESCRIPTION, through the sanitizer.
    expect(jam.description).toMatch(/^<p>Jazz jam session at La Lanterna.<\/p><p>Free entry/);
    expect(jam.description).toContain('rel="nofollow noopener noreferrer ugc"');
  });

  it("expands a weekly RRULE across DST with EXDATE and a moved occurrence", async () => {
    const { events } = await load("recurring-dst.ics");
    expect(events.map((e) => e.beginsAt)).toEqual([
      "2026-10-13T19:00:00+02:00",
      "2026-10-20T19:00:00+02:00",
      // 27 October is excluded; clocks went back on the 25th and the meeting stays at 19:00.
      "2026-11-03T19:00:00+01:00",
      "2026-11-10T20:00:00+01:00",
      "2026-11-17T19:00:00+01:00",
      "2026-11-24T19:00:00+01:00",
      "2026-12-01T19:00:00+01:00",
    ]);
    const moved = events[3]!;
    expect(moved.title).toBe("Weekly meeting (later, special guest)");
    expect(moved.endsAt).toBe("2026-11-10T22:00:00+01:00");
    const first = events[0]!;
    expect(first).toMatchObject({
      id: "weekly-meeting@example.org",
      occurrence: "2026-10-13T17:00:00.000Z",
      timezone: "Europe/Paris",
      endsAt: "2026-10-13T21:00:00+02:00",
      sequence: 2,
      recurrence: {
        rrule: "FREQ=WEEKLY;COUNT=8;BYDAY=TU",
        exdates: ["2026-10-27T19:00:00+01:00"],
      },
      address: {
        venue: "Maison des Passages, 44 rue Saint-Georges, Lyon",
        latitude: 45.7597,
        longitude: 4.8268,
      },
      organizer: { name: "Climate Lyon" },
      url: "https://climate.example.org/weekly",
      createdAt: "2026-09-01T12:00:00.000Z",
      updatedAt: "2026-10-01T08:00:00.000Z",
    });
    expect(first.description).toBe(
      "<p>Bring ideas.<br />Everyone welcome.</p><p>Second paragraph &amp; more.</p>",
    );
    // The organizer's email never reaches the page.
    expect(JSON.stringify(events)).not.toContain("secret-organizer");
    // The window cuts the series.
    const narrow = await load("recurring-dst.ics", {
      from: new Date("2026-11-15T00:00:00Z"),
      to: new Date("2026-11-30T00:00:00Z"),
    });
    expect(narrow.events.map((e) => e.beginsAt.slice(0, 10))).toEqual(["2026-11-17", "2026-11-24"]);
  });

  it("reads all-day dates and floating times in the calendar's zone", async () => {
    const { events } = await load("all-day-floating.ics");
    const market = events.find((e) => e.id === "winter-market@example.org")!;
    expect(market).toMatchObject({
      allDay: true,
      timezone: "America/Toronto",
      beginsAt: "2026-12-24T00:00:00-05:00",
      endsAt: "2026-12-26T00:00:00-05:00",
    });
    const cleanup = events.find((e) => e.id === "new-year-cleanup@example.org")!;
    expect(cleanup).toMatchObject({
      allDay: true,
      beginsAt: "2027-01-01T00:00:00-05:00",
      endsAt: "2027-01-02T00:00:00-05:00",
    });
    const workshop = events.find((e) => e.id === "floating-workshop@example.org")!;
    expect(workshop).toMatchObject({
      allDay: false,
      beginsAt: "2026-12-05T10:00:00-05:00",
      endsAt: "2026-12-05T12:00:00-05:00",
      status: "tentative",
    });
    const potlucks = events.filter((e) => e.id === "monthly-potluck@example.org");
    expect(potlucks.map((e) => e.beginsAt)).toEqual([
      "2026-12-01T00:00:00-05:00",
      "2027-02-01T00:00:00-05:00",
    ]);
    // A zone given in the options wins over X-WR-TIMEZONE.
    const paris = await load("all-day-floating.ics", { timezone: "Europe/Paris" });
    expect(paris.events.find((e) => e.id === "floating-workshop@example.org")!.beginsAt).toBe(
      "2026-12-05T10:00:00+01:00",
    );
  });

  it("reads Outlook's Windows zone names through the calendar's VTIMEZONE", async () => {
    const { events } = await load("outlook.ics");
    expect(events.map((e) => e.id)).toContain("private-1@example.org");
    const jazz = events.find((e) => e.id === "040000008200E00074C5B7101A82E008")!;
    expect(jazz).toMatchObject({
      beginsAt: "2026-12-08T18:00:00+01:00",
      endsAt: "2026-12-08T20:00:00+01:00",
      timezone: "Europe/Berlin",
      onlineUrl: "https://meet.example.org/jazz",
      address: null,
      attendanceMode: "online",
      category: "MUSIC",
      tags: ["music", "jazz"],
      status: "cancelled",
      description: "<p>Online <b>jazz</b></p>",
      organizer: { name: "Ana" },
    });
    expect(events.find((e) => e.id === "private-1@example.org")!.visibility).toBe("private");
    expect(JSON.stringify(events)).not.toContain("ana@example.org");
  });

  it("names the event and the field of a malformed entry", async () => {
    await expect(load("missing-summary.ics", { name: "club" })).rejects.toThrow(
      'source "club", event "no-title@example.org", field "SUMMARY": is missing or empty',
    );
    await expect(
      load("missing-summary.ics", { name: "club", onInvalidEvent: "skip" }),
    ).resolves.toMatchObject({
      events: [],
    });
  });
});

describe("ical source caching", () => {
  it("answers 304 on the second fetch and returns the cached events", async () => {
    const cache = new MemoryCache();
    const source = icalSource({
      url: `${server.origin}/feed/ics`,
      allowPrivateNetwork: true,
      from: new Date("2026-11-28T00:00:00Z"),
    });
    const first = await loadSource(source, { cache });
    const before = server.log.length;
    const second = await loadSource(source, { cache });
    expect(second.status).toBe("unchanged");
    expect(server.log.slice(before).map((l) => l.status)).toEqual([304]);
    expect(second.events).toEqual(first.events);
  });
});
