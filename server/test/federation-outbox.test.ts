/**
 * The transactional outbox of event changes: a write records its change in its own
 * transaction, and a change the process never federated (it died after the commit: here
 * the hook throws) reaches followers when replayed, as after a restart. A on each dialect,
 * B (SQLite) follows A's group through its relay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveInstance, startInstance, until } from "./federation-helpers.ts";
import type { DialectName } from "./helpers.ts";
import { inDays, type TestUser } from "./helpers.ts";

describe.each<DialectName>(["sqlite", "postgres"])("event changes outbox (A on %s)", (dialect) => {
  let a: LiveInstance;
  let b: LiveInstance;
  let organizer: TestUser;
  let groupId: string;
  const settle = () =>
    Promise.all([a.services.federation.drained(), b.services.federation.drained()]);
  const pending = () => a.services.repos.events.pendingChanges(Date.now() + 1);
  const onB = async (url: string) => {
    const page = await (await b.request("/api/v1/events")).json();
    return page.items.find((i: { remote?: { id: string } }) => i.remote?.id === url);
  };
  /** The process "dies" between the commit and federation: the hook never runs to the end. */
  const crashing = async <T>(write: () => Promise<T>): Promise<T> => {
    const hook = a.services.events.hooks.onChange;
    a.services.events.hooks.onChange = () => {
      throw new Error("the process died");
    };
    try {
      return await write();
    } finally {
      a.services.events.hooks.onChange = hook;
    }
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(dialect), startInstance("sqlite")]);
    organizer = await a.user({ handle: "otto" });
    const g = await a.send(
      "POST",
      "/api/v1/groups",
      { handle: "outbox_a", name: "Outbox A" },
      organizer.auth(),
    );
    groupId = (await g.json()).id;
    const admin = await b.user({ handle: "boss", role: "admin" });
    await b.send(
      "POST",
      "/api/v1/federation/follows",
      { target: `${a.origin}/@outbox_a`, as: "relay" },
      admin.auth(),
    );
    await settle();
    await until(async () => {
      const list = await (
        await b.send("GET", "/api/v1/federation/follows?as=relay", undefined, admin.auth())
      ).json();
      return list.items[0]?.state === "accepted";
    }, "Accept(Follow) on B");
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
  });

  it("a federated write leaves nothing recorded", async () => {
    const e = await a.event(organizer, {
      title: "Told at once",
      beginsAt: inDays(10, 18),
      timezone: "Europe/Paris",
      groupId,
    });
    await settle();
    await until(() => onB(e.url), "the event on B");
    expect(await pending()).toEqual([]);
  });

  it("a creation the process never federated reaches followers when replayed", async () => {
    const e = await crashing(() =>
      a.event(organizer, {
        title: "Committed, then the crash",
        beginsAt: inDays(11, 18),
        timezone: "Europe/Paris",
        groupId,
      }),
    );
    const rows = await pending();
    expect(rows.map((r) => [r.event_id, r.kind, r.before])).toEqual([[e.id, "created", null]]);
    await settle();
    expect(await onB(e.url)).toBeUndefined();
    // Younger than the minute a change gets to be federated: not replayed yet.
    expect(await a.services.events.replayChanges()).toBe(0);
    expect(await a.services.events.replayChanges(0)).toBe(1);
    expect(await pending()).toEqual([]);
    await settle();
    const listed = await until(() => onB(e.url), "the replayed Create on B");
    expect(listed.title).toBe("Committed, then the crash");
  });

  it("an update and a delete are replayed from the state before them and the event as it is now", async () => {
    const e = await a.event(organizer, {
      title: "Will change",
      beginsAt: inDays(12, 18),
      timezone: "Europe/Paris",
      groupId,
    });
    await settle();
    await until(() => onB(e.url), "the event on B");
    await crashing(() =>
      a.send("PATCH", `/api/v1/events/${e.id}`, { title: "Changed" }, organizer.auth()),
    );
    const [update] = await pending();
    expect(update?.kind).toBe("updated");
    expect(JSON.parse(update!.before!)).toMatchObject({ id: e.id, visibility: "public" });
    await a.services.events.replayChanges(0);
    await settle();
    await until(async () => (await onB(e.url))?.title === "Changed", "the replayed Update on B");

    const del = await crashing(() =>
      a.send("DELETE", `/api/v1/events/${e.id}`, undefined, organizer.auth()),
    );
    expect(del.status).toBe(204);
    expect((await pending()).map((r) => r.kind)).toEqual(["deleted"]);
    await a.services.events.replayChanges(0);
    await settle();
    await until(async () => !(await onB(e.url)), "the replayed Delete on B");
    expect(await pending()).toEqual([]);
  });

  it("a change that keeps failing is kept, then dropped after a day", async () => {
    const e = await crashing(() =>
      a.event(organizer, {
        title: "Never federated",
        beginsAt: inDays(13, 18),
        timezone: "Europe/Paris",
        groupId,
      }),
    );
    const hook = a.services.events.hooks.onChange;
    a.services.events.hooks.onChange = () => {
      throw new Error("still failing");
    };
    try {
      expect(await a.services.events.replayChanges(0)).toBe(0);
      expect((await pending()).map((r) => r.event_id)).toEqual([e.id]);
      expect(await a.services.events.replayChanges(0, Date.now() + 2 * 86_400_000)).toBe(0);
      expect(await pending()).toEqual([]);
    } finally {
      a.services.events.hooks.onChange = hook;
    }
  });
});
