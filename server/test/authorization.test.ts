/**
 * The authorization matrix: every API route (from the route registry: a new route without a
 * row in docs/authorization.md fails here) × every kind of caller, allowed or refused exactly
 * as that document says. The test reads its tables, so the document cannot drift.
 *
 * Allowed means the request got past authorization (not 401/403, never 5xx; the business
 * answer may still be 404/409/422). Refused means 401, 403, or 404 where hiding is the rule.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import {
  createEnv,
  type DialectName,
  dialects,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
  unique,
} from "./helpers.ts";

const DOC = new URL("../../docs/authorization.md", import.meta.url);

export const CALLERS = [
  "anonymous",
  "owner",
  "owner-session",
  "other-identity",
  "other-account",
  "group-member",
  "group-moderator",
  "group-admin",
  "instance-moderator",
  "instance-admin",
  "revoked-token",
] as const;
type Caller = (typeof CALLERS)[number];

/** The two tables of docs/authorization.md: rule × caller, and route → rule. */
function readDoc(): { rules: Map<string, Set<Caller>>; routes: Map<string, string> } {
  const text = readFileSync(DOC, "utf8");
  const rows = (heading: string) => {
    const section = text.split(`## ${heading}`)[1]?.split("\n## ")[0] ?? "";
    return section
      .split("\n")
      .filter((l) => l.startsWith("|") && !/^\|\s*-/.test(l))
      .map((l) =>
        l
          .slice(1, -1)
          .split("|")
          .map((c) => c.trim().replace(/`/g, "")),
      );
  };
  const [ruleHeader, ...ruleRows] = rows("Rules");
  const callers = ruleHeader!.slice(1) as Caller[];
  expect(callers).toEqual([...CALLERS]);
  const rules = new Map<string, Set<Caller>>();
  for (const [rule, ...marks] of ruleRows)
    rules.set(rule!, new Set(callers.filter((_, i) => marks[i] === "✓")));
  const routes = new Map<string, string>();
  for (const [method, path, rule] of rows("Routes").slice(1))
    routes.set(`${method} ${path}`, rule!);
  return { rules, routes };
}

interface Built {
  path: string;
  body?: unknown;
}

describe.each(dialects)("authorization matrix on %s", (dialect: DialectName) => {
  let t: TestEnv;
  // The world: account A (identities O and O2) organizes in group G, where M is a member,
  // Mo a moderator and Ad an admin; X has nothing to do with any of it; IM and IA are the
  // instance's moderator and admin.
  let A: TestUser;
  let O2: { id: string; handle: string };
  let M: TestUser;
  let Mo: TestUser;
  let Ad: TestUser;
  let X: TestUser;
  let IM: TestUser;
  let IA: TestUser;
  let session: string;
  let revoked: string;
  const G = `grp${unique()}`.slice(0, 28);

  beforeAll(async () => {
    t = await createEnv(dialect, { EVENTAIL_RSVP_LIMIT: "0", EVENTAIL_EMBED_ORIGINS: ORIGIN });
    [A, M, Mo, Ad, X, IM, IA] = await Promise.all([
      t.user(),
      t.user(),
      t.user(),
      t.user(),
      t.user(),
      t.user({ role: "moderator" }),
      t.user({ role: "admin" }),
    ]);
    const o2 = await t.send(
      "POST",
      "/api/v1/identities",
      { handle: unique("o"), name: "O two" },
      A.auth(),
    );
    expect(o2.status).toBe(201);
    O2 = await o2.json();
    const g = await t.send("POST", "/api/v1/groups", { handle: G, name: "G" }, Ad.auth());
    expect(g.status).toBe(201);
    for (const [u, role] of [
      [A, "member"],
      [M, "member"],
      [Mo, "moderator"],
    ] as const) {
      const r = await t.send(
        "PUT",
        `/api/v1/groups/${G}/members/${u.identity.handle}`,
        { role },
        Ad.auth(),
      );
      expect(r.status, await r.text()).toBe(204);
    }
    await signIn();
    const tok = await t.services.accounts.createToken(A.accountId, "to revoke");
    revoked = tok.token;
    await t.services.accounts.revokeToken(A.accountId, tok.info.id);
  }, 120_000);

  async function signIn() {
    const login = await t.send("POST", "/api/v1/session", { email: A.email, password: A.password });
    session = login.headers.get("set-cookie")!.split(";")[0]!;
  }

  afterAll(async () => {
    await t?.close();
  });

  function headers(caller: Caller, write: boolean): Record<string, string> {
    switch (caller) {
      case "anonymous":
        return {};
      case "owner":
        return A.auth(A.identity);
      case "owner-session":
        return {
          cookie: session,
          ...(write ? { origin: ORIGIN } : {}),
          "eventail-identity": A.identity.id,
        };
      case "other-identity":
        return A.auth(O2.id);
      case "other-account":
        return X.auth(X.identity);
      case "group-member":
        return M.auth(M.identity);
      case "group-moderator":
        return Mo.auth(Mo.identity);
      case "group-admin":
        return Ad.auth(Ad.identity);
      case "instance-moderator":
        return IM.auth(IM.identity);
      case "instance-admin":
        return IA.auth(IA.identity);
      case "revoked-token":
        return { authorization: `Bearer ${revoked}` };
    }
  }

  // ------------------------------------------------------------ fresh targets

  const freshEvent = async (input: Record<string, unknown> = {}) =>
    (
      await t.event(
        A,
        {
          title: `Matrix ${unique("e")}`,
          beginsAt: inDays(20),
          timezone: "Europe/Paris",
          groupId: (await t.services.groups.byHandle(G)).id,
          ...input,
        },
        A.identity,
      )
    ).id;
  const freshParticipant = async () => {
    const id = await freshEvent({ joinMode: "restricted" });
    const r = await t.send("POST", `/api/v1/events/${id}/participations`, {}, X.auth());
    const body = await r.json();
    return { id, pid: body.participation?.id ?? body.id ?? "nope" };
  };
  const freshComment = async () => {
    const id = await freshEvent();
    const r = await t.send(
      "POST",
      `/api/v1/events/${id}/comments`,
      { content: "<p>Hi</p>" },
      A.auth(A.identity),
    );
    const body = await r.json();
    return body.id as string;
  };
  const freshIdentity = async () => {
    const r = await t.send(
      "POST",
      "/api/v1/identities",
      { handle: unique("i"), name: "Spare" },
      A.auth(),
    );
    return (await r.json()).handle as string;
  };
  const freshToken = async () =>
    (await t.services.accounts.createToken(A.accountId, "spare")).info.id;

  /** A valid request for each route, on targets owned by A (or G) made for this call. */
  const BUILD: Record<string, () => Promise<Built>> = {
    "GET /api/v1/instance": async () => ({ path: "/api/v1/instance" }),
    "POST /api/v1/accounts": async () => {
      const h = unique("r");
      return {
        path: "/api/v1/accounts",
        body: {
          email: `${h}@example.test`,
          password: "a long passphrase 1",
          handle: h,
          name: "New",
        },
      };
    },
    "POST /api/v1/session": async () => ({
      path: "/api/v1/session",
      body: { email: A.email, password: A.password },
    }),
    "DELETE /api/v1/session": async () => ({ path: "/api/v1/session" }),
    "GET /api/v1/me": async () => ({ path: "/api/v1/me" }),
    "POST /api/v1/password-resets": async () => ({
      path: "/api/v1/password-resets",
      body: { email: `${unique("nobody")}@example.test` },
    }),
    "POST /api/v1/password-resets/complete": async () => ({
      path: "/api/v1/password-resets/complete",
      body: { token: "evr_notarealtoken000000", password: "a long passphrase 2" },
    }),
    "POST /api/v1/reports": async () => ({
      path: "/api/v1/reports",
      body: { target: { kind: "event", id: await freshEvent() }, reason: "spam" },
    }),
    "GET /api/v1/admin/reports": async () => ({ path: "/api/v1/admin/reports" }),
    "POST /api/v1/admin/reports/:id/resolve": async () => {
      const u = await t.user();
      const account = await t.services.accounts.find(u.accountId);
      const r = await t.services.reports.report(account, {
        kind: "identity",
        id: X.identity.handle,
        reason: "rude",
      });
      return { path: `/api/v1/admin/reports/${r.id}/resolve`, body: { resolution: "seen" } };
    },
    "DELETE /api/v1/admin/reports/:id/reporter-email": async () => {
      const r = await t.services.reports.reportPublic({
        kind: "identity",
        id: X.identity.handle,
        category: "spam",
        reason: "spam",
        email: "visitor@example.test",
      });
      return { path: `/api/v1/admin/reports/${r.id}/reporter-email` };
    },
    "POST /api/v1/admin/smtp-test": async () => ({ path: "/api/v1/admin/smtp-test" }),
    "POST /api/v1/admin/announcements": async () => ({
      path: "/api/v1/admin/announcements",
      body: { subject: "Hello", body: "News" },
    }),
    "GET /api/v1/me/events": async () => ({ path: "/api/v1/me/events" }),
    "GET /api/v1/me/groups": async () => ({ path: "/api/v1/me/groups" }),
    "POST /api/v1/tokens": async () => ({ path: "/api/v1/tokens", body: { name: "t" } }),
    "GET /api/v1/tokens": async () => ({ path: "/api/v1/tokens" }),
    "DELETE /api/v1/tokens/:id": async () => ({ path: `/api/v1/tokens/${await freshToken()}` }),
    "GET /api/v1/admin/accounts": async () => ({ path: "/api/v1/admin/accounts" }),
    "PATCH /api/v1/admin/accounts/:id": async () => ({
      path: `/api/v1/admin/accounts/${(await t.user()).accountId}`,
      body: { role: "user" },
    }),
    "GET /api/v1/admin/settings": async () => ({ path: "/api/v1/admin/settings" }),
    "PATCH /api/v1/admin/settings": async () => ({
      path: "/api/v1/admin/settings",
      body: { name: "Matrix instance" },
    }),
    "POST /api/v1/identities": async () => ({
      path: "/api/v1/identities",
      body: { handle: unique("n"), name: "N" },
    }),
    "GET /api/v1/identities/:handle": async () => ({
      path: `/api/v1/identities/${A.identity.handle}`,
    }),
    "PATCH /api/v1/identities/:handle": async () => ({
      path: `/api/v1/identities/${A.identity.handle}`,
      body: { bio: "bio" },
    }),
    "DELETE /api/v1/identities/:handle": async () => ({
      path: `/api/v1/identities/${await freshIdentity()}`,
    }),
    "GET /api/v1/groups": async () => ({ path: "/api/v1/groups" }),
    "POST /api/v1/groups": async () => ({
      path: "/api/v1/groups",
      body: { handle: unique("g"), name: "New group" },
    }),
    "GET /api/v1/groups/:handle": async () => ({ path: `/api/v1/groups/${G}` }),
    "PATCH /api/v1/groups/:handle": async () => ({
      path: `/api/v1/groups/${G}`,
      body: { description: "d" },
    }),
    "GET /api/v1/groups/:handle/members": async () => ({ path: `/api/v1/groups/${G}/members` }),
    "PUT /api/v1/groups/:handle/members/:member": async () => ({
      path: `/api/v1/groups/${G}/members/${M.identity.handle}`,
      body: { role: "member" },
    }),
    "DELETE /api/v1/groups/:handle/members/:member": async () => {
      const u = await t.user();
      await t.services.repos.actors.setMember(
        (await t.services.groups.byHandle(G)).id,
        u.identity.id,
        "member",
      );
      return { path: `/api/v1/groups/${G}/members/${u.identity.handle}` };
    },
    "GET /api/v1/events": async () => ({ path: "/api/v1/events" }),
    "GET /api/v1/events/:id": async () => ({ path: `/api/v1/events/${await freshEvent()}` }),
    "POST /api/v1/events": async () => ({
      path: "/api/v1/events",
      body: { title: "New", beginsAt: inDays(30), timezone: "UTC" },
    }),
    "PATCH /api/v1/events/:id": async () => ({
      path: `/api/v1/events/${await freshEvent()}`,
      body: { title: "Changed" },
    }),
    "POST /api/v1/events/:id/publish": async () => ({
      path: `/api/v1/events/${await freshEvent({ draft: true })}/publish`,
    }),
    "POST /api/v1/events/:id/cancel": async () => ({
      path: `/api/v1/events/${await freshEvent()}/cancel`,
    }),
    "DELETE /api/v1/events/:id": async () => ({ path: `/api/v1/events/${await freshEvent()}` }),
    "POST /api/v1/media": async () => ({ path: "/api/v1/media" }),
    // Geocoding is off here: allowed callers get its 404 ("not set up"), others 401.
    "GET /api/v1/geocode": async () => ({ path: "/api/v1/geocode?q=Lyon" }),
    "GET /api/v1/pow": async () => ({ path: "/api/v1/pow" }),
    "POST /api/v1/events/:id/participations": async () => ({
      path: `/api/v1/events/${await freshEvent()}/participations`,
      body: { name: "P", email: `${unique("p")}@example.test` },
    }),
    "POST /api/v1/participations/confirm": async () => ({
      path: "/api/v1/participations/confirm",
      body: { token: "evc_notarealtoken000000" },
    }),
    "POST /api/v1/participations/lookup": async () => ({
      path: "/api/v1/participations/lookup",
      body: { token: "evm_notarealtoken000000" },
    }),
    "POST /api/v1/participations/cancel": async () => ({
      path: "/api/v1/participations/cancel",
      body: { token: "evm_notarealtoken000000" },
    }),
    "POST /api/v1/participations/erase": async () => ({
      path: "/api/v1/participations/erase",
      body: { token: "evm_notarealtoken000000" },
    }),
    "GET /api/v1/events/:id/participants": async () => ({
      path: `/api/v1/events/${await freshEvent()}/participants`,
    }),
    "GET /api/v1/events/:id/participants.csv": async () => ({
      path: `/api/v1/events/${await freshEvent()}/participants.csv`,
    }),
    "POST /api/v1/events/:id/participants/:pid/approve": async () => {
      const { id, pid } = await freshParticipant();
      return { path: `/api/v1/events/${id}/participants/${pid}/approve` };
    },
    "POST /api/v1/events/:id/participants/:pid/reject": async () => {
      const { id, pid } = await freshParticipant();
      return { path: `/api/v1/events/${id}/participants/${pid}/reject` };
    },
    "POST /api/v1/events/:id/invitations": async () => ({
      path: `/api/v1/events/${await freshEvent({ joinMode: "invite" })}/invitations`,
      body: { handle: X.identity.handle },
    }),
    "POST /api/v1/events/:id/rsvp-status": async () => ({
      path: `/api/v1/events/${await freshEvent()}/rsvp-status`,
      body: { open: false },
    }),
    "POST /api/v1/events/:id/participants/message": async () => ({
      path: `/api/v1/events/${await freshEvent()}/participants/message`,
      body: { subject: "Hello", body: "See you" },
    }),
    "GET /api/v1/admin/federation/instances": async () => ({
      path: "/api/v1/admin/federation/instances",
    }),
    "PUT /api/v1/admin/federation/instances/:host": async () => ({
      path: `/api/v1/admin/federation/instances/${unique("h")}.example`,
      body: { level: "block" },
    }),
    "POST /api/v1/admin/federation/instances/:host/purge": async () => ({
      path: `/api/v1/admin/federation/instances/${unique("h")}.example/purge`,
    }),
    "GET /api/v1/admin/federation/suspended-actors": async () => ({
      path: "/api/v1/admin/federation/suspended-actors",
    }),
    "POST /api/v1/admin/federation/suspended-actors": async () => ({
      path: "/api/v1/admin/federation/suspended-actors",
      body: { actor: `https://${unique("h")}.example/users/spammer`, reason: "spam" },
    }),
    "DELETE /api/v1/admin/federation/suspended-actors": async () => {
      const actor = `https://${unique("h")}.example/users/spammer`;
      await t.services.federation.instances.suspendActor(actor, "");
      return {
        path: `/api/v1/admin/federation/suspended-actors?actor=${encodeURIComponent(actor)}`,
      };
    },
    "DELETE /api/v1/admin/federation/instances/:host": async () => {
      const host = `${unique("h")}.example`;
      await t.services.federation.instances.set(host, "block", "");
      return { path: `/api/v1/admin/federation/instances/${host}` };
    },
    "GET /api/v1/federation/settings": async () => ({
      path: `/api/v1/federation/settings?as=${G}`,
    }),
    "PUT /api/v1/federation/settings": async () => ({
      path: "/api/v1/federation/settings",
      body: { as: G, manualApproval: false },
    }),
    "GET /api/v1/federation/follow-requests": async () => ({
      path: `/api/v1/federation/follow-requests?as=${G}`,
    }),
    "POST /api/v1/federation/follow-requests/accept": async () => ({
      path: "/api/v1/federation/follow-requests/accept",
      body: { as: G, follower: "https://remote.example/users/nobody" },
    }),
    "POST /api/v1/federation/follow-requests/reject": async () => ({
      path: "/api/v1/federation/follow-requests/reject",
      body: { as: G, follower: "https://remote.example/users/nobody" },
    }),
    "GET /api/v1/federation/blocks": async () => ({ path: `/api/v1/federation/blocks?as=${G}` }),
    "POST /api/v1/federation/blocks": async () => ({
      path: "/api/v1/federation/blocks",
      body: { as: G, follower: "https://remote.example/users/nobody" },
    }),
    "DELETE /api/v1/federation/blocks": async () => ({
      path: `/api/v1/federation/blocks?as=${G}&follower=${encodeURIComponent("https://remote.example/users/nobody")}`,
    }),
    "POST /api/v1/federation/follows": async () => ({
      path: "/api/v1/federation/follows",
      body: { as: G, target: "https://remote.example/users/nobody" },
    }),
    "GET /api/v1/federation/follows": async () => ({ path: `/api/v1/federation/follows?as=${G}` }),
    "DELETE /api/v1/federation/follows": async () => ({
      path: `/api/v1/federation/follows?as=${G}&target=${encodeURIComponent("https://remote.example/users/nobody")}`,
    }),
    "GET /api/v1/federation/followers": async () => ({
      path: `/api/v1/federation/followers?as=${G}`,
    }),
    "DELETE /api/v1/federation/followers": async () => ({
      path: `/api/v1/federation/followers?as=${G}&follower=${encodeURIComponent("https://remote.example/users/nobody")}`,
    }),
    "GET /api/v1/federation/events/:id/rsvp": async () => ({
      path: `/api/v1/federation/events/${await freshEvent()}/rsvp`,
    }),
    "DELETE /api/v1/federation/events/:id/rsvp": async () => ({
      path: `/api/v1/federation/events/${await freshEvent()}/rsvp`,
    }),
    "GET /api/v1/events/:id/comments": async () => ({
      path: `/api/v1/events/${await freshEvent()}/comments`,
    }),
    "POST /api/v1/events/:id/comments": async () => ({
      path: `/api/v1/events/${await freshEvent()}/comments`,
      body: { content: "<p>Nice</p>" },
    }),
    "DELETE /api/v1/comments/:id": async () => ({
      path: `/api/v1/comments/${await freshComment()}`,
    }),
    "POST /api/v1/comments/:id/approve": async () => ({
      path: `/api/v1/comments/${await freshComment()}/approve`,
    }),
    "PUT /api/v1/events/:id/comment-policy": async () => ({
      path: `/api/v1/events/${await freshEvent()}/comment-policy`,
      body: { policy: "moderated" },
    }),
  };

  it("lets members leave by themselves, and never leaves a group without an admin", async () => {
    const handle = unique("g");
    expect(
      (await t.send("POST", "/api/v1/groups", { handle, name: "Small" }, X.auth(X.identity)))
        .status,
    ).toBe(201);
    const member = (path: string, role?: string, who = X) =>
      t.send(
        role ? "PUT" : "DELETE",
        `/api/v1/groups/${handle}/members/${path}`,
        role ? { role } : undefined,
        who.auth(who.identity),
      );
    // The only admin cannot step down or leave.
    expect((await member(X.identity.handle, "member")).status).toBe(409);
    expect((await member(X.identity.handle)).status).toBe(409);
    expect((await member(M.identity.handle, "moderator")).status).toBe(204);
    const list = await t.request(`/api/v1/groups/${handle}/members`, {
      headers: M.auth(M.identity),
    });
    expect((await list.json()).members.map((m: { role: string }) => m.role)).toEqual([
      "admin",
      "moderator",
    ]);
    // A moderator edits the group's events but not its members; it may leave on its own.
    expect((await member(Mo.identity.handle, "member", M)).status).toBe(403);
    expect((await member(M.identity.handle, undefined, M)).status).toBe(204);
    expect((await member(M.identity.handle)).status).toBe(404);
    expect((await member("nobody-here", "member")).status).toBe(404);
  });

  it("covers every registered route, each with a rule the document defines", () => {
    const { rules, routes } = readDoc();
    const { api } = createApp(t.services);
    const registered = api.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const missing = registered.filter((k) => !routes.has(k));
    expect(missing, "routes without a row in docs/authorization.md").toEqual([]);
    expect(
      [...routes.keys()].filter((k) => !registered.includes(k)),
      "rows for no route",
    ).toEqual([]);
    for (const [route, rule] of routes)
      expect(rules.has(rule), `${route}: rule ${rule}`).toBe(true);
    expect(
      registered.filter((k) => !BUILD[k]),
      "routes without a request builder",
    ).toEqual([]);
  });

  it("allows and refuses every route × caller as documented", async () => {
    const { rules, routes } = readDoc();
    const wrong: string[] = [];
    let checked = 0;
    for (const [route, rule] of routes) {
      const [method] = route.split(" ") as [string];
      const build = BUILD[route];
      if (!build) continue;
      const allowed = rules.get(rule)!;
      for (const caller of CALLERS) {
        const { path, body } = await build();
        const write = method !== "GET";
        const res = await t.request(path, {
          method,
          headers: {
            ...headers(caller, write),
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        checked++;
        // Signing out ends the session this matrix uses: open another.
        if (route === "DELETE /api/v1/session" && caller === "owner-session") await signIn();
        const text = await res.text();
        expect(res.status, `${route} as ${caller}: ${text.slice(0, 300)}`).toBeLessThan(500);
        const refused = res.status === 401 || res.status === 403;
        const expectRefused = !allowed.has(caller);
        const ok = expectRefused ? refused || res.status === 404 : !refused;
        if (!ok)
          wrong.push(
            `${route} as ${caller}: ${res.status} (${rule} ${expectRefused ? "refuses" : "allows"}) ${text.slice(0, 160)}`,
          );
      }
    }
    console.log(
      `authorization matrix on ${dialect}: ${routes.size} routes × ${CALLERS.length} callers = ${checked} requests`,
    );
    expect(wrong).toEqual([]);
  }, 300_000);
});
