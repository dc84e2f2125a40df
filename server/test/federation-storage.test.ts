/**
 * Migration 3 (federation) on both dialects: upgrading a database that already holds events,
 * tags and participations keeps every row and every foreign key, and events may then be
 * stored without a local organizer (remote events).
 */
import type { EventRecord } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/domain/secrets.ts";
import {
  createRepos,
  MIGRATIONS,
  migrate,
  openStore,
  type Repos,
  type Store,
} from "../src/storage/index.ts";
import { createPlace, dialects, participationRow, type TestPlace } from "./helpers.ts";

const BASE = Date.UTC(2031, 2, 10, 18, 0, 0);

describe.each(dialects)("migration 3 on %s", (dialect) => {
  let place: TestPlace;
  let store: Store;
  let repos: Repos;

  beforeAll(async () => {
    place = await createPlace(dialect);
    const config = place.config();
    store = await openStore(
      { databaseUrl: config.databaseUrl, sqlitePath: `${config.dataDir}/eventail.sqlite` },
      { runMigrations: false },
    );
    repos = createRepos(store.db, store.dialect);
  });

  afterAll(async () => {
    await store?.close();
    await place?.dispose();
  });

  it("upgrades a version-2 database without losing events, tags or participations", async () => {
    const v2 = await migrate(store.db, store.dialect, MIGRATIONS.slice(0, 2));
    expect(v2.current).toBe(2);
    const accountId = newId();
    await repos.accounts.insert({
      id: accountId,
      email: "m3@example.test",
      passwordHash: "scrypt$x",
      role: "user",
      state: "active",
      createdAt: new Date(BASE),
    });
    const identity = {
      id: newId(),
      accountId,
      handle: "m3_org",
      name: "M3",
      bio: "",
      avatar: null,
      createdAt: new Date(BASE),
    };
    await repos.actors.claimHandle(identity.handle, "identity");
    await repos.actors.insertIdentity(identity);
    const event: EventRecord = {
      id: newId(),
      organizerId: identity.id,
      groupId: null,
      title: "Before the upgrade",
      description: "<p>kept</p>",
      beginsAt: new Date(BASE),
      endsAt: new Date(BASE + 3_600_000),
      timezone: "Europe/Paris",
      allDay: false,
      address: { venue: "Hall", locality: "Lyon", latitude: 45.75, longitude: 4.85 },
      onlineUrl: null,
      category: "MEETING",
      tags: ["alpha", "beta"],
      language: "fr",
      banner: null,
      visibility: "public",
      status: "confirmed",
      draft: false,
      publishAt: null,
      joinMode: "free",
      externalUrl: null,
      capacity: 5,
      recurrence: null,
      rsvpClosed: true,
      sequence: 3,
      createdAt: new Date(BASE - 1000),
      updatedAt: new Date(BASE - 500),
    };
    await repos.events.insert(event, BASE + 3_600_000);
    const p = participationRow({ eventId: event.id });
    expect(await repos.participations.insert(p)).toBe(true);

    const up = await migrate(store.db, store.dialect);
    // Migration 3 and any later ones; never 1 or 2 again.
    expect(up.applied.map((m) => m.version).filter((v) => v <= 3)).toEqual([3]);

    expect(await repos.events.get(event.id)).toEqual(event);
    expect((await repos.participations.get(p.id))?.email).toBe(p.email);
    const tags = await store.db
      .selectFrom("event_tags")
      .select("tag")
      .where("event_id", "=", event.id)
      .orderBy("tag")
      .execute();
    expect(tags.map((t) => t.tag)).toEqual(["alpha", "beta"]);

    // Foreign keys still hold: a participation needs its event, and deleting cascades.
    await expect(
      repos.participations.insert(participationRow({ eventId: "no-such-event" })),
    ).rejects.toThrow();
    await repos.events.delete(event.id);
    expect(await repos.participations.get(p.id)).toBeNull();
    const leftTags = await store.db
      .selectFrom("event_tags")
      .select("tag")
      .where("event_id", "=", event.id)
      .execute();
    expect(leftTags).toEqual([]);
  });

  it("stores an event without a local organizer, and one remote answer per actor", async () => {
    const id = newId();
    await store.db
      .insertInto("events")
      .values({
        id,
        organizer_id: null as unknown as string,
        group_id: null,
        title: "Remote",
        description: "",
        begins_at: BASE,
        ends_at: null,
        last_ends_at: BASE,
        timezone: "UTC",
        all_day: 0,
        address: null,
        latitude: null,
        longitude: null,
        online_url: null,
        category: "MEETING",
        tags: "[]",
        language: "en",
        banner: null,
        visibility: "public",
        status: "confirmed",
        draft: 0,
        publish_at: null,
        join_mode: "free",
        external_url: null,
        capacity: 0,
        rrule: null,
        exdates: null,
        sequence: 0,
        rsvp_closed: 0,
        search: "remote",
        created_at: BASE,
        updated_at: BASE,
      })
      .execute();
    expect((await repos.events.get(id))?.organizerId).toBeNull();
    const actorUrl = "https://remote.example/users/ann";
    const first = participationRow({ eventId: id, email: null, kind: "remote", actorUrl });
    expect(await repos.participations.insert(first)).toBe(true);
    await expect(
      repos.participations.insert(
        participationRow({ eventId: id, email: null, kind: "remote", actorUrl }),
      ),
    ).rejects.toThrow();
  });
});
