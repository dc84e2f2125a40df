/**
 * Forwarding a report between two real Eventail instances on loopback (each dialect on each
 * side in turn), over HTTP with real signatures: B holds an event of A (B's relay follows
 * A's group); an account on B reports it; B's moderator resolves the report forwarding it;
 * A receives a `Flag` from B's instance actor, without the reporter, and lists it as a
 * report from B's moderators.
 */
import type { ReportJson } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveInstance, startInstance, until } from "./federation-helpers.ts";
import { type DialectName, inDays, type TestUser } from "./helpers.ts";

const pairs: [DialectName, DialectName][] = [
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
];

describe.each(pairs)("report forwarding from a %s instance to a %s one", (bDialect, aDialect) => {
  let a: LiveInstance;
  let b: LiveInstance;
  let organizer: TestUser;
  let aAdmin: TestUser;
  let bAdmin: TestUser;
  let bMod: TestUser;
  let reporter: TestUser;
  const settle = () =>
    Promise.all([a.services.federation.drained(), b.services.federation.drained()]);

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(aDialect), startInstance(bDialect)]);
    organizer = await a.user({ handle: "anna" });
    aAdmin = await a.user({ handle: "aadmin", role: "admin" });
    bAdmin = await b.user({ handle: "boss", role: "admin" });
    bMod = await b.user({ handle: "bmod", role: "moderator" });
    reporter = await b.user({ handle: "secret_reporter" });
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
  });

  it("sends a Flag from B's instance actor that A lists as a report", async () => {
    const g = await a.send(
      "POST",
      "/api/v1/groups",
      { handle: "climate_a", name: "Climate A" },
      organizer.auth(),
    );
    const groupId = (await g.json()).id;
    const follow = await b.send(
      "POST",
      "/api/v1/federation/follows",
      { target: `${a.origin}/@climate_a`, as: "relay" },
      bAdmin.auth(),
    );
    expect(follow.status).toBe(202);
    await settle();
    const e = await a.event(organizer, {
      title: "Too good to be true",
      beginsAt: inDays(12, 16),
      timezone: "Europe/Paris",
      groupId,
    });
    await settle();
    const copy = await until(async () => {
      const page = await (await b.request("/api/v1/events")).json();
      return page.items.find((i: { remote?: { id: string } }) => i.remote?.id === e.url);
    }, "A's event on B");

    const filed = await b.send(
      "POST",
      "/api/v1/reports",
      { target: { kind: "event", id: copy.id }, reason: "Asks for bank details" },
      reporter.auth(),
    );
    expect(filed.status).toBe(201);
    const { id } = await filed.json();
    const listed = (
      (await (await b.request("/api/v1/admin/reports", { headers: bMod.auth() })).json())
        .items as ReportJson[]
    ).find((r) => r.id === id)!;
    expect(listed.remoteActor).toBe(`${a.origin}/@climate_a`);

    // A local report about a local account has nowhere to be forwarded.
    const local = await b.services.reports.report(
      await b.services.accounts.find(reporter.accountId),
      { kind: "identity", id: "bmod", reason: "x" },
    );
    const nowhere = await b.send(
      "POST",
      `/api/v1/admin/reports/${local.id}/resolve`,
      { forward: true },
      bMod.auth(),
    );
    expect(nowhere.status).toBe(422);
    expect((await nowhere.json()).errors[0].path).toBe("forward");

    const done = await b.send(
      "POST",
      `/api/v1/admin/reports/${id}/resolve`,
      { resolution: "Forwarded to its instance", forward: true },
      bMod.auth(),
    );
    expect(done.status).toBe(200);
    const resolved = (await done.json()) as ReportJson;
    expect(resolved).toMatchObject({ state: "resolved", forwardedTo: new URL(a.origin).host });
    expect(resolved.forwardedAt).not.toBe(null);
    await settle();

    const received = await until(async () => {
      const r = await a.request("/api/v1/admin/reports", { headers: aAdmin.auth() });
      const items = (await r.json()).items as ReportJson[];
      return items.find((x) => x.source === "remote");
    }, "the forwarded report on A");
    expect(received).toMatchObject({
      source: "remote",
      reporter: `${b.origin}/@relay`,
      originHost: new URL(b.origin).host,
      target: { kind: "event", id: e.id, label: "Too good to be true" },
      reason: "Asks for bank details",
      state: "open",
    });
    // Never the reporter's identity.
    const stored = JSON.stringify(await a.services.reports.list());
    expect(stored).not.toContain("secret_reporter");
    expect(stored).not.toContain(reporter.email);
  });
});
