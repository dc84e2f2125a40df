/** Identities (an account's public profiles) and groups. */
import { bannerInputSchema, groupResourceSchema, handleSchema } from "@eventail/core";
import { z } from "zod";
import { actingIdentity, requireAccount } from "../auth.ts";
import type { Api } from "../route.ts";
import { originSchema } from "./accounts.ts";
import { groupJson, identityJson } from "./json.ts";

const profile = {
  name: z.string().trim().min(1).max(100),
  bio: z.string().trim().max(1000),
};

export function actorRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/v1/identities",
      summary: "Create another public identity for your account",
      tag: "identities",
      auth: "account",
      body: z.strictObject({
        handle: handleSchema,
        name: profile.name,
        bio: profile.bio.optional(),
      }),
      responses: { 201: "Created", 409: "Handle taken", 422: "Invalid fields" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const identity = await s.identities.create(requireAccount(c).id, body);
      return c.json({ ...identityJson(s, identity) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/identities/:handle",
      summary: "A public identity",
      tag: "identities",
      responses: { 200: "Identity", 404: "Not found" },
    },
    async (c) => {
      const s = c.get("services");
      return c.json(identityJson(s, await s.identities.byHandle(c.req.param("handle")!)));
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/identities/:handle",
      summary: "Rename an identity or change its bio",
      tag: "identities",
      auth: "account",
      body: z.strictObject({
        name: profile.name.optional(),
        bio: profile.bio.optional(),
        /** An uploaded image (POST /api/v1/media) with its description; null removes it. */
        avatar: bannerInputSchema.nullable().optional(),
      }),
      responses: { 200: "Updated", 404: "Not one of yours" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const account = requireAccount(c);
      const target = await s.identities.byHandle(c.req.param("handle")!).catch(() => null);
      const mine = target && target.accountId === account.id ? target : null;
      const updated = await s.identities.update(account.id, mine?.id ?? "-", body);
      return c.json(identityJson(s, updated));
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/identities/:handle",
      summary: "Delete an identity",
      tag: "identities",
      auth: "account",
      responses: {
        204: "Deleted",
        404: "Not one of yours",
        409: "Last identity, or it organizes events",
      },
    },
    async (c) => {
      const s = c.get("services");
      const account = requireAccount(c);
      const target = await s.identities.byHandle(c.req.param("handle")!).catch(() => null);
      await s.identities.delete(
        account.id,
        target && target.accountId === account.id ? target.id : "-",
      );
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/groups",
      summary: "List groups by handle",
      tag: "groups",
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        after: handleSchema.optional(),
      }),
      responses: { 200: "Groups" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const groups = await s.groups.list(query.limit + 1, query.after);
      const items = groups.slice(0, query.limit);
      return c.json({
        items: items.map((g) => groupJson(s, g)),
        next: groups.length > query.limit ? (items.at(-1)?.handle ?? null) : null,
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/groups",
      summary: "Create a group; the acting identity becomes its admin",
      tag: "groups",
      auth: "identity",
      body: z.strictObject({
        handle: handleSchema,
        name: profile.name,
        description: z.string().max(20_000).optional(),
      }),
      responses: { 201: "Created", 409: "Handle taken", 422: "Invalid fields" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const group = await s.groups.create(await actingIdentity(c), body);
      return c.json(groupJson(s, group), 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/me/groups",
      summary: "The groups the acting identity belongs to, with its role in each",
      tag: "groups",
      auth: "identity",
      responses: { 200: "{ items: [{ group, role }] }", 401: "Not signed in" },
    },
    async (c) => {
      const s = c.get("services");
      const mine = await s.groups.mine(await actingIdentity(c));
      c.header("cache-control", "private, no-store");
      return c.json({ items: mine.map((m) => ({ group: groupJson(s, m.group), role: m.role })) });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/groups/:handle",
      summary: "A group",
      tag: "groups",
      responses: { 200: "Group", 404: "Not found" },
    },
    async (c) => {
      const s = c.get("services");
      return c.json(groupJson(s, await s.groups.byHandle(c.req.param("handle")!)));
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/groups/:handle",
      summary: "Edit a group (its admins)",
      tag: "groups",
      auth: "identity",
      body: z.strictObject({
        name: profile.name.optional(),
        description: z.string().max(20_000).optional(),
        embedOrigins: z.array(originSchema).max(100).optional(),
        /** Uploaded images (POST /api/v1/media); null removes them. */
        avatar: bannerInputSchema.nullable().optional(),
        banner: bannerInputSchema.nullable().optional(),
        /** Links to the group's own tools, shown on its page (replaces the list). */
        resources: z.array(groupResourceSchema).max(50).optional(),
      }),
      responses: {
        200: "Updated",
        403: "Not an admin of the group",
        404: "Not found",
        422: "Invalid fields",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const group = await s.groups.update(await actingIdentity(c), c.req.param("handle")!, body);
      return c.json(groupJson(s, group));
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/groups/:handle/members",
      summary: "The group's members and their roles (members only)",
      tag: "groups",
      auth: "identity",
      responses: { 200: "Members", 403: "Not a member", 404: "No such group" },
    },
    async (c) => {
      const s = c.get("services");
      const members = await s.groups.members(await actingIdentity(c), c.req.param("handle")!);
      return c.json({
        members: members.map((m) => ({ identity: identityJson(s, m.identity), role: m.role })),
      });
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/groups/:handle/members/:member",
      summary:
        "Add a local identity to the group or change its role (admins): members create the group's events, moderators manage all of them, admins also the group",
      tag: "groups",
      auth: "identity",
      body: z.strictObject({ role: z.enum(["member", "moderator", "admin"]) }),
      responses: {
        204: "Set",
        403: "Not an admin of the group",
        404: "No such group or identity",
        409: "It would leave the group without an admin",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      await s.groups.setMember(
        await actingIdentity(c),
        c.req.param("handle")!,
        c.req.param("member")!,
        body.role,
      );
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/groups/:handle/members/:member",
      summary: "Remove a member (admins), or leave the group (yourself)",
      tag: "groups",
      auth: "identity",
      responses: {
        204: "Removed",
        403: "Not an admin of the group",
        404: "No such group or member",
        409: "It would leave the group without an admin",
      },
    },
    async (c) => {
      const s = c.get("services");
      await s.groups.removeMember(
        await actingIdentity(c),
        c.req.param("handle")!,
        c.req.param("member")!,
      );
      return c.body(null, 204);
    },
  );
}
