/**
 * Public HTML pages, iCalendar and Atom feeds. SQLite covers them; the instance calendar is
 * also read once on PostgreSQL. Runs under TZ=UTC and TZ=America/New_York (npm run test:tz):
 * nothing here may depend on the machine's zone.
 */
import { localDate, startOfLocalDay } from "@eventail/core";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEnv,
  type DialectName,
  type EventJsonLike,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
  unique,
} from "./helpers.ts";

const XSS = "</script><script>alert(1)</script>";

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtz of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const vevents = calendar.getAllSubcomponents("vevent");
  const byUid = new Map(vevents.map((v) => [String(v.getFirstPropertyValue("uid")), v]));
  return { calendar, vevents, byUid };
}

const startMs = (v: ICAL.Component) =>
  (v.getFirstPropertyValue("dtstart") as ICAL.Time).toUnixTime() * 1000;

/** Every <script …> opening tag of an HTML document. */
const scriptTags = (html: string) => [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);

function jsonLdBlocks(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1]!),
  );
}

const meta = (html: string, property: string) =>
  new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(html)?.[1];

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

describe("pages and feeds on sqlite", () => {
  let t: TestEnv;
  let u: TestUser;
  let groupHandle: string;
  let otherGroupHandle: string;
  let hybrid: EventJsonLike;
  let weekly: EventJsonLike;
  let cancelled: EventJsonLike;
  let rawXss: EventJsonLike;
  let encodedXss: EventJsonLike;
  let personal: EventJsonLike;
  let otherGroupEvent: EventJsonLike;
  let draft: EventJsonLike;
  let allDay: EventJsonLike;
  let publicEvents: EventJsonLike[];

  beforeAll(async () => {
    t = await createEnv("sqlite");
    u = await t.user();
    groupHandle = unique("grp");
    otherGroupHandle = unique("oth");
    const group = await (
      await t.send(
        "POST",
        "/api/v1/groups",
        { handle: groupHandle, name: "Climate & Co", description: "<p>We <b>act</b>.</p>" },
        u.auth(),
      )
    ).json();
    const other = await (
      await t.send("POST", "/api/v1/groups", { handle: otherGroupHandle, name: "Other" }, u.auth())
    ).json();
    hybrid = await t.event(u, {
      title: "Hybrid assembly",
      description: '<p>Join <a href="https://x.example">us</a><img src=x onerror="alert(2)"></p>',
      beginsAt: inDays(3, 17),
      endsAt: inDays(3, 19),
      timezone: "Europe/Paris",
      groupId: group.id,
      category: "MEETING",
      tags: ["assembly"],
      capacity: 30,
      address: {
        venue: "Salle Paul Garcin",
        street: "15 rue Paul Garcin",
        locality: "Lyon",
        postalCode: "69001",
        country: "FR",
        latitude: 45.7612,
        longitude: 4.8392,
      },
      onlineUrl: "https://meet.example.org/assembly",
    });
    weekly = await t.event(u, {
      title: "Weekly volunteers",
      beginsAt: inDays(1, 18),
      endsAt: inDays(1, 19),
      timezone: "America/Montreal",
      groupId: group.id,
      recurrence: { rrule: "FREQ=WEEKLY;COUNT=4" },
      address: { venue: "Local", locality: "Montréal" },
    });
    cancelled = await t.event(u, {
      title: "Tree planting",
      beginsAt: inDays(5, 9),
      timezone: "Asia/Kolkata",
      groupId: group.id,
      status: "cancelled",
      onlineUrl: "https://meet.example.org/trees",
    });
    rawXss = await t.event(u, {
      title: `Party ${XSS} night`,
      beginsAt: inDays(6),
      timezone: "UTC",
      groupId: group.id,
    });
    encodedXss = await t.event(u, {
      title: "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
      description: "<p>&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;</p>",
      beginsAt: inDays(7),
      timezone: "UTC",
      groupId: group.id,
      address: { venue: XSS, locality: "Lyon" },
    });
    personal = await t.event(u, { title: "Personal talk", beginsAt: inDays(8), timezone: "UTC" });
    otherGroupEvent = await t.event(u, {
      title: "Elsewhere",
      beginsAt: inDays(4),
      timezone: "UTC",
      groupId: other.id,
    });
    draft = await t.event(u, {
      title: "Draft in group",
      beginsAt: inDays(4),
      timezone: "UTC",
      groupId: group.id,
      draft: true,
    });
    const montreal = "America/Montreal";
    const firstDay = localDate(new Date(Date.now() + 10 * 86_400_000), montreal);
    const afterLast = localDate(new Date(Date.now() + 12 * 86_400_000), montreal);
    allDay = await t.event(u, {
      title: "Two-day fair",
      // Local midnights; the end is exclusive.
      beginsAt: startOfLocalDay(firstDay, montreal).toISOString(),
      endsAt: startOfLocalDay(afterLast, montreal).toISOString(),
      allDay: true,
      timezone: "America/Montreal",
    });
    publicEvents = [
      hybrid,
      weekly,
      cancelled,
      rawXss,
      encodedXss,
      personal,
      otherGroupEvent,
      allDay,
    ];
  });

  afterAll(async () => {
    await t?.close();
  });

  it("renders an event page with valid schema.org JSON-LD and OpenGraph", async () => {
    const res = await t.request(`/events/${hybrid.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toMatch(/max-age/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const html = await res.text();
    expect(scriptTags(html)).toEqual(['<script type="application/ld+json">']);
    const [ld] = jsonLdBlocks(html);
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Event",
      name: "Hybrid assembly",
      url: `${ORIGIN}/events/${hybrid.id}`,
      eventStatus: "https://schema.org/EventScheduled",
      eventAttendanceMode: "https://schema.org/MixedEventAttendanceMode",
      organizer: { "@type": "Organization", name: "Climate & Co" },
      maximumAttendeeCapacity: 30,
    });
    expect(Date.parse(ld!.startDate as string)).toBe(Date.parse(hybrid.beginsAt));
    expect(Date.parse(ld!.endDate as string)).toBe(Date.parse(hybrid.endsAt));
    expect(ld!.startDate).toMatch(/\+0[12]:00$/);
    const locations = ld!.location as Record<string, unknown>[];
    expect(locations).toEqual([
      expect.objectContaining({
        "@type": "Place",
        name: "Salle Paul Garcin",
        address: expect.objectContaining({ addressLocality: "Lyon", postalCode: "69001" }),
        geo: expect.objectContaining({ latitude: 45.7612 }),
      }),
      { "@type": "VirtualLocation", url: "https://meet.example.org/assembly" },
    ]);
    expect(meta(html, "og:title")).toBe("Hybrid assembly");
    expect(meta(html, "og:url")).toBe(`${ORIGIN}/events/${hybrid.id}`);
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/events/${hybrid.id}">`);
    expect(html).not.toMatch(/onerror|alert\(2\)/);
    expect(html).toContain("Climate &amp; Co");

    const c = await (await t.request(`/events/${cancelled.id}`)).text();
    const [cld] = jsonLdBlocks(c);
    expect(cld).toMatchObject({
      eventStatus: "https://schema.org/EventCancelled",
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      location: { "@type": "VirtualLocation", url: "https://meet.example.org/trees" },
    });
    expect(c).toContain("Cancelled");
    const p = await (await t.request(`/events/${personal.id}`)).text();
    expect(jsonLdBlocks(p)[0]).toMatchObject({
      organizer: { "@type": "Person", name: u.identity.name },
      eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode",
    });
  });

  it("gives all-day events dates, not times, in JSON-LD and iCalendar", async () => {
    // Stored as local midnights of the event's zone; the end is exclusive.
    expect(allDay.beginsAt).toMatch(/T00:00:00-0[45]:00$/);
    expect(allDay.endsAt).toMatch(/T00:00:00-0[45]:00$/);
    const day = allDay.beginsAt.slice(0, 10);
    const html = await (await t.request(`/events/${allDay.id}`)).text();
    const [ld] = jsonLdBlocks(html);
    // Inclusive end date: the second day of the fair.
    const second = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(ld).toMatchObject({ startDate: day, endDate: second });
    const { vevents } = parseCalendar(await (await t.request(`/events/${allDay.id}.ics`)).text());
    const start = vevents[0]!.getFirstPropertyValue("dtstart") as ICAL.Time;
    const end = vevents[0]!.getFirstPropertyValue("dtend") as ICAL.Time;
    expect(start.isDate).toBe(true);
    expect(start.toString()).toBe(day);
    expect(end.isDate).toBe(true);
    expect(end.toString()).toBe(allDay.endsAt.slice(0, 10));
  });

  it("keeps hostile titles inside their data block and attributes", async () => {
    for (const ev of [rawXss, encodedXss]) {
      const res = await t.request(`/events/${ev.id}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(scriptTags(html), ev.title).toEqual(['<script type="application/ld+json">']);
      expect(html.match(/<\/script/gi)?.length, ev.title).toBe(1);
      expect(html).not.toMatch(/<script>alert/i);
      const blocks = jsonLdBlocks(html);
      expect(blocks.length).toBe(1);
      expect(blocks[0]!.name).toBe(ev.title);
      expect(unescapeHtml(meta(html, "og:title") ?? "")).toBe(ev.title);
      expect(html).toContain(
        `<title>${ev.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}`,
      );
    }
    // Titles are plain text, kept as typed: the hostile one reaches the page intact, inert.
    expect(rawXss.title).toBe(`Party ${XSS} night`);
    expect(encodedXss.title).toBe("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    for (const path of ["/", `/@${groupHandle}`, "/events.atom", `/@${groupHandle}/events.atom`]) {
      const html = await (await t.request(path)).text();
      expect(html, path).not.toMatch(/<script>alert/i);
      expect(html, path).not.toContain(XSS);
      for (const tag of scriptTags(html))
        expect(tag, path).toBe('<script type="application/ld+json">');
    }
  });

  it("renders the group page and the identity page", async () => {
    const res = await t.request(`/@${groupHandle}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("<h1>Climate &amp; Co</h1>");
    expect(html).toContain("<p>We <b>act</b>.</p>");
    expect(html).toContain(`href="${ORIGIN}/@${groupHandle}/events.ics"`);
    for (const e of [hybrid, weekly, cancelled]) expect(html).toContain(e.url);
    expect(html).not.toContain(otherGroupEvent.url);
    expect(html).not.toContain(personal.url);
    expect(html).not.toContain(draft.url);
    expect(jsonLdBlocks(html)[0]).toMatchObject({ "@type": "Organization", name: "Climate & Co" });

    const person = await (await t.request(`/@${u.identity.handle}`)).text();
    expect(jsonLdBlocks(person)[0]).toMatchObject({ "@type": "Person", name: u.identity.name });
    expect(person).toContain(personal.url);

    const home = await t.request("/");
    expect(home.status).toBe(200);
    const homeHtml = await home.text();
    for (const e of publicEvents) expect(homeHtml).toContain(e.url);
    expect(homeHtml).not.toContain(draft.url);
  });

  it("serves /events.ics that ical.js parses, one VEVENT per public event", async () => {
    const res = await t.request("/events.ics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await res.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    const { calendar, vevents, byUid } = parseCalendar(text);
    expect(calendar.name).toBe("vcalendar");
    expect(vevents.length).toBe(publicEvents.length);
    expect(new Set(byUid.keys())).toEqual(new Set(publicEvents.map((e) => `${e.id}@events.test`)));
    for (const e of publicEvents) {
      const v = byUid.get(`${e.id}@events.test`)!;
      expect(v.getFirstPropertyValue("summary")).toBe(e.title);
      expect(v.getFirstPropertyValue("url")).toBe(e.url);
      if (e.allDay)
        expect(String(v.getFirstPropertyValue("dtstart"))).toBe(e.beginsAt.slice(0, 10));
      else expect(startMs(v)).toBe(Date.parse(e.beginsAt));
      expect(Number(v.getFirstPropertyValue("sequence"))).toBe(e.sequence);
    }
    const w = byUid.get(`${weekly.id}@events.test`)!;
    expect(String(w.getFirstPropertyValue("rrule"))).toBe("FREQ=WEEKLY;COUNT=4");
    expect(w.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("America/Montreal");
    const tzids = calendar
      .getAllSubcomponents("vtimezone")
      .map((z) => z.getFirstPropertyValue("tzid"));
    expect(tzids).toEqual(
      expect.arrayContaining(["Europe/Paris", "America/Montreal", "Asia/Kolkata"]),
    );
    expect(byUid.get(`${cancelled.id}@events.test`)!.getFirstPropertyValue("status")).toBe(
      "CANCELLED",
    );
    const ev = new ICAL.Event(w);
    const it = ev.iterator();
    const occurrences: number[] = [];
    for (let next = it.next(); next && occurrences.length < 10; next = it.next())
      occurrences.push(next.toUnixTime() * 1000);
    expect(occurrences.length).toBe(4);
    expect(occurrences[1]! - occurrences[0]!).toBe(7 * 86_400_000);

    const group = parseCalendar(await (await t.request(`/@${groupHandle}/events.ics`)).text());
    expect(new Set(group.byUid.keys())).toEqual(
      new Set([hybrid, weekly, cancelled, rawXss, encodedXss].map((e) => `${e.id}@events.test`)),
    );
  });

  it("serves one event's iCalendar at /events/:id.ics", async () => {
    const res = await t.request(`/events/${hybrid.id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(res.headers.get("content-disposition")).toContain(`${hybrid.id}.ics`);
    const { vevents } = parseCalendar(await res.text());
    expect(vevents.length).toBe(1);
    const v = vevents[0]!;
    expect(v.getFirstPropertyValue("uid")).toBe(`${hybrid.id}@events.test`);
    expect(v.getFirstPropertyValue("summary")).toBe("Hybrid assembly");
    expect(startMs(v)).toBe(Date.parse(hybrid.beginsAt));
    expect((v.getFirstPropertyValue("dtend") as ICAL.Time).toUnixTime() * 1000).toBe(
      Date.parse(hybrid.endsAt),
    );
    expect(String(v.getFirstPropertyValue("location"))).toContain("Salle Paul Garcin");
    expect((await t.request("/events/nosuchevent.ics")).status).toBe(404);
    expect((await t.request(`/events/${draft.id}.ics`)).status).toBe(404);
  });

  it("serves Atom feeds for the instance and for a group", async () => {
    const res = await t.request(`/@${groupHandle}/events.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml).toContain(
      `<link rel="self" type="application/atom+xml" href="${ORIGIN}/@${groupHandle}/events.atom"/>`,
    );
    const entries = [...xml.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
    // The weekly series lists each of its four occurrences.
    expect(entries.length).toBe(4 + 4);
    const entryIds = entries.map((e) => /<id>([^<]*)<\/id>/.exec(e)![1]!);
    expect(new Set(entryIds).size).toBe(entries.length);
    expect(entryIds.filter((id) => id.startsWith(weekly.url)).length).toBe(4);
    expect(xml).not.toContain(otherGroupEvent.url);
    expect(xml).not.toContain(personal.url);
    expect(xml).not.toContain(draft.url);
    expect(xml).toContain("<title>Climate &amp; Co");

    const all = await (await t.request("/events.atom")).text();
    for (const e of publicEvents) expect(all).toContain(`href="${e.url}"`);
    expect((await t.request("/@no_such_group/events.atom")).status).toBe(404);
  });
});

describe.each<DialectName>(["postgres"])("instance calendar on %s", (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("serves /events.ics that ical.js parses, one VEVENT per public event", async () => {
    const u = await t.user();
    const one = await t.event(u, {
      title: "Single",
      beginsAt: inDays(2, 18),
      timezone: "Europe/Paris",
    });
    const series = await t.event(u, {
      title: "Series",
      beginsAt: inDays(1, 12),
      timezone: "Asia/Kolkata",
      recurrence: { rrule: "FREQ=WEEKLY;COUNT=3" },
    });
    await t.event(u, { title: "Draft", beginsAt: inDays(2), timezone: "UTC", draft: true });
    const { vevents, byUid } = parseCalendar(await (await t.request("/events.ics")).text());
    expect(vevents.length).toBe(2);
    expect(startMs(byUid.get(`${one.id}@events.test`)!)).toBe(Date.parse(one.beginsAt));
    expect(String(byUid.get(`${series.id}@events.test`)!.getFirstPropertyValue("rrule"))).toBe(
      "FREQ=WEEKLY;COUNT=3",
    );
  });
});
