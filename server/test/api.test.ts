/** The REST API through Hono's in-process `app.request`, on SQLite and on PostgreSQL. */
import { instantAt, wallClock } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { hashSecret } from "../src/domain/secrets.ts";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import {
  createEnv,
  dialects,
  type EventJsonLike,
  inDays,
  ORIGIN,
  participationRow,
  problem,
  type TestEnv,
  type TestUser,
  tinyPng,
  unique,
} from "./helpers.ts";

const DAY = 86_400_000;

describe.each(dialects)("API on %s", (dialect) => {
  let t: TestEnv;

  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Signs in through the API; returns the cookie pair to send back. */
  async function login(email: string, password: string): Promise<string> {
    const res = await t.send("POST", "/api/v1/session", { email, password });
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie") ?? "";
    const pair = /^(eventail_session=[^;]+)/.exec(set)?.[1];
    expect(pair).toBeTruthy();
    return pair!;
  }

  const items = async (res: Response): Promise<EventJsonLike[]> => {
    expect(res.status).toBe(200);
    return (await res.json()).items;
  };
  const list = async (query: string) => items(await t.request(`/api/v1/events?${query}`));
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  // ---------------------------------------------------------------- accounts

  describe("accounts, sessions and tokens", () => {
    it("follows the instance's registration mode", async () => {
      const admin = await t.user({ role: "admin" });
      const register = (handle: string) =>
        t.send("POST", "/api/v1/accounts", {
          email: `${handle}@Example.TEST`,
          password: "long enough password",
          handle,
          name: `Reg ${handle}`,
        });

      // Default: approval. The account waits and cannot sign in yet.
      expect((await (await t.request("/api/v1/instance")).json()).registration).toBe("approval");
      const pendingHandle = unique("p");
      const pending = await register(pendingHandle);
      expect(pending.status).toBe(201);
      const pendingBody = await pending.json();
      expect(pendingBody.account.state).toBe("pending");
      expect(pendingBody.account.email).toBe(`${pendingHandle}@example.test`);
      expect(pendingBody.identity.handle).toBe(`${pendingHandle}@events.test`);
      expect(JSON.stringify(pendingBody)).not.toMatch(/password/i);
      const refused = await t.send("POST", "/api/v1/session", {
        email: `${pendingHandle}@example.test`,
        password: "long enough password",
      });
      expect(refused.status).toBe(403);
      expect((await problem(refused)).detail).toMatch(/approval/);

      // An admin approves it.
      const approved = await t.send(
        "PATCH",
        `/api/v1/admin/accounts/${pendingBody.account.id}`,
        { state: "active" },
        admin.auth(),
      );
      expect(approved.status).toBe(200);
      expect((await approved.json()).state).toBe("active");
      await login(`${pendingHandle}@example.test`, "long enough password");

      // Only admins change settings.
      const user = await t.user();
      const denied = await t.send(
        "PATCH",
        "/api/v1/admin/settings",
        { registration: "open" },
        user.auth(),
      );
      expect(denied.status).toBe(403);
      await problem(denied);

      const open = await t.send(
        "PATCH",
        "/api/v1/admin/settings",
        { registration: "open" },
        admin.auth(),
      );
      expect(open.status).toBe(200);
      expect((await open.json()).registration).toBe("open");
      expect((await (await t.request("/api/v1/instance")).json()).registration).toBe("open");
      const active = await register(unique("o"));
      expect(active.status).toBe(201);
      expect((await active.json()).account.state).toBe("active");

      // Taken email and taken handle.
      const dupEmail = await t.send("POST", "/api/v1/accounts", {
        email: user.email,
        password: "long enough password",
        handle: unique("d"),
        name: "Dup",
      });
      expect(dupEmail.status).toBe(409);
      const dupHandle = await t.send("POST", "/api/v1/accounts", {
        email: `${unique("e")}@example.test`,
        password: "long enough password",
        handle: user.identity.handle,
        name: "Dup",
      });
      expect(dupHandle.status).toBe(409);
      expect((await problem(dupHandle)).errors?.[0]?.path).toBe("handle");

      await t.services.settings.update({ registration: "closed" });
      const closed = await register(unique("c"));
      expect(closed.status).toBe(403);
      expect((await problem(closed)).detail).toMatch(/closed/);
      await t.services.settings.update({ registration: "open" });
    });

    it("signs in with an HttpOnly SameSite cookie and answers /me", async () => {
      const u = await t.user();
      const res = await t.send("POST", "/api/v1/session", { email: u.email, password: u.password });
      expect(res.status).toBe(200);
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^eventail_session=evs_/);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      const pair = cookie.split(";")[0]!;

      const me = await t.request("/api/v1/me", { headers: { cookie: pair } });
      expect(me.status).toBe(200);
      const body = await me.json();
      expect(body.account).toMatchObject({ id: u.accountId, email: u.email, role: "user" });
      expect(body.identities.map((i: { id: string }) => i.id)).toEqual([u.identity.id]);
      expect(JSON.stringify(body)).not.toMatch(/password|hash/i);

      // The email is matched whatever its case.
      await login(u.email.toUpperCase(), u.password);

      // On an https origin the cookie is Secure too.
      const https = createApp({
        ...t.services,
        config: t.place.config({ EVENTAIL_ORIGIN: "https://events.test" }),
      }).app;
      const secure = await https.request("https://events.test/api/v1/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      expect(secure.status).toBe(200);
      expect(secure.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
      expect(cookie).not.toMatch(/;\s*Secure/i);

      const anon = await t.request("/api/v1/me");
      expect(anon.status).toBe(401);
      await problem(anon);

      const wrong = await t.send("POST", "/api/v1/session", {
        email: u.email,
        password: "not the password",
      });
      expect(wrong.status).toBe(401);
      const unknown = await t.send("POST", "/api/v1/session", {
        email: "nobody@example.test",
        password: "whatever-whatever",
      });
      expect(unknown.status).toBe(401);
      expect((await problem(unknown)).detail).toBe((await problem(wrong)).detail);

      // Sign out: the cookie stops working.
      const out = await t.request("/api/v1/session", {
        method: "DELETE",
        headers: { cookie: pair, origin: ORIGIN },
      });
      expect(out.status).toBe(204);
      expect((await t.request("/api/v1/me", { headers: { cookie: pair } })).status).toBe(401);
    });

    it("creates, lists and revokes API tokens; a revoked token gets 401 problem+json", async () => {
      const u = await t.user();
      const cookie = await login(u.email, u.password);
      const headers = { cookie, origin: ORIGIN };
      const created = await t.send("POST", "/api/v1/tokens", { name: "static site" }, headers);
      expect(created.status).toBe(201);
      const tok = await created.json();
      expect(tok.token).toMatch(/^evt_/);
      expect(tok.name).toBe("static site");

      const bearer = { authorization: `Bearer ${tok.token}` };
      const me = await t.request("/api/v1/me", { headers: bearer });
      expect(me.status).toBe(200);
      expect((await me.json()).account.id).toBe(u.accountId);

      const listed = await t.request("/api/v1/tokens", { headers: bearer });
      expect(listed.status).toBe(200);
      const listedText = await listed.text();
      expect(JSON.parse(listedText).items.map((i: { name: string }) => i.name)).toEqual([
        "tests",
        "static site",
      ]);
      expect(listedText).not.toContain(tok.token);
      expect(listedText).not.toContain(hashSecret(tok.token));
      expect(listedText).not.toMatch(/hash/i);

      const revoke = await t.request(`/api/v1/tokens/${tok.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${u.token}` },
      });
      expect(revoke.status).toBe(204);
      const after = await t.request("/api/v1/me", { headers: bearer });
      expect(after.status).toBe(401);
      expect((await problem(after)).title).toBe("Unauthorized");
      // Even on a public route, a bad token is refused rather than ignored.
      expect((await t.request("/api/v1/events", { headers: bearer })).status).toBe(401);

      const again = await t.request(`/api/v1/tokens/${tok.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${u.token}` },
      });
      expect(again.status).toBe(404);
      const revokedRow = (
        await (await t.request("/api/v1/tokens", { headers: u.auth() })).json()
      ).items.find((i: { id: string }) => i.id === tok.id);
      expect(revokedRow.revokedAt).toMatch(/^\d{4}-/);

      // Another account cannot revoke my token.
      const other = await t.user();
      const foreign = await t.request(`/api/v1/tokens/${tok.id}`, {
        method: "DELETE",
        headers: other.auth(),
      });
      expect(foreign.status).toBe(404);

      for (const header of ["Bearer", "Basic abc", "Bearer evt_nope", `Bearer ${u.token} x`]) {
        const res = await t.request("/api/v1/me", { headers: { authorization: header } });
        expect(res.status).toBe(401);
        await problem(res);
      }
    });

    it("shuts a suspended account out, sessions and tokens alike", async () => {
      const admin = await t.user({ role: "admin" });
      const u = await t.user();
      const cookie = await login(u.email, u.password);
      const list = await t.request("/api/v1/admin/accounts", { headers: u.auth() });
      expect(list.status).toBe(403);
      const accounts = await t.request("/api/v1/admin/accounts", { headers: admin.auth() });
      expect(accounts.status).toBe(200);
      const accountsText = await accounts.text();
      expect(JSON.parse(accountsText).items.map((a: { id: string }) => a.id)).toContain(
        u.accountId,
      );
      expect(accountsText).not.toMatch(/password|hash/i);
      const suspended = await t.send(
        "PATCH",
        `/api/v1/admin/accounts/${u.accountId}`,
        { state: "suspended" },
        admin.auth(),
      );
      expect(suspended.status).toBe(200);
      expect((await t.request("/api/v1/me", { headers: u.auth() })).status).toBe(401);
      expect((await t.request("/api/v1/me", { headers: { cookie } })).status).toBe(401);
      const relogin = await t.send("POST", "/api/v1/session", {
        email: u.email,
        password: u.password,
      });
      expect(relogin.status).toBe(403);
      expect((await problem(relogin)).detail).toMatch(/suspended/);
    });

    it("refuses cookie-authenticated writes from another origin (CSRF)", async () => {
      const u = await t.user();
      const cookie = await login(u.email, u.password);
      const body = { name: "x" };
      const foreign = await t.send("POST", "/api/v1/tokens", body, {
        cookie,
        origin: "https://evil.example",
      });
      expect(foreign.status).toBe(403);
      expect((await problem(foreign)).detail).toMatch(/cross-site/);
      const noOrigin = await t.send("POST", "/api/v1/tokens", body, { cookie });
      expect(noOrigin.status).toBe(403);
      const crossSite = await t.send("POST", "/api/v1/tokens", body, {
        cookie,
        "sec-fetch-site": "cross-site",
      });
      expect(crossSite.status).toBe(403);
      const sameSite = await t.send("POST", "/api/v1/tokens", body, {
        cookie,
        "sec-fetch-site": "same-origin",
      });
      expect(sameSite.status).toBe(201);
      const sameOrigin = await t.send("POST", "/api/v1/tokens", body, { cookie, origin: ORIGIN });
      expect(sameOrigin.status).toBe(201);
      // A foreign-origin event write is refused too, and nothing is created.
      const ev = await t.send(
        "POST",
        "/api/v1/events",
        { title: "CSRF", beginsAt: inDays(3), timezone: "UTC" },
        { cookie, origin: "https://evil.example" },
      );
      expect(ev.status).toBe(403);
      expect(await list(`organizer=${u.identity.handle}`)).toEqual([]);
      // Bearer tokens are not cookies: any origin may use them.
      const viaToken = await t.send("POST", "/api/v1/tokens", body, {
        ...u.auth(),
        origin: "https://other.example",
      });
      expect(viaToken.status).toBe(201);
    });
  });

  // ---------------------------------------------------------------- identities and groups

  describe("identities", () => {
    it("creates, renames and deletes identities; Eventail-Identity picks the actor", async () => {
      const u = await t.user();
      const handle = unique("alt");
      const created = await t.send(
        "POST",
        "/api/v1/identities",
        { handle, name: "Second Self", bio: "another face" },
        u.auth(),
      );
      expect(created.status).toBe(201);
      const second = await created.json();
      expect(second).toMatchObject({
        handle: `${handle}@events.test`,
        name: "Second Self",
        bio: "another face",
        url: `${ORIGIN}/@${handle}`,
      });
      expect(second).not.toHaveProperty("accountId");

      const read = await t.request(`/api/v1/identities/${handle}`);
      expect(read.status).toBe(200);
      const readText = await read.text();
      expect(readText).not.toContain(u.accountId);
      expect(readText).not.toContain(u.email);

      const renamed = await t.send(
        "PATCH",
        `/api/v1/identities/${handle}`,
        { name: "Renamed Self" },
        u.auth(),
      );
      expect(renamed.status).toBe(200);
      expect((await renamed.json()).name).toBe("Renamed Self");

      const stranger = await t.user();
      const notMine = await t.send(
        "PATCH",
        `/api/v1/identities/${handle}`,
        { name: "Hijack" },
        stranger.auth(),
      );
      expect(notMine.status).toBe(404);
      await problem(notMine);

      // Two identities: the header is required for acting.
      const input = { title: "Who acts?", beginsAt: inDays(4), timezone: "Europe/Paris" };
      const missing = await t.send("POST", "/api/v1/events", input, u.auth());
      expect(missing.status).toBe(422);
      const p = await problem(missing);
      expect(p.detail).toMatch(/identit/);
      expect(p.errors?.map((e) => e.path)).toContain("Eventail-Identity");

      const asSecond = await t.event(u, input, second);
      expect(asSecond.organizer.id).toBe(second.id);
      expect(asSecond.organizer.name).toBe("Renamed Self");
      const asFirst = await t.event(u, input, u.identity);
      expect(asFirst.organizer.id).toBe(u.identity.id);

      const foreignHeader = await t.send("POST", "/api/v1/events", input, {
        ...u.auth(),
        "eventail-identity": stranger.identity.id,
      });
      expect(foreignHeader.status).toBe(404);

      // An identity organizing events cannot be deleted; a free one can, and its handle frees.
      const busy = await t.request(`/api/v1/identities/${handle}`, {
        method: "DELETE",
        headers: u.auth(),
      });
      expect(busy.status).toBe(409);
      const third = unique("third");
      expect(
        (await t.send("POST", "/api/v1/identities", { handle: third, name: "Third" }, u.auth()))
          .status,
      ).toBe(201);
      const del = await t.request(`/api/v1/identities/${third}`, {
        method: "DELETE",
        headers: u.auth(),
      });
      expect(del.status).toBe(204);
      expect((await t.request(`/api/v1/identities/${third}`)).status).toBe(404);
      expect(
        (await t.send("POST", "/api/v1/identities", { handle: third, name: "Again" }, u.auth()))
          .status,
      ).toBe(201);

      // The last identity stays.
      const solo = await t.user();
      const last = await t.request(`/api/v1/identities/${solo.identity.handle}`, {
        method: "DELETE",
        headers: solo.auth(),
      });
      expect(last.status).toBe(409);

      const bad = await t.send(
        "POST",
        "/api/v1/identities",
        { handle: "Not Valid!", name: "x" },
        u.auth(),
      );
      expect(bad.status).toBe(422);
      expect((await problem(bad)).errors?.[0]?.path).toBe("handle");
    });
  });

  describe("groups", () => {
    it("creates, reads and updates groups; only their admins edit", async () => {
      const admin = await t.user();
      const handle = unique("grp");
      const created = await t.send(
        "POST",
        "/api/v1/groups",
        { handle, name: "Gardeners", description: "<p>We <em>grow</em><script>x()</script></p>" },
        admin.auth(),
      );
      expect(created.status).toBe(201);
      const group = await created.json();
      expect(group).toMatchObject({ handle: `${handle}@events.test`, name: "Gardeners" });
      expect(group.description).toBe("<p>We <em>grow</em></p>");

      const read = await t.request(`/api/v1/groups/${handle}`);
      expect(read.status).toBe(200);
      expect((await read.json()).id).toBe(group.id);
      expect((await t.request("/api/v1/groups/no_such_group")).status).toBe(404);

      const listed = await t.request("/api/v1/groups?limit=100");
      expect((await listed.json()).items.map((g: { id: string }) => g.id)).toContain(group.id);

      const other = await t.user();
      const denied = await t.send(
        "PATCH",
        `/api/v1/groups/${handle}`,
        { name: "Taken over" },
        other.auth(),
      );
      expect(denied.status).toBe(403);
      await problem(denied);

      const updated = await t.send(
        "PATCH",
        `/api/v1/groups/${handle}`,
        { name: "Urban Gardeners" },
        admin.auth(),
      );
      expect(updated.status).toBe(200);
      expect((await updated.json()).name).toBe("Urban Gardeners");

      // Handles are shared with identities; reserved ones are refused.
      const clash = await t.send(
        "POST",
        "/api/v1/groups",
        { handle: admin.identity.handle, name: "Clash" },
        admin.auth(),
      );
      expect(clash.status).toBe(409);
      const clash2 = await t.send(
        "POST",
        "/api/v1/identities",
        { handle, name: "Clash" },
        admin.auth(),
      );
      expect(clash2.status).toBe(409);
      const reserved = await t.send(
        "POST",
        "/api/v1/groups",
        { handle: "admin", name: "Admins" },
        admin.auth(),
      );
      expect(reserved.status).toBe(409);
      expect(
        (await t.send("POST", "/api/v1/groups", { handle: unique("g"), name: "x" })).status,
      ).toBe(401);
    });
  });

  // ---------------------------------------------------------------- events

  describe("events", () => {
    it("creates, reads, updates, publishes, cancels and deletes an event", async () => {
      const u = await t.user();
      const input = {
        title: "Repair café",
        description: "<p>Bring <b>things</b><img src=x onerror=alert(1)></p>",
        beginsAt: inDays(6, 17),
        endsAt: inDays(6, 19),
        timezone: "Europe/Paris",
        address: { venue: "La Halle", locality: "Lyon", latitude: 45.76, longitude: 4.83 },
        category: "COMMUNITY",
        tags: ["#Repair Café", "zero-waste"],
        capacity: 20,
        draft: true,
      };
      const created = await t.send("POST", "/api/v1/events", input, u.auth());
      expect(created.status).toBe(201);
      const ev = await created.json();
      expect(created.headers.get("location")).toBe(`/api/v1/events/${ev.id}`);
      expect(ev).toMatchObject({
        title: "Repair café",
        description: "<p>Bring <b>things</b></p>",
        timezone: "Europe/Paris",
        attendanceMode: "offline",
        category: "COMMUNITY",
        tags: ["repair-café", "zero-waste"],
        capacity: 20,
        remainingCapacity: 20,
        draft: true,
        status: "confirmed",
        sequence: 0,
        url: `${ORIGIN}/events/${ev.id}`,
        icsUrl: `${ORIGIN}/events/${ev.id}.ics`,
      });
      expect(Date.parse(ev.beginsAt)).toBe(Date.parse(input.beginsAt));
      expect(ev.beginsAt).toMatch(/\+0[12]:00$/);

      // A draft: hidden from the public, visible to its organizer.
      expect((await t.request(`/api/v1/events/${ev.id}`)).status).toBe(404);
      const own = await t.request(`/api/v1/events/${ev.id}`, { headers: u.auth() });
      expect(own.status).toBe(200);
      expect(own.headers.get("cache-control")).toMatch(/private|no-store/);

      const published = await t.request(`/api/v1/events/${ev.id}/publish`, {
        method: "POST",
        headers: u.auth(),
      });
      expect(published.status).toBe(200);
      expect(await published.json()).toMatchObject({ draft: false, sequence: 1 });
      const pub = await t.request(`/api/v1/events/${ev.id}`);
      expect(pub.status).toBe(200);
      expect((await pub.json()).title).toBe("Repair café");

      const patched = await t.send(
        "PATCH",
        `/api/v1/events/${ev.id}`,
        { title: "Repair café XL", onlineUrl: "https://meet.example.org/r" },
        u.auth(),
      );
      expect(patched.status).toBe(200);
      const p = await patched.json();
      expect(p).toMatchObject({
        title: "Repair café XL",
        attendanceMode: "mixed",
        sequence: 2,
        tags: ["repair-café", "zero-waste"],
      });
      expect(Date.parse(p.updatedAt)).toBeGreaterThan(Date.parse(ev.updatedAt));

      const cancelled = await t.request(`/api/v1/events/${ev.id}/cancel`, {
        method: "POST",
        headers: u.auth(),
      });
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ status: "cancelled", sequence: 3 });
      // Cancelled events stay public, marked as such.
      expect((await (await t.request(`/api/v1/events/${ev.id}`)).json()).status).toBe("cancelled");

      const del = await t.request(`/api/v1/events/${ev.id}`, {
        method: "DELETE",
        headers: u.auth(),
      });
      expect(del.status).toBe(204);
      expect((await t.request(`/api/v1/events/${ev.id}`)).status).toBe(404);
      expect((await t.request(`/api/v1/events/${ev.id}`, { headers: u.auth() })).status).toBe(404);
      const gone = await t.send("PATCH", `/api/v1/events/${ev.id}`, { title: "x" }, u.auth());
      expect(gone.status).toBe(404);
      await problem(gone);
    });

    it("bumps SEQUENCE on every update, also in the event's iCalendar", async () => {
      const u = await t.user();
      const ev = await t.event(u, { title: "Seq", beginsAt: inDays(9), timezone: "UTC" });
      expect(ev.sequence).toBe(0);
      let last = 0;
      for (const patch of [
        { title: "Seq 1" },
        { description: "<p>two</p>" },
        { tags: ["a"] },
        { endsAt: inDays(9, 20) },
      ]) {
        const res = await t.send("PATCH", `/api/v1/events/${ev.id}`, patch, u.auth());
        expect(res.status).toBe(200);
        const body = await res.json();
        expect(body.sequence).toBe(last + 1);
        last = body.sequence;
      }
      const ics = await (await t.request(`/events/${ev.id}.ics`)).text();
      expect(ics).toMatch(new RegExp(`SEQUENCE:${last}\\r\\n`));
      const json = await (await t.request(`/api/v1/events/${ev.id}`)).json();
      expect(json.sequence).toBe(4);
    });

    it("lets only the organizer or a group admin write", async () => {
      const owner = await t.user();
      const stranger = await t.user();
      const pub = await t.event(owner, { title: "Mine", beginsAt: inDays(5), timezone: "UTC" });
      const draft = await t.event(owner, {
        title: "Mine, draft",
        beginsAt: inDays(5),
        timezone: "UTC",
        draft: true,
      });
      const priv = await t.event(owner, {
        title: "Mine, private",
        beginsAt: inDays(5),
        timezone: "UTC",
        visibility: "private",
      });

      for (const [method, suffix, body] of [
        ["PATCH", "", { title: "Stolen" }],
        ["POST", "/publish", undefined],
        ["POST", "/cancel", undefined],
        ["DELETE", "", undefined],
      ] as const) {
        const onPublic = await t.send(
          method,
          `/api/v1/events/${pub.id}${suffix}`,
          body,
          stranger.auth(),
        );
        expect(onPublic.status).toBe(403);
        await problem(onPublic);
        for (const hidden of [draft, priv]) {
          const res = await t.send(
            method,
            `/api/v1/events/${hidden.id}${suffix}`,
            body,
            stranger.auth(),
          );
          expect(res.status).toBe(404);
          await problem(res);
        }
      }
      expect((await (await t.request(`/api/v1/events/${pub.id}`)).json()).title).toBe("Mine");
      // Not even readable by a stranger.
      expect(
        (await t.request(`/api/v1/events/${priv.id}`, { headers: stranger.auth() })).status,
      ).toBe(404);
      expect((await t.request(`/api/v1/events/${priv.id}`, { headers: owner.auth() })).status).toBe(
        200,
      );
      expect((await t.send("PATCH", `/api/v1/events/${pub.id}`, { title: "x" })).status).toBe(401);

      // Groups: members create, the group's admins edit any of its events.
      const admin = await t.user();
      const member = await t.user();
      const ghandle = unique("club");
      const group = await (
        await t.send("POST", "/api/v1/groups", { handle: ghandle, name: "Club" }, admin.auth())
      ).json();
      const outsider = await t.send(
        "POST",
        "/api/v1/events",
        { title: "Gatecrash", beginsAt: inDays(5), timezone: "UTC", groupId: group.id },
        stranger.auth(),
      );
      expect(outsider.status).toBe(403);
      await t.services.repos.actors.addMember(group.id, member.identity.id, "member");
      const memberEvent = await t.event(member, {
        title: "Member's event",
        beginsAt: inDays(5),
        timezone: "UTC",
        groupId: group.id,
      });
      expect(memberEvent.group.id).toBe(group.id);
      expect(memberEvent.organizer.id).toBe(member.identity.id);
      const byAdmin = await t.send(
        "PATCH",
        `/api/v1/events/${memberEvent.id}`,
        { title: "Edited by the group admin" },
        admin.auth(),
      );
      expect(byAdmin.status).toBe(200);
      const byStranger = await t.send(
        "PATCH",
        `/api/v1/events/${memberEvent.id}`,
        { title: "x" },
        stranger.auth(),
      );
      expect(byStranger.status).toBe(403);
      // A plain member may not edit another member's event.
      const member2 = await t.user();
      await t.services.repos.actors.addMember(group.id, member2.identity.id, "member");
      const byMember2 = await t.send(
        "PATCH",
        `/api/v1/events/${memberEvent.id}`,
        { title: "x" },
        member2.auth(),
      );
      expect(byMember2.status).toBe(403);
      // Moving an event into a group one is not a member of is refused.
      const move = await t.send(
        "PATCH",
        `/api/v1/events/${pub.id}`,
        { groupId: group.id },
        owner.auth(),
      );
      expect(move.status).toBe(403);
    });

    it("keeps drafts, private, unlisted and scheduled events out of listings and feeds", async () => {
      const u = await t.user();
      const base = { beginsAt: inDays(1, 10), timezone: "Europe/Paris" };
      const pub = await t.event(u, { ...base, title: "Visible public" });
      const draft = await t.event(u, { ...base, title: "Hidden draft", draft: true });
      const priv = await t.event(u, { ...base, title: "Hidden private", visibility: "private" });
      const unlisted = await t.event(u, {
        ...base,
        title: "Hidden unlisted",
        visibility: "unlisted",
      });
      const scheduled = await t.event(u, {
        ...base,
        title: "Hidden scheduled",
        publishAt: inDays(1, 8),
      });
      const hidden = [draft, priv, unlisted, scheduled];

      expect(ids(await list(`organizer=${u.identity.handle}`))).toEqual([pub.id]);
      expect(ids(await list("limit=100"))).not.toEqual(expect.arrayContaining([draft.id]));
      const everything = ids(await list("limit=100"));
      expect(everything).toContain(pub.id);
      for (const h of hidden) expect(everything).not.toContain(h.id);

      for (const path of [
        "/events.ics",
        "/events.atom",
        `/@${u.identity.handle}/events.ics`,
        `/@${u.identity.handle}/events.atom`,
        "/",
        `/@${u.identity.handle}`,
      ]) {
        const res = await t.request(path);
        expect(res.status, path).toBe(200);
        const text = await res.text();
        expect(text, path).toContain(pub.id);
        for (const h of hidden) {
          expect(text, `${path} leaks ${h.title}`).not.toContain(h.id);
          expect(text, `${path} leaks ${h.title}`).not.toContain(h.title);
        }
      }

      // Unlisted: readable by anyone with the link. The others: 404 to the public.
      const un = await t.request(`/api/v1/events/${unlisted.id}`);
      expect(un.status).toBe(200);
      expect((await un.json()).visibility).toBe("unlisted");
      expect((await t.request(`/events/${unlisted.id}`)).status).toBe(200);
      for (const h of [draft, priv, scheduled]) {
        const res = await t.request(`/api/v1/events/${h.id}`);
        expect(res.status).toBe(404);
        await problem(res);
        const page = await t.request(`/events/${h.id}`);
        expect(page.status).toBe(404);
        expect(page.headers.get("content-type")).toMatch(/text\/html/);
        expect(await page.text()).not.toContain(h.title);
        expect((await t.request(`/events/${h.id}.ics`)).status).toBe(404);
        // The organizer still sees it.
        expect((await t.request(`/api/v1/events/${h.id}`, { headers: u.auth() })).status).toBe(200);
      }
    });

    describe("listing filters", () => {
      let org: TestUser;
      let a: EventJsonLike;
      let b: EventJsonLike;
      let c: EventJsonLike;
      let d: EventJsonLike;
      let groupHandle: string;

      beforeAll(async () => {
        org = await t.user();
        groupHandle = unique("jazz");
        const g = await (
          await t.send("POST", "/api/v1/groups", { handle: groupHandle, name: "Jazz" }, org.auth())
        ).json();
        a = await t.event(org, {
          title: "Jazz night",
          beginsAt: inDays(2, 19),
          timezone: "Europe/Paris",
          category: "MUSIC",
          tags: ["alpha"],
          groupId: g.id,
          address: { venue: "Hot Club", locality: "Lyon", latitude: 45.764, longitude: 4.8357 },
        });
        b = await t.event(org, {
          title: "Webinar on soil",
          description: "<p>Compost and 100% fun_stuff</p>",
          beginsAt: inDays(3, 19),
          timezone: "Europe/Paris",
          category: "LEARNING",
          tags: ["beta"],
          onlineUrl: "https://meet.example.org/soil",
        });
        c = await t.event(org, {
          title: "Hybrid assembly",
          beginsAt: inDays(4, 19),
          timezone: "Europe/Paris",
          category: "MEETING",
          tags: ["ALPHA", "gamma"],
          status: "cancelled",
          onlineUrl: "https://meet.example.org/assembly",
          address: { venue: "Mairie", locality: "Paris", latitude: 48.8566, longitude: 2.3522 },
        });
        d = await t.event(org, {
          title: "Tenants' forum",
          beginsAt: inDays(40, 22),
          timezone: "America/Montreal",
          category: "CAUSES",
          status: "postponed",
          address: {
            venue: "Union Hall",
            locality: "Montréal",
            latitude: 45.5152,
            longitude: -73.564,
          },
        });
      });

      const mine = (q: string) => list(`organizer=${org.identity.handle}&${q}`);

      it("filters by organizer and group", async () => {
        expect(ids(await mine(""))).toEqual([a.id, b.id, c.id, d.id]);
        expect(ids(await list(`group=${groupHandle}`))).toEqual([a.id]);
        expect(ids(await list("group=no_such_group"))).toEqual([]);
        expect(ids(await list("organizer=no_such_person"))).toEqual([]);
      });

      it("filters by tag, category, status and text", async () => {
        expect(ids(await mine("tag=alpha"))).toEqual([a.id, c.id]);
        expect(ids(await mine("tag=ALPHA"))).toEqual([a.id, c.id]);
        expect(ids(await mine("tag=gamma"))).toEqual([c.id]);
        expect(ids(await mine("category=MUSIC"))).toEqual([a.id]);
        expect(ids(await mine("category=CAUSES"))).toEqual([d.id]);
        expect(ids(await mine("status=cancelled"))).toEqual([c.id]);
        expect(ids(await mine("status=postponed"))).toEqual([d.id]);
        expect(ids(await mine("q=jazz"))).toEqual([a.id]);
        expect(ids(await mine("q=JAZZ%20night"))).toEqual([a.id]);
        expect(ids(await mine("q=soil%20webinar"))).toEqual([b.id]);
        expect(ids(await mine("q=compost"))).toEqual([b.id]);
        expect(ids(await mine("q=Montr%C3%A9al"))).toEqual([d.id]);
        expect(ids(await mine("q=100%25"))).toEqual([b.id]);
        expect(ids(await mine("q=fun_stuff"))).toEqual([b.id]);
        expect(ids(await mine("q=%25"))).toEqual([b.id]);
        expect(ids(await mine("q=_"))).toEqual([b.id]);
        expect(ids(await mine("q=nothing-like-this"))).toEqual([]);
      });

      it("finds a tag however it is written, as tags are normalized on the way in", async () => {
        const u = await t.user();
        const ev = await t.event(u, {
          title: "Velo",
          beginsAt: inDays(2),
          timezone: "UTC",
          tags: ["#Vélo Lyon"],
        });
        expect(ev.tags).toEqual(["vélo-lyon"]);
        const by = (tag: string) =>
          list(`organizer=${u.identity.handle}&tag=${encodeURIComponent(tag)}`);
        for (const tag of ["vélo-lyon", "Vélo Lyon", "#vélo-lyon", "VÉLO LYON"])
          expect(ids(await by(tag)), tag).toEqual([ev.id]);
        expect(ids(await by("vélo"))).toEqual([]);
      });

      it("lists ongoing events and drops ended ones", async () => {
        const u = await t.user();
        const now = Date.now();
        const iso = (ms: number) => new Date(ms).toISOString();
        const ongoing = await t.event(u, {
          title: "Ongoing",
          beginsAt: iso(now - 3_600_000),
          endsAt: iso(now + 3_600_000),
          timezone: "UTC",
        });
        await t.event(u, {
          title: "Ended",
          beginsAt: iso(now - 7_200_000),
          endsAt: iso(now - 60_000),
          timezone: "UTC",
        });
        await t.event(u, {
          title: "Started, no end",
          beginsAt: iso(now - 60_000),
          timezone: "UTC",
        });
        expect(ids(await list(`organizer=${u.identity.handle}`))).toEqual([ongoing.id]);
      });

      it("filters online and in-person events", async () => {
        expect(ids(await mine("online=true"))).toEqual([b.id, c.id]);
        expect(ids(await mine("online=false"))).toEqual([a.id, c.id, d.id]);
      });

      it("filters by distance", async () => {
        expect(ids(await mine("near=45.76,4.83&radius=10"))).toEqual([a.id]);
        expect(ids(await mine("near=45.76,4.83&radius=500"))).toEqual([a.id, c.id]);
        expect(ids(await mine("near=45.5,-73.57"))).toEqual([d.id]);
        expect(ids(await mine("near=0,0&radius=100"))).toEqual([]);
        const bad = await t.request("/api/v1/events?near=95,4");
        expect(bad.status).toBe(400);
        expect((await problem(bad)).errors?.[0]?.path).toBe("near");
      });

      it("filters by time window", async () => {
        expect(ids(await mine(`to=${encodeURIComponent(inDays(20))}`))).toEqual([a.id, b.id, c.id]);
        expect(ids(await mine(`from=${encodeURIComponent(inDays(30))}`))).toEqual([d.id]);
        expect(
          ids(
            await mine(
              `from=${encodeURIComponent(inDays(3, 0))}&to=${encodeURIComponent(inDays(4, 0))}`,
            ),
          ),
        ).toEqual([b.id]);
        // A window of more than five years is refused.
        const wide = await t.request(
          `/api/v1/events?from=${encodeURIComponent(inDays(0))}&to=${encodeURIComponent(inDays(6 * 366))}`,
        );
        expect(wide.status).toBe(422);
        expect((await problem(wide)).errors?.[0]?.path).toBe("to");
      });

      it("refuses invalid filters with problem+json", async () => {
        for (const q of [
          "category=NOPE",
          "status=done",
          "online=yes",
          "limit=0",
          "limit=1000",
          "from=yesterday",
          "radius=-1",
          "colour=red",
        ]) {
          const res = await t.request(`/api/v1/events?${q}`);
          expect(res.status, q).toBe(400);
          const p = await problem(res);
          expect(p.errors?.length, q).toBeGreaterThan(0);
          expect(p.errors![0]!.path, q).toBe(q.split("=")[0]);
        }
      });
    });

    it("walks a cursor-paginated listing once per item in a stable order", async () => {
      const u = await t.user();
      const created: string[] = [];
      // 25 events, five starts shared by five events each, created in shuffled order.
      const slots = Array.from({ length: 25 }, (_, i) => i % 5).sort(() => Math.random() - 0.5);
      for (const s of slots) {
        const ev = await t.event(u, {
          title: `Paged ${s}`,
          beginsAt: inDays(2 + s, 12),
          timezone: "UTC",
        });
        created.push(ev.id);
      }
      // And a weekly series whose occurrences interleave with them.
      const series = await t.event(u, {
        title: "Paged series",
        beginsAt: inDays(2, 12),
        timezone: "UTC",
        recurrence: { rrule: "FREQ=DAILY;INTERVAL=2;COUNT=3" },
      });

      const whole = await list(`organizer=${u.identity.handle}&limit=100`);
      expect(whole.length).toBe(28);
      const key = (e: EventJsonLike) => `${e.id}@${Date.parse(e.beginsAt)}`;
      for (let i = 1; i < whole.length; i++) {
        const prev = whole[i - 1]!;
        const cur = whole[i]!;
        const dt = Date.parse(cur.beginsAt) - Date.parse(prev.beginsAt);
        expect(dt > 0 || (dt === 0 && prev.id < cur.id)).toBe(true);
      }
      expect(whole.filter((e) => e.id === series.id).length).toBe(3);

      const walked: EventJsonLike[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const res: Response = await t.request(
          `/api/v1/events?organizer=${u.identity.handle}&limit=7${next ? `&cursor=${next}` : ""}`,
        );
        expect(res.status).toBe(200);
        const page: { items: EventJsonLike[]; next: string | null } = await res.json();
        expect(page.items.length).toBeLessThanOrEqual(7);
        walked.push(...page.items);
        next = page.next;
        pages++;
      } while (next && pages < 10);
      expect(pages).toBe(4);
      expect(walked.map(key)).toEqual(whole.map(key));
      expect(new Set(walked.map(key)).size).toBe(28);
      expect(new Set(walked.map((e) => e.id))).toEqual(new Set([...created, series.id]));
    });

    it("lists a weekly recurring event once per occurrence, without its exdates", async () => {
      const u = await t.user();
      const tz = "Europe/Paris";
      const day0 = wallClock(new Date(Date.now() + 3 * DAY), tz);
      const first = instantAt({ ...day0, hour: 19, minute: 0, second: 0 }, tz);
      const nth = (n: number) =>
        instantAt(
          {
            ...wallClock(new Date(first.getTime() + n * 7 * DAY), tz),
            hour: 19,
            minute: 0,
            second: 0,
          },
          tz,
        );
      const series = await t.event(u, {
        title: "Weekly meeting",
        beginsAt: first.toISOString(),
        endsAt: new Date(first.getTime() + 90 * 60_000).toISOString(),
        timezone: tz,
        recurrence: { rrule: "FREQ=WEEKLY;COUNT=6", exdates: [nth(1).toISOString()] },
      });
      expect(series.recurrence.rrule).toBe("FREQ=WEEKLY;COUNT=6");
      expect(series.recurrence.exdates.map(Date.parse)).toEqual([nth(1).getTime()]);

      const all = await list(`organizer=${u.identity.handle}&limit=50`);
      expect(all.map((e) => Date.parse(e.beginsAt))).toEqual(
        [0, 2, 3, 4, 5].map((n) => nth(n).getTime()),
      );
      for (const e of all) {
        expect(e.id).toBe(series.id);
        expect(e.occurrence).toBe(new Date(Date.parse(e.beginsAt)).toISOString());
        expect(wallClock(new Date(e.beginsAt), tz).hour).toBe(19);
        expect(Date.parse(e.endsAt) - Date.parse(e.beginsAt)).toBe(90 * 60_000);
      }
      const window = await list(
        `organizer=${u.identity.handle}&from=${encodeURIComponent(new Date(first.getTime() + DAY).toISOString())}&to=${encodeURIComponent(new Date(nth(3).getTime() + 1).toISOString())}`,
      );
      expect(window.map((e) => Date.parse(e.beginsAt))).toEqual([nth(2), nth(3)].map(Number));
    });

    it("skips and restores occurrences through PATCH exdates, emitted as EXDATE in iCal", async () => {
      const u = await t.user();
      const tz = "Europe/Paris";
      const first = instantAt(
        { ...wallClock(new Date(Date.now() + 5 * DAY), tz), hour: 18, minute: 30, second: 0 },
        tz,
      );
      const nth = (n: number) =>
        instantAt(
          {
            ...wallClock(new Date(first.getTime() + n * 7 * DAY), tz),
            hour: 18,
            minute: 30,
            second: 0,
          },
          tz,
        );
      const series = await t.event(u, {
        title: "Skippable",
        beginsAt: first.toISOString(),
        timezone: tz,
        recurrence: { rrule: "FREQ=WEEKLY;COUNT=4", exdates: [] },
      });
      const patch = (exdates: string[]) =>
        t.send(
          "PATCH",
          `/api/v1/events/${series.id}`,
          { recurrence: { rrule: "FREQ=WEEKLY;COUNT=4", exdates } },
          u.auth(),
        );
      const skipped = await patch([nth(2).toISOString()]);
      expect(skipped.status).toBe(200);
      const got = await (await t.request(`/api/v1/events/${series.id}`)).json();
      expect(got.recurrence.exdates).toHaveLength(1);
      // Given back in the event's zone, the same instant.
      expect(got.recurrence.exdates[0]).toMatch(/T18:30:00\+0[12]:00$/);
      expect(Date.parse(got.recurrence.exdates[0])).toBe(nth(2).getTime());
      const listed = await list(`organizer=${u.identity.handle}&limit=50`);
      expect(listed.map((e) => Date.parse(e.beginsAt))).toEqual(
        [0, 1, 3].map((n) => nth(n).getTime()),
      );
      const ics = await (await t.request(`/events/${series.id}.ics`)).text();
      const stamp = got.recurrence.exdates[0].slice(0, 19).replace(/[-:]/g, "");
      expect(ics).toContain(`EXDATE;TZID=${tz}:${stamp}`);

      // Restored: no exception left, nothing in iCal.
      expect((await patch([])).status).toBe(200);
      const back = await (await t.request(`/api/v1/events/${series.id}`)).json();
      expect(back.recurrence.exdates).toEqual([]);
      expect(await (await t.request(`/events/${series.id}.ics`)).text()).not.toContain("EXDATE");
      // A date that is not an instant is a field error, not a 500.
      const bad = await patch(["next tuesday"]);
      expect(bad.status).toBe(422);
      expect((await problem(bad)).errors?.[0]?.path).toBe("recurrence.exdates.0");
    });

    it("answers ETag and 304 for the listing, one event and /events.ics, with Cache-Control", async () => {
      const u = await t.user();
      const ev = await t.event(u, { title: "Cached", beginsAt: inDays(7), timezone: "UTC" });
      for (const path of [
        `/api/v1/events?organizer=${u.identity.handle}`,
        `/api/v1/events/${ev.id}`,
        "/events.ics",
        `/events/${ev.id}.ics`,
        "/events.atom",
        `/events/${ev.id}`,
      ]) {
        const first = await t.request(path);
        expect(first.status, path).toBe(200);
        const etag = first.headers.get("etag");
        expect(etag, path).toMatch(/^(W\/)?"[^"]+"$/);
        expect(first.headers.get("cache-control"), path).toMatch(/max-age=\d+/);
        const again = await t.request(path, { headers: { "if-none-match": etag! } });
        expect(again.status, path).toBe(304);
        expect(await again.text(), path).toBe("");
        expect(again.headers.get("etag"), path).toBe(etag);
        const other = await t.request(path, { headers: { "if-none-match": 'W/"stale"' } });
        expect(other.status, path).toBe(200);
      }
      // A change makes a new version.
      const listPath = `/api/v1/events?organizer=${u.identity.handle}`;
      const before = (await t.request(listPath)).headers.get("etag")!;
      const eventBefore = (await t.request(`/api/v1/events/${ev.id}`)).headers.get("etag")!;
      const icsBefore = (await t.request("/events.ics")).headers.get("etag")!;
      await t.send("PATCH", `/api/v1/events/${ev.id}`, { title: "Cached, changed" }, u.auth());
      const after = await t.request(listPath, { headers: { "if-none-match": before } });
      expect(after.status).toBe(200);
      expect((await after.json()).items[0].title).toBe("Cached, changed");
      expect(
        (await t.request(`/api/v1/events/${ev.id}`, { headers: { "if-none-match": eventBefore } }))
          .status,
      ).toBe(200);
      expect(
        (await t.request("/events.ics", { headers: { "if-none-match": icsBefore } })).status,
      ).toBe(200);
    });
  });

  // ---------------------------------------------------------------- errors

  describe("problem+json errors", () => {
    let u: TestUser;
    beforeAll(async () => {
      u = await t.user();
    });
    const valid = () => ({ title: "Valid", beginsAt: inDays(3), timezone: "Europe/Paris" });

    const expectProblem = async (res: Response, status: number, path?: string) => {
      expect(res.status).toBe(status);
      const p = await problem(res);
      expect(p.title).toBeTruthy();
      expect(p.detail).toBeTruthy();
      if (path) expect(p.errors?.map((e) => e.path)).toContain(path);
      return p;
    };

    it("names an unknown field", async () => {
      const res = await t.send("POST", "/api/v1/events", { ...valid(), colour: "red" }, u.auth());
      const p = await expectProblem(res, 422, "colour");
      expect(p.errors!.find((e) => e.path === "colour")!.message).toMatch(/unknown/);
      const nested = await t.send(
        "POST",
        "/api/v1/events",
        { ...valid(), address: { locality: "Lyon", planet: "Earth" } },
        u.auth(),
      );
      await expectProblem(nested, 422, "address.planet");
      const patch = await t.send(
        "PATCH",
        `/api/v1/events/${(await t.event(u, valid())).id}`,
        { titel: "typo" },
        u.auth(),
      );
      await expectProblem(patch, 422, "titel");
    });

    it("names bad field values", async () => {
      await expectProblem(
        await t.send("POST", "/api/v1/events", { ...valid(), timezone: "Mars/Olympus" }, u.auth()),
        422,
        "timezone",
      );
      await expectProblem(
        await t.send("POST", "/api/v1/events", { ...valid(), timezone: "+01:00" }, u.auth()),
        422,
        "timezone",
      );
      await expectProblem(
        await t.send(
          "POST",
          "/api/v1/events",
          { ...valid(), beginsAt: inDays(3, 18), endsAt: inDays(3, 17) },
          u.auth(),
        ),
        422,
        "endsAt",
      );
      await expectProblem(
        await t.send("POST", "/api/v1/events", { ...valid(), beginsAt: "tomorrow" }, u.auth()),
        422,
        "beginsAt",
      );
      await expectProblem(
        await t.send("POST", "/api/v1/events", { timezone: "UTC" }, u.auth()),
        422,
        "title",
      );
      await expectProblem(
        await t.send(
          "POST",
          "/api/v1/events",
          { ...valid(), recurrence: { rrule: "FREQ=SECONDLY" } },
          u.auth(),
        ),
        422,
        "recurrence.rrule",
      );
      await expectProblem(
        await t.send("POST", "/api/v1/events", { ...valid(), joinMode: "external" }, u.auth()),
        422,
        "externalUrl",
      );
      await expectProblem(
        await t.send("POST", "/api/v1/events", { ...valid(), groupId: "nosuchgroup" }, u.auth()),
        422,
        "groupId",
      );
      // An update that makes the merged event invalid is refused too.
      const ev = await t.event(u, { ...valid(), endsAt: inDays(3, 20) });
      await expectProblem(
        await t.send("PATCH", `/api/v1/events/${ev.id}`, { beginsAt: inDays(3, 21) }, u.auth()),
        422,
        "endsAt",
      );
    });

    it("refuses malformed JSON, wrong content types and oversized bodies", async () => {
      await expectProblem(
        await t.request("/api/v1/events", {
          method: "POST",
          headers: { ...u.auth(), "content-type": "application/json" },
          body: '{"title": "x",',
        }),
        400,
      );
      await expectProblem(
        await t.request("/api/v1/events", {
          method: "POST",
          headers: { ...u.auth(), "content-type": "text/plain" },
          body: JSON.stringify(valid()),
        }),
        415,
      );
      await expectProblem(
        await t.request("/api/v1/events", {
          method: "POST",
          headers: u.auth(),
          body: JSON.stringify(valid()),
        }),
        415,
      );
      await expectProblem(
        await t.request("/api/v1/events", {
          method: "POST",
          headers: { ...u.auth(), "content-type": "application/json" },
          body: "[1, 2]",
        }),
        422,
      );

      // A small EVENTAIL_MAX_BODY on the same database.
      const config = t.place.config({ EVENTAIL_MAX_BODY: "512" });
      expect(config.maxBodyBytes).toBe(512);
      const { app } = createApp({ ...t.services, config });
      const big = JSON.stringify({ ...valid(), description: "x".repeat(2000) });
      const small = JSON.stringify(valid());
      const post = (body: string, extra: Record<string, string> = {}) =>
        app.request(`${ORIGIN}/api/v1/events`, {
          method: "POST",
          headers: { ...u.auth(u.identity), "content-type": "application/json", ...extra },
          body,
        });
      await expectProblem(await post(big), 413);
      await expectProblem(await post(big, { "content-length": String(big.length) }), 413);
      expect((await post(small)).status).toBe(201);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++)
            controller.enqueue(new TextEncoder().encode(" ".repeat(100)));
          controller.close();
        },
      });
      await expectProblem(
        await app.request(`${ORIGIN}/api/v1/events`, {
          method: "POST",
          headers: { ...u.auth(), "content-type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit),
        413,
      );
    });

    it("answers unknown API routes, bad cursors and bad ids with problems, never a 500", async () => {
      const unknown = await t.request("/api/v1/nope");
      await expectProblem(unknown, 404);
      await expectProblem(await t.request("/api/v2/events"), 404);
      await expectProblem(await t.request("/api/v1/events", { method: "PUT" }), 404);
      for (const cursor of [
        "garbage",
        "!!!!",
        Buffer.from("1.ABC").toString("base64url"),
        "x".repeat(300),
      ]) {
        const res = await t.request(`/api/v1/events?cursor=${encodeURIComponent(cursor)}`);
        expect([400, 422]).toContain(res.status);
        const p = await problem(res);
        expect(p.errors?.[0]?.path).toBe("cursor");
      }
      for (const id of ["nope", "x".repeat(500), "%00", "..%2F..%2Fetc", "a'b"]) {
        const res = await t.request(`/api/v1/events/${id}`);
        expect(res.status, id).toBe(404);
        await problem(res);
      }
      // PostgreSQL text cannot hold U+0000: it must be refused before reaching the database.
      for (const path of [
        "/api/v1/identities/a%00b",
        "/api/v1/groups/a%00b",
        "/api/v1/events/%00/publish",
      ]) {
        const res = await t.request(path, {
          method: path.endsWith("publish") ? "POST" : "GET",
          headers: u.auth(),
        });
        expect(res.status, path).toBe(404);
        await problem(res);
      }
      for (const q of ["tag=a%00b", "q=a%00b"]) {
        const res = await t.request(`/api/v1/events?${q}`);
        expect(res.status, q).toBe(400);
        expect((await problem(res)).errors?.[0]?.path, q).toBe(q.split("=")[0]);
      }
      const nulTitle = await t.send(
        "POST",
        "/api/v1/events",
        { ...valid(), title: "a\u0000b" },
        u.auth(),
      );
      expect(nulTitle.status).toBe(422);
      expect((await problem(nulTitle)).errors?.[0]?.path).toBe("title");
      const nulTag = await t.send(
        "POST",
        "/api/v1/events",
        { ...valid(), tags: ["ok", "a\u0000"] },
        u.auth(),
      );
      expect(nulTag.status).toBe(422);
      expect((await problem(nulTag)).errors?.[0]?.path).toBe("tags.1");
      const nulLogin = await t.send("POST", "/api/v1/session", {
        email: "a\u0000@x.test",
        password: "x",
      });
      expect(nulLogin.status).toBe(422);
      for (const path of ["/events/%00", "/events/a%00b.ics"]) {
        const res = await t.request(path);
        expect(res.status, path).toBe(404);
      }
      // Pages 404 as HTML, not problem+json.
      const page = await t.request("/no/such/page");
      expect(page.status).toBe(404);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect((await t.request("/@no_such_handle")).status).toBe(404);
      expect((await t.request("/media/nothing.png")).status).toBe(404);
      expect((await t.request("/media/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
    });
  });

  // ---------------------------------------------------------------- privacy

  it("never shows passwords, emails or token hashes in public responses", async () => {
    const u = await t.user();
    const g = unique("priv");
    await t.send("POST", "/api/v1/groups", { handle: g, name: "Private Club" }, u.auth());
    const group = await t.services.groups.byHandle(g);
    const ev = await t.event(u, {
      title: "Public meet",
      beginsAt: inDays(2),
      timezone: "UTC",
      groupId: group.id,
      capacity: 5,
    });
    const participantEmail = `${unique("guest")}@participants.test`;
    await t.services.repos.participations.insert(
      participationRow({ eventId: ev.id, email: participantEmail }),
    );
    t.services.cache.invalidate();
    const stored = await t.services.repos.accounts.byEmail(u.email);
    const secrets = [
      u.email,
      u.password,
      stored!.passwordHash,
      u.token,
      hashSecret(u.token),
      participantEmail,
      u.accountId,
    ];
    const paths = [
      "/api/v1/events?limit=100",
      `/api/v1/events/${ev.id}`,
      `/api/v1/identities/${u.identity.handle}`,
      `/api/v1/groups/${g}`,
      "/api/v1/groups",
      "/api/v1/instance",
      "/",
      `/events/${ev.id}`,
      `/@${u.identity.handle}`,
      `/@${g}`,
      "/events.ics",
      "/events.atom",
      `/events/${ev.id}.ics`,
      `/@${g}/events.ics`,
      `/@${g}/events.atom`,
      `/@${u.identity.handle}/events.atom`,
    ];
    for (const path of paths) {
      const res = await t.request(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      // JSON and feeds carry no such field at all; pages may one day hold a form asking for an
      // email, but never anyone's address (the secrets below) nor a mailto: link.
      const html = (res.headers.get("content-type") ?? "").startsWith("text/html");
      expect(text, path).not.toMatch(
        html
          ? /password|token_?hash|mailto:/i
          : /password|passwordHash|password_hash|token_?hash|email/i,
      );
      for (const s of secrets) expect(text, `${path} leaks a secret`).not.toContain(s);
    }
    // The event itself counts the participant without naming them.
    const json = await (await t.request(`/api/v1/events/${ev.id}`)).json();
    expect(json).toMatchObject({ participantCount: 1, remainingCapacity: 4 });
  });

  // ---------------------------------------------------------------- misc

  it("publishes an OpenAPI 3.1 description with the event routes and request schemas", async () => {
    const res = await t.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers[0].url).toBe(ORIGIN);
    const events = doc.paths["/api/v1/events"];
    expect(events.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["from", "to", "group", "tag", "near", "cursor", "limit"]),
    );
    const create = events.post.requestBody.content["application/json"].schema;
    expect(create.type).toBe("object");
    expect(create.required).toEqual(expect.arrayContaining(["title", "beginsAt", "timezone"]));
    expect(Object.keys(create.properties)).toEqual(
      expect.arrayContaining(["title", "beginsAt", "endsAt", "timezone", "address", "recurrence"]),
    );
    expect(create.additionalProperties).toBe(false);
    const one = doc.paths["/api/v1/events/{id}"];
    expect(one.get).toBeTruthy();
    expect(one.patch.requestBody.content["application/json"].schema.properties.title).toBeTruthy();
    expect(one.delete).toBeTruthy();
    expect(doc.paths["/api/v1/events/{id}/publish"].post).toBeTruthy();
    expect(doc.paths["/api/v1/events/{id}/cancel"].post).toBeTruthy();
    expect(one.patch.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["id", "Eventail-Identity"]),
    );
    expect(events.post.responses["422"].content["application/problem+json"]).toBeTruthy();
    expect(doc.components.schemas.Problem).toBeTruthy();
    const opIds = Object.values(doc.paths).flatMap((p) =>
      Object.values(p as Record<string, { operationId: string }>).map((o) => o.operationId),
    );
    expect(new Set(opIds).size).toBe(opIds.length);
  });

  it("answers /healthz", async () => {
    const res = await t.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: dialect });
  });

  it("answers CORS preflights for public reads only", async () => {
    const pre = await t.request("/api/v1/events", { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    const get = await t.request("/api/v1/events");
    expect(get.headers.get("access-control-allow-origin")).toBe("*");
    expect(get.headers.get("x-content-type-options")).toBe("nosniff");
  });

  describe("media", () => {
    const upload = (user: TestUser | null, bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
      return t.request("/api/v1/media", {
        method: "POST",
        headers: user ? user.auth() : {},
        body: form,
      });
    };

    it("stores an image, attaches it as a banner with alt text and serves it", async () => {
      const u = await t.user();
      const png = tinyPng(3, 2);
      const res = await upload(u, png, "banner.png", "image/png");
      expect(res.status).toBe(201);
      const media = await res.json();
      expect(media).toMatchObject({
        mediaType: "image/png",
        width: 3,
        height: 2,
        size: png.length,
      });
      expect(media.url).toMatch(new RegExp(`^${ORIGIN}/media/[a-z0-9]{16}\\.png$`));

      const ev = await t.event(u, { title: "With banner", beginsAt: inDays(8), timezone: "UTC" });
      const withBanner = await t.send(
        "PATCH",
        `/api/v1/events/${ev.id}`,
        { banner: { uploadId: media.id, alt: "Three by two pixels" } },
        u.auth(),
      );
      expect(withBanner.status).toBe(200);
      const body = await withBanner.json();
      expect(body.banner).toEqual({
        url: media.url,
        alt: "Three by two pixels",
        mediaType: "image/png",
        width: 3,
        height: 2,
      });
      // An unrelated update keeps the banner.
      const kept = await t.send("PATCH", `/api/v1/events/${ev.id}`, { title: "Still" }, u.auth());
      expect((await kept.json()).banner?.url).toBe(media.url);

      const served = await t.request(new URL(media.url).pathname);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/png");
      expect(served.headers.get("cache-control")).toMatch(/max-age/);
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);

      const page = await (await t.request(`/events/${ev.id}`)).text();
      expect(page).toContain(`alt="Three by two pixels"`);

      // Alt text is required; another account cannot use my upload.
      const noAlt = await t.send(
        "PATCH",
        `/api/v1/events/${ev.id}`,
        { banner: { uploadId: media.id, alt: "" } },
        u.auth(),
      );
      expect(noAlt.status).toBe(422);
      expect((await problem(noAlt)).errors?.[0]?.path).toBe("banner.alt");
      const thief = await t.user();
      const stolen = await t.send(
        "POST",
        "/api/v1/events",
        {
          title: "x",
          beginsAt: inDays(8),
          timezone: "UTC",
          banner: { uploadId: media.id, alt: "mine now" },
        },
        thief.auth(),
      );
      expect(stolen.status).toBe(422);
      expect((await problem(stolen)).errors?.[0]?.path).toBe("banner.uploadId");
      // Removing it.
      const removed = await t.send("PATCH", `/api/v1/events/${ev.id}`, { banner: null }, u.auth());
      expect((await removed.json()).banner).toBeNull();
    });

    it("refuses files that are not images, missing files and anonymous uploads", async () => {
      const u = await t.user();
      const text = new TextEncoder().encode("just some text pretending to be a picture\n");
      const fake = await upload(u, text, "picture.png", "image/png");
      expect(fake.status).toBe(415);
      await problem(fake);
      const svg = new TextEncoder().encode(
        '<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
      );
      expect((await upload(u, svg, "x.svg", "image/svg+xml")).status).toBe(415);
      expect((await upload(null, tinyPng(1, 1), "a.png", "image/png")).status).toBe(401);
      const json = await t.send("POST", "/api/v1/media", { file: "x" }, u.auth());
      expect(json.status).toBe(415);
      await problem(json);
      const empty = new FormData();
      empty.append("other", "value");
      const none = await t.request("/api/v1/media", {
        method: "POST",
        headers: u.auth(),
        body: empty,
      });
      expect(none.status).toBe(422);
      expect((await problem(none)).errors?.[0]?.path).toBe("file");
      // A small EVENTAIL_MAX_UPLOAD, on the same database.
      const smallServices = await createServices(
        t.place.config({ EVENTAIL_MAX_UPLOAD: "64" }),
        createLogger("silent"),
      );
      try {
        const form = new FormData();
        const png = new Uint8Array(tinyPng(3, 2));
        expect(png.length).toBeGreaterThan(64);
        form.append("file", new Blob([png], { type: "image/png" }), "a.png");
        const tooBig = await createApp(smallServices).app.request(`${ORIGIN}/api/v1/media`, {
          method: "POST",
          headers: u.auth(),
          body: form,
        });
        expect(tooBig.status).toBe(413);
        await problem(tooBig);
      } finally {
        await smallServices.close();
      }
      const huge = tinyPng(20_000, 1);
      const tooWide = await upload(u, huge, "wide.png", "image/png");
      expect(tooWide.status).toBe(422);
    });
  });
});
