/**
 * Two real Eventail instances on loopback ports (A on SQLite, B on PostgreSQL), talking
 * ActivityPub over HTTP with real signatures: B's relay follows a group on A; A's events
 * arrive on B as remote events (and update, cancel, delete with the origin); an identity
 * on B answers an event of A with `Join`, which A counts against capacity and Accepts;
 * `Leave` frees the seat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveInstance, startInstance, until } from "./federation-helpers.ts";
import { inDays, type TestUser } from "./helpers.ts";

describe("two instances on loopback", () => {
  let a: LiveInstance;
  let b: LiveInstance;
  let organizer: TestUser;
  let admin: TestUser;
  let guest: TestUser;
  let groupId: string;
  const settle = () =>
    Promise.all([a.services.federation.drained(), b.services.federation.drained()]);

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance("sqlite"), startInstance("postgres")]);
    organizer = await a.user({ handle: "anna" });
    const g = await a.send(
      "POST",
      "/api/v1/groups",
      { handle: "climate_a", name: "Climate A" },
      organizer.auth(),
    );
    groupId = (await g.json()).id;
    admin = await b.user({ handle: "boss", role: "admin" });
    guest = await b.user({ handle: "bea" });
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
  });

  it("B's relay follows A's group and A accepts", async () => {
    const res = await b.send(
      "POST",
      "/api/v1/federation/follows",
      { target: `${a.origin}/@climate_a`, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    expect((await res.json()).state).toBe("pending");
    await settle();
    await until(async () => {
      const list = await (
        await b.send("GET", "/api/v1/federation/follows?as=relay", undefined, admin.auth())
      ).json();
      return list.items[0]?.state === "accepted";
    }, "Accept(Follow) on B");
    const followers = await (
      await a.request("/@climate_a/followers", { headers: { accept: "application/activity+json" } })
    ).json();
    expect(followers.totalItems).toBe(1);
  });

  it("an event published on A appears on B as remote, and follows A's changes", async () => {
    const e = await a.event(organizer, {
      title: "Bike repair",
      beginsAt: inDays(12, 16),
      endsAt: inDays(12, 18),
      timezone: "Europe/Paris",
      address: { venue: "Atelier", locality: "Lyon", country: "FR" },
      capacity: 1,
      groupId,
      tags: ["bike"],
    });
    await settle();
    const listed = await until(async () => {
      const page = await (await b.request("/api/v1/events")).json();
      return page.items.find((i: { remote?: { id: string } }) => i.remote?.id === e.url);
    }, "the remote event on B");
    expect(listed.title).toBe("Bike repair");
    expect(listed.beginsAt).toBe(e.beginsAt);
    expect(listed.timezone).toBe("Europe/Paris");
    expect(listed.tags).toEqual(["bike"]);
    expect(listed.capacity).toBe(1);
    expect(listed.remote).toEqual({
      id: e.url,
      url: e.url,
      actor: `${a.origin}/@climate_a`,
      host: new URL(a.origin).host,
    });
    expect(listed.group).toMatchObject({
      id: `${a.origin}/@climate_a`,
      name: "Climate A",
      handle: `climate_a@${new URL(a.origin).host}`,
    });
    expect(listed.organizer).toMatchObject({ id: `${a.origin}/@anna` });
    expect(listed.url.startsWith(b.origin)).toBe(true);
    // Its page on B shows it; B does not serve it as its own ActivityPub object.
    expect((await b.request(new URL(listed.url).pathname)).status).toBe(200);
    expect(
      (
        await b.request(new URL(listed.url).pathname, {
          headers: { accept: "application/activity+json" },
        })
      ).status,
    ).toBe(404);

    await a.send(
      "PATCH",
      `/api/v1/events/${e.id}`,
      { title: "Bike repair night" },
      organizer.auth(),
    );
    await settle();
    await until(async () => {
      const one = await (await b.request(`/api/v1/events/${listed.id}`)).json();
      return one.title === "Bike repair night";
    }, "the update on B");

    // Bea (on B) answers with a Join; A counts her against the capacity of 1 and accepts.
    const rsvp = await b.send(
      "POST",
      `/api/v1/events/${listed.id}/participations`,
      {},
      guest.auth(),
    );
    expect(rsvp.status).toBe(200);
    expect((await rsvp.json()).state).toBe("awaiting_approval");
    await settle();
    await until(async () => {
      const one = await (await a.request(`/api/v1/events/${e.id}`)).json();
      return one.participantCount === 1 && one.remainingCapacity === 0;
    }, "the Join counted on A");
    const parts = await (
      await a.send("GET", `/api/v1/events/${e.id}/participants`, undefined, organizer.auth())
    ).json();
    expect(parts.items).toHaveLength(1);
    expect(parts.items[0]).toMatchObject({
      kind: "remote",
      state: "confirmed",
      actorUrl: `${b.origin}/@bea`,
      name: "Person bea",
      email: null,
    });
    await until(async () => {
      const r = await b.send(
        "GET",
        `/api/v1/federation/events/${listed.id}/rsvp`,
        undefined,
        guest.auth(),
      );
      return r.status === 200 && (await r.json()).state === "accepted";
    }, "Accept(Join) on B");
    // Answering twice sends nothing new and takes no second seat.
    const again = await b.send(
      "POST",
      `/api/v1/events/${listed.id}/participations`,
      {},
      guest.auth(),
    );
    expect((await again.json()).duplicate).toBe(true);

    // Leave frees the seat on A.
    expect(
      (
        await b.send(
          "DELETE",
          `/api/v1/federation/events/${listed.id}/rsvp`,
          undefined,
          guest.auth(),
        )
      ).status,
    ).toBe(204);
    await settle();
    await until(async () => {
      const one = await (await a.request(`/api/v1/events/${e.id}`)).json();
      return one.participantCount === 0 && one.remainingCapacity === 1;
    }, "the Leave on A");

    // What Mastodon shows: `summary`, plain text with date, time zone and place; the
    // public event is addressed to Public, as received on B.
    const row = await b.services.store.db
      .selectFrom("remote_events")
      .select("raw")
      .where("ap_id", "=", e.url)
      .executeTakeFirstOrThrow();
    const object = JSON.parse(row.raw);
    expect(object.summary).not.toMatch(/<[a-z/]/i);
    expect(object.summary).toContain("Europe/Paris");
    expect(object.summary).toContain("Atelier");
    expect(object.summary).toContain("Lyon");
    const day = new Intl.DateTimeFormat("en", {
      timeZone: "Europe/Paris",
      day: "numeric",
    }).format(new Date(e.beginsAt));
    expect(object.summary).toMatch(new RegExp(`\\b${day}\\b`));
    // The wall-clock time at the venue (16:00 UTC is 17:00 in Paris then), not UTC.
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(e.beginsAt));
    expect(object.summary).toContain(local);
    expect([object.to, object.cc].flat()).toContain("https://www.w3.org/ns/activitystreams#Public");

    await a.send("POST", `/api/v1/events/${e.id}/cancel`, undefined, organizer.auth());
    await settle();
    await until(async () => {
      const one = await (await b.request(`/api/v1/events/${listed.id}`)).json();
      return one.status === "cancelled";
    }, "the cancellation on B");

    await a.send("DELETE", `/api/v1/events/${e.id}`, undefined, organizer.auth());
    await settle();
    await until(
      async () => (await b.request(`/api/v1/events/${listed.id}`)).status === 404,
      "the deletion on B",
    );
  }, 40_000);

  it("addresses Public only for public events", async () => {
    const unlisted = await a.event(organizer, {
      title: "Members only",
      beginsAt: inDays(14, 18),
      timezone: "Europe/Paris",
      visibility: "unlisted",
      groupId,
    });
    const doc = await (
      await a.request(`/events/${unlisted.id}`, {
        headers: { accept: "application/activity+json" },
      })
    ).json();
    const audience = [doc.to, doc.cc].flat();
    expect(audience).not.toContain("https://www.w3.org/ns/activitystreams#Public");
    expect(audience).toContain(`${a.origin}/@climate_a/followers`);
    // Instances following our relay get public events only: B never sees it.
    await settle();
    const page = await (await b.request("/api/v1/events")).json();
    expect(page.items.some((i: { title: string }) => i.title === "Members only")).toBe(false);
  });

  it("following A's instance brings the public events A published before (outbox backfill)", async () => {
    // Published before B follows A's relay, outside the group B follows: never delivered.
    const earlier = await a.event(organizer, {
      title: "Published before the follow",
      beginsAt: inDays(20, 18),
      timezone: "Europe/Paris",
    });
    const hidden = await a.event(organizer, {
      title: "Unlisted before the follow",
      beginsAt: inDays(21, 18),
      timezone: "Europe/Paris",
      visibility: "unlisted",
    });
    await settle();
    const before = await (await b.request("/api/v1/events?limit=100")).json();
    expect(before.items.some((i: { title: string }) => i.title === earlier.title)).toBe(false);

    const res = await b.send(
      "POST",
      "/api/v1/federation/follows",
      { target: `${a.origin}/@relay`, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    await settle();
    const listed = await until(async () => {
      await settle();
      const page = await (await b.request("/api/v1/events?limit=100")).json();
      return page.items.find((i: { remote?: { id: string } }) => i.remote?.id === earlier.url);
    }, "the earlier event on B");
    expect(listed.title).toBe("Published before the follow");
    const page = await (await b.request("/api/v1/events?limit=100")).json();
    expect(page.items.some((i: { title: string }) => i.title === hidden.title)).toBe(false);
  }, 40_000);
});
