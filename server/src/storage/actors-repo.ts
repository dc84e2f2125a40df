/** Identities, groups, their shared handle namespace, and group membership. */
import type { Banner, Group, GroupResource, Identity } from "@eventail/core";
import type { Kysely } from "kysely";
import type { Database, GroupsTable, IdentitiesTable } from "./schema.ts";

export type GroupRole = "admin" | "moderator" | "member";

function identityFromRow(r: IdentitiesTable): Identity {
  return {
    id: r.id,
    accountId: r.account_id,
    handle: r.handle,
    name: r.name,
    bio: r.bio,
    avatar: r.avatar ? (JSON.parse(r.avatar) as Banner) : null,
    createdAt: new Date(r.created_at),
  };
}

function groupFromRow(r: GroupsTable): Group {
  return {
    id: r.id,
    handle: r.handle,
    name: r.name,
    description: r.description,
    embedOrigins: JSON.parse(r.embed_origins) as string[],
    avatar: r.avatar ? (JSON.parse(r.avatar) as Banner) : null,
    banner: r.banner ? (JSON.parse(r.banner) as Banner) : null,
    resources: JSON.parse(r.resources) as GroupResource[],
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export class ActorsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Reserves `handle`; false when an identity or group already holds it. */
  async claimHandle(handle: string, kind: "identity" | "group"): Promise<boolean> {
    const r = await this.#db
      .insertInto("handles")
      .values({ handle, kind })
      .onConflict((oc) => oc.column("handle").doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async releaseHandle(handle: string): Promise<void> {
    await this.#db.deleteFrom("handles").where("handle", "=", handle).execute();
  }

  async handleKind(handle: string): Promise<"identity" | "group" | null> {
    const r = await this.#db
      .selectFrom("handles")
      .select("kind")
      .where("handle", "=", handle)
      .executeTakeFirst();
    return (r?.kind as "identity" | "group" | undefined) ?? null;
  }

  // ------------------------------------------------------------ identities

  async insertIdentity(i: Identity): Promise<void> {
    await this.#db
      .insertInto("identities")
      .values({
        id: i.id,
        account_id: i.accountId,
        handle: i.handle,
        name: i.name,
        bio: i.bio,
        // Written only when set (new identities have none; the column defaults to null).
        ...(i.avatar ? { avatar: JSON.stringify(i.avatar) } : {}),
        created_at: i.createdAt.getTime(),
      })
      .execute();
  }

  async updateIdentity(
    id: string,
    patch: { name?: string; bio?: string; avatar?: Banner | null },
  ): Promise<void> {
    // An empty patch changes nothing (and "SET" with no column is not SQL).
    if (!Object.keys(patch).length) return;
    const { avatar, ...rest } = patch;
    await this.#db
      .updateTable("identities")
      .set({
        ...rest,
        ...(avatar !== undefined ? { avatar: avatar ? JSON.stringify(avatar) : null } : {}),
      })
      .where("id", "=", id)
      .execute();
  }

  async deleteIdentity(id: string): Promise<void> {
    await this.#db.deleteFrom("identities").where("id", "=", id).execute();
  }

  async identity(id: string): Promise<Identity | null> {
    const r = await this.#db
      .selectFrom("identities")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? identityFromRow(r) : null;
  }

  async identityByHandle(handle: string): Promise<Identity | null> {
    const r = await this.#db
      .selectFrom("identities")
      .selectAll()
      .where("handle", "=", handle)
      .executeTakeFirst();
    return r ? identityFromRow(r) : null;
  }

  async identitiesOf(accountId: string): Promise<Identity[]> {
    const rows = await this.#db
      .selectFrom("identities")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .execute();
    return rows.map(identityFromRow);
  }

  async identitiesByIds(ids: string[]): Promise<Identity[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom("identities")
      .selectAll()
      .where("id", "in", ids)
      .execute();
    return rows.map(identityFromRow);
  }

  async countEventsOrganizedBy(identityId: string): Promise<number> {
    const r = await this.#db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("organizer_id", "=", identityId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ------------------------------------------------------------ groups

  async insertGroup(g: Group): Promise<void> {
    await this.#db
      .insertInto("groups")
      .values({
        id: g.id,
        handle: g.handle,
        name: g.name,
        description: g.description,
        embed_origins: JSON.stringify(g.embedOrigins),
        avatar: g.avatar ? JSON.stringify(g.avatar) : null,
        banner: g.banner ? JSON.stringify(g.banner) : null,
        resources: JSON.stringify(g.resources),
        created_at: g.createdAt.getTime(),
        updated_at: g.updatedAt.getTime(),
      })
      .execute();
  }

  async updateGroup(
    id: string,
    patch: Partial<
      Pick<Group, "name" | "description" | "embedOrigins" | "avatar" | "banner" | "resources">
    >,
  ): Promise<void> {
    const { embedOrigins, avatar, banner, resources, ...rest } = patch;
    const json = (v: unknown) => (v ? JSON.stringify(v) : null);
    await this.#db
      .updateTable("groups")
      .set({
        ...rest,
        ...(embedOrigins ? { embed_origins: JSON.stringify(embedOrigins) } : {}),
        ...(avatar !== undefined ? { avatar: json(avatar) } : {}),
        ...(banner !== undefined ? { banner: json(banner) } : {}),
        ...(resources ? { resources: JSON.stringify(resources) } : {}),
        updated_at: Date.now(),
      })
      .where("id", "=", id)
      .execute();
  }

  async group(id: string): Promise<Group | null> {
    const r = await this.#db
      .selectFrom("groups")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? groupFromRow(r) : null;
  }

  async groupByHandle(handle: string): Promise<Group | null> {
    const r = await this.#db
      .selectFrom("groups")
      .selectAll()
      .where("handle", "=", handle)
      .executeTakeFirst();
    return r ? groupFromRow(r) : null;
  }

  async groupsByIds(ids: string[]): Promise<Group[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.selectFrom("groups").selectAll().where("id", "in", ids).execute();
    return rows.map(groupFromRow);
  }

  async listGroups(limit: number, afterHandle?: string): Promise<Group[]> {
    let q = this.#db.selectFrom("groups").selectAll();
    if (afterHandle) q = q.where("handle", ">", afterHandle);
    const rows = await q.orderBy("handle").limit(limit).execute();
    return rows.map(groupFromRow);
  }

  async addMember(groupId: string, identityId: string, role: GroupRole) {
    await this.#db
      .insertInto("group_members")
      .values({ group_id: groupId, identity_id: identityId, role, created_at: Date.now() })
      .execute();
  }

  async memberRole(groupId: string, identityId: string): Promise<GroupRole | null> {
    const r = await this.#db
      .selectFrom("group_members")
      .select("role")
      .where("group_id", "=", groupId)
      .where("identity_id", "=", identityId)
      .executeTakeFirst();
    return (r?.role as GroupRole | undefined) ?? null;
  }

  /** Adds `identityId` with `role`, or changes its role. */
  async setMember(groupId: string, identityId: string, role: GroupRole): Promise<void> {
    await this.#db
      .insertInto("group_members")
      .values({ group_id: groupId, identity_id: identityId, role, created_at: Date.now() })
      .onConflict((oc) => oc.columns(["group_id", "identity_id"]).doUpdateSet({ role }))
      .execute();
  }

  async removeMember(groupId: string, identityId: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("group_members")
      .where("group_id", "=", groupId)
      .where("identity_id", "=", identityId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The groups `identityId` belongs to, with its role in each, by handle. */
  async groupsOf(identityId: string): Promise<{ group: Group; role: GroupRole }[]> {
    const rows = await this.#db
      .selectFrom("group_members")
      .innerJoin("groups", "groups.id", "group_members.group_id")
      .selectAll("groups")
      .select("group_members.role as member_role")
      .where("group_members.identity_id", "=", identityId)
      .orderBy("groups.handle")
      .limit(1000)
      .execute();
    return rows.map((r) => ({ group: groupFromRow(r), role: r.member_role as GroupRole }));
  }

  /** Members with their role, admins first, then by handle. */
  async members(groupId: string): Promise<{ identity: Identity; role: GroupRole }[]> {
    const rows = await this.#db
      .selectFrom("group_members")
      .innerJoin("identities", "identities.id", "group_members.identity_id")
      .selectAll("identities")
      .select("group_members.role as member_role")
      .where("group_members.group_id", "=", groupId)
      .orderBy("identities.handle")
      .limit(1000)
      .execute();
    const rank = { admin: 0, moderator: 1, member: 2 } as const;
    return rows
      .map((r) => ({ identity: identityFromRow(r), role: r.member_role as GroupRole }))
      .sort((a, b) => rank[a.role] - rank[b.role]);
  }
}
