/** Reports: any signed-in account files one; instance moderators and admins resolve them. */
import { z } from "zod";
import { REPORT_TARGETS } from "../../domain/reports.ts";
import { requireAccount, requireRole } from "../auth.ts";
import type { Api } from "../route.ts";

export function reportRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/v1/reports",
      summary: "Report an event, a comment, an identity or a group to the instance's moderators",
      tag: "reports",
      auth: "account",
      body: z.strictObject({
        target: z.strictObject({
          kind: z.enum(REPORT_TARGETS),
          id: z.string().trim().min(1).max(100).describe("Event or comment id, or a handle"),
        }),
        reason: z.string().trim().min(1).max(2000),
      }),
      responses: { 201: "Reported", 401: "Not signed in", 404: "No such target", 422: "Invalid" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const report = await s.reports.report(requireAccount(c), {
        kind: body.target.kind,
        id: body.target.id,
        reason: body.reason,
      });
      return c.json({ id: report.id, state: report.state }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/admin/reports",
      summary: "Reports, newest first (instance moderators and admins)",
      tag: "reports",
      auth: "account",
      query: z.strictObject({ state: z.enum(["open", "resolved", "all"]).default("open") }),
      responses: { 200: "{ items }", 403: "Not a moderator" },
    },
    async (c, { query }) => {
      requireRole(c, "admin", "moderator");
      const items = await c
        .get("services")
        .reports.list(query.state === "all" ? undefined : query.state);
      c.header("cache-control", "private, no-store");
      return c.json({ items });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/admin/reports/:id/resolve",
      summary:
        "Resolve a report with a note; `suspend` also suspends the account behind the reported local identity or event; `suspendRemote` suspends the remote actor behind it instance-wide; `forward` sends the report to that actor's instance (a Flag from this instance, without the reporter)",
      tag: "reports",
      auth: "account",
      body: z.strictObject({
        resolution: z.string().max(2000).default(""),
        suspend: z.boolean().default(false),
        suspendRemote: z.boolean().default(false),
        forward: z.boolean().default(false),
      }),
      responses: {
        200: "The resolved report",
        403: "Not a moderator, the account is an admin's, or the instance is blocked",
        404: "No such report",
        422: "Nothing to suspend or forward to",
      },
    },
    async (c, { body }) => {
      const moderator = requireRole(c, "admin", "moderator");
      const report = await c.get("services").reports.resolve(moderator, c.req.param("id")!, body);
      return c.json(report);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/admin/reports/:id/reporter-email",
      summary:
        "Erase the email a visitor left with a public report (at their request; it is also erased EVENTAIL_PURGE_DAYS after resolution)",
      tag: "reports",
      auth: "account",
      responses: { 204: "Erased", 403: "Not a moderator", 404: "No such report, or no email" },
    },
    async (c) => {
      requireRole(c, "admin", "moderator");
      await c.get("services").reports.eraseReporterEmail(c.req.param("id")!);
      return c.body(null, 204);
    },
  );
}
