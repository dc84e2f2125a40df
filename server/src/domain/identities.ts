/**
 * Identities (public profiles of an account) and groups. Handles share one namespace,
 * since both become `@handle@host` on the fediverse.
 */
import {
  type Banner,
  conflict,
  forbidden,
  type Group,
  type GroupResource,
  handleSchema,
  type Identity,
  invalid,
  notFound,
} from "@eventail/core";
import { sanitizer } from "../lazy.ts";
import type { GroupRole, Repos } from "../storage/index.ts";
import { attachImage, type ImageInput } from "./media.ts";
import { newId } from "./secrets.ts";

/** Handles kept for the instance's own routes and actors. */
const RESERVED = new Set([
  "admin",
  "api",
  "console",
  "events",
  "feeds",
  "groups",
  "instance",
  "media",
  "relay",
  "static",
  "widgets",
  "www",
  "root",
  "support",
  "abuse",
  "postmaster",
]);

function checkHandle(handle: string): string {
  const parsed = handleSchema.safeParse(handle);
  if (!parsed.success)
    throw invalid("invalid handle", [{ path: "handle", message: parsed.error.issues[0]!.message }]);
  if (RESERVED.has(handle))
    throw conflict("handle reserved", [{ path: "handle", message: "is reserved" }]);
  return parsed.data;
}

function checkName(name: string): string {
  const trimmed = typeof name === "string" ? name.trim() : "";
  if (!trimmed || trimmed.length > 100)
    throw invalid("invalid name", [{ path: "name", message: "must be 1 to 100 characters" }]);
  return trimmed;
}

export class IdentityService {
  readonly #repos: Repos;
  constructor(repos: Repos) {
    this.#repos = repos;
  }

  /** Creates an identity inside an existing transaction (registration uses this). */
  async createIn(
    tx: Repos,
    accountId: string,
    input: { handle: string; name: string; bio?: string },
  ): Promise<Identity> {
    const handle = checkHandle(input.handle);
    if (!(await tx.actors.claimHandle(handle, "identity")))
      throw conflict("handle taken", [{ path: "handle", message: "is already taken" }]);
    const identity: Identity = {
      id: newId(),
      accountId,
      handle,
      name: checkName(input.name),
      bio: (input.bio ?? "").trim().slice(0, 1000),
      avatar: null,
      createdAt: new Date(),
    };
    await tx.actors.insertIdentity(identity);
    return identity;
  }

  create(
    accountId: string,
    input: { handle: string; name: string; bio?: string },
  ): Promise<Identity> {
    return this.#repos.transaction((tx) => this.createIn(tx, accountId, input));
  }

  /** The identity `identityId` if `accountId` owns it; otherwise "not found" (no probing). */
  async owned(accountId: string, identityId: string): Promise<Identity> {
    const i = await this.#repos.actors.identity(identityId);
    if (!i || i.accountId !== accountId) throw notFound("identity");
    return i;
  }

  listOwned(accountId: string): Promise<Identity[]> {
    return this.#repos.actors.identitiesOf(accountId);
  }

  async update(
    accountId: string,
    identityId: string,
    patch: { name?: string; bio?: string; avatar?: ImageInput | null },
  ): Promise<Identity> {
    const current = await this.owned(accountId, identityId);
    await this.#repos.actors.updateIdentity(identityId, {
      ...(patch.avatar !== undefined
        ? {
            avatar: await attachImage(
              this.#repos,
              accountId,
              patch.avatar,
              "avatar",
              current.avatar,
            ),
          }
        : {}),
      ...(patch.name !== undefined ? { name: checkName(patch.name) } : {}),
      ...(patch.bio !== undefined ? { bio: patch.bio.trim().slice(0, 1000) } : {}),
    });
    return this.owned(accountId, identityId);
  }

  async delete(accountId: string, identityId: string): Promise<void> {
    const identity = await this.owned(accountId, identityId);
    const all = await this.#repos.actors.identitiesOf(accountId);
    if (all.length <= 1) throw conflict("an account keeps at least one identity");
    if ((await this.#repos.actors.countEventsOrganizedBy(identityId)) > 0)
      throw conflict("this identity organizes events: delete or hand them over first");
    await this.#repos.transaction(async (tx) => {
      await tx.actors.deleteIdentity(identityId);
      await tx.actors.releaseHandle(identity.handle);
    });
  }

  async byHandle(handle: string): Promise<Identity> {
    const i = await this.#repos.actors.identityByHandle(handle);
    if (!i) throw notFound("identity");
    return i;
  }
}

export class GroupService {
  readonly #repos: Repos;
  constructor(repos: Repos) {
    this.#repos = repos;
  }

  /** The acting identity becomes the group's first admin. */
  async create(
    actor: Identity,
    input: { handle: string; name: string; description?: string },
  ): Promise<Group> {
    const handle = checkHandle(input.handle);
    const now = new Date();
    const { sanitizeDescription } = await sanitizer();
    const group: Group = {
      id: newId(),
      handle,
      name: checkName(input.name),
      description: sanitizeDescription(input.description ?? ""),
      embedOrigins: [],
      avatar: null,
      banner: null,
      resources: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.#repos.transaction(async (tx) => {
      if (!(await tx.actors.claimHandle(handle, "group")))
        throw conflict("handle taken", [{ path: "handle", message: "is already taken" }]);
      await tx.actors.insertGroup(group);
      await tx.actors.addMember(group.id, actor.id, "admin");
    });
    return group;
  }

  async byHandle(handle: string): Promise<Group> {
    const g = await this.#repos.actors.groupByHandle(handle);
    if (!g) throw notFound("group");
    return g;
  }

  async update(
    actor: Identity,
    handle: string,
    patch: {
      name?: string;
      description?: string;
      embedOrigins?: string[];
      avatar?: ImageInput | null;
      banner?: ImageInput | null;
      resources?: GroupResource[];
    },
  ): Promise<Group> {
    const group = await this.byHandle(handle);
    if ((await this.#repos.actors.memberRole(group.id, actor.id)) !== "admin")
      throw forbidden("only the group's admins may edit it");
    const { sanitizeDescription } = await sanitizer();
    await this.#repos.actors.updateGroup(group.id, {
      ...(patch.avatar !== undefined
        ? { avatar: await this.#image(actor, patch.avatar, "avatar", group.avatar) }
        : {}),
      ...(patch.banner !== undefined
        ? { banner: await this.#image(actor, patch.banner, "banner", group.banner) }
        : {}),
      ...(patch.resources !== undefined ? { resources: patch.resources } : {}),
      ...(patch.name !== undefined ? { name: checkName(patch.name) } : {}),
      ...(patch.description !== undefined
        ? { description: sanitizeDescription(patch.description) }
        : {}),
      ...(patch.embedOrigins !== undefined ? { embedOrigins: patch.embedOrigins } : {}),
    });
    return this.byHandle(handle);
  }

  list(limit: number, after?: string): Promise<Group[]> {
    return this.#repos.actors.listGroups(limit, after);
  }

  /** The groups the acting identity belongs to, with its role (its own view). */
  mine(actor: Identity): Promise<{ group: Group; role: GroupRole }[]> {
    return this.#repos.actors.groupsOf(actor.id);
  }

  /** The members and their roles: shown to members only (membership is not public). */
  async members(
    actor: Identity,
    handle: string,
  ): Promise<{ identity: Identity; role: GroupRole }[]> {
    const group = await this.byHandle(handle);
    if (!(await this.#repos.actors.memberRole(group.id, actor.id)))
      throw forbidden("only the group's members may see who its members are");
    return this.#repos.actors.members(group.id);
  }

  /**
   * Adds a local identity to the group or changes its role (admins only). Members create the
   * group's events; moderators also manage every event of the group; admins edit the group
   * and its members.
   */
  async setMember(actor: Identity, handle: string, member: string, role: GroupRole): Promise<void> {
    const group = await this.byHandle(handle);
    await this.#requireAdmin(group, actor);
    const identity = await this.#repos.actors.identityByHandle(member);
    if (!identity) throw notFound("identity");
    if (role !== "admin") await this.#keepAnAdmin(group, identity);
    await this.#repos.actors.setMember(group.id, identity.id, role);
  }

  /** Removes a member: an admin removes anyone, anyone removes themselves (leaves). */
  async removeMember(actor: Identity, handle: string, member: string): Promise<void> {
    const group = await this.byHandle(handle);
    const identity = await this.#repos.actors.identityByHandle(member);
    if (!identity) throw notFound("identity");
    if (identity.id !== actor.id) await this.#requireAdmin(group, actor);
    await this.#keepAnAdmin(group, identity);
    if (!(await this.#repos.actors.removeMember(group.id, identity.id))) throw notFound("member");
  }

  async #requireAdmin(group: Group, actor: Identity): Promise<void> {
    if ((await this.#repos.actors.memberRole(group.id, actor.id)) !== "admin")
      throw forbidden("only the group's admins may manage its members");
  }

  /** A group never loses its last admin: nobody could manage it any more. */
  async #keepAnAdmin(group: Group, leaving: Identity): Promise<void> {
    if ((await this.#repos.actors.memberRole(group.id, leaving.id)) !== "admin") return;
    const admins = (await this.#repos.actors.members(group.id)).filter((m) => m.role === "admin");
    if (admins.length <= 1)
      throw conflict("a group keeps at least one admin", [
        { path: "role", message: "name another admin first" },
      ]);
  }

  /** An upload of the acting identity's account as a group image; null removes it. */
  #image(
    actor: Identity,
    input: ImageInput | null,
    path: string,
    current: Banner | null,
  ): Promise<Banner | null> {
    return attachImage(this.#repos, actor.accountId, input, path, current);
  }
}
