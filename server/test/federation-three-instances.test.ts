/**
 * Three real Eventail instances on loopback ports (A and C on SQLite, B on PostgreSQL):
 * B's and C's relays follow a group on A; A's admin then blocks C, which purges C's follow.
 * A's event reaches B only; its update and cancellation follow; an identity on B joins
 * (counted against capacity on A, Accepted) and leaves (seat freed); comments cross both
 * ways as Notes; C's activities are refused with 403; the deletion reaches B as a Tombstone.
 */
import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveInstance, startInstance, until } from "./federation-helpers.ts";
import { type EventJsonLike, inDays, type TestUser } from "./helpers.ts";

describe("three instances on loopback", () => {
  let a: LiveInstance;
  let b: LiveInstance;
  let c: LiveInstance;
  let anna: TestUser;
  let adminA: TestUser;
  let adminB: TestUser;
  let adminC: TestUser;
  let bea: TestUser;
  let groupId: string;
  let event: EventJsonLike;
  let copyOnB: string;
  const group = () => `${a.origin}/@trio_a`;
  const settle = () => Promise.all([a, b, c].map((i) => i.services.federation.drained()));
  const follow = (on: LiveInstance, admin: TestUser) =>
    on.send("POST", "/api/v1/federation/follows", { target: group(), as: "relay" }, admin.auth());
  const relayFollowState = async (on: LiveInstance, admin: TestUser) =>
    (
      await (
        await on.send("GET", "/api/v1/federation/follows?as=relay", undefined, admin.auth())
      ).json()
    ).items[0]?.state;
  const remoteOn = async (on: LiveInstance) => {
    const page = await (await on.request("/api/v1/events")).json();
    return page.items.find((i: { remote?: { id: string } }) => i.remote?.id === event.url);
  };

  beforeAll(async () => {
    [a, b, c] = await Promise.all([
      startInstance("sqlite"),
      startInstance("postgres"),
      startInstance("sqlite"),
    ]);
    anna = await a.user({ handle: "anna" });
    adminA = await a.user({ handle: "rooty", role: "admin" });
    const g = await a.send(
      "POST",
      "/api/v1/groups",
      { handle: "trio_a", name: "Trio A" },
      anna.auth(),
    );
    groupId = (await g.json()).id;
    adminB = await b.user({ handle: "boss", role: "admin" });
    adminC = await c.user({ handle: "chief", role: "admin" });
    bea = await b.user({ handle: "bea" });
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop(), c?.stop()]);
  });

  it("B and C follow A's group; A blocks C, which purges C's follow", async () => {
    expect((await follow(b, adminB)).status).toBe(202);
    expect((await follow(c, adminC)).status).toBe(202);
    await settle();
    await until(async () => (await relayFollowState(b, adminB)) === "accepted", "B accepted");
    await until(async () => (await relayFollowState(c, adminC)) === "accepted", "C accepted");
    // Accepting runs on: the followers read the group's outbox (backfill) before going idle.
    await settle();
    expect(await a.services.federation.repo.countFollowers("trio_a")).toBe(2);

    const cHost = new URL(c.origin).host;
    const res = await a.send(
      "PUT",
      `/api/v1/admin/federation/instances/${encodeURIComponent(cHost)}`,
      { level: "block", reason: "test" },
      adminA.auth(),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).purged.followers).toBe(1);
    expect(await a.services.federation.repo.countFollowers("trio_a")).toBe(1);
  });

  it("an event on A reaches B only, and its update and cancellation follow", async () => {
    event = await a.event(anna, {
      title: "Trio meetup",
      beginsAt: inDays(15, 17),
      endsAt: inDays(15, 19),
      timezone: "Europe/Berlin",
      address: { venue: "Hall", locality: "Berlin", country: "DE" },
      capacity: 1,
      groupId,
    });
    await settle();
    const listed = await until(() => remoteOn(b), "the event on B");
    copyOnB = listed.id;
    expect(listed).toMatchObject({ title: "Trio meetup", timezone: "Europe/Berlin", capacity: 1 });
    expect(await remoteOn(c)).toBeUndefined();

    await a.send("PATCH", `/api/v1/events/${event.id}`, { title: "Trio meetup!" }, anna.auth());
    await settle();
    await until(
      async () =>
        (await (await b.request(`/api/v1/events/${copyOnB}`)).json()).title === "Trio meetup!",
      "the update on B",
    );
    expect(await remoteOn(c)).toBeUndefined();
  }, 30_000);

  it("a Join from B is counted against capacity on A and Accepted; Leave frees the seat", async () => {
    const rsvp = await b.send("POST", `/api/v1/events/${copyOnB}/participations`, {}, bea.auth());
    expect((await rsvp.json()).state).toBe("awaiting_approval");
    await settle();
    await until(async () => {
      const one = await (await a.request(`/api/v1/events/${event.id}`)).json();
      return one.participantCount === 1 && one.remainingCapacity === 0;
    }, "the Join counted on A");
    await until(async () => {
      const r = await b.send(
        "GET",
        `/api/v1/federation/events/${copyOnB}/rsvp`,
        undefined,
        bea.auth(),
      );
      return r.status === 200 && (await r.json()).state === "accepted";
    }, "Accept(Join) on B");
    expect(
      (await b.send("DELETE", `/api/v1/federation/events/${copyOnB}/rsvp`, undefined, bea.auth()))
        .status,
    ).toBe(204);
    await settle();
    await until(async () => {
      const one = await (await a.request(`/api/v1/events/${event.id}`)).json();
      return one.participantCount === 0 && one.remainingCapacity === 1;
    }, "the Leave on A");
  }, 30_000);

  it("comments cross as Notes: from B to A, and from A to B", async () => {
    const posted = await b.send(
      "POST",
      `/api/v1/events/${copyOnB}/comments`,
      { content: "<p>From B <script>x()</script></p>" },
      bea.auth(),
    );
    expect(posted.status).toBe(201);
    await settle();
    const onA = await until(async () => {
      const page = await (await a.request(`/api/v1/events/${event.id}/comments`)).json();
      return page.items[0];
    }, "B's comment on A");
    expect(onA).toMatchObject({
      content: "<p>From B </p>",
      author: { actor: `${b.origin}/@bea`, remote: true },
      state: "published",
    });

    const reply = await a.send(
      "POST",
      `/api/v1/events/${event.id}/comments`,
      { content: "<p>Welcome from A</p>" },
      anna.auth(),
    );
    expect(reply.status).toBe(201);
    await settle();
    await until(async () => {
      const page = await (await b.request(`/api/v1/events/${copyOnB}/comments`)).json();
      return page.items.some(
        (i: { content: string; author: { actor: string } }) =>
          i.content === "<p>Welcome from A</p>" && i.author.actor === `${a.origin}/@anna`,
      );
    }, "A's comment on B");
  }, 30_000);

  it("closing comments on A closes them on B's copy (commentsEnabled)", async () => {
    const res = await a.send(
      "PUT",
      `/api/v1/events/${event.id}/comment-policy`,
      { policy: "closed" },
      anna.auth(),
    );
    expect(res.status).toBe(200);
    const doc = await (
      await a.request(`/events/${event.id}`, { headers: { accept: "application/activity+json" } })
    ).json();
    expect(doc.commentsEnabled).toBe(false);
    await settle();
    await until(
      async () =>
        (await (await b.request(`/api/v1/events/${copyOnB}/comments`)).json()).policy === "closed",
      "the closed policy on B",
    );
    const refused = await b.send(
      "POST",
      `/api/v1/events/${copyOnB}/comments`,
      { content: "late" },
      bea.auth(),
    );
    expect(refused.status).toBe(409);
  }, 30_000);

  it("refuses the blocked instance's activities", async () => {
    // C tries to follow again: its Follow is refused at A's inbox (403), nothing is stored.
    await c.send(
      "DELETE",
      `/api/v1/federation/follows?as=relay&target=${encodeURIComponent(group())}`,
      undefined,
      adminC.auth(),
    );
    expect((await follow(c, adminC)).status).toBe(202);
    await settle();
    expect(await relayFollowState(c, adminC)).toBe("pending");
    expect(await a.services.federation.repo.countFollowers("trio_a")).toBe(1);
    expect(await a.services.federation.repo.isFollower("trio_a", `${c.origin}/@relay`)).toBe(false);
    // A Create signed by C's relay, posted straight to A's inbox: 403, nothing stored.
    const ctx = c.services.federation.context();
    const [rsa] = await ctx.getActorKeyPairs("relay");
    const activity = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${c.origin}/@relay#create-x`,
      type: "Create",
      actor: `${c.origin}/@relay`,
      object: {
        id: `${c.origin}/events/x`,
        type: "Event",
        name: "Spam",
        startTime: "2031-01-01T10:00:00Z",
      },
    };
    const request = await signRequest(
      new Request(`${a.origin}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(activity),
      }),
      rsa!.privateKey,
      rsa!.keyId,
    );
    const res = await fetch(request);
    expect(res.status).toBe(403);
    expect(await a.services.federation.repo.remoteEventByApId(`${c.origin}/events/x`)).toBe(null);
  }, 30_000);

  it("cancellation and deletion propagate to B", async () => {
    await a.send("POST", `/api/v1/events/${event.id}/cancel`, undefined, anna.auth());
    await settle();
    await until(
      async () =>
        (await (await b.request(`/api/v1/events/${copyOnB}`)).json()).status === "cancelled",
      "the cancellation on B",
    );
    await a.send("DELETE", `/api/v1/events/${event.id}`, undefined, anna.auth());
    await settle();
    await until(
      async () => (await b.request(`/api/v1/events/${copyOnB}`)).status === 404,
      "the deletion on B",
    );
  }, 30_000);
});
