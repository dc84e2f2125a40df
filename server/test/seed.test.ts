/** The demo seed, on an empty database of each dialect. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from "../src/demo/seed.ts";
import { createEnv, dialects, type EventJsonLike, type TestEnv } from "./helpers.ts";

const DAY = 86_400_000;

describe.each(dialects)("demo seed on %s", (dialect) => {
  let t: TestEnv;
  const now = new Date();

  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function counts() {
    const db = t.services.store.db;
    const n = async (table: "accounts" | "groups" | "events" | "identities" | "event_tags") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      accounts: await n("accounts"),
      identities: await n("identities"),
      groups: await n("groups"),
      events: await n("events"),
      tags: await n("event_tags"),
    };
  }

  it("seeds an empty database with two groups and varied upcoming events", async () => {
    expect((await counts()).events).toBe(0);
    expect(await seedDemo(t.services, now)).toEqual({ seeded: true });
    t.services.cache.invalidate();

    const groups = (await (await t.request("/api/v1/groups")).json()).items;
    expect(groups.length).toBe(2);

    const rows = await t.services.store.db
      .selectFrom("events")
      .select(["begins_at", "ends_at", "rrule", "timezone"])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const r of rows) {
      // Every event starts in the coming 60 days; single events also end within them.
      expect(Number(r.begins_at)).toBeGreaterThan(now.getTime());
      expect(Number(r.begins_at)).toBeLessThanOrEqual(now.getTime() + 60 * DAY);
      if (!r.rrule && r.ends_at !== null)
        expect(Number(r.ends_at)).toBeLessThanOrEqual(now.getTime() + 60 * DAY);
    }

    const to = new Date(now.getTime() + 61 * DAY).toISOString();
    const res = await t.request(`/api/v1/events?limit=100&to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    const items: EventJsonLike[] = (await res.json()).items;
    const distinct = new Map(items.map((e) => [e.id, e]));
    const events = [...distinct.values()];
    expect(events.length).toBe(rows.length);
    expect(items.length).toBeGreaterThanOrEqual(20);

    expect(new Set(events.map((e) => e.timezone)).size).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.attendanceMode === "online")).toBe(true);
    expect(events.some((e) => e.attendanceMode === "mixed")).toBe(true);
    expect(events.some((e) => e.attendanceMode === "offline")).toBe(true);
    expect(events.some((e) => e.status === "cancelled")).toBe(true);
    const weekly = events.filter((e) => /FREQ=WEEKLY/.test(e.recurrence?.rrule ?? ""));
    expect(weekly.length).toBeGreaterThanOrEqual(1);
    expect(items.filter((e) => e.id === weekly[0]!.id).length).toBeGreaterThanOrEqual(4);
    const nearlyFull = events.filter((e) => e.remainingCapacity === 1);
    expect(nearlyFull.length).toBeGreaterThanOrEqual(1);
    expect(nearlyFull[0]!.capacity).toBeGreaterThan(1);
    expect(nearlyFull[0]!.participantCount).toBe(nearlyFull[0]!.capacity - 1);
    for (const e of events) {
      expect(e.group, e.title).not.toBeNull();
      expect(groups.map((g: { id: string }) => g.id)).toContain(e.group.id);
    }

    // The demo account can sign in, and registration is open.
    const login = await t.send("POST", "/api/v1/session", {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect((await (await t.request("/api/v1/instance")).json()).registration).toBe("open");
    // The group pages and the calendar render.
    for (const g of groups) {
      const handle = g.handle.split("@")[0];
      expect((await t.request(`/@${handle}`)).status).toBe(200);
    }
    expect((await t.request("/events.ics")).status).toBe(200);
  });

  it("does not duplicate anything when run again", async () => {
    const before = await counts();
    expect(before.events).toBeGreaterThanOrEqual(20);
    expect(await seedDemo(t.services, now)).toEqual({ seeded: false });
    expect(await seedDemo(t.services)).toEqual({ seeded: false });
    expect(await counts()).toEqual(before);
  });
});
