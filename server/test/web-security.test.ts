/**
 * Web security on both databases: headers on every kind of response, CORS only where
 * configured, login throttling, secrets stored hashed and never in logs.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import {
  createPlace,
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  problem,
  type TestEnv,
  type TestUser,
  unique,
  wrap,
} from "./helpers.ts";
import { link, SmtpSink } from "./smtp-sink.ts";

const SITE = "http://site.test";

describe.each(dialects)("web security on %s", (dialect: DialectName) => {
  const inbox = new SmtpSink();
  const logLines: string[] = [];
  let t: TestEnv;
  let organizer: TestUser;
  let event: EventJsonLike;

  beforeAll(async () => {
    await inbox.start();
    const place = await createPlace(dialect);
    const config = place.config({
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(inbox.port),
      SMTP_FROM: "Eventail <noreply@events.test>",
      EVENTAIL_EMBED_ORIGINS: SITE,
      EVENTAIL_LOGIN_LIMIT: "3",
      EVENTAIL_TRUST_PROXY: "1",
    });
    // Debug level: the most the server ever writes, every request included.
    const services = await createServices(
      config,
      createLogger("debug", (l) => logLines.push(l)),
    );
    t = wrap(place, services);
    organizer = await t.user();
    event = await t.event(organizer, {
      title: `Open day ${unique("e")}`,
      beginsAt: inDays(12),
      timezone: "Europe/Paris",
      description: "<p>Come!</p>",
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await inbox.stop();
  });

  const login = (email: string, password: string, ip = "192.0.2.1") =>
    t.send("POST", "/api/v1/session", { email, password }, { "x-forwarded-for": ip });

  it("sends nosniff, a referrer policy and a CSP with frame-ancestors on every kind of response", async () => {
    const paths = [
      "/api/v1/events", // JSON
      `/api/v1/events/${event.id}`,
      `/events/${event.id}`, // HTML page
      "/events.ics", // feeds
      "/events.atom",
      "/api/v1/openapi.json",
      "/api/v1/nothing-here", // problem+json
      "/no-such-page", // HTML 404
      "/widgets/eventail.js", // widget assets (404 when not built: headers all the same)
      "/healthz",
    ];
    for (const path of paths) {
      const res = await t.request(path, { headers: { accept: "text/html,*/*" } });
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toMatch(/^(no-referrer|strict-origin)/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    }
    // Pages the server renders run no script at all.
    const page = await t.request(`/events/${event.id}`, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
  });

  it("allows cross-origin RSVPs only from configured origins; public reads from any", async () => {
    const path = `/api/v1/events/${event.id}/participations`;
    const body = { name: "Ana", email: `ana-${unique()}@example.test` };
    const evil = await t.send("POST", path, body, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await t.request(path, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const ok = await t.send("POST", path, body, { origin: SITE });
    expect(ok.status).toBeLessThan(300);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
    const read = await t.request("/api/v1/events", { headers: { origin: "https://evil.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBe("*");
    expect(read.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("throttles failed sign-ins per account and attempts per client address", async () => {
    const u = await t.user();
    for (let i = 0; i < 3; i++) expect((await login(u.email, "wrong password")).status).toBe(401);
    // Locked: even the right password waits, and the answer says for how long.
    const locked = await login(u.email, u.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await problem(locked)).detail).toMatch(/too many attempts/);
    // Another account is not locked out by someone guessing this one's password.
    const other = await t.user();
    expect((await login(other.email, other.password, "192.0.2.2")).status).toBe(200);
    // One address trying many accounts hits the per-address budget (5 × 3 attempts).
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++)
      statuses.push((await login(`nobody${i}@example.test`, "x", "192.0.2.3")).status);
    expect(statuses.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(statuses[15]).toBe(429);
  });

  it("stores sessions, API tokens and RSVP links hashed, and never logs them or emails", async () => {
    const u = await t.user(); // its API token is u.token
    const res = await login(u.email, u.password, "192.0.2.9");
    expect(res.status).toBe(200);
    const session = /eventail_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
    const email = `zoe-${unique()}@example.test`;
    const rsvp = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participations`,
      { name: "Zoé Secret", email, returnUrl: `${SITE}/agenda` },
      { origin: SITE },
    );
    expect(rsvp.status).toBeLessThan(300);
    const [mail] = await inbox.waitFor(email);
    const confirm = link(mail!, "confirm").searchParams.get("ev-token")!;
    const manage = link(mail!, "cancel").searchParams.get("ev-token")!;
    for (const secret of [session, u.token, confirm, manage])
      expect(secret.length, secret).toBeGreaterThanOrEqual(26); // ≥ 128 bits in base32/64
    const ok = await t.send("POST", "/api/v1/participations/confirm", { token: confirm });
    expect(ok.status).toBe(200);

    // Every row of every table, read raw: no secret in clear.
    const db = t.services.store.db;
    const tables = (await db.introspection.getTables()).map((x) => x.name);
    expect(tables).toEqual(expect.arrayContaining(["sessions", "api_tokens", "participations"]));
    let dump = "";
    for (const name of tables) {
      const rows = await sql`select * from ${sql.table(name)}`.execute(db);
      dump += JSON.stringify(rows.rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    }
    for (const secret of [session, u.token, confirm, manage, u.password])
      expect(dump.includes(secret), `${secret.slice(0, 4)}… stored in clear`).toBe(false);

    // The log saw every request above at debug level, and none of what is personal.
    const log = logLines.join("");
    expect(log).toMatch(/"msg":"request"/);
    for (const personal of [session, u.token, confirm, manage, u.password, email, u.email, "Zoé"])
      expect(log.includes(personal), `${personal.slice(0, 6)}… in the log`).toBe(false);
  });

  it("revokes: a signed-out session and a deleted token stop working", async () => {
    const u = await t.user();
    const res = await login(u.email, u.password, "192.0.2.10");
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect((await t.request("/api/v1/me", { headers: { cookie } })).status).toBe(200);
    const out = await t.request("/api/v1/session", {
      method: "DELETE",
      headers: { cookie, origin: "http://events.test" },
    });
    expect(out.status).toBe(204);
    expect((await t.request("/api/v1/me", { headers: { cookie } })).status).toBe(401);
  });
});
