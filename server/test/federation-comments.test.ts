/**
 * Comments over ActivityPub against a stub remote instance, on both dialects: a Mastodon-style
 * `Note` replying to an event becomes a comment (sanitized, under the event's policy: open,
 * moderated, closed); only its author updates or deletes it; local comments go out as
 * `Note`s with `inReplyTo` to the event's followers, and their deletion as a Tombstone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFedEnv, RemoteStub, type StubActor, until } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
let seq = 0;

describe.each(dialects)("federated comments on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let organizer: TestUser;
  let other: TestUser;
  let moderator: TestUser;
  let bob: StubActor;
  let eve: StubActor;
  let event: EventJsonLike;

  const note = (author: StubActor, slug: string, over: Record<string, unknown> = {}) => ({
    id: `${author.id}/statuses/${slug}`,
    type: "Note",
    attributedTo: author.id,
    inReplyTo: event.url,
    content: `<p>Count me in <script>alert(1)</script><a href="javascript:x" onclick="y">link</a> <span class="h-card"><a href="${ORIGIN}/@org" class="u-url mention">@org</a></span></p>`,
    published: "2026-01-01T10:00:00Z",
    to: [PUBLIC],
    cc: [`${author.id}/followers`],
    ...over,
  });
  const wrap = (type: string, actor: StubActor, object: unknown) => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor.id}/activities/${++seq}`,
    type,
    actor: actor.id,
    to: [PUBLIC],
    object,
  });
  const comments = async (eventId = event.id, state = "published", auth?: TestUser) =>
    (
      await t.send(
        "GET",
        `/api/v1/events/${eventId}/comments?state=${state}`,
        undefined,
        auth?.auth(),
      )
    ).json();
  const deliver = async (activity: unknown, as: StubActor) => {
    const res = await stub.send(t, "/inbox", activity, as);
    await t.services.federation.drained();
    return res.status;
  };

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    organizer = await t.user({ handle: `org_${dialect}` });
    other = await t.user({ handle: `oth_${dialect}` });
    moderator = await t.user({ handle: `mod_${dialect}`, role: "moderator" });
    bob = await stub.actor("bob");
    eve = await stub.actor("eve", "Person", {
      name: '<img src=x onerror="alert(1)">Eve <b>the</b> <script>alert(2)</script>',
    });
    event = await t.event(organizer, {
      title: "Repair café",
      beginsAt: inDays(20, 14),
      timezone: "Europe/Paris",
    });
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("stores a Mastodon reply to an event as a sanitized, public comment", async () => {
    const n = note(bob, "1");
    expect(await deliver(wrap("Create", bob, n), bob)).toBe(202);
    const page = await comments();
    expect(page.policy).toBe("open");
    expect(page.items).toHaveLength(1);
    const c = page.items[0];
    expect(c).toMatchObject({
      apId: n.id,
      eventId: event.id,
      state: "published",
      author: { name: "Remote bob", url: `${stub.origin}/@bob`, actor: bob.id, remote: true },
      createdAt: "2026-01-01T10:00:00.000Z",
    });
    expect(c.content).toContain("Count me in");
    expect(c.content).not.toMatch(/script|javascript:|onclick/);
    // The same delivery again stores nothing new.
    expect(await deliver(wrap("Create", bob, n), bob)).toBe(202);
    expect((await comments()).items).toHaveLength(1);
  });

  it("lets only the author update or delete a remote comment", async () => {
    const id = `${bob.id}/statuses/1`;
    // Eve (same host, not the author) cannot change bob's note.
    await deliver(wrap("Update", eve, { ...note(bob, "1"), content: "<p>hijacked</p>" }), eve);
    await deliver(wrap("Delete", eve, { id, type: "Tombstone" }), eve);
    let page = await comments();
    expect(page.items).toHaveLength(1);
    expect(page.items[0].content).toContain("Count me in");
    await deliver(wrap("Update", bob, { ...note(bob, "1"), content: "<p>Edited</p>" }), bob);
    page = await comments();
    expect(page.items[0].content).toBe("<p>Edited</p>");
    await deliver(wrap("Delete", bob, { id, type: "Tombstone" }), bob);
    expect((await comments()).items).toHaveLength(0);
  });

  it("keeps remote actors' names as plain text", async () => {
    await deliver(wrap("Create", eve, note(eve, "named")), eve);
    const c = await t.services.comments.byApId(`${eve.id}/statuses/named`);
    expect(c?.author_name).toBe("Eve the");
    expect((await t.services.federation.repo.remoteActor(eve.id))?.name).toBe("Eve the");
    await deliver(wrap("Delete", eve, { id: c!.ap_id, type: "Tombstone" }), eve);
  });

  it("refuses a note attributed to someone else, and replies to nothing of ours", async () => {
    await deliver(wrap("Create", eve, note(bob, "forged", { id: `${eve.id}/statuses/f` })), eve);
    await deliver(
      wrap("Create", bob, note(bob, "elsewhere", { inReplyTo: `${stub.origin}/statuses/9` })),
      bob,
    );
    expect((await comments()).items).toHaveLength(0);
  });

  it("holds comments of moderated events until a moderator approves them", async () => {
    const mod = await t.event(organizer, {
      title: "Moderated",
      beginsAt: inDays(21, 14),
      timezone: "UTC",
    });
    // Only the organizer sets the policy.
    expect(
      (
        await t.send(
          "PUT",
          `/api/v1/events/${mod.id}/comment-policy`,
          { policy: "moderated" },
          other.auth(),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await t.send(
          "PUT",
          `/api/v1/events/${mod.id}/comment-policy`,
          { policy: "moderated" },
          organizer.auth(),
        )
      ).status,
    ).toBe(200);
    await deliver(wrap("Create", bob, note(bob, "m1", { inReplyTo: mod.url })), bob);
    const local = await t.send(
      "POST",
      `/api/v1/events/${mod.id}/comments`,
      { content: "<p>Me too</p>" },
      other.auth(),
    );
    expect(local.status).toBe(201);
    expect((await local.json()).state).toBe("pending");
    expect((await comments(mod.id)).items).toHaveLength(0);
    // Pending comments: for moderators only.
    expect(
      (
        await t.send(
          "GET",
          `/api/v1/events/${mod.id}/comments?state=pending`,
          undefined,
          other.auth(),
        )
      ).status,
    ).toBe(403);
    const pending = await comments(mod.id, "pending", organizer);
    expect(pending.items.map((c: { author: { remote: boolean } }) => c.author.remote)).toEqual([
      true,
      false,
    ]);
    for (const c of pending.items) {
      const res = await t.send(
        "POST",
        `/api/v1/comments/${c.id}/approve`,
        undefined,
        moderator.auth(),
      );
      expect(res.status).toBe(200);
    }
    expect((await comments(mod.id)).items).toHaveLength(2);
  });

  it("bounds the comments kept from one host", async () => {
    const limits = t.services.comments.limits;
    const saved = limits.remotePerHost;
    const kept = await t.services.store.db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("host", "=", new URL(stub.origin).host)
      .executeTakeFirstOrThrow();
    limits.remotePerHost = Number(kept.n) + 1;
    try {
      await deliver(wrap("Create", bob, note(bob, "b1")), bob);
      await deliver(wrap("Create", eve, note(eve, "b2")), eve);
      expect(await t.services.comments.byApId(`${bob.id}/statuses/b1`)).toBeTruthy();
      expect(await t.services.comments.byApId(`${eve.id}/statuses/b2`)).toBeUndefined();
    } finally {
      limits.remotePerHost = saved;
      const c = await t.services.comments.byApId(`${bob.id}/statuses/b1`);
      await deliver(wrap("Delete", bob, { id: c!.ap_id, type: "Tombstone" }), bob);
    }
  });

  it("refuses comments on closed events, remote and local", async () => {
    const closed = await t.event(organizer, {
      title: "Closed",
      beginsAt: inDays(22, 14),
      timezone: "UTC",
    });
    await t.send(
      "PUT",
      `/api/v1/events/${closed.id}/comment-policy`,
      { policy: "closed" },
      organizer.auth(),
    );
    await deliver(wrap("Create", bob, note(bob, "c1", { inReplyTo: closed.url })), bob);
    const res = await t.send(
      "POST",
      `/api/v1/events/${closed.id}/comments`,
      { content: "hello" },
      other.auth(),
    );
    expect(res.status).toBe(409);
    expect((await comments(closed.id)).items).toHaveLength(0);
    expect(await t.services.comments.byApId(`${bob.id}/statuses/c1`)).toBeUndefined();
  });

  it("federates a local comment as a Note replying to the event, and its deletion", async () => {
    // Bob follows the organizer: the comment's audience includes the event's followers.
    await deliver(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${bob.id}/follows/${++seq}`,
        type: "Follow",
        actor: bob.id,
        object: `${ORIGIN}/@${organizer.identity.handle}`,
      },
      bob,
    );
    await until(() => stub.inboxed("Accept").length > 0, "Accept(Follow)");
    const res = await t.send(
      "POST",
      `/api/v1/events/${event.id}/comments`,
      { content: "<p>See you <b>there</b><img src=x onerror=alert(1)></p>" },
      other.auth(),
    );
    expect(res.status).toBe(201);
    const posted = await res.json();
    expect(posted.content).not.toMatch(/onerror/);
    await t.services.federation.drained();
    const create = await until(
      () => stub.inboxed("Create").find((r) => r.json.object?.type === "Note"),
      "Create(Note)",
    );
    expect(create.json).toMatchObject({
      actor: `${ORIGIN}/@${other.identity.handle}`,
      to: [PUBLIC],
      object: {
        id: posted.apId,
        type: "Note",
        attributedTo: `${ORIGIN}/@${other.identity.handle}`,
        inReplyTo: event.url,
        content: posted.content,
      },
    });
    expect(create.json.cc).toContain(`${ORIGIN}/@${organizer.identity.handle}`);
    expect(create.headers.signature ?? create.headers["signature-input"]).toBeTruthy();

    // Its id answers with the same Note (peers dereference reply ids).
    const served = await t.request(new URL(posted.apId).pathname, {
      headers: { accept: "application/activity+json" },
    });
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({
      id: posted.apId,
      type: "Note",
      inReplyTo: event.url,
      attributedTo: `${ORIGIN}/@${other.identity.handle}`,
    });

    // Someone else may not delete it; the organizer may.
    expect(
      (await t.send("DELETE", `/api/v1/comments/${posted.id}`, undefined, moderator.auth())).status,
    ).toBe(204);
    await t.services.federation.drained();
    const del = await until(
      () => stub.inboxed("Delete").find((r) => r.json.object?.id === posted.apId),
      "Delete(Note)",
    );
    expect(del.json.object.type).toBe("Tombstone");
    expect(
      (
        await t.request(new URL(posted.apId).pathname, {
          headers: { accept: "application/activity+json" },
        })
      ).status,
    ).toBe(404);
    const again = await t.send(
      "POST",
      `/api/v1/events/${event.id}/comments`,
      { content: "second" },
      other.auth(),
    );
    const second = await again.json();
    const stranger = await t.user();
    expect(
      (await t.send("DELETE", `/api/v1/comments/${second.id}`, undefined, stranger.auth())).status,
    ).toBe(403);
    expect(
      (await t.send("DELETE", `/api/v1/comments/${second.id}`, undefined, organizer.auth())).status,
    ).toBe(204);
  });
});
