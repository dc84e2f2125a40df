import { afterEach, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  mobilizonRoutes,
  readShared,
  startFixtureServer,
} from "../../test/fixture-server.ts";
import { MemoryCache } from "../cache.ts";
import { loadSource } from "../source.ts";
import { mobilizonSource } from "./mobilizon.ts";
import { FETCH_EVENT, FETCH_EVENTS, FETCH_GROUP_EVENTS } from "./mobilizon-queries.ts";

const now = new Date("2026-11-28T11:00:00Z");
let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The fixture file's query text, without its two provenance comment lines. */
const documentOf = (file: string) =>
  readShared(`mobilizon-graphql/${file}`)
    .split("\n")
    .filter((line, i) => !(i < 2 && line.startsWith("#")))
    .join("\n");

describe("mobilizon source (GraphQL documents and example responses of Mobilizon 5.1.3)", () => {
  it("sends Mobilizon's own front-end query documents", () => {
    expect(FETCH_EVENTS).toBe(documentOf("a_upcoming-events__FetchEvents.graphql"));
    expect(FETCH_GROUP_EVENTS).toBe(documentOf("b_group-events__FetchGroupEvents.graphql"));
    expect(FETCH_EVENT).toBe(documentOf("c_event-by-uuid__FetchEvent.graphql"));
  });

  it("maps the instance's upcoming events", async () => {
    server = await startFixtureServer(mobilizonRoutes());
    const result = await loadSource(
      mobilizonSource({ instance: server.origin, allowPrivateNetwork: true }),
      { now },
    );
    expect(result.events).toHaveLength(5);
    const jam = result.events[0]!;
    expect(jam).toMatchObject({
      id: "3c2f8a61-6f0b-4d5e-9a55-1b7e2c9d0a41",
      url: "https://mobilizon.example/events/3c2f8a61-6f0b-4d5e-9a55-1b7e2c9d0a41",
      title: "Jazz jam session",
      beginsAt: "2026-11-28T21:30:00+01:00",
      endsAt: "2026-11-28T23:59:00+01:00",
      timezone: "Europe/Rome",
      category: "MUSIC",
      tags: ["jazz", "jam-session"],
      language: "it",
      address: {
        venue: "Circolo Culturale La Lanterna",
        street: "Via Nizza 112",
        locality: "Torino",
        postalCode: "10126",
        latitude: 45.0508,
        longitude: 7.6759,
      },
      organizer: { handle: `lanterna_torino@${new URL(server.origin).host}` },
      group: { name: "Circolo La Lanterna", url: "https://mobilizon.example/@lanterna_torino" },
      banner: { mediaType: "image/jpeg" },
    });
    const helpDesk = result.events.find((e) => e.title.startsWith("Fediverse help desk"))!;
    expect(helpDesk).toMatchObject({ status: "tentative", group: null });
    expect(helpDesk.organizer.name).toBe("Giulia");
    // GraphQL over POST has no validators: an identical answer still counts as unchanged.
    const cache = new MemoryCache();
    const source = mobilizonSource({ instance: server.origin, allowPrivateNetwork: true });
    await loadSource(source, { cache, now });
    expect((await loadSource(source, { cache, now })).status).toBe("unchanged");
  });

  it("completes a group's events with the single-event query", async () => {
    server = await startFixtureServer(mobilizonRoutes());
    const result = await loadSource(
      mobilizonSource({
        instance: server.origin,
        group: "lanterna_torino",
        allowPrivateNetwork: true,
      }),
      { now },
    );
    const fair = result.events.find((e) => e.id === "b7e1c3d4-8f2a-4b6c-9d0e-2a4f6c8e0b15")!;
    expect(fair).toMatchObject({
      title: "Winter book fair",
      beginsAt: "2026-12-05T10:00:00+01:00",
      endsAt: "2026-12-07T19:00:00+01:00",
      category: "BOOK_CLUBS",
      tags: ["libri", "mercatino"],
      participantCount: 15,
      banner: { alt: "", width: 1200, height: 630 },
    });
    expect(fair.description).toContain("<li>sabato: angolo bambini</li>");
    // The other events have no recorded detail: listing data kept, one warning each.
    expect(result.events.length).toBeGreaterThan(1);
    expect(result.warnings).toHaveLength(result.events.length - 1);
    const posts = server.log.filter((l) => l.request === "POST /api");
    expect(posts).toHaveLength(1 + result.events.length);
  });

  it("reads one event by UUID, and reports GraphQL errors with the field", async () => {
    server = await startFixtureServer(mobilizonRoutes());
    const one = await loadSource(
      mobilizonSource({
        instance: server.origin,
        event: "b7e1c3d4-8f2a-4b6c-9d0e-2a4f6c8e0b15",
        allowPrivateNetwork: true,
      }),
      { now },
    );
    expect(one.events.map((e) => e.title)).toEqual(["Winter book fair"]);
    await expect(
      loadSource(
        mobilizonSource({ instance: server.origin, group: "nobody", allowPrivateNetwork: true }),
        { now },
      ),
    ).rejects.toThrow(/field "group": GraphQL: Group not found/);
  });
});
