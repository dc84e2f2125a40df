/**
 * Replays the recorded payloads of fixtures/activitypub through the Event mapping
 * (what the inbox stores for a Create/Update after its signature and origin checks): each
 * is mapped field by field, or refused for a stated reason. Also the two recorded signed
 * requests: valid at their recorded time, invalid when tampered with or replayed later.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sanitizeDescription, toPlainText } from "@eventail/core/sanitize";
import { verifyRequest } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { describe, expect, it } from "vitest";
import { isPublicAudience, parseRemoteEvent } from "./inbound.ts";

const FIXTURES =
  process.env.EVENTAIL_AP_FIXTURES ?? join(import.meta.dirname, "../../../fixtures/activitypub");
// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON
const load = (path: string): any => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));
const clean = { html: sanitizeDescription, plain: toPlainText };

function mapped(raw: unknown, audience: unknown[] = []) {
  const r = parseRemoteEvent(raw, clean, audience);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe("remote Event JSON → local copy (fixtures)", () => {
  it("maps Mobilizon's Create(Event) with Place and PostalAddress", () => {
    const a = load("mobilizon/mobilizon-post-activity.json");
    const e = mapped(a.object, [a.to, a.cc]);
    expect(e).toMatchObject({
      apId: "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
      url: "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
      title: "My first event",
      timezone: "UTC",
      category: "MEETING", // "TODO remove me" is not a category
      isPublic: true,
      attributedTo: "https://mobilizon.fr/@metacartes",
      // No joinMode: people register at the origin.
      joinMode: "external",
      externalUrl: "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
    });
    expect(e.beginsAt.toISOString()).toBe("2018-02-12T14:08:20.000Z");
    expect(e.address).toEqual({
      venue: "Locaux de Framasoft",
      street: "10 Rue Jangot",
      locality: "Lyon",
      region: "Auvergne Rhône Alpes",
      postalCode: "69007",
      country: "France",
    });
    // The mention in content survives as a link; nothing else does.
    expect(e.description).toContain('href="https://framapiaf.org/users/tcit"');
    expect(e.tags).toEqual([]); // a Mention is not a tag
  });

  it("maps Mobilizon's banner variant and its group-attributed event", () => {
    const media = load("mobilizon/mobilizon-post-activity-media-2.json");
    expect(mapped(media.object, [media.to]).title).toBe("My first event");
    const g = load("mobilizon/mobilizon-post-activity-group.json");
    const e = mapped(g.object, [g.to, g.cc]);
    expect(e.attributedTo).toBe("http://mobilizon1.com/@group");
    expect(e.actor).toBe("http://mobilizon1.com/@user");
    // Addressed to the group, not to Public: kept unlisted.
    expect(e.isPublic).toBe(false);
  });

  it("maps the 2019 mobilizon.org Event: ical:status, lowercase category, swapped geo ignored", () => {
    const e = mapped(load("mobilizon/rebased__mobilizon.org-event.json"));
    expect(e).toMatchObject({
      title: "Mobilizon Launching Party",
      status: "confirmed",
      category: "MEETING",
      joinMode: "free",
      externalUrl: null,
      capacity: 0,
      tags: ["mobilizon", "federation", "activitypub", "party"],
      isPublic: true,
    });
    expect(e.address).toEqual({
      venue: "Cour du Château des Ducs de Bretagne",
      locality: "Nantes",
      region: "Pays de la Loire",
      country: "France",
    });
    expect(e.endsAt?.toISOString()).toBe("2019-12-18T14:00:00.000Z");
  });

  it("maps Gancio's event: venue by name, zone from the offset, registration at the origin", () => {
    const a = load("interop/mobilizon-repo__gancio-event-activity.json");
    const e = mapped(a.object, [a.to, a.cc]);
    expect(e).toMatchObject({
      title: "Demo event",
      url: "https://demo.gancio.org/event/demo-event",
      timezone: "Etc/GMT-2",
      address: { venue: "Colosseo" },
      tags: ["test"],
      joinMode: "external",
      externalUrl: "https://demo.gancio.org/event/demo-event",
    });
    expect(e.beginsAt.toISOString()).toBe("2021-07-14T15:30:57.000Z");
  });

  it("maps Gancio location variants: PostalAddress, string address, hybrid arrays", () => {
    const base = {
      id: "https://g.example/e/1",
      type: "Event",
      name: "x",
      startTime: "2031-01-01T10:00:00Z",
    };
    const postal = mapped({
      ...base,
      location: load("interop/gancio__location-physical-location-with-postal-address.json"),
    });
    expect(postal.address).toEqual({
      venue: "Location with a postal address",
      street: "15 Fediverse Street",
      locality: "Fediverse Town",
      region: "Steiermark",
      postalCode: "8010",
      country: "Austria",
    });
    const mixed = mapped({
      ...base,
      location: load("interop/gancio__location-multiple-mixed-locations.json"),
    });
    expect(mixed.address).toEqual({ venue: "Location with a name" });
    expect(mixed.onlineUrl).toBe("https://virtual.location.org/");
    const wp = load("interop/wp-event-bridge__gancio-v1.22-event.json");
    const e = mapped({ ...wp, startTime: "2031-01-01T10:00:00Z" });
    expect(e.address).toEqual({ venue: "Fediverse TV", street: "C/ Falsa 123" });
    expect(e.description).toBe("<strong> This is the the <i>content</i></strong>");
    expect(e.tags).toEqual(["sport", "cello"]);
    // The recorded object has no startTime at all: refused, with the reason.
    expect(parseRemoteEvent(wp, clean)).toEqual({
      ok: false,
      reason: "the event has no valid startTime",
    });
  });

  it("refuses what is not an Event, and cleans hostile names and content", () => {
    expect(parseRemoteEvent(load("mobilizon/mastodon-post-activity.json").object, clean)).toEqual({
      ok: false,
      reason: "the object is not an Event",
    });
    expect(parseRemoteEvent({ type: "Event", id: "javascript:alert(1)" }, clean)).toMatchObject({
      ok: false,
    });
    const e = mapped({
      id: "https://x.example/e",
      type: "Event",
      name: "<img src=x onerror=alert(1)>Fête<script>alert(2)</script>\u0000",
      content:
        '<p onclick="x()">Hi<iframe src="https://evil.example"></iframe><a href="javascript:alert(3)">a</a></p>',
      startTime: "2031-01-01T10:00:00+05:30",
      endTime: "2030-01-01T10:00:00Z", // before the start: dropped
      timezone: "Not/AZone",
      maximumAttendeeCapacity: -5,
      url: "javascript:alert(4)",
      location: { type: "Place", name: "P", latitude: 500, longitude: 4 },
    });
    expect(e.title).toBe("Fête");
    expect(e.description).not.toMatch(/onclick|iframe|javascript:/);
    expect(e.endsAt).toBeNull();
    expect(e.timezone).toBe("UTC"); // +05:30 is no whole-hour Etc zone
    expect(e.capacity).toBe(0);
    expect(e.url).toBe("https://x.example/e");
    expect(e.address).toEqual({ venue: "P" });
  });

  it("reads the public audience in any of its spellings", () => {
    expect(isPublicAudience(["as:Public"])).toBe(true);
    expect(isPublicAudience("https://www.w3.org/ns/activitystreams#Public")).toBe(true);
    expect(isPublicAudience(["https://x.example/followers"], undefined)).toBe(false);
  });
});

describe("recorded signed requests (Fedify's verifier, as our inbox runs it)", () => {
  // biome-ignore lint/suspicious/noExplicitAny: fixture JSON
  const owners: Record<string, any> = {};
  for (const f of [
    "interop/fedify__actor-oeee.cafe-person.json",
    "interop/fedify__actor-remote.domain-bob.json",
  ]) {
    const doc = load(f);
    owners[doc.id] = doc;
  }
  const documentLoader = async (url: string) => {
    const doc = owners[url.split("#")[0]!];
    if (!doc) throw new Error(`offline: ${url}`);
    return { contextUrl: null, document: doc, documentUrl: url };
  };

  for (const name of [
    "interop/fedify__signed-request-draft-cavage-hs2019.json",
    "interop/fedify__signed-request-rfc9421-mastodon-vector.json",
  ]) {
    const fx = load(name);
    const at = (offsetMs = 0) =>
      Temporal.Instant.fromEpochMilliseconds(Date.parse(fx._verify.currentTime) + offsetMs);
    const request = (body?: string) =>
      new Request(fx.url, {
        method: fx.method,
        headers: fx.headers,
        ...(fx.method === "POST" ? { body: body ?? fx.body } : {}),
      });

    it(`${name.split("__")[1]}: valid at its recorded time`, async () => {
      const key = await verifyRequest(request(), { documentLoader, currentTime: at() });
      expect(key?.id?.href).toBe(
        fx.headers.Signature?.match(/keyId="([^"]+)"/)?.[1] ??
          "https://remote.domain/users/bob#main-key",
      );
    });

    it(`${name.split("__")[1]}: invalid when replayed two hours later`, async () => {
      expect(
        await verifyRequest(request(), { documentLoader, currentTime: at(2 * 3_600_000) }),
      ).toBeNull();
    });

    if (fx.method === "POST")
      it(`${name.split("__")[1]}: invalid when its body is tampered with (Digest)`, async () => {
        const tampered = fx.body.replace("Follow", "Block");
        expect(
          await verifyRequest(request(tampered), { documentLoader, currentTime: at() }),
        ).toBeNull();
      });
  }
});
