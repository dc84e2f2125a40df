import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  createFedEnv,
  PUBLIC,
  RemoteStub,
  type StubActor,
  until,
} from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("federation inbox on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let admin: TestUser;
  let grp: StubActor;
  let bob: StubActor;
  let carol: StubActor;

  const remoteEvent = (slug: string, over: Record<string, unknown> = {}) => ({
    id: `${stub.origin}/events/${slug}`,
    type: "Event",
    url: `${stub.origin}/events/${slug}/page`,
    name: "Atelier <b>vélo</b>",
    content:
      '<p>Venez <img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:x">ici</a></p>',
    summary: "mardi 19h, Lyon",
    startTime: "2031-05-06T19:00:00+02:00",
    endTime: "2031-05-06T21:00:00+02:00",
    timezone: "Europe/Paris",
    location: {
      type: "Place",
      name: "Maison du vélo",
      address: {
        type: "PostalAddress",
        streetAddress: "10 rue Jangot",
        addressLocality: "Lyon",
        addressCountry: "FR",
      },
      latitude: 45.75,
      longitude: 4.84,
    },
    joinMode: "free",
    maximumAttendeeCapacity: 40,
    participantCount: 7,
    category: "CRAFTS",
    tag: [{ type: "Hashtag", name: "#Vélo" }],
    attributedTo: grp.id,
    actor: bob.id,
    to: [PUBLIC],
    updated: new Date().toISOString(),
    ...over,
  });

  const remoteCopy = async (apId: string) => t.services.federation.repo.remoteEventByApId(apId);

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    admin = await t.user({ handle: `adm_${dialect}`, role: "admin" });
    grp = await stub.actor("grp", "Group");
    bob = await stub.actor("bob");
    carol = await stub.actor("carol");
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("rejects unsigned, badly signed, mis-owned, stale, future and replayed requests with 401", async () => {
    const follow = activity("Follow", bob, `${ORIGIN}/@relay`);
    const unsigned = await t.request("/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(follow),
    });
    expect(unsigned.status).toBe(401);
    // Digest no longer matches the body.
    const tampered = await stub.send(t, "/inbox", follow, bob, {
      body: JSON.stringify({ ...follow, object: `${ORIGIN}/@someone` }),
    });
    expect(tampered.status).toBe(401);
    // Signed with carol's key while claiming to be bob.
    expect((await stub.send(t, "/inbox", follow, bob, { key: carol })).status).toBe(401);
    // Two hours old (a replay of a request captured earlier), and two hours ahead.
    expect(
      (await stub.send(t, "/inbox", follow, bob, { at: new Date(Date.now() - 2 * 3_600_000) }))
        .status,
    ).toBe(401);
    expect(
      (await stub.send(t, "/inbox", follow, bob, { at: new Date(Date.now() + 2 * 3_600_000) }))
        .status,
    ).toBe(401);
    await t.services.federation.drained();
    expect(await t.services.federation.repo.countFollowers("relay")).toBe(0);
    // The same request, properly signed and fresh, is accepted; replaying it changes nothing.
    const ok = await stub.signed(`${ORIGIN}/inbox`, follow, bob);
    expect((await t.app.request(ok.clone())).status).toBe(202);
    expect((await t.app.request(ok)).status).toBe(202);
    await t.services.federation.drained();
    expect(await t.services.federation.repo.countFollowers("relay")).toBe(1);
    await until(() => stub.inboxed("Accept").length >= 1, "Accept");
    await t.services.federation.drained();
    expect(stub.inboxed("Accept")).toHaveLength(1);
  });

  it("refuses bodies over the limit with 413 before parsing them", async () => {
    const big = activity(
      "Create",
      bob,
      remoteEvent("big", { content: "x".repeat(t.services.config.maxBodyBytes) }),
    );
    expect((await stub.send(t, "/inbox", big, bob)).status).toBe(413);
  });

  it("follows a remote group: Accept counts only from the followed actor", async () => {
    const res = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: grp.id, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    const { id: followId } = await res.json();
    await t.services.federation.drained();
    const follow = (await until(() => stub.inboxed("Follow")[0], "Follow")).json;
    expect(follow).toMatchObject({ id: followId, actor: `${ORIGIN}/@relay`, object: grp.id });
    // Someone else on that host answers for the group: ignored.
    await stub.send(t, "/inbox", activity("Accept", carol, follow), carol);
    await t.services.federation.drained();
    expect((await t.services.federation.repo.followingById(followId))?.state).toBe("pending");
    await stub.send(t, "/inbox", activity("Accept", grp, follow), grp);
    await t.services.federation.drained();
    expect((await t.services.federation.repo.followingById(followId))?.state).toBe("accepted");
  });

  it("stores a followed group's event as a listed remote event, cleaned and mapped", async () => {
    const object = remoteEvent("e1");
    expect((await stub.send(t, "/inbox", activity("Create", grp, object), grp)).status).toBe(202);
    await t.services.federation.drained();
    const copy = await until(() => remoteCopy(object.id), "remote event");
    const page = await (await t.request("/api/v1/events?from=2031-01-01T00:00:00Z")).json();
    const listed = page.items.find((i: { id: string }) => i.id === copy.eventId);
    expect(listed).toBeTruthy();
    expect(listed.title).toBe("Atelier vélo");
    expect(listed.description).not.toMatch(/script|onerror|javascript:/);
    expect(listed.description).toContain("Venez");
    expect(listed.beginsAt).toBe("2031-05-06T19:00:00+02:00");
    expect(listed.timezone).toBe("Europe/Paris");
    expect(listed.address).toEqual({
      venue: "Maison du vélo",
      street: "10 rue Jangot",
      locality: "Lyon",
      country: "FR",
      latitude: 45.75,
      longitude: 4.84,
    });
    expect(listed.capacity).toBe(40);
    expect(listed.participantCount).toBe(7);
    expect(listed.category).toBe("CRAFTS");
    expect(listed.tags).toEqual(["vélo"]);
    expect(listed.remote).toEqual({
      id: object.id,
      url: object.url,
      actor: grp.id,
      host: new URL(stub.origin).host,
    });
    expect(listed.group).toMatchObject({
      id: grp.id,
      name: "Remote grp",
      handle: `grp@${new URL(stub.origin).host}`,
    });
    expect(listed.organizer).toMatchObject({ id: bob.id, name: "Remote bob" });
    // The page escapes what is left of the name and keeps the cleaned description.
    const html = await (await t.request(`/events/${copy.eventId}`)).text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("onerror");
    // In the feeds too.
    expect(await (await t.request("/events.ics")).text()).toContain("Atelier vélo");

    // The same Create delivered again: one copy.
    await stub.send(t, "/inbox", activity("Create", grp, object), grp);
    await t.services.federation.drained();
    const rows = await t.services.store.db
      .selectFrom("remote_events")
      .select("event_id")
      .where("ap_id", "=", object.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("takes updates and deletes only from the event's publisher", async () => {
    const object = remoteEvent("e2");
    await stub.send(t, "/inbox", activity("Create", grp, object), grp);
    await t.services.federation.drained();
    const copy = await until(() => remoteCopy(object.id), "remote event");
    const title = async () => (await t.services.repos.events.get(copy.eventId))?.title;

    // Carol, on the same host but not the publisher, may neither change nor delete it.
    await stub.send(
      t,
      "/inbox",
      activity("Update", carol, { ...object, name: "Hijacked", updated: new Date().toISOString() }),
      carol,
    );
    await stub.send(t, "/inbox", activity("Delete", carol, object.id), carol);
    await t.services.federation.drained();
    expect(await title()).toBe("Atelier vélo");

    // Mobilizon reuses activity ids between Create and Update: the object's `updated` tells them apart.
    const reused = activity("Update", grp, {
      ...object,
      name: "Atelier vélo (salle 2)",
      status: "CANCELLED",
      updated: new Date(Date.now() + 1000).toISOString(),
    });
    await stub.send(t, "/inbox", reused, grp);
    await t.services.federation.drained();
    expect(await title()).toBe("Atelier vélo (salle 2)");
    expect((await t.services.repos.events.get(copy.eventId))?.status).toBe("cancelled");
    // An older copy arriving late does not win.
    await stub.send(
      t,
      "/inbox",
      activity("Update", grp, {
        ...object,
        name: "Stale",
        updated: new Date(Date.now() - 3_600_000).toISOString(),
      }),
      grp,
    );
    await t.services.federation.drained();
    expect(await title()).toBe("Atelier vélo (salle 2)");

    await stub.send(
      t,
      "/inbox",
      activity("Delete", grp, { id: object.id, type: "Tombstone", formerType: "Event" }),
      grp,
    );
    await t.services.federation.drained();
    expect(await t.services.repos.events.get(copy.eventId)).toBeNull();
    expect(await remoteCopy(object.id)).toBeNull();
  });

  it("refuses events from actors nobody follows, and objects on another host than their actor", async () => {
    // Bob is not followed (only the group is, through the relay's host follow... which
    // covers the host): use a second stub host that nobody follows.
    const other = await RemoteStub.start();
    try {
      const stranger = await other.actor("stranger", "Group");
      const unsolicited = {
        ...remoteEvent("x"),
        id: `${other.origin}/events/x`,
        attributedTo: stranger.id,
        actor: stranger.id,
      };
      expect(
        (await other.send(t, "/inbox", activity("Create", stranger, unsolicited), stranger)).status,
      ).toBe(202);
      // The cross-origin fixture's shape: an object on the followed stub host, sent by the stranger.
      const cross = activity("Create", stranger, remoteEvent("cross"));
      expect((await other.send(t, "/inbox", cross, stranger)).status).toBe(202);
      await t.services.federation.drained();
      expect(await remoteCopy(unsolicited.id)).toBeNull();
      expect(await remoteCopy(`${stub.origin}/events/cross`)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it("answers Join with Accept, waitlists when full, promotes on Leave, ignores what takes no RSVP", async () => {
    const organizer = await t.user({ handle: `org_${dialect}` });
    const e = await t.event(organizer, {
      title: "Small room",
      beginsAt: inDays(8),
      timezone: "Europe/Paris",
      capacity: 1,
    });
    const join = (who: StubActor, object: string) =>
      activity("Join", who, object, { participationMessage: "<b>hi</b>" });
    stub.received.length = 0;

    const bobJoin = join(bob, e.url);
    await stub.send(t, `/@${organizer.identity.handle}/inbox`, bobJoin, bob);
    await t.services.federation.drained();
    const accept = (await until(() => stub.inboxed("Accept")[0], "Accept(Join)")).json;
    expect(accept.actor).toBe(`${ORIGIN}/@${organizer.identity.handle}`);
    expect(accept.object).toMatchObject({
      id: bobJoin.id,
      type: "Join",
      actor: bob.id,
      object: e.url,
    });

    // The same Join again: still one seat taken, the same answer.
    await stub.send(t, "/inbox", bobJoin, bob);
    await t.services.federation.drained();
    const counts = async () =>
      (
        await (
          await t.send("GET", `/api/v1/events/${e.id}/participants`, undefined, organizer.auth())
        ).json()
      ).counts;
    expect((await counts()).confirmed).toBe(1);

    // Full: carol waits, and hears nothing yet.
    await stub.send(t, "/inbox", join(carol, e.url), carol);
    await t.services.federation.drained();
    expect((await counts()).waitlisted).toBe(1);
    expect(
      stub.received.filter((r) => r.json?.to === carol.id || r.json?.object?.actor === carol.id),
    ).toHaveLength(0);

    // Bob leaves: carol takes the seat and is told.
    await stub.send(t, "/inbox", activity("Leave", bob, e.url), bob);
    await t.services.federation.drained();
    expect(await counts()).toMatchObject({ confirmed: 1, waitlisted: 0, cancelled: 1 });
    const promoted = await until(
      () => stub.inboxed("Accept").find((r) => r.json.object?.actor === carol.id),
      "Accept for carol",
    );
    expect(promoted.json.object.type).toBe("Join");
    const list = await (
      await t.send("GET", `/api/v1/events/${e.id}/participants`, undefined, organizer.auth())
    ).json();
    expect(list.items.find((p: { actorUrl: string }) => p.actorUrl === carol.id)).toMatchObject({
      kind: "remote",
      state: "confirmed",
      name: "Remote carol",
      message: "hi",
    });

    // External registration: Ignore (FEP-8a8e); a restricted event: Accept once approved.
    const ext = await t.event(organizer, {
      title: "Elsewhere",
      beginsAt: inDays(8),
      timezone: "UTC",
      joinMode: "external",
      externalUrl: "https://tickets.example/x",
    });
    await stub.send(t, "/inbox", join(bob, ext.url), bob);
    const restricted = await t.event(organizer, {
      title: "On approval",
      beginsAt: inDays(8),
      timezone: "UTC",
      joinMode: "restricted",
    });
    await stub.send(t, "/inbox", join(bob, restricted.url), bob);
    await t.services.federation.drained();
    await until(() => stub.inboxed("Ignore").length === 1, "Ignore");
    const pending = await (
      await t.send(
        "GET",
        `/api/v1/events/${restricted.id}/participants`,
        undefined,
        organizer.auth(),
      )
    ).json();
    expect(pending.items[0].state).toBe("awaiting_approval");
    const approve = await t.send(
      "POST",
      `/api/v1/events/${restricted.id}/participants/${pending.items[0].id}/approve`,
      undefined,
      organizer.auth(),
    );
    expect(approve.status).toBe(200);
    await t.services.federation.drained();
    await until(
      () => stub.inboxed("Accept").find((r) => r.json.object?.object === restricted.url),
      "Accept after approval",
    );
  });
});
