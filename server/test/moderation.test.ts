/**
 * Moderation tools on both dialects, against a stub remote instance with real signatures:
 * purging an instance's content without blocking it, searching accounts, suspending a
 * reported remote actor (its activities refused from then on, its content purged).
 */
import type { ReportJson } from "@eventail/core";
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

describe.each(dialects)("moderation on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let host: string;
  let admin: TestUser;
  let mod: TestUser;
  let organizer: TestUser;
  let grp: StubActor;
  let bob: StubActor;
  let eve: StubActor;
  let event: EventJsonLike;

  const deliver = async (a: unknown, as: StubActor, path = "/inbox") => {
    const res = await stub.send(t, path, a, as);
    await t.services.federation.drained();
    return res;
  };
  const follow = async (target: StubActor) => {
    const res = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: target.id, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await deliver(
      activity("Accept", target, { id, type: "Follow", actor: `${ORIGIN}/@relay` }),
      target,
    );
  };
  const note = (who: StubActor, n: number) =>
    activity("Create", who, {
      id: `${who.id}/statuses/${n}`,
      type: "Note",
      attributedTo: who.id,
      inReplyTo: event.url,
      content: `<p>hi ${n}</p>`,
    });

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    host = new URL(stub.origin).host;
    admin = await t.user({ handle: `adm_${dialect}`, role: "admin" });
    mod = await t.user({ handle: `mod_${dialect}`, role: "moderator" });
    organizer = await t.user({ handle: `org_${dialect}` });
    grp = await stub.actor("grp", "Group");
    bob = await stub.actor("bob");
    eve = await stub.actor("eve");
    event = await t.event(organizer, { title: "Local", beginsAt: inDays(10, 18), timezone: "UTC" });
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("purges an instance's content without blocking it", async () => {
    await follow(grp);
    await deliver(activity("Create", grp, remoteEvent(stub, grp, "p1")), grp);
    const copy = await until(
      () => t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/p1`),
      "remote event",
    );
    await deliver(activity("Follow", bob, `${ORIGIN}/@${organizer.identity.handle}`), bob);
    await deliver(note(bob, 1), bob);
    expect(await t.services.comments.byApId(`${bob.id}/statuses/1`)).toBeTruthy();
    await deliver(activity("Join", bob, event.url), bob, `/@${organizer.identity.handle}/inbox`);
    const answers = async () =>
      (await t.services.repos.participations.remoteAnswers({ actor: bob.id })).length;
    expect(await answers()).toBe(1);

    const purge = (who: TestUser, h = host) =>
      t.send(
        "POST",
        `/api/v1/admin/federation/instances/${encodeURIComponent(h)}/purge`,
        undefined,
        who.auth(),
      );
    expect((await purge(organizer)).status).toBe(403);
    expect((await purge(mod, "not a host!")).status).toBe(422);
    expect((await purge(mod, new URL(ORIGIN).host)).status).toBe(422);
    const res = await purge(mod);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ host, purged: { events: 1, comments: 1, rsvps: 1 } });
    // bob's cached actor is gone; the group the relay follows stays known.
    expect(body.purged.actors).toBeGreaterThanOrEqual(1);
    expect(await t.services.federation.repo.remoteActor(bob.id)).toBe(null);
    expect(await t.services.federation.repo.remoteActor(grp.id)).not.toBe(null);

    expect((await t.request(`/api/v1/events/${copy.eventId}`)).status).toBe(404);
    expect(await t.services.comments.byApId(`${bob.id}/statuses/1`)).toBeUndefined();
    expect(await answers()).toBe(0);
    // Not blocked: no policy, follows and followers kept, new activities still heard.
    const policies = await (
      await t.send("GET", "/api/v1/admin/federation/instances", undefined, admin.auth())
    ).json();
    expect(policies.items).toEqual([]);
    expect(await t.services.federation.repo.countFollowers(organizer.identity.handle)).toBe(1);
    const again = await deliver(activity("Create", grp, remoteEvent(stub, grp, "p2")), grp);
    expect(again.status).toBe(202);
    await until(
      () => t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/p2`),
      "new remote event after purge",
    );
  });
  it("searches accounts by email, identity handle or name, a page at a time", async () => {
    const a = await t.user({ handle: `quux_${dialect}` });
    const b = await t.user({ handle: `plain_${dialect}` });
    const named = await t.send(
      "POST",
      "/api/v1/identities",
      { handle: `second_${dialect}`, name: "Marguerite Zyx" },
      b.auth(),
    );
    expect(named.status).toBe(201);
    const search = async (q: string, extra = "", who = admin) => {
      const r = await t.request(`/api/v1/admin/accounts?q=${encodeURIComponent(q)}${extra}`, {
        headers: who.auth(),
      });
      return r;
    };
    const ids = async (q: string, extra = "") =>
      ((await (await search(q, extra)).json()).items as { id: string }[]).map((x) => x.id);
    // Email (any case), handle, identity name.
    expect(await ids(`QUUX_${dialect.toUpperCase()}@EXAMPLE`)).toEqual([a.accountId]);
    expect(await ids(`plain_${dialect}`)).toEqual([b.accountId]);
    expect(await ids("marguerite zyx")).toEqual([b.accountId]);
    // LIKE wildcards are literal: "%" and "_" match only themselves.
    expect(await ids("%")).toEqual([]);
    expect((await ids(`_${dialect}`)).length).toBeGreaterThanOrEqual(4);
    expect(await ids("q_ux")).toEqual([]);
    // Pages: next is the offset of the next page.
    const all = await ids("");
    expect(all.length).toBeGreaterThanOrEqual(5);
    const first = await (await search("", "&limit=2")).json();
    expect(first.items.map((x: { id: string }) => x.id)).toEqual(all.slice(0, 2));
    expect(first.next).toBe(2);
    const second = await (await search("", "&limit=2&offset=2")).json();
    expect(second.items.map((x: { id: string }) => x.id)).toEqual(all.slice(2, 4));
    const last = await (await search("", `&limit=2&offset=${all.length - 1}`)).json();
    expect(last.next).toBe(null);
    // Only admins; a bad query is a 400 problem, not a 500.
    expect((await search("x", "", mod)).status).toBe(403);
    for (const bad of [
      ["x", "&limit=0"],
      ["x", "&offset=-1"],
      ["x".repeat(201), ""],
    ]) {
      const r = await search(bad[0]!, bad[1]);
      expect(r.status).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
  });
  it("suspends the remote actor behind a report: refused from then on, its content purged", async () => {
    await follow(eve);
    await deliver(activity("Create", eve, remoteEvent(stub, eve, "s1")), eve);
    const copy = await until(
      () => t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/s1`),
      "eve's event",
    );
    await deliver(note(eve, 7), eve);
    await deliver(activity("Join", eve, event.url), eve, `/@${organizer.identity.handle}/inbox`);
    await deliver(activity("Follow", eve, `${ORIGIN}/@${organizer.identity.handle}`), eve);
    expect(await t.services.comments.byApId(`${eve.id}/statuses/7`)).toBeTruthy();
    expect(await t.services.federation.repo.isFollower(organizer.identity.handle, eve.id)).toBe(
      true,
    );

    const reporter = await t.user();
    const filed = await t.send(
      "POST",
      "/api/v1/reports",
      { target: { kind: "event", id: copy.eventId }, reason: "a fake fundraiser" },
      reporter.auth(),
    );
    expect(filed.status).toBe(201);
    const { id } = await filed.json();
    const listed = (
      (await (await t.request("/api/v1/admin/reports", { headers: mod.auth() })).json())
        .items as ReportJson[]
    ).find((r) => r.id === id)!;
    expect(listed).toMatchObject({ remoteActor: eve.id, forwardedTo: null });

    // A report about a local identity has no remote actor to suspend.
    const local = await t.services.reports.report(
      await t.services.accounts.find(reporter.accountId),
      { kind: "identity", id: organizer.identity.handle, reason: "rude" },
    );
    expect(local.remoteActor).toBe(null);
    const nothing = await t.send(
      "POST",
      `/api/v1/admin/reports/${local.id}/resolve`,
      { suspendRemote: true },
      mod.auth(),
    );
    expect(nothing.status).toBe(422);

    const done = await t.send(
      "POST",
      `/api/v1/admin/reports/${id}/resolve`,
      { resolution: "fraud", suspendRemote: true },
      mod.auth(),
    );
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ state: "resolved", resolution: "fraud" });
    const suspended = await (
      await t.request("/api/v1/admin/federation/suspended-actors", { headers: mod.auth() })
    ).json();
    expect(suspended.items).toMatchObject([{ actor: eve.id, host, reason: "fraud" }]);

    // Its content is purged.
    expect((await t.request(`/api/v1/events/${copy.eventId}`)).status).toBe(404);
    expect(await t.services.comments.byApId(`${eve.id}/statuses/7`)).toBeUndefined();
    expect(await t.services.repos.participations.remoteAnswers({ actor: eve.id })).toEqual([]);
    expect(await t.services.federation.repo.isFollower(organizer.identity.handle, eve.id)).toBe(
      false,
    );
    expect(await t.services.federation.repo.following("relay", eve.id)).toBeUndefined();

    // Its signed activities are refused before anything is stored; its instance still talks.
    const refused = await deliver(activity("Create", eve, remoteEvent(stub, eve, "s2")), eve);
    expect(refused.status).toBe(403);
    const followAgain = await deliver(
      activity("Follow", eve, `${ORIGIN}/@${organizer.identity.handle}`),
      eve,
    );
    expect(followAgain.status).toBe(403);
    expect(await t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/s2`)).toBe(
      null,
    );
    expect((await deliver(note(bob, 8), bob)).status).toBe(202);
    expect(await t.services.comments.byApId(`${bob.id}/statuses/8`)).toBeTruthy();

    // Lifting the suspension lets it talk again.
    const lift = (who: TestUser) =>
      t.send(
        "DELETE",
        `/api/v1/admin/federation/suspended-actors?actor=${encodeURIComponent(eve.id)}`,
        undefined,
        who.auth(),
      );
    expect((await lift(organizer)).status).toBe(403);
    expect((await lift(mod)).status).toBe(204);
    expect((await lift(mod)).status).toBe(404);
    expect((await deliver(note(eve, 9), eve)).status).toBe(202);
    expect(await t.services.comments.byApId(`${eve.id}/statuses/9`)).toBeTruthy();
  });

  it("suspends a remote actor directly, never a local one", async () => {
    const r = await t.send(
      "POST",
      "/api/v1/admin/federation/suspended-actors",
      { actor: `${ORIGIN}/@${organizer.identity.handle}` },
      mod.auth(),
    );
    expect(r.status).toBe(422);
    const bad = await t.send(
      "POST",
      "/api/v1/admin/federation/suspended-actors",
      { actor: "not a url" },
      mod.auth(),
    );
    expect(bad.status).toBe(422);
    const ok = await t.send(
      "POST",
      "/api/v1/admin/federation/suspended-actors",
      { actor: `${bob.id}#main-key`, reason: "spam" },
      admin.auth(),
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).actor).toBe(bob.id);
    expect((await deliver(note(bob, 10), bob)).status).toBe(403);
    await t.services.federation.instances.unsuspendActor(bob.id);
  });
});
