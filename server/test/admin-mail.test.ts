/**
 * The admins' email tools on both dialects, through a real SMTP server: the SMTP test says
 * whether the server took the email (a refused connection is a 502 with its reason), and an
 * announcement reaches every active account and no suspended one.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnv, type DialectName, dialects, type TestEnv } from "./helpers.ts";
import { SmtpSink } from "./smtp-sink.ts";

/** A loopback port with nothing listening (taken, then released). */
async function closedPort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

describe.each(dialects)("admin email on %s", (dialect: DialectName) => {
  const inbox = new SmtpSink();
  let t: TestEnv;
  let dead: TestEnv;

  beforeAll(async () => {
    await inbox.start();
    t = await createEnv(dialect, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(inbox.port),
      SMTP_FROM: "Eventail <noreply@events.test>",
    });
    dead = await createEnv(dialect, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(await closedPort()),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await dead?.close();
    await inbox.stop();
  });

  it("sends the SMTP test to the admin now, and reports a refusal", async () => {
    const admin = await t.user({ role: "admin" });
    const r = await t.send("POST", "/api/v1/admin/smtp-test", undefined, admin.auth());
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ sent: true, transport: "smtp" });
    const [mail] = await inbox.waitFor(admin.email);
    expect(mail!.text).toContain("outgoing email works");

    const deadAdmin = await dead.user({ role: "admin" });
    const refused = await dead.send("POST", "/api/v1/admin/smtp-test", undefined, deadAdmin.auth());
    expect(refused.status).toBe(502);
    expect((await refused.json()).detail).toMatch(/^the email was not sent: .*ECONNREFUSED/);
  });

  it("emails an announcement to every active account, not to suspended ones", async () => {
    const admin = await t.user({ role: "admin" });
    const a = await t.user();
    const b = await t.user();
    await t.services.accounts.update(b.accountId, { state: "suspended" });
    const active = (await t.services.accounts.list()).filter((x) => x.state === "active").length;
    const r = await t.send(
      "POST",
      "/api/v1/admin/announcements",
      { subject: "Maintenance", body: "Down on <Sunday> 2-3 am." },
      admin.auth(),
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ sent: active });
    const [mail] = await inbox.waitFor(a.email);
    expect(mail!.raw).toContain("Maintenance");
    expect(mail!.text).toContain("Down on <Sunday> 2-3 am.");
    expect(mail!.text).toContain("&lt;Sunday&gt;");
    await t.services.mailer.idle();
    expect(inbox.mails.filter((m) => m.to === b.email)).toEqual([]);
    const plain = await t.send(
      "POST",
      "/api/v1/admin/announcements",
      { subject: "x", body: "y" },
      a.auth(),
    );
    expect(plain.status).toBe(403);
  });
});
