/**
 * Reports on both dialects: filed by local accounts, received as ActivityPub `Flag`s from a
 * remote instance with real signatures (once per activity), listed and resolved by
 * moderators, with suspension of the account behind a reported identity or event.
 */
import { EVENT_CONTEXT, type ReportJson } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFedEnv, RemoteStub, type StubActor, until } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("reports on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let mod: TestUser;
  let admin: TestUser;
  let reporter: TestUser;
  let organizer: TestUser;
  let mastodonMod: StubActor;

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    mod = await t.user({ role: "moderator" });
    admin = await t.user({ role: "admin" });
    reporter = await t.user();
    organizer = await t.user();
    mastodonMod = await stub.actor("moderation");
  });
  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  const list = async (who: TestUser, state = "open") => {
    const r = await t.request(`/api/v1/admin/reports?state=${state}`, { headers: who.auth() });
    expect(r.status).toBe(200);
    return (await r.json()).items as ReportJson[];
  };

  it("takes a local report and lets a moderator resolve it, suspending the organizer", async () => {
    const e = await t.event(organizer, { title: "Dubious", beginsAt: inDays(5), timezone: "UTC" });
    const r = await t.send(
      "POST",
      "/api/v1/reports",
      { target: { kind: "event", id: e.id }, reason: "  a scam  " },
      reporter.auth(),
    );
    expect(r.status).toBe(201);
    const { id } = await r.json();
    const missing = await t.send(
      "POST",
      "/api/v1/reports",
      { target: { kind: "identity", id: "nobody_here" }, reason: "x" },
      reporter.auth(),
    );
    expect(missing.status).toBe(404);

    const open = await list(mod);
    const mine = open.find((x) => x.id === id)!;
    expect(mine).toMatchObject({
      source: "local",
      reporter: null,
      target: { kind: "event", id: e.id, label: "Dubious", url: `${ORIGIN}/events/${e.id}` },
      reason: "a scam",
      state: "open",
    });
    // Plain accounts cannot read them.
    expect((await t.request("/api/v1/admin/reports", { headers: reporter.auth() })).status).toBe(
      403,
    );

    const done = await t.send(
      "POST",
      `/api/v1/admin/reports/${id}/resolve`,
      { resolution: "Suspended the organizer", suspend: true },
      mod.auth(),
    );
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({
      state: "resolved",
      resolution: "Suspended the organizer",
    });
    expect((await t.services.accounts.find(organizer.accountId)).state).toBe("suspended");
    expect((await list(mod)).some((x) => x.id === id)).toBe(false);
    expect((await list(mod, "resolved")).some((x) => x.id === id)).toBe(true);
  });

  it("never suspends an admin, and says when there is nothing to suspend", async () => {
    const r1 = await t.services.reports.report(await t.services.accounts.find(reporter.accountId), {
      kind: "identity",
      id: admin.identity.handle,
      reason: "power abuse",
    });
    const refused = await t.send(
      "POST",
      `/api/v1/admin/reports/${r1.id}/resolve`,
      { suspend: true },
      mod.auth(),
    );
    expect(refused.status).toBe(403);
    expect((await t.services.accounts.find(admin.accountId)).state).toBe("active");
    const g = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: `g${dialect}rep`, name: "G" },
      reporter.auth(),
    );
    expect(g.status).toBe(201);
    const r2 = await t.services.reports.report(await t.services.accounts.find(reporter.accountId), {
      kind: "group",
      id: `g${dialect}rep`,
      reason: "spam group",
    });
    const nothing = await t.send(
      "POST",
      `/api/v1/admin/reports/${r2.id}/resolve`,
      { suspend: true },
      mod.auth(),
    );
    expect(nothing.status).toBe(422);
  });

  it("turns a signed Flag from another instance into one report", async () => {
    const victim = await t.user();
    const e = await t.event(victim, {
      title: "Flagged event",
      beginsAt: inDays(6),
      timezone: "UTC",
    });
    const flag = {
      "@context": EVENT_CONTEXT,
      id: `${mastodonMod.id}/flags/1`,
      type: "Flag",
      actor: mastodonMod.id,
      object: [`${ORIGIN}/@${victim.identity.handle}`, `${ORIGIN}/events/${e.id}`],
      content: "Spam <b>links</b> everywhere",
    };
    expect((await stub.send(t, "/inbox", flag, mastodonMod)).status).toBe(202);
    expect((await stub.send(t, "/inbox", flag, mastodonMod)).status).toBe(202);
    await t.services.federation.drained();
    const found = await until(async () =>
      (await list(admin)).filter((x) => x.reporter === mastodonMod.id),
    );
    await t.services.federation.drained();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      source: "remote",
      originHost: new URL(stub.origin).host,
      // The event, more precise than its organizer (named first, as Mastodon does).
      target: { kind: "event", id: e.id, label: "Flagged event" },
      reason: "Spam links everywhere",
    });
    // An unsigned Flag is refused and stores nothing.
    const unsigned = await t.request("/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({ ...flag, id: `${mastodonMod.id}/flags/2` }),
    });
    expect(unsigned.status).toBe(401);
    expect((await list(admin)).filter((x) => x.reporter === mastodonMod.id)).toHaveLength(1);
    // A Flag naming only the account: the identity is the target.
    const accountOnly = { ...flag, id: `${mastodonMod.id}/flags/3`, object: [flag.object[0]] };
    expect((await stub.send(t, "/inbox", accountOnly, mastodonMod)).status).toBe(202);
    await t.services.federation.drained();
    const both = await until(async () => {
      const mine = (await list(admin)).filter((x) => x.reporter === mastodonMod.id);
      return mine.length === 2 && mine;
    });
    expect(both.map((x) => x.target.kind).sort()).toEqual(["event", "identity"]);
  });
});
