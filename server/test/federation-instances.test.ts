import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  createFedEnv,
  RemoteStub,
  remoteEvent,
  type StubActor,
  until,
} from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("instance policies on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let host: string;
  let admin: TestUser;
  let organizer: TestUser;
  let grp: StubActor;
  let bob: StubActor;
  let event: EventJsonLike;

  const deliver = async (a: unknown, as: StubActor) => {
    const res = await stub.send(t, "/inbox", a, as);
    await t.services.federation.drained();
    return res;
  };
  const policy = (level: string, who = admin) =>
    t.send(
      "PUT",
      `/api/v1/admin/federation/instances/${encodeURIComponent(host)}`,
      { level, reason: "spam" },
      who.auth(),
    );
  const followGroup = async () => {
    const res = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: grp.id, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await deliver(activity("Accept", grp, { id, type: "Follow", actor: `${ORIGIN}/@relay` }), grp);
    expect((await t.services.federation.repo.followingById(id))?.state).toBe("accepted");
  };
  const listedIds = async () =>
    (
      (await (await t.request("/api/v1/events?from=2031-01-01T00:00:00Z")).json()).items as {
        id: string;
      }[]
    ).map((i) => i.id);

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    host = new URL(stub.origin).host;
    admin = await t.user({ handle: `adm_${dialect}`, role: "admin" });
    organizer = await t.user({ handle: `org_${dialect}` });
    grp = await stub.actor("grp", "Group");
    bob = await stub.actor("bob");
    event = await t.event(organizer, {
      title: "Local",
      beginsAt: inDays(10, 18),
      timezone: "UTC",
    });
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("blocks an instance: 403 at the inbox, its content purged, nothing fetched or sent", async () => {
    await followGroup();
    await deliver(activity("Create", grp, remoteEvent(stub, grp, "e1")), grp);
    const copy = await until(
      () => t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/e1`),
      "remote event",
    );
    expect(await listedIds()).toContain(copy.eventId);
    await deliver(
      activity("Follow", bob, `${ORIGIN}/@${organizer.identity.handle}`) as object,
      bob,
    );
    await deliver(
      activity("Create", bob, {
        id: `${bob.id}/statuses/1`,
        type: "Note",
        attributedTo: bob.id,
        inReplyTo: event.url,
        content: "<p>hi</p>",
      }),
      bob,
    );
    expect(await t.services.comments.byApId(`${bob.id}/statuses/1`)).toBeTruthy();

    // Only admins and moderators set policies.
    expect((await policy("block", organizer)).status).toBe(403);
    const res = await policy("block");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      host,
      level: "block",
      reason: "spam",
      purged: { events: 1, comments: 1, followers: 1, follows: 1 },
    });
    const list = await (
      await t.send("GET", "/api/v1/admin/federation/instances", undefined, admin.auth())
    ).json();
    expect(list.mode).toBe("blocklist");
    expect(list.items).toMatchObject([{ host, level: "block", reason: "spam" }]);

    expect(await listedIds()).not.toContain(copy.eventId);
    expect((await t.request(`/api/v1/events/${copy.eventId}`)).status).toBe(404);
    expect(await t.services.comments.byApId(`${bob.id}/statuses/1`)).toBeUndefined();
    expect(await t.services.federation.repo.countFollowers(organizer.identity.handle)).toBe(0);

    // Its activities are refused before any parsing or key fetch; nothing is stored.
    const fetchedBefore = stub.received.length;
    const refused = await deliver(activity("Create", grp, remoteEvent(stub, grp, "e2")), grp);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toContain(host);
    const follow = await deliver(
      activity("Follow", bob, `${ORIGIN}/@${organizer.identity.handle}`),
      bob,
    );
    expect(follow.status).toBe(403);
    expect(await t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/e2`)).toBe(
      null,
    );
    expect(await t.services.federation.repo.countFollowers(organizer.identity.handle)).toBe(0);
    // Nothing is fetched from it: following one of its actors is refused up front.
    const follows = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: bob.id, as: "relay" },
      admin.auth(),
    );
    expect(follows.status).toBe(403);
    expect((await follows.json()).detail).toContain(host);
    // Nothing is delivered to it.
    await t.send("PATCH", `/api/v1/events/${event.id}`, { title: "Changed" }, organizer.auth());
    await t.services.federation.drained();
    expect(stub.received.length).toBe(fetchedBefore);

    // Lifting the block lets it talk again.
    expect(
      (
        await t.send(
          "DELETE",
          `/api/v1/admin/federation/instances/${encodeURIComponent(host)}`,
          undefined,
          admin.auth(),
        )
      ).status,
    ).toBe(204);
    const back = await deliver(
      activity("Follow", bob, `${ORIGIN}/@${organizer.identity.handle}`),
      bob,
    );
    expect(back.status).toBe(202);
    expect(await t.services.federation.repo.countFollowers(organizer.identity.handle)).toBe(1);
  });

  it("limits an instance: its events are kept but unlisted, its comments held", async () => {
    expect((await policy("limit")).status).toBe(200);
    await followGroup();
    await deliver(activity("Create", grp, remoteEvent(stub, grp, "e3")), grp);
    const copy = await until(
      () => t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/e3`),
      "remote event",
    );
    expect(await listedIds()).not.toContain(copy.eventId);
    expect((await t.request(`/api/v1/events/${copy.eventId}`)).status).toBe(200);
    await deliver(
      activity("Create", bob, {
        id: `${bob.id}/statuses/2`,
        type: "Note",
        attributedTo: bob.id,
        inReplyTo: event.url,
        content: "<p>held</p>",
      }),
      bob,
    );
    expect((await t.services.comments.byApId(`${bob.id}/statuses/2`))?.state).toBe("pending");
  });

  it("rejects a host that is not one", async () => {
    const res = await t.send(
      "PUT",
      "/api/v1/admin/federation/instances/not%20a%20host",
      { level: "block" },
      admin.auth(),
    );
    expect(res.status).toBe(422);
  });
});

describe.each(dialects)("allowlist mode on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let bob: StubActor;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createFedEnv(dialect, { EVENTAIL_FEDERATION_MODE: "allowlist" });
    stub = await RemoteStub.start();
    bob = await stub.actor("bob");
    admin = await t.user({ handle: `adm_${dialect}`, role: "admin" });
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("hears only allowed instances", async () => {
    const follow = () => activity("Follow", bob, `${ORIGIN}/@relay`);
    expect((await stub.send(t, "/inbox", follow(), bob)).status).toBe(403);
    const host = new URL(stub.origin).host;
    await t.send(
      "PUT",
      `/api/v1/admin/federation/instances/${encodeURIComponent(host)}`,
      { level: "allow" },
      admin.auth(),
    );
    expect((await stub.send(t, "/inbox", follow(), bob)).status).toBe(202);
    await t.services.federation.drained();
    expect(await t.services.federation.repo.countFollowers("relay")).toBe(1);
  });
});

describe.each(dialects)("followers: approval and blocks on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let organizer: TestUser;
  let bob: StubActor;
  let eve: StubActor;
  let handle: string;

  const follow = async (who: StubActor) => {
    const a = activity("Follow", who, `${ORIGIN}/@${handle}`);
    expect((await stub.send(t, "/inbox", a, who)).status).toBe(202);
    await t.services.federation.drained();
    return a;
  };
  const answers = (type: string, who: StubActor) =>
    stub.inboxed(type).filter((r) => r.json.object?.actor === who.id);
  const followers = async () =>
    (
      await (
        await t.send("GET", "/api/v1/federation/followers", undefined, organizer.auth())
      ).json()
    ).items.map((i: { actor: string }) => i.actor);

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    organizer = await t.user({ handle: `org_${dialect}` });
    handle = organizer.identity.handle;
    bob = await stub.actor("bob");
    eve = await stub.actor("eve");
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("holds follows for approval when the actor asks for it; accept or reject", async () => {
    const set = await t.send(
      "PUT",
      "/api/v1/federation/settings",
      { manualApproval: true },
      organizer.auth(),
    );
    expect(await set.json()).toEqual({ manualApproval: true });
    await follow(bob);
    await follow(eve);
    expect(await followers()).toEqual([]);
    expect(answers("Accept", bob)).toHaveLength(0);
    const pending = await (
      await t.send("GET", "/api/v1/federation/follow-requests", undefined, organizer.auth())
    ).json();
    expect(pending.items.map((i: { follower: string }) => i.follower).sort()).toEqual(
      [bob.id, eve.id].sort(),
    );
    const accept = await t.send(
      "POST",
      "/api/v1/federation/follow-requests/accept",
      { follower: bob.id },
      organizer.auth(),
    );
    expect(accept.status).toBe(204);
    const reject = await t.send(
      "POST",
      "/api/v1/federation/follow-requests/reject",
      { follower: eve.id },
      organizer.auth(),
    );
    expect(reject.status).toBe(204);
    await t.services.federation.drained();
    await until(() => answers("Accept", bob).length === 1, "Accept to bob");
    await until(() => answers("Reject", eve).length === 1, "Reject to eve");
    expect(answers("Accept", eve)).toHaveLength(0);
    expect(await followers()).toEqual([bob.id]);
    expect(
      (
        await t.send(
          "POST",
          "/api/v1/federation/follow-requests/accept",
          { follower: eve.id },
          organizer.auth(),
        )
      ).status,
    ).toBe(404);
  });

  it("blocks a follower: removed, told, and later Follows rejected", async () => {
    const res = await t.send(
      "POST",
      "/api/v1/federation/blocks",
      { follower: bob.id },
      organizer.auth(),
    );
    expect(res.status).toBe(204);
    await t.services.federation.drained();
    expect(await followers()).toEqual([]);
    await until(() => answers("Reject", bob).length === 1, "Reject to bob");
    await follow(bob);
    await until(() => answers("Reject", bob).length === 2, "second Reject to bob");
    expect(await followers()).toEqual([]);
    const reqs = await (
      await t.send("GET", "/api/v1/federation/follow-requests", undefined, organizer.auth())
    ).json();
    expect(reqs.items).toEqual([]);
    const blocks = await (
      await t.send("GET", "/api/v1/federation/blocks", undefined, organizer.auth())
    ).json();
    expect(blocks.items.map((b: { actor: string }) => b.actor)).toEqual([bob.id]);
    // Unblocked, with approval off: bob's next Follow is accepted at once.
    expect(
      (
        await t.send(
          "DELETE",
          `/api/v1/federation/blocks?follower=${encodeURIComponent(bob.id)}`,
          undefined,
          organizer.auth(),
        )
      ).status,
    ).toBe(204);
    await t.send("PUT", "/api/v1/federation/settings", { manualApproval: false }, organizer.auth());
    await follow(bob);
    expect(await followers()).toEqual([bob.id]);
  });

  it("lets instance moderators manage any actor's followers, and no one else", async () => {
    const moderator = await t.user({ role: "moderator" });
    const stranger = await t.user();
    const list = (who: TestUser) =>
      t.send("GET", `/api/v1/federation/followers?as=${handle}`, undefined, who.auth());
    expect((await list(stranger)).status).toBe(403);
    expect((await list(moderator)).status).toBe(200);
    // Moderation does not let them follow in the actor's name.
    expect(
      (
        await t.send(
          "POST",
          "/api/v1/federation/follows",
          { target: eve.id, as: handle },
          moderator.auth(),
        )
      ).status,
    ).toBe(403);
    const blocked = await t.send(
      "POST",
      "/api/v1/federation/blocks",
      { as: handle, follower: bob.id },
      moderator.auth(),
    );
    expect(blocked.status).toBe(204);
    expect(await followers()).toEqual([]);
  });
});
