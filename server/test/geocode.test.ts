/**
 * GET /api/v1/geocode against a real loopback HTTP server speaking Nominatim's JSON (it
 * stands in for the provider the admin configures): the answer is checked and reduced, and
 * every way a provider can fail (down, slow, huge, not JSON, malformed, redirecting) is a
 * clear problem+json, never a 500. Off by default.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { Geocoder } from "../src/geocoder.ts";
import { GEOCODE_ACCOUNT_LIMIT } from "../src/http/api/geocode.ts";
import { createEnv, type DialectName, dialects, ORIGIN, type TestEnv } from "./helpers.ts";

const PLACES = [
  {
    place_id: 1,
    licence: "Data © OpenStreetMap contributors, ODbL 1.0",
    osm_type: "way",
    lat: "45.7578137",
    lon: "4.8320114",
    category: "amenity",
    type: "community_centre",
    display_name: "Maison des associations, 28 Rue Denfert-Rochereau, Lyon, 69004, France",
    address: {
      amenity: "Maison des associations",
      house_number: "28",
      road: "Rue Denfert-Rochereau",
      city: "Lyon",
      postcode: "69004",
      country: "France",
      country_code: "fr",
    },
  },
  {
    place_id: 2,
    lat: "48.8566",
    lon: "2.3522",
    display_name: "Paris, Île-de-France, France",
    address: { city: "Paris", country: "France" },
  },
];

interface Seen {
  url: URL;
  headers: IncomingHttpHeaders;
}

let provider: Server;
let providerUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  provider = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push({ url, headers: req.headers });
    const q = url.searchParams.get("q") ?? "";
    const json = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/search") return json({ error: "not found" }, 404);
    if (q.startsWith("down")) return json({ error: "overloaded" }, 503);
    if (q.startsWith("slow")) {
      setTimeout(() => json(PLACES), 2000).unref();
      return;
    }
    if (q.startsWith("huge")) {
      res.writeHead(200, { "content-type": "application/json" });
      // No content-length: the limit must hold while reading.
      res.write("[");
      for (let i = 0; i < 1000; i++) res.write(`${JSON.stringify(PLACES[0])},`);
      res.end(`${JSON.stringify(PLACES[0])}]`);
      return;
    }
    if (q.startsWith("notjson")) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Nominatim is in maintenance</body></html>");
      return;
    }
    if (q.startsWith("object")) return json({ error: "Unable to geocode" });
    if (q.startsWith("malformed"))
      return json([{ lat: "999", lon: "4.8", display_name: "Nowhere" }, { lat: "x" }]);
    if (q.startsWith("mixed")) return json([{ lat: "north", lon: 4 }, PLACES[1]]);
    if (q.startsWith("redirect")) {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
      res.end();
      return;
    }
    if (q.startsWith("nothing")) return json([]);
    return json(PLACES);
  });
  await new Promise<void>((r) => provider.listen(0, "127.0.0.1", r));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/search`;
});

afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

describe("EVENTAIL_GEOCODER_URL", () => {
  it("is off by default and must be an http(s) URL without credentials", () => {
    expect(loadConfig({}, {}).geocoderUrl).toBeNull();
    expect(loadConfig({ "geocoder-url": providerUrl }, {}).geocoderUrl).toBe(providerUrl);
    for (const bad of ["ftp://x/search", "not a url", "https://user:pw@geo.example/search"])
      expect(() => loadConfig({}, { EVENTAIL_GEOCODER_URL: bad }), bad).toThrow(ConfigError);
  });
});

describe.each(dialects)("geocoding on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let off: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect, { EVENTAIL_GEOCODER_URL: providerUrl });
    off = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
    await off?.close();
  });

  const search = (env: TestEnv, q: string, headers: Record<string, string>) =>
    env.request(`/api/v1/geocode?q=${encodeURIComponent(q)}&lang=fr`, { headers });

  async function problem(r: Response, status: number): Promise<{ detail: string }> {
    expect(r.status).toBe(status);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    return r.json();
  }

  it("asks the provider server-side and returns checked candidates", async () => {
    const u = await t.user();
    const before = seen.length;
    const r = await search(t, "Maison des associations Lyon", u.auth());
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.items).toEqual([
      {
        label: "Maison des associations, 28 Rue Denfert-Rochereau, Lyon, 69004, France",
        latitude: 45.7578137,
        longitude: 4.8320114,
        address: {
          street: "28 Rue Denfert-Rochereau",
          postalCode: "69004",
          locality: "Lyon",
          country: "France",
        },
      },
      {
        label: "Paris, Île-de-France, France",
        latitude: 48.8566,
        longitude: 2.3522,
        address: { locality: "Paris", country: "France" },
      },
    ]);
    expect(seen.length).toBe(before + 1);
    const asked = seen.at(-1)!;
    expect(asked.url.searchParams.get("q")).toBe("Maison des associations Lyon");
    expect(asked.url.searchParams.get("format")).toBe("jsonv2");
    expect(asked.url.searchParams.get("limit")).toBe("5");
    expect(asked.headers["user-agent"]).toBe(`Eventail/0.1.0 (+${ORIGIN})`);
    expect(asked.headers["accept-language"]).toBe("fr");
    // Nothing about the organizer reaches the provider.
    expect(asked.headers.authorization).toBeUndefined();
    expect(asked.headers.cookie).toBeUndefined();

    const none = await search(t, "nothing at all", u.auth());
    expect(await none.json()).toEqual({ items: [] });
    const mixed = await (await search(t, "mixed answers", u.auth())).json();
    expect(mixed.items.map((i: { label: string }) => i.label)).toEqual([
      "Paris, Île-de-France, France",
    ]);
  });

  it("needs an account and a query", async () => {
    const u = await t.user();
    expect((await t.request(`/api/v1/geocode?q=Lyon`)).status).toBe(401);
    await problem(await t.request("/api/v1/geocode", { headers: u.auth() }), 400);
    await problem(await search(t, "ab", u.auth()), 400);
    await problem(await search(t, "x".repeat(301), u.auth()), 400);
    await problem(
      await t.request("/api/v1/geocode?q=Lyon&lang=<script>", { headers: u.auth() }),
      400,
    );
  });

  it("turns every provider failure into a clear problem, never a 500", async () => {
    const u = await t.user();
    expect((await problem(await search(t, "down today", u.auth()), 502)).detail).toMatch(/503/);
    expect((await problem(await search(t, "huge answer", u.auth()), 502)).detail).toMatch(
      /too large/,
    );
    expect((await problem(await search(t, "notjson here", u.auth()), 502)).detail).toMatch(
      /not JSON/,
    );
    expect((await problem(await search(t, "object answer", u.auth()), 502)).detail).toMatch(
      /not a list/,
    );
    expect((await problem(await search(t, "malformed places", u.auth()), 502)).detail).toMatch(
      /could not be read/,
    );
    await problem(await search(t, "redirect me", u.auth()), 502);
    // A provider that does not answer in time (a short timeout keeps the test quick).
    const geocoder = t.services.geocoder;
    t.services.geocoder = new Geocoder({ url: providerUrl, userAgent: "test", timeoutMs: 300 });
    try {
      expect((await problem(await search(t, "slow provider", u.auth()), 504)).detail).toMatch(
        /in time/,
      );
    } finally {
      t.services.geocoder = geocoder;
    }
    // A provider that is not there at all.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/search`;
    await new Promise((r) => closed.close(r));
    t.services.geocoder = new Geocoder({ url: deadUrl, userAgent: "test" });
    try {
      expect((await problem(await search(t, "Lyon", u.auth()), 502)).detail).toMatch(
        /cannot be reached/,
      );
    } finally {
      t.services.geocoder = geocoder;
    }
  });

  it("limits searches per account", async () => {
    const u = await t.user();
    for (let i = 0; i < GEOCODE_ACCOUNT_LIMIT; i++)
      expect((await search(t, `nothing ${i}`, u.auth())).status).toBe(200);
    const limited = await search(t, "nothing more", u.auth());
    await problem(limited, 429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account still may.
    expect((await search(t, "nothing else", (await t.user()).auth())).status).toBe(200);
  });

  it("is off unless configured, and says so", async () => {
    expect((await (await t.request("/api/v1/instance")).json()).geocoding).toBe(true);
    expect((await (await off.request("/api/v1/instance")).json()).geocoding).toBe(false);
    const u = await off.user();
    const before = seen.length;
    expect((await problem(await search(off, "Lyon", u.auth()), 404)).detail).toMatch(/not set up/);
    expect(seen.length).toBe(before);
  });
});
