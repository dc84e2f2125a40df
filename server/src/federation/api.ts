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
import { INSTANCE_LEVELS, normalizeHost } from "./instances.ts";
import { RELAY } from "./service.ts";

const asSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,30}$/, "a handle of yours, a group you administer, or relay")
  .optional()
  .describe("Local actor: your identity (default), a group you administer, or relay (admins)");

/**
 * The local actor the request acts as, checked against the caller's rights. With
 * `moderation`, instance admins and moderators may name any local actor (to manage its
 * followers), never to follow or speak in its name.
 */
async function localActorFor(
  c: Context<Env>,
  as: string | undefined,
  moderation = false,
): Promise<string> {
  const s = c.get("services");
  if (as === RELAY) {
    requireRole(c, "admin", "moderator");
    return RELAY;
  }
  const role = requireAccount(c).role;
  if (moderation && as && (role === "admin" || role === "moderator")) {
    if (!(await s.federation.localActor(as))) throw new DomainError("not_found", "no such actor");
    return as;
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
  federationAdminRoutes(api);
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
      const local = await localActorFor(c, query.as, true);
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
      const local = await localActorFor(c, query.as, true);
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

const hostParam = (c: Context<Env>): string => {
  // Hono has decoded the parameter already: decoding again would throw on a literal "%".
  const host = normalizeHost(c.req.param("host") ?? "");
  if (!host)
    throw new DomainError("validation", "not a host name", [
      { path: "host", message: "a domain such as example.org (or host:port)" },
    ]);
  return host;
};

const followerBody = z.strictObject({
  as: asSchema,
  follower: z.string().url().max(500).describe("The remote actor's URL"),
});

/** Instance policies (admins and moderators) and follower management (actors' owners). */
export function federationAdminRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/admin/federation/instances",
      summary: "Instance policies (blocked, limited, allowed) and the federation mode",
      tag: "federation",
      auth: "account",
      responses: { 200: "{ mode, items }" },
    },
    async (c) => {
      requireRole(c, "admin", "moderator");
      const { instances } = c.get("services").federation;
      await instances.ready();
      return c.json({
        mode: instances.mode,
        items: instances.list().map((p) => ({
          host: p.host,
          level: p.level,
          reason: p.reason,
          createdAt: new Date(p.createdAt).toISOString(),
        })),
      });
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/admin/federation/instances/:host",
      summary: "Block, limit or allow an instance; blocking purges what it sent",
      tag: "federation",
      auth: "account",
      body: z.strictObject({
        level: z.enum(INSTANCE_LEVELS),
        reason: z.string().trim().max(500).default(""),
      }),
      responses: { 200: "{ host, level, reason, purged }", 422: "Not a host" },
    },
    async (c, { body }) => {
      requireRole(c, "admin", "moderator");
      const host = hostParam(c);
      const { federation } = c.get("services");
      if (host === new URL(federation.origin).host)
        throw new DomainError("validation", "this is our own instance", [
          { path: "host", message: "name another instance" },
        ]);
      const p = await federation.instances.set(host, body.level, body.reason);
      const purged = await federation.applyInstancePolicies();
      return c.json({ host: p.host, level: p.level, reason: p.reason, purged });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/admin/federation/instances/:host/purge",
      summary:
        "Delete what an instance (and its subdomains) sent: events, comments, answers, cached actors; without blocking it",
      tag: "federation",
      auth: "account",
      responses: {
        200: "{ host, purged: { events, comments, rsvps, actors } }",
        422: "Not a host",
      },
    },
    async (c) => {
      requireRole(c, "admin", "moderator");
      const host = hostParam(c);
      const { federation } = c.get("services");
      if (host === new URL(federation.origin).host)
        throw new DomainError("validation", "this is our own instance", [
          { path: "host", message: "name another instance" },
        ]);
      return c.json({ host, purged: await federation.purgeHost(host) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/admin/federation/instances/:host",
      summary: "Lift an instance's policy (unblock); purged content does not come back",
      tag: "federation",
      auth: "account",
      responses: { 204: "Lifted", 404: "No policy for this host" },
    },
    async (c) => {
      requireRole(c, "admin", "moderator");
      const host = hostParam(c);
      const { federation } = c.get("services");
      if (!(await federation.instances.remove(host)))
        throw new DomainError("not_found", "no policy for this host");
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/admin/federation/suspended-actors",
      summary: "Remote actors suspended instance-wide (moderators, admins)",
      tag: "federation",
      auth: "account",
      responses: { 200: "{ items }" },
    },
    async (c) => {
      requireRole(c, "admin", "moderator");
      const { instances } = c.get("services").federation;
      await instances.ready();
      c.header("cache-control", "private, no-store");
      return c.json({
        items: instances.suspendedActors().map((a) => ({
          actor: a.actor,
          host: a.host,
          reason: a.reason,
          createdAt: new Date(a.createdAt).toISOString(),
        })),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/admin/federation/suspended-actors",
      summary:
        "Suspend a remote actor instance-wide: its activities refused, nothing sent to it, what it sent purged",
      tag: "federation",
      auth: "account",
      body: z.strictObject({
        actor: z.string().url().max(500).describe("The remote actor's URL"),
        reason: z.string().trim().max(500).default(""),
      }),
      responses: { 200: "{ actor, purged }", 422: "Not a remote actor" },
    },
    async (c, { body }) => {
      requireRole(c, "admin", "moderator");
      return c.json(await c.get("services").federation.suspendActor(body.actor, body.reason));
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/admin/federation/suspended-actors",
      summary: "Lift a remote actor's suspension; purged content does not come back",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ actor: z.string().min(3).max(500) }),
      responses: { 204: "Lifted", 404: "Not suspended" },
    },
    async (c, { query }) => {
      requireRole(c, "admin", "moderator");
      if (!(await c.get("services").federation.instances.unsuspendActor(query.actor)))
        throw new DomainError("not_found", "this actor is not suspended");
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/settings",
      summary: "A local actor's federation settings",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema }),
      responses: { 200: "{ manualApproval }" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as);
      return c.json({ manualApproval: await s.federation.repo.manualApproval(local) });
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/federation/settings",
      summary: "Approve follows by hand (true) or accept them at once (false, the default)",
      tag: "federation",
      auth: "account",
      body: z.strictObject({ as: asSchema, manualApproval: z.boolean() }),
      responses: { 200: "{ manualApproval }" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const local = await localActorFor(c, body.as);
      await s.federation.repo.setManualApproval(local, body.manualApproval);
      return c.json({ manualApproval: body.manualApproval });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/follow-requests",
      summary: "Follows waiting for approval",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema }),
      responses: { 200: "{ items }" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as, true);
      const rows = await s.federation.repo.followRequests(local);
      return c.json({
        items: rows.map((r) => ({
          follower: r.follower,
          host: r.host,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      });
    },
  );

  for (const answer of ["accept", "reject"] as const)
    api.route(
      {
        method: "post",
        path: `/api/v1/federation/follow-requests/${answer}`,
        summary:
          answer === "accept"
            ? "Accept a follow request (the requester becomes a follower)"
            : "Reject a follow request",
        tag: "federation",
        auth: "account",
        body: followerBody,
        responses: { 204: "Answered", 404: "No such request" },
      },
      async (c, { body }) => {
        const s = c.get("services");
        const local = await localActorFor(c, body.as, true);
        const done =
          answer === "accept"
            ? await s.federation.acceptFollowRequest(local, body.follower)
            : await s.federation.rejectFollowRequest(local, body.follower);
        if (!done) throw new DomainError("not_found", "no such follow request");
        return c.body(null, 204);
      },
    );

  api.route(
    {
      method: "get",
      path: "/api/v1/federation/blocks",
      summary: "Remote actors blocked from following a local actor",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema }),
      responses: { 200: "{ items }" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as, true);
      const rows = await s.federation.repo.blockedFollowers(local);
      return c.json({
        items: rows.map((r) => ({
          actor: r.follower,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/federation/blocks",
      summary: "Block a remote actor from following (removed if it follows, told with Reject)",
      tag: "federation",
      auth: "account",
      body: followerBody,
      responses: { 204: "Blocked" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const local = await localActorFor(c, body.as, true);
      await s.federation.blockFollower(local, body.follower);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/federation/blocks",
      summary: "Unblock a remote actor (it may follow again)",
      tag: "federation",
      auth: "account",
      query: z.strictObject({ as: asSchema, follower: z.string().min(3).max(500) }),
      responses: { 204: "Unblocked", 404: "Not blocked" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const local = await localActorFor(c, query.as, true);
      if (!(await s.federation.repo.unblockFollower(local, query.follower)))
        throw new DomainError("not_found", "not blocked");
      return c.body(null, 204);
    },
  );
}
