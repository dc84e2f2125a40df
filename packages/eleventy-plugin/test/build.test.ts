/**
 * A real Eleventy 3 build of test/fixtures/basic (programmatic `new Eleventy(...)`) against a
 * live Eventail server and an .ics feed on loopback: pages, JSON-LD, the iCal file, filters and
 * shortcodes, the widgets script, and publishing without duplicates across builds.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Eleventy from "@11ty/eleventy";
import type { EventJson } from "@eventail/core";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  readLocal,
  startFixtureServer,
} from "../../sources/test/fixture-server.ts";
import { type LiveServer, startEventail } from "../../sources/test/live-server.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/basic/", import.meta.url));

let live: LiveServer;
let feed: FixtureServer;
let work: string;
const lines: string[] = [];
(globalThis as { eventailTestLogger?: unknown }).eventailTestLogger = {
  info: (m: string) => lines.push(m),
  warn: (m: string) => lines.push(m),
  error: (m: string) => lines.push(m),
};

beforeAll(async () => {
  [live, feed] = await Promise.all([
    startEventail(),
    startFixtureServer(() => ({ type: "text/calendar", body: readLocal("recurring-dst.ics") })),
  ]);
  work = await mkdtemp(join(tmpdir(), "eventail-eleventy-"));
  Object.assign(process.env, {
    EVENTAIL_TEST_SERVER: live.origin,
    EVENTAIL_TEST_ICS: `${feed.origin}/club.ics`,
    ELEVENTY_CACHE_DIR: join(work, "cache"),
    EVENTAIL_STATE_FILE: join(work, "published.json"),
    EVENTAIL_TOKEN: live.token,
  });
});
afterAll(async () => {
  await Promise.all([live?.stop(), feed?.close()]);
  await rm(work, { recursive: true, force: true });
  for (const k of [
    "EVENTAIL_TEST_SERVER",
    "EVENTAIL_TEST_ICS",
    "ELEVENTY_CACHE_DIR",
    "EVENTAIL_STATE_FILE",
    "EVENTAIL_TOKEN",
  ])
    delete process.env[k];
});

async function build(): Promise<string[]> {
  lines.length = 0;
  const elev = new Eleventy(FIXTURE, join(work, "site"), {
    configPath: join(FIXTURE, "eleventy.config.js"),
    quietMode: true,
  });
  await elev.write();
  return [...lines];
}

const page = (path: string) => readFile(join(work, "site", path), "utf8");

async function onServer(): Promise<EventJson[]> {
  const res = await fetch(`${live.origin}/api/v1/events?tag=eleventy-fixture&limit=100`);
  return ((await res.json()) as { items: EventJson[] }).items;
}

describe("Eleventy build of a site using @eventail/eleventy-plugin", () => {
  it("publishes site events, imports the sources and writes pages, JSON-LD and iCal", async () => {
    const log = await build();
    expect(log).toContain("published: 1 created, 0 updated, 0 deleted, 0 unchanged, 0 failed");
    expect(log).toContain("club-calendar: fetched, 7 events");
    const published = await onServer();
    expect(published.map((e) => e.title)).toEqual(["Repair café at the NGO (Eleventy)"]);

    const dirs = (await readdir(join(work, "site", "events"), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const own = dirs.find((d) => d.startsWith("repair-cafe-at-the-ngo-eleventy-2027-01-16-"))!;
    const html = await page(`events/${own}/index.html`);
    expect(html).toContain("<title>Repair café at the NGO (Eleventy) · NGO</title>");
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld).toMatchObject({
      "@type": "Event",
      name: "Repair café at the NGO (Eleventy)",
      startDate: "2027-01-16T14:00:00+01:00",
      url: `https://ngo.example.org/events/${own}/`,
    });
    expect(html).toContain(
      `<ev-rsvp event-id="${published[0]!.id}" src="${live.origin}"></ev-rsvp>`,
    );
    expect(html).toContain(
      `<script type="module" src="${live.origin}/widgets/eventail.js"></script>`,
    );

    const home = await page("index.html");
    // Dates in the event's own zone through the filters, whatever TZ the build runs in.
    expect(home).toMatch(
      /Repair café at the NGO \(Eleventy\)<\/a> Saturday, January 16, 2027 14:00 \(Europe\/Paris\)/,
    );
    expect(home).toMatch(/Weekly meeting<\/a> Tuesday, October 13, 2026 19:00 \(Europe\/Paris\)/);
    expect(home).toContain(
      `<ev-event-list src="${live.origin}" group="climate_lyon"></ev-event-list>`,
    );
    expect(home).toContain(
      `<script type="module" src="${live.origin}/widgets/eventail.js"></script>`,
    );
    expect(home).toContain(`${dirs.length} events from 2 sources`);

    const ics = await page("events.ics");
    const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent");
    expect(vevents).toHaveLength(dirs.length);
    const uids = vevents.map((v) => String(v.getFirstPropertyValue("uid")));
    expect(new Set(uids).size).toBe(uids.length);
    expect(await page("groups/climate_lyon/index.html")).toContain("<h1>Climate Action Lyon</h1>");
  });

  it("rebuilds without duplicates, with conditional requests answered 304", async () => {
    const before = feed.log.length;
    const log = await build();
    expect(log).toContain("published: 0 created, 0 updated, 0 deleted, 1 unchanged, 0 failed");
    expect(log).toContain("club-calendar: unchanged, 7 events");
    expect(feed.log.slice(before).map((l) => l.status)).toEqual([304]);
    expect(await onServer()).toHaveLength(1);
  });
});
