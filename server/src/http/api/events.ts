/** Events: public listing and reading, writes by the organizer or the group's admins. */
import {
  CATEGORIES,
  createEventSchema,
  EVENT_STATUSES,
  handleSchema,
  instantSchema,
  normalizeTag,
  updateEventSchema,
} from "@eventail/core";
import type { Context } from "hono";
import { z } from "zod";
import type { ListFilter } from "../../domain/events.ts";
import { actingIdentity } from "../auth.ts";
import { conditional, render } from "../cache.ts";
import type { Env } from "../env.ts";
import type { Api } from "../route.ts";

export const listQuerySchema = z.strictObject({
  from: instantSchema.optional().describe("Events ending at or after this instant (default: now)"),
  to: instantSchema.optional().describe("Events starting before this instant"),
  group: handleSchema.optional().describe("Group handle"),
  organizer: handleSchema.optional().describe("Organizer identity handle"),
  tag: z.string().trim().min(1).max(50).optional(),
  category: z.enum(CATEGORIES).optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("Words to find in title, tags, place or description"),
  online: z
    .enum(["true", "false"])
    .optional()
    .describe("true: with an online link; false: with a physical place"),
  near: z
    .string()
    .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, "must be lat,lon such as 45.76,4.83")
    .refine((s) => {
      const [lat, lon] = s.split(",").map(Number) as [number, number];
      return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    }, "latitude must be within ±90 and longitude within ±180")
    .optional()
    .describe("Center point lat,lon"),
  radius: z.coerce
    .number()
    .min(0.1)
    .max(1000)
    .optional()
    .describe("Radius in km around `near` (default 25)"),
  cursor: z.string().max(200).optional().describe("`next` from the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type ListQuery = z.output<typeof listQuerySchema>;

export function toListFilter(q: ListQuery): ListFilter {
  const near = q.near?.split(",").map(Number) as [number, number] | undefined;
  return {
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    group: q.group,
    organizer: q.organizer,
    // Stored tags went through normalizeTag; the asked one must too ("#Vélo Lyon" → "vélo-lyon").
    tag: q.tag === undefined ? undefined : normalizeTag(q.tag) || q.tag.toLowerCase(),
    category: q.category,
    status: q.status,
    q: q.q,
    online: q.online === undefined ? undefined : q.online === "true",
    near: near ? { lat: near[0], lon: near[1], radiusKm: q.radius ?? 25 } : undefined,
    cursor: q.cursor,
    limit: q.limit,
  };
}

const writeResponses = {
  200: "The event",
  401: "Not signed in",
  403: "Not the organizer or a group admin",
  404: "No such event",
  422: "Invalid fields",
};

export function eventRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/events",
      summary: "Upcoming public events, recurrences expanded, ordered by start",
      tag: "events",
      query: listQuerySchema,
      responses: {
        200: "A page of events: { items, next }",
        304: "Not modified",
        400: "Invalid query",
      },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const rendered = await s.cache.get(`list:${c.req.url}`, async () => {
        const page = await s.events.list(toListFilter(query));
        const items = await s.events.toJson(page.items);
        return render(
          JSON.stringify({ items, next: page.next }),
          "application/json; charset=utf-8",
        );
      });
      return conditional(c, rendered, "public, max-age=30");
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/me/events",
      summary:
        "Events the acting identity manages: its own and its groups' (as admin or moderator), drafts, private and past ones included, latest first",
      tag: "events",
      auth: "identity",
      responses: { 200: "{ items } (at most 500)", 401: "Not signed in" },
    },
    async (c) => {
      const s = c.get("services");
      const events = await s.events.managed(await actingIdentity(c));
      const items = await s.events.toJson(events.map((event) => ({ event })));
      c.header("cache-control", "private, no-store");
      return c.json({ items });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/events/:id",
      summary: "One event (public and unlisted to all; drafts and private ones to their writers)",
      tag: "events",
      responses: { 200: "The event", 304: "Not modified", 404: "No such event" },
    },
    async (c) => {
      const s = c.get("services");
      const id = c.req.param("id")!;
      const account = c.get("account");
      if (account) {
        const viewer = await s.identities.listOwned(account.id);
        const event = await s.events.get(id, viewer);
        return conditional(
          c,
          render(
            JSON.stringify(await s.events.oneToJson(event)),
            "application/json; charset=utf-8",
          ),
          "private, no-cache",
        );
      }
      const rendered = await s.cache.get(`event:${id}`, async () => {
        const event = await s.events.get(id);
        return render(
          JSON.stringify(await s.events.oneToJson(event)),
          "application/json; charset=utf-8",
        );
      });
      return conditional(c, rendered, "public, max-age=30");
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events",
      summary: "Create an event organized by the acting identity",
      tag: "events",
      auth: "identity",
      body: createEventSchema,
      responses: {
        201: "Created",
        401: "Not signed in",
        403: "Not a member of the group",
        422: "Invalid fields",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const event = await s.events.create(await actingIdentity(c), body);
      return created(c, await s.events.oneToJson(event));
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/events/:id",
      summary: "Change an event (bumps its iCalendar SEQUENCE)",
      tag: "events",
      auth: "identity",
      body: updateEventSchema,
      responses: writeResponses,
    },
    async (c, { body }) => {
      const s = c.get("services");
      const event = await s.events.update(await actingIdentity(c), c.req.param("id")!, body);
      return c.json(await s.events.oneToJson(event));
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/publish",
      summary: "Publish a draft (at publishAt when set)",
      tag: "events",
      auth: "identity",
      responses: writeResponses,
    },
    async (c) => {
      const s = c.get("services");
      const event = await s.events.publish(await actingIdentity(c), c.req.param("id")!);
      return c.json(await s.events.oneToJson(event));
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/cancel",
      summary: "Cancel an event (kept and shown as cancelled)",
      tag: "events",
      auth: "identity",
      responses: writeResponses,
    },
    async (c) => {
      const s = c.get("services");
      const event = await s.events.cancel(await actingIdentity(c), c.req.param("id")!);
      return c.json(await s.events.oneToJson(event));
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/events/:id",
      summary: "Delete an event",
      tag: "events",
      auth: "identity",
      responses: { ...writeResponses, 204: "Deleted" },
    },
    async (c) => {
      const s = c.get("services");
      await s.events.delete(await actingIdentity(c), c.req.param("id")!);
      return c.body(null, 204);
    },
  );
}

function created(c: Context<Env>, json: { url: string; id: string }): Response {
  return c.json(json, 201, { location: `/api/v1/events/${json.id}` });
}
