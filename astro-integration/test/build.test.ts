/**
 * Real `astro build` of test/fixtures/basic against a live Eventail server and an .ics feed
 * on loopback: pages with JSON-LD, the iCal route (parsed by ical.js), the widgets script, and
 * publishing of the site's Markdown events without duplicates across builds.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EventJson } from "@eventail/core";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  readLocal,
  startFixtureServer,
} from "../../packages/sources/test/fixture-server.ts";
import { type LiveServer, startEventail } from "../../packages/sources/test/live-server.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/basic/", import.meta.url));
const ASTRO = fileURLToPath(new URL("../../node_modules/astro/bin/astro.mjs", import.meta.url));

let live: LiveServer;
let feed: FixtureServer;
let work: string;

beforeAll(async () => {
  [live, feed] = await Promise.all([
    startEventail(),
    startFixtureServer(() => ({ type: "text/calendar", body: readLocal("recurring-dst.ics") })),
  ]);
  work = await mkdtemp(join(tmpdir(), "eventail-astro-"));
});
afterAll(async () => {
  await Promise.all([live?.stop(), feed?.close()]);
  await rm(work, { recursive: true, force: true });
  await rm(join(FIXTURE, ".astro"), { recursive: true, force: true });
  await rm(join(FIXTURE, "node_modules"), { recursive: true, force: true });
});

function build(env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASTRO, "build"], {
      cwd: FIXTURE,
      env: {
        ...process.env,
        ASTRO_TELEMETRY_DISABLED: "1",
        EVENTAIL_TEST_SERVER: live.origin,
        EVENTAIL_TEST_ICS: `${feed.origin}/club.ics`,
        EVENTAIL_TOKEN: live.token,
        ASTRO_OUT_DIR: join(work, "dist"),
        ASTRO_CACHE_DIR: join(work, "cache"),
        EVENTAIL_STATE_FILE: join(work, "published.json"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`astro build exited ${code}:\n${out}`)),
    );
  });
}

const page = (path: string) => readFile(join(work, "dist", path), "utf8");

function jsonLdOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error("no JSON-LD");
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

async function siteEventsOnServer(): Promise<EventJson[]> {
  const res = await fetch(`${live.origin}/api/v1/events?tag=astro-fixture&limit=100`);
  return ((await res.json()) as { items: EventJson[] }).items;
}

describe("astro build of a site using @eventail/astro", () => {
  it("publishes the site's events, imports every source and writes pages, JSON-LD and iCal", async () => {
    const out = await build();
    expect(out).toContain("published: 1 created, 0 updated, 0 deleted, 0 unchanged, 0 failed");
    expect(out).toMatch(/club-calendar: fetched, 7 events/);
    const published = await siteEventsOnServer();
    expect(published.map((e) => e.title)).toEqual(["Repair café at the NGO"]);

    const pages = (await readdir(join(work, "dist", "events"), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const own = pages.find((p) => p.startsWith("repair-cafe-at-the-ngo-2027-01-16-"))!;
    expect(own).toBeDefined();
    const html = await page(`events/${own}/index.html`);
    const ld = jsonLdOf(html);
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Event",
      name: "Repair café at the NGO",
      startDate: "2027-01-16T14:00:00+01:00",
      url: `https://ngo.example.org/events/${own}/`,
      location: { "@type": "Place", name: "Maison des Passages" },
      maximumAttendeeCapacity: 30,
    });
    // Intl puts thin spaces around the dash of a range.
    expect(html).toMatch(/Saturday, January 16, 2027, 14:00\s–\s18:00 \(Europe\/Paris\)/u);
    expect(html).toContain(
      `<ev-rsvp event-id="${published[0]!.id}" src="${live.origin}"></ev-rsvp>`,
    );
    expect(html).toContain(`<script type="module" src="${live.origin}/widgets/eventail.js">`);

    // An iCal-sourced occurrence: its own page, no RSVP form (nothing to answer to).
    const moved = pages.find((p) =>
      p.startsWith("weekly-meeting-later-special-guest-2026-11-10-"),
    )!;
    const movedHtml = await page(`events/${moved}/index.html`);
    expect(jsonLdOf(movedHtml)).toMatchObject({ startDate: "2026-11-10T20:00:00+01:00" });
    expect(movedHtml).not.toContain("<ev-rsvp");

    // Every demo event of the server got a page.
    const demo = (await (await fetch(`${live.origin}/api/v1/events?limit=100`)).json()) as {
      items: EventJson[];
    };
    expect(pages.length).toBe(demo.items.length + 7);

    const ics = await page("events.ics");
    const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent");
    expect(vevents).toHaveLength(pages.length);
    const special = vevents.find(
      (v) => v.getFirstPropertyValue("summary") === "Weekly meeting (later, special guest)",
    )!;
    const start = special.getFirstProperty("dtstart")!;
    expect(start.getParameter("tzid")).toBe("Europe/Paris");
    expect(String(start.getFirstValue())).toBe("2026-11-10T20:00:00");

    const group = await page("groups/climate_lyon/index.html");
    expect(group).toContain("<h1>Climate Action Lyon</h1>");
    const home = await page("index.html");
    expect(home).toContain('<li class="own">Repair café at the NGO</li>');
    // The page uses <ev-event-list>: the integration added the widgets script.
    expect(home).toContain(`<script type="module" src="${live.origin}/widgets/eventail.js">`);
  });

  it("rebuilds without duplicates, revalidating unchanged sources, and dry-runs changes", async () => {
    const out = await build();
    expect(out).toContain("published: 0 created, 0 updated, 0 deleted, 1 unchanged, 0 failed");
    expect(out).toMatch(/2 unchanged \(cached\)/);
    expect(await siteEventsOnServer()).toHaveLength(1);

    const dry = await build({
      EVENTAIL_DRY_RUN: "1",
      EVENTAIL_STATE_FILE: join(work, "fresh.json"),
    });
    expect(dry).toContain("dry run: 1 to create, 0 to update, 0 to delete, 0 unchanged");
    expect(dry).toContain("would create repair-cafe");
    expect(await siteEventsOnServer()).toHaveLength(1);
  });
});
