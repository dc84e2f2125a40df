/** Repositories against a real database, once per dialect. */
import type { EventRecord, Group, Identity } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/domain/secrets.ts";
import {
  createRepos,
  type EventQuery,
  MIGRATIONS,
  migrate,
  openStore,
  type Repos,
  type Store,
} from "../src/storage/index.ts";
import { createPlace, dialects, participationRow, type TestPlace } from "./helpers.ts";

const HOUR = 3_600_000;
const BASE = Date.UTC(2031, 2, 10, 18, 0, 0, 123);

describe.each(dialects)("storage on %s", (dialect) => {
  let place: TestPlace;
  let store: Store;
  let repos: Repos;
  let organizer: Identity;
  let group: Group;

  beforeAll(async () => {
    place = await createPlace(dialect);
    const config = place.config();
    store = await openStore({
      databaseUrl: config.databaseUrl,
      sqlitePath: `${config.dataDir}/eventail.sqlite`,
    });
    expect(store.dialect).toBe(dialect);
    repos = createRepos(store.db, store.dialect);
    const accountId = newId();
    await repos.accounts.insert({
      id: accountId,
      email: "storage@example.test",
      passwordHash: "scrypt$x",
      role: "user",
      state: "active",
      createdAt: new Date(BASE),
    });
    organizer = {
      id: newId(),
      accountId,
      handle: "storage_org",
      name: "Storage Organizer",
      bio: "",
      avatar: null,
      createdAt: new Date(BASE),
    };
    expect(await repos.actors.claimHandle(organizer.handle, "identity")).toBe(true);
    await repos.actors.insertIdentity(organizer);
    group = {
      id: newId(),
      handle: "storage_group",
      name: "Storage Group",
      description: "<p>g</p>",
      embedOrigins: ["https://site.example"],
      avatar: null,
      banner: null,
      resources: [],
      createdAt: new Date(BASE),
      updatedAt: new Date(BASE),
    };
    expect(await repos.actors.claimHandle(group.handle, "group")).toBe(true);
    await repos.actors.insertGroup(group);
  });

  afterAll(async () => {
    await store?.close();
    await place?.dispose();
  });

  function record(overrides: Partial<EventRecord> = {}): EventRecord {
    return {
      id: newId(),
      organizerId: organizer.id,
      groupId: null,
      title: "Plain",
      description: "",
      beginsAt: new Date(BASE),
      endsAt: new Date(BASE + 2 * HOUR),
      timezone: "Europe/Paris",
      allDay: false,
      address: null,
      onlineUrl: null,
      category: "MEETING",
      tags: [],
      language: "en",
      banner: null,
      visibility: "public",
      status: "confirmed",
      draft: false,
      publishAt: null,
      joinMode: "free",
      externalUrl: null,
      capacity: 0,
      recurrence: null,
      rsvpClosed: false,
      sequence: 0,
      createdAt: new Date(BASE - 10 * HOUR),
      updatedAt: new Date(BASE - 10 * HOUR),
      ...overrides,
    };
  }

  const tagsOf = async (id: string) =>
    (
      await store.db
        .selectFrom("event_tags")
        .select("tag")
        .where("event_id", "=", id)
        .orderBy("tag")
        .execute()
    ).map((r) => r.tag);

  it("runs migrations idempotently", async () => {
    const again = await migrate(store.db, store.dialect);
    expect(again.applied).toEqual([]);
    expect(again.current).toBe(MIGRATIONS.at(-1)!.version);
    const third = await migrate(store.db, store.dialect);
    expect(third.applied).toEqual([]);
    const rows = await store.db.selectFrom("eventail_migrations").selectAll().execute();
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    // The schema is usable after the re-runs.
    expect(await repos.events.count()).toBeGreaterThanOrEqual(0);
  });

  it("round-trips every field of an event through insert, get, update and delete", async () => {
    const full = record({
      groupId: group.id,
      title: "Repair café « spécial » 🛠",
      description: '<p>Bring <strong>things</strong> &amp; <a href="https://x.test">tools</a></p>',
      beginsAt: new Date(BASE + 1),
      endsAt: new Date(BASE + 3 * HOUR + 7),
      timezone: "America/Montreal",
      allDay: false,
      address: {
        venue: "Maison des Passages",
        street: "44 rue Saint-Georges",
        locality: "Lyon",
        region: "ARA",
        postalCode: "69005",
        country: "FR",
        latitude: 45.7597,
        longitude: 4.8268,
      },
      onlineUrl: "https://meet.example.org/room",
      category: "COMMUNITY",
      tags: ["repair", "zéro-déchet", "bike"],
      language: "fr-CA",
      banner: {
        path: "/media/abcdefghjkmnpqrs.png",
        alt: "A toaster on a table",
        width: 640,
        height: 480,
        mediaType: "image/png",
      },
      visibility: "unlisted",
      status: "tentative",
      draft: true,
      publishAt: new Date(BASE - HOUR + 5),
      joinMode: "external",
      externalUrl: "https://tickets.example.org/x",
      capacity: 42,
      recurrence: {
        rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        exdates: [new Date(BASE + 7 * 24 * HOUR), new Date(BASE + 21 * 24 * HOUR)],
      },
      rsvpClosed: true,
      sequence: 3,
      createdAt: new Date(BASE - 5 * HOUR + 11),
      updatedAt: new Date(BASE - 4 * HOUR + 13),
    });
    await repos.transaction((tx) => tx.events.insert(full, BASE + 70 * 24 * HOUR));
    const got = await repos.events.get(full.id);
    expect(got).toEqual(full);
    expect(got!.beginsAt).toBeInstanceOf(Date);
    expect(got!.recurrence!.exdates[0]).toBeInstanceOf(Date);
    expect(await tagsOf(full.id)).toEqual(["bike", "repair", "zéro-déchet"]);

    const changed: EventRecord = {
      ...full,
      groupId: null,
      title: "Renamed",
      address: { locality: "Montréal" },
      onlineUrl: null,
      tags: ["bike", "new-tag"],
      banner: null,
      visibility: "public",
      status: "cancelled",
      draft: false,
      publishAt: null,
      joinMode: "free",
      externalUrl: null,
      capacity: 0,
      recurrence: null,
      allDay: true,
      endsAt: null,
      rsvpClosed: false,
      sequence: 4,
      updatedAt: new Date(BASE + 99),
    };
    await repos.transaction((tx) => tx.events.update(changed, BASE + 1));
    expect(await repos.events.get(full.id)).toEqual(changed);
    expect(await tagsOf(full.id)).toEqual(["bike", "new-tag"]);

    await repos.transaction((tx) => tx.events.update({ ...changed, tags: [] }, BASE + 1));
    expect(await tagsOf(full.id)).toEqual([]);
    await repos.transaction((tx) => tx.events.update(changed, BASE + 1));

    await repos.transaction((tx) => tx.events.delete(full.id));
    expect(await repos.events.get(full.id)).toBeNull();
    expect(await tagsOf(full.id)).toEqual([]);
  });

  it("round-trips identities and groups", async () => {
    expect(await repos.actors.identity(organizer.id)).toEqual(organizer);
    expect(await repos.actors.identityByHandle(organizer.handle)).toEqual(organizer);
    expect(await repos.actors.groupByHandle(group.handle)).toEqual(group);
    expect(await repos.actors.groupsByIds([group.id, "missing"])).toEqual([group]);
    expect(await repos.actors.identitiesOf(organizer.accountId)).toEqual([organizer]);
  });

  it("shares one handle namespace between identities and groups", async () => {
    expect(await repos.actors.claimHandle("shared_ns", "group")).toBe(true);
    expect(await repos.actors.claimHandle("shared_ns", "identity")).toBe(false);
    expect(await repos.actors.claimHandle("shared_ns", "group")).toBe(false);
    expect(await repos.actors.handleKind("shared_ns")).toBe("group");
    // Existing actors hold theirs too.
    expect(await repos.actors.claimHandle(organizer.handle, "group")).toBe(false);
    expect(await repos.actors.claimHandle(group.handle, "identity")).toBe(false);
    expect(await repos.actors.handleKind(organizer.handle)).toBe("identity");
    expect(await repos.actors.handleKind("nobody_here")).toBeNull();
    await repos.actors.releaseHandle("shared_ns");
    expect(await repos.actors.claimHandle("shared_ns", "identity")).toBe(true);
  });

  it("rolls a transaction back when it throws", async () => {
    await expect(
      repos.transaction(async (tx) => {
        expect(await tx.actors.claimHandle("rolled_back", "identity")).toBe(true);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await repos.actors.handleKind("rolled_back")).toBeNull();
  });

  describe("find()", () => {
    const FAR = Date.UTC(2040, 0, 1);
    const ids: string[] = [];
    let expected: { begins: number; id: string }[] = [];

    beforeAll(async () => {
      // Several share a start so the id breaks ties; inserted out of order.
      const starts = [5, 1, 3, 3, 3, 0, 7, 1, 2, 3, 6, 4].map((h) => FAR + h * HOUR);
      for (const start of starts) {
        const e = record({
          beginsAt: new Date(start),
          endsAt: new Date(start + HOUR),
          category: "SCIENCE_TECH",
        });
        ids.push(e.id);
        await repos.events.insert(e, start + HOUR);
      }
      expected = ids
        .map((id, i) => ({ begins: starts[i]!, id }))
        .sort((a, b) => a.begins - b.begins || (a.id < b.id ? -1 : 1));
      // Not public: never found.
      const hidden = [
        record({ beginsAt: new Date(FAR), draft: true, category: "SCIENCE_TECH" }),
        record({ beginsAt: new Date(FAR), visibility: "private", category: "SCIENCE_TECH" }),
        record({ beginsAt: new Date(FAR), visibility: "unlisted", category: "SCIENCE_TECH" }),
        record({
          beginsAt: new Date(FAR),
          publishAt: new Date(FAR),
          category: "SCIENCE_TECH",
        }),
      ];
      for (const e of hidden) await repos.events.insert(e, FAR + HOUR);
    });

    const query = (over: Partial<EventQuery> = {}): EventQuery => ({
      from: FAR - HOUR,
      to: FAR + 24 * HOUR,
      category: "SCIENCE_TECH",
      publicAt: FAR - 2 * HOUR,
      limit: 100,
      recurring: false,
      ...over,
    });

    it("orders by (begins_at, id) and pages by keyset without gaps or repeats", async () => {
      const all = await repos.events.find(query());
      expect(all.map((e) => e.id)).toEqual(expected.map((x) => x.id));

      const walked: string[] = [];
      let after: EventQuery["after"];
      for (let i = 0; i < 10; i++) {
        const page = await repos.events.find(query({ limit: 5, after }));
        walked.push(...page.map((e) => e.id));
        if (page.length < 5) break;
        const last = page.at(-1)!;
        after = { begins: last.beginsAt.getTime(), id: last.id };
      }
      expect(walked).toEqual(expected.map((x) => x.id));
    });

    it("applies the window and hides drafts, private, unlisted and scheduled events", async () => {
      const window = await repos.events.find(
        query({ from: FAR + 2 * HOUR + 1, to: FAR + 4 * HOUR }),
      );
      // Starting before 4h and ending at/after 2h+1ms: starts at 2h (ends 3h) and 3h.
      expect(window.map((e) => e.beginsAt.getTime())).toEqual(
        expected
          .filter((x) => x.begins >= FAR + 2 * HOUR && x.begins < FAR + 4 * HOUR)
          .map((x) => x.begins),
      );
      const later = await repos.events.find(query({ publicAt: FAR + 1 }));
      // The scheduled one appears once its publishAt has passed; the others never do.
      expect(later.length).toBe(expected.length + 1);
    });
  });

  it("counts confirmed participants per event", async () => {
    const a = record({ capacity: 10 });
    const b = record({ capacity: 3 });
    const c = record();
    for (const e of [a, b, c]) await repos.events.insert(e, e.endsAt!.getTime());
    let n = 0;
    const add = (eventId: string, state: "confirmed" | "waitlisted" | "cancelled") =>
      repos.participations.insert(
        participationRow({
          eventId,
          state,
          name: "P",
          email: `p${++n}@example.test`,
          createdAt: new Date(BASE),
        }),
      );
    await add(a.id, "confirmed");
    await add(a.id, "confirmed");
    await add(a.id, "waitlisted");
    await add(a.id, "confirmed");
    await add(b.id, "confirmed");
    await add(b.id, "cancelled");
    await add(c.id, "waitlisted");
    const counts = await repos.events.confirmedCounts([a.id, b.id, c.id, "nonexistent"]);
    expect(counts.get(a.id)).toBe(3);
    expect(counts.get(b.id)).toBe(1);
    expect(counts.has(c.id)).toBe(false);
    expect(typeof counts.get(a.id)).toBe("number");
    expect((await repos.events.confirmedCounts([])).size).toBe(0);
  });
});
