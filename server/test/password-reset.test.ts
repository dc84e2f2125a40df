/**
 * Password reset by email: one answer whatever the address, a single-use link that expires,
 * the new password works and the old one no longer does, every session is signed out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESET_TTL_MS } from "../src/domain/password-reset.ts";
import { createEnv, type DialectName, dialects, ORIGIN, type TestEnv } from "./helpers.ts";

describe.each(dialects)("password reset on %s", (dialect: DialectName) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  const mailsTo = async (email: string) =>
    (await t.services.repos.participations.outbox(500)).filter((m) => m.recipient === email);
  const tokenIn = (text: string) => /\/console#\/reset\/(evr_[A-Za-z0-9_-]+)/.exec(text)?.[1];
  const signIn = (email: string, password: string) =>
    t.send("POST", "/api/v1/session", { email, password });

  it("sends a single-use link; the new password works, the old one and old sessions do not", async () => {
    const u = await t.user();
    const login = await signIn(u.email, u.password);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    expect((await t.request("/api/v1/me", { headers: { cookie } })).status).toBe(200);

    const ask = await t.send("POST", "/api/v1/password-resets", {
      email: u.email.toUpperCase(),
      language: "fr",
    });
    expect(ask.status).toBe(202);
    const [mail] = await mailsTo(u.email);
    expect(mail?.subject).toContain("Réinitialiser votre mot de passe");
    expect(mail?.text).toContain(`${ORIGIN}/console#/reset/`);
    const token = tokenIn(mail!.text)!;
    expect(token).toBeTruthy();
    // Stored hashed only.
    const rows = await t.services.store.db.selectFrom("password_resets").selectAll().execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);

    const short = await t.send("POST", "/api/v1/password-resets/complete", {
      token,
      password: "short",
    });
    expect(short.status).toBe(422);
    const done = await t.send("POST", "/api/v1/password-resets/complete", {
      token,
      password: "a brand new passphrase",
    });
    expect(done.status).toBe(204);
    expect((await signIn(u.email, u.password)).status).toBe(401);
    expect((await signIn(u.email, "a brand new passphrase")).status).toBe(200);
    expect((await t.request("/api/v1/me", { headers: { cookie } })).status).toBe(401);

    const again = await t.send("POST", "/api/v1/password-resets/complete", {
      token,
      password: "yet another passphrase",
    });
    expect(again.status).toBe(422);
    expect((await again.json()).errors).toEqual([{ path: "token", message: "ask for a new link" }]);
  });

  it("answers the same for unknown and suspended addresses, and sends nothing", async () => {
    const u = await t.user();
    await t.services.accounts.update(u.accountId, { state: "suspended" });
    for (const email of ["nobody-here@example.test", u.email]) {
      const r = await t.send("POST", "/api/v1/password-resets", { email });
      expect(r.status).toBe(202);
      expect(await r.json()).toEqual({});
      expect(await mailsTo(email)).toEqual([]);
    }
  });

  it("refuses an expired link", async () => {
    const u = await t.user();
    const past = Date.now() - RESET_TTL_MS - 1000;
    await t.services.passwordResets.request(u.email, "en", past);
    const [mail] = await mailsTo(u.email);
    const token = tokenIn(mail!.text)!;
    const r = await t.send("POST", "/api/v1/password-resets/complete", {
      token,
      password: "a brand new passphrase",
    });
    expect(r.status).toBe(422);
    expect((await signIn(u.email, u.password)).status).toBe(200);
  });
});
