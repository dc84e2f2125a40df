/**
 * REST routes for federation: follow remote actors (as an identity, a group you administer,
 * or, for instance admins, the instance relay), list and undo follows, list and remove your
 * actors' followers.
 */
import { DomainError, forbidden } from "@eventail/core";
import type { Context } from "hono";
import { z } from "zod";
import { actingIdentity, requireAccount, requireRole } from "../http/auth.ts";
import type { Env } from "../http/env.ts";
import type { Api } from "../http/route.ts";
import { RELAY } from "./service.ts";

const asSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,30}$/, "a handle of yours, a group you administer, or relay")
  .optional()
  .describe("Local actor: your identity (default), a group you administer, or relay (admins)");

/** The local actor the request acts as, checked against the caller's rights. */
async function localActorFor(c: Context<Env>, as: string | undefined): Promise<string> {
  const s = c.get("services");
  if (as === RELAY) {
    requireRole(c, "admin", "moderator");
    return RELAY;
  }
  const identity = await actingIdentity(c);
  if (!as || as === identity.handle) return identity.handle;
  const kind = await s.repos.actors.handleKind(as);
  if (kind === "group") {
    const group = await s.groups.byHandle(as);
    if ((await s.repos.actors.memberRole(group.id, identity.id)) !== "admin")
      throw forbidden("only the group's admins manage what it follows");
    return as;
  }
  if (kind === "identity") {
    const other = await s.identities.byHandle(as);
    if (other.accountId === requireAccount(c).id) return as;
  }
  throw forbidden("you cannot act as this actor");
}

export function federationRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/v1/federation/follows",
      summary: "Follow a remote actor (a group, a person, or another instance's relay)",
      tag: "federation",
      auth: "account",
      body: z.strictObject({
        target: z.string().trim().min(3).max(500).describe("Actor URL or @user@host"),
        as: asSchema,
      }),
      responses: { 202: "Follow sent; state is pending until the actor accepts", 422: "No actor" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const local = await localActorFor(c, body.as);
      const row = await s.federation.follow(local, body.target);
      return c.json({ id: row.id, as: row.actor, target: row.target, state: row.state }, 202);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/follows",
      summary: "What a local actor follows",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema }),
      responses: { 200: "Follows, newest first" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as);
      const rows = await s.federation.repo.listFollowing(local);
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          target: r.target,
          state: r.state,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/federation/follows",
      summary: "Unfollow (sends Undo) and drop the remote events no one here follows any more",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema, target: z.string().min(3).max(500) }),
      responses: { 204: "Unfollowed", 404: "Not followed" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as);
      if (!(await s.federation.unfollow(local, query.target)))
        throw new DomainError("not_found", "not followed");
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/followers",
      summary: "Remote followers of a local actor",
      tag: "federation",
      auth: "account",
      query: z.strictObject({
        as: asSchema,
        after: z.string().max(500).optional().describe("Last follower of the previous page"),
      }),
      responses: { 200: "Followers (100 per page)" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as);
      const rows = await s.federation.repo.followersPage(local, 100, query.after);
      return c.json({
        items: rows.map((r) => ({
          actor: r.follower,
          host: r.host,
          createdAt: new Date(r.created_at).toISOString(),
        })),
        next: rows.length === 100 ? rows.at(-1)!.follower : null,
      });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/federation/followers",
      summary: "Remove a follower (it is told with a Reject of its Follow)",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema, follower: z.string().min(3).max(500) }),
      responses: { 204: "Removed", 404: "Not a follower" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as);
      if (!(await s.federation.removeFollower(local, query.follower)))
        throw new DomainError("not_found", "not a follower");
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/events/:id/rsvp",
      summary: "Your identity's answer to a remote event, as its origin last told",
      tag: "federation",
      auth: "identity",
      responses: { 200: "{ state: pending | accepted | rejected | cancelled }", 404: "None" },
    },
    async (c) => {
      const s = c.get("services");
      const identity = await actingIdentity(c);
      const rsvp = await s.federation.repo.rsvp(identity.id, c.req.param("id")!);
      if (!rsvp) throw new DomainError("not_found", "no answer to this event");
      return c.json({ state: rsvp.state, updatedAt: new Date(rsvp.updated_at).toISOString() });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/federation/events/:id/rsvp",
      summary: "Withdraw your identity's answer to a remote event (sends Leave)",
      tag: "federation",
      auth: "identity",
      responses: { 204: "Withdrawn", 404: "No answer to withdraw" },
    },
    async (c) => {
      const s = c.get("services");
      const identity = await actingIdentity(c);
      if (!(await s.federation.leaveRemote(c.req.param("id")!, identity)))
        throw new DomainError("not_found", "no answer to withdraw");
      return c.body(null, 204);
    },
  );
}
