/**
 * Comments on events: anyone reads an event's published comments; a signed-in identity
 * posts; its author, the event's organizer or group admins, and instance moderators delete;
 * the same moderators approve held comments and set the event's policy.
 */
import type { Context } from "hono";
import { z } from "zod";
import { COMMENT_POLICIES, type CommentActor } from "../../domain/comments.ts";
import { actingIdentity, requireAccount } from "../auth.ts";
import type { Env } from "../env.ts";
import type { Api } from "../route.ts";

async function commentActor(c: Context<Env>): Promise<CommentActor> {
  const account = requireAccount(c);
  return { identity: await actingIdentity(c), role: account.role };
}

export function commentRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/events/:id/comments",
      summary: "An event's comments (published to all; pending ones to its moderators)",
      tag: "comments",
      query: z.strictObject({
        state: z.enum(["published", "pending"]).optional(),
        after: z.string().max(60).optional().describe("next of the previous page"),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
      responses: { 200: "{ policy, items, next }", 404: "No such event" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const actor = c.get("account") ? await commentActor(c) : undefined;
      const page = await s.comments.list(c.req.param("id")!, { ...query, actor });
      return c.json(page);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/comments",
      summary: "Comment on an event (federated as a Note replying to it)",
      tag: "comments",
      auth: "identity",
      body: z.strictObject({ content: z.string().trim().min(1).max(20_000) }),
      responses: {
        201: "Comment (state pending when the event is moderated)",
        409: "Comments closed",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const row = await s.comments.post(await commentActor(c), c.req.param("id")!, body.content);
      return c.json(s.comments.toJson(row), 201);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/comments/:id",
      summary: "Delete a comment (its author, the event's organizer, moderators)",
      tag: "comments",
      auth: "identity",
      responses: { 204: "Deleted", 403: "Not yours to delete", 404: "No such comment" },
    },
    async (c) => {
      const s = c.get("services");
      await s.comments.delete(await commentActor(c), c.req.param("id")!);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/comments/:id/approve",
      summary: "Publish a comment held for moderation",
      tag: "comments",
      auth: "identity",
      responses: { 200: "Comment", 403: "Not a moderator of the event", 404: "No such comment" },
    },
    async (c) => {
      const s = c.get("services");
      const row = await s.comments.approve(await commentActor(c), c.req.param("id")!);
      return c.json(s.comments.toJson(row));
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/events/:id/comment-policy",
      summary: "Set an event's comment policy: open, moderated or closed",
      tag: "comments",
      auth: "identity",
      body: z.strictObject({ policy: z.enum(COMMENT_POLICIES) }),
      responses: { 200: "{ policy }", 403: "Not the organizer" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      await s.comments.setPolicy(await actingIdentity(c), c.req.param("id")!, body.policy);
      return c.json({ policy: body.policy });
    },
  );
}
