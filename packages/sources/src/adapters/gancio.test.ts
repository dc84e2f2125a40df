import { afterEach, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  gancioRoutes,
  readShared,
  startFixtureServer,
} from "../../test/fixture-server.ts";
import { MemoryCache } from "../cache.ts";
import { SourceError } from "../errors.ts";
import { loadSource } from "../source.ts";
import { gancioSource } from "./gancio.ts";

// The recording was made on 2026-11-28 around 11:11 UTC.
const now = new Date("2026-11-28T11:00:00Z");
let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("gancio source (recorded Gancio 1.21.0 responses)", () => {
  it("maps the listing and details, in the instance's zone from NodeInfo", async () => {
    server = await startFixtureServer(gancioRoutes());
    const source = gancioSource({ instance: server.origin, allowPrivateNetwork: true });
    const result = await loadSource(source, { now });
    expect(result.status).toBe("fetched");
    expect(result.events).toHaveLength(38);

    const fair = result.events.find((e) => e.id === "9")!;
    expect(fair).toMatchObject({
      title: "Winter book fair",
      url: `${server.origin}/event/winter-book-fair`,
      beginsAt: "2026-12-05T10:00:00+01:00",
      endsAt: "2026-12-07T19:00:00+01:00",
      timezone: "Europe/Rome",
      attendanceMode: "offline",
      address: {
        venue: "Biblioteca civica Dora",
        street: "Lungo Dora Agrigento 94, 10152 Torino",
        latitude: 45.0817,
        longitude: 7.688,
      },
      tags: ["market", "books"],
      banner: {
        url: `${server.origin}/media/135c661943d3ed7d83bce7cc86735d9d.jpg`,
        alt: "Winter book fair poster",
        mediaType: "image/jpeg",
        width: 1200,
        height: 630,
      },
      organizer: { name: "Gancio", handle: `relay@${new URL(server.origin).host}` },
      rsvpOpen: false,
    });
    // Description from the detail endpoint, sanitized: links get rel/target from the allowlist.
    expect(fair.description).toContain("<li>Saturday: kids corner</li>");
    expect(fair.description).toContain('rel="nofollow noopener noreferrer ugc"');

    const online = result.events.find((e) => e.id === "7")!;
    expect(online).toMatchObject({
      address: null,
      onlineUrl: "https://meet.example.org/fediverse-meetup-december",
      attendanceMode: "online",
      endsAt: null,
    });
    const hybrid = result.events.find((e) => e.id === "32")!;
    expect(hybrid.attendanceMode).toBe("mixed");
    expect(hybrid.tags).toEqual(["fediverse", "free-software"]);
    // Only six details were recorded; the others keep their listing data, with a warning.
    expect(result.warnings.filter((w) => w.includes("no detail"))).toHaveLength(32);
    expect(result.events.find((e) => e.id === "2")!.description).toBe("");
  });

  it("answers unchanged sources from the cache through conditional requests", async () => {
    server = await startFixtureServer(gancioRoutes());
    const cache = new MemoryCache();
    const source = gancioSource({
      instance: server.origin,
      timezone: "Europe/Rome",
      details: false,
      allowPrivateNetwork: true,
    });
    const first = await loadSource(source, { cache, now });
    expect(first.status).toBe("fetched");
    expect(server.log.map((l) => l.status)).toEqual([200]);

    const second = await loadSource(source, { cache, now });
    expect(second.status).toBe("unchanged");
    expect(server.log.map((l) => l.status)).toEqual([200, 304]);
    expect(second.events).toEqual(first.events);
  });

  it("falls back to the cached data with a warning when the source is down", async () => {
    server = await startFixtureServer(gancioRoutes());
    const cache = new MemoryCache();
    const options = { instance: server.origin, details: false, allowPrivateNetwork: true };
    const first = await loadSource(gancioSource(options), { cache, now });
    server.down = true;
    const warnings: string[] = [];
    const stale = await loadSource(gancioSource({ ...options, required: true }), {
      cache,
      now,
      onWarning: (w) => warnings.push(w),
    });
    expect(stale.status).toBe("stale");
    expect(stale.events).toEqual(first.events);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/HTTP 503; using the data cached on 20\d\d-/);
  });

  it("fails a required source with nothing cached; an optional one gives no events", async () => {
    server = await startFixtureServer(gancioRoutes());
    server.down = true;
    const options = { instance: server.origin, allowPrivateNetwork: true };
    await expect(loadSource(gancioSource({ ...options, required: true }), { now })).rejects.toThrow(
      /nothing is cached and the source is required/,
    );
    const optional = await loadSource(gancioSource(options), { now });
    expect(optional).toMatchObject({ status: "failed", events: [] });
    expect(optional.warnings[0]).toMatch(/nothing is cached/);
  });

  it("names the source, the event and the field of malformed data", async () => {
    const events = JSON.parse(readShared("gancio/api-events.json")) as Array<
      Record<string, unknown>
    >;
    events[3]!.start_datetime = "tomorrow";
    server = await startFixtureServer(gancioRoutes({ "api-events.json": JSON.stringify(events) }));
    const options = {
      name: "turin",
      instance: server.origin,
      timezone: "Europe/Rome",
      details: false,
      allowPrivateNetwork: true,
    };
    const error = await loadSource(gancioSource(options), { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ source: "turin", event: "5", field: "start_datetime" });
    expect((error as Error).message).toMatch(
      /^source "turin", event "5", field "start_datetime": /,
    );

    const skipping = await loadSource(gancioSource({ ...options, onInvalidEvent: "skip" }), {
      now,
    });
    expect(skipping.events).toHaveLength(37);
    expect(skipping.warnings[0]).toMatch(/skipped: source "turin", event "5"/);
  });

  it("refuses a loopback instance unless private networks are allowed", async () => {
    server = await startFixtureServer(gancioRoutes());
    const error = await loadSource(gancioSource({ instance: server.origin, required: true }), {
      now,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "refused" });
    expect(server.log).toHaveLength(0);
  });
});
