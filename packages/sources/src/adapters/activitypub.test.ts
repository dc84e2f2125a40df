import { afterEach, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  gancioRoutes,
  readShared,
  startFixtureServer,
} from "../../test/fixture-server.ts";
import { loadSource } from "../source.ts";
import { activityPubSource } from "./activitypub.ts";

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("activitypub source", () => {
  it("reads Gancio's recorded outbox (page 1) into events", async () => {
    server = await startFixtureServer(gancioRoutes());
    const result = await loadSource(
      activityPubSource({
        actor: `${server.origin}/federation/u/relay`,
        maxPages: 1,
        allowPrivateNetwork: true,
      }),
    );
    expect(result.events).toHaveLength(10);
    const sedie = result.events.find((e) => e.id === `${server!.origin}/federation/m/38`)!;
    expect(sedie).toMatchObject({
      title: "Theatre: 'Le sedie' by Ionesco",
      url: `${server.origin}/event/theatre-le-sedie-by-ionesco`,
      // Gancio sends offsets only: shown in a fixed zone of that offset.
      beginsAt: "2027-01-26T21:00:00+01:00",
      timezone: "Etc/GMT-1",
      address: {
        venue: "Teatro di Quartiere San Salvario",
        street: "Via Saluzzo 23, 10125 Torino",
      },
      tags: ["theatre"],
      visibility: "public",
      organizer: { name: "Gancio", handle: `relay@${new URL(server.origin).host}` },
    });
    expect(server.log.map((l) => l.request)).toEqual([
      "GET /federation/u/relay",
      "GET /federation/u/relay/outbox",
      "GET /federation/u/relay/outbox?page=1",
    ]);
    const inRome = await loadSource(
      activityPubSource({
        actor: `${server.origin}/federation/u/relay`,
        maxPages: 1,
        timezone: "Europe/Rome",
        allowPrivateNetwork: true,
      }),
    );
    expect(inRome.events.find((e) => e.title.includes("Le sedie"))!.timezone).toBe("Europe/Rome");
  });

  it("applies updates and deletes, and ignores objects from other hosts and non-public ones", async () => {
    const event = (id: string, name: string, extra: object = {}) => ({
      id,
      type: "Event",
      name,
      startTime: "2027-02-01T18:00:00+01:00",
      timezone: "Europe/Paris",
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      ...extra,
    });
    server = await startFixtureServer((req, _body, origin) => {
      const actor = `${origin}/users/club`;
      const outbox = {
        type: "OrderedCollection",
        orderedItems: [
          // Newest first.
          { type: "Delete", object: { type: "Tombstone", id: `${origin}/e/2` } },
          { type: "Update", object: event(`${origin}/e/1`, "Renamed <b>meeting</b>") },
          { type: "Create", object: event("https://elsewhere.example/e/9", "Spoofed") },
          {
            type: "Create",
            object: event(`${origin}/e/3`, "Followers only", { to: [`${actor}/followers`] }),
          },
          { type: "Create", object: event(`${origin}/e/2`, "Deleted later") },
          {
            type: "Create",
            object: event(`${origin}/e/1`, "Meeting", {
              location: [
                {
                  type: "Place",
                  name: "Hall",
                  address: { type: "PostalAddress", addressLocality: "Lyon" },
                },
                { type: "VirtualLocation", url: "https://meet.example.org/x" },
              ],
              category: "meeting",
              joinMode: "restricted",
            }),
          },
        ],
      };
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/users/club")
        return {
          body: JSON.stringify({
            id: actor,
            type: "Group",
            name: "Club",
            preferredUsername: "club",
            outbox: `${actor}/outbox`,
          }),
        };
      if (path === "/users/club/outbox") return { body: JSON.stringify(outbox) };
      return undefined;
    });
    const result = await loadSource(
      activityPubSource({ actor: `${server.origin}/users/club`, allowPrivateNetwork: true }),
    );
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      title: "Renamed meeting",
      timezone: "Europe/Paris",
      beginsAt: "2027-02-01T18:00:00+01:00",
      group: { name: "Club" },
    });
    expect(result.warnings).toEqual([
      expect.stringContaining("https://elsewhere.example/e/9: not on the actor's host"),
    ]);
  });

  it("reads Gancio's location variants: postal address, and several places with virtual ones", async () => {
    const postal = JSON.parse(
      readShared("activitypub/interop/gancio__location-physical-location-with-postal-address.json"),
    );
    const mixed = JSON.parse(
      readShared("activitypub/interop/gancio__location-multiple-mixed-locations.json"),
    );
    server = await startFixtureServer((req, _body, origin) => {
      const actor = `${origin}/federation/u/relay`;
      const event = (n: number, location: unknown) => ({
        type: "Create",
        object: {
          id: `${origin}/federation/m/${n}`,
          type: "Event",
          name: `Event ${n}`,
          startTime: "2027-02-01T18:00:00+01:00",
          to: ["https://www.w3.org/ns/activitystreams#Public"],
          location,
        },
      });
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/federation/u/relay")
        return {
          body: JSON.stringify({
            id: actor,
            type: "Application",
            name: "Gancio",
            preferredUsername: "relay",
            outbox: `${actor}/outbox`,
          }),
        };
      if (path === "/federation/u/relay/outbox")
        return {
          body: JSON.stringify({
            type: "OrderedCollection",
            orderedItems: [event(2, mixed), event(1, postal)],
          }),
        };
      return undefined;
    });
    const { events } = await loadSource(
      activityPubSource({
        actor: `${server.origin}/federation/u/relay`,
        allowPrivateNetwork: true,
      }),
    );
    expect(events.find((e) => e.title === "Event 1")).toMatchObject({
      address: {
        venue: "Location with a postal address",
        street: "15 Fediverse Street",
        locality: "Fediverse Town",
        region: "Steiermark",
        postalCode: "8010",
        country: "Austria",
      },
      onlineUrl: null,
      attendanceMode: "offline",
    });
    expect(events.find((e) => e.title === "Event 2")).toMatchObject({
      address: { venue: "Location with a name" },
      onlineUrl: "https://virtual.location.org/",
      attendanceMode: "mixed",
    });
  });
});
