/** The instance admins' email tools: an SMTP test and announcements to every active account. */
import { z } from "zod";
import { announcementMail, smtpTestMail } from "../../mail/templates.ts";
import { requireRole } from "../auth.ts";
import { problemResponse } from "../problem.ts";
import type { Api } from "../route.ts";

export function adminMailRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/v1/admin/smtp-test",
      summary: "Send a test email to your own address now, and say whether the server took it",
      tag: "admin",
      auth: "account",
      responses: {
        200: "{ sent: true, transport: smtp | outbox }",
        403: "Not an admin",
        502: "The SMTP server refused or could not be reached",
      },
    },
    async (c) => {
      const admin = requireRole(c, "admin");
      const s = c.get("services");
      const { name } = await s.settings.get();
      try {
        await s.mailer.sendNow({ to: admin.email, ...smtpTestMail(name, s.config.origin) });
      } catch (err) {
        // The SMTP server's own words help the admin; they carry no one's address.
        return problemResponse(502, `the email was not sent: ${(err as Error).message}`);
      }
      return c.json({ sent: true, transport: s.mailer.kind });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/admin/announcements",
      summary: "Email an announcement to every active account (admins)",
      tag: "admin",
      auth: "account",
      body: z.strictObject({
        subject: z.string().trim().min(1).max(150),
        body: z.string().trim().min(1).max(10_000),
      }),
      responses: { 200: "{ sent }", 403: "Not an admin", 422: "Invalid fields" },
    },
    async (c, { body }) => {
      requireRole(c, "admin");
      const s = c.get("services");
      const { name } = await s.settings.get();
      const mail = announcementMail(name, s.config.origin, body.subject, body.body);
      const active = (await s.accounts.list()).filter((a) => a.state === "active");
      for (const a of active) await s.mailer.send({ to: a.email, ...mail });
      return c.json({ sent: active.length });
    },
  );
}
