/**
 * Instance policies set by admins. `block`: nothing from the instance is taken (its inbox
 * POSTs get 403 before any parsing), nothing is fetched from or delivered to it, and its
 * content is purged. `limit`: its events are kept out of public listings and its comments
 * wait for moderation. `allow`: in allowlist mode (EVENTAIL_FEDERATION_MODE=allowlist), the
 * only instances that federate are those allowed or limited.
 *
 * A policy on a domain covers its subdomains (blocking example.org blocks a.example.org);
 * a host with a port (loopback tests) matches only itself.
 */
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.ts";

export const INSTANCE_LEVELS = ["block", "limit", "allow"] as const;
export type InstanceLevel = (typeof INSTANCE_LEVELS)[number];

export interface InstancePolicy {
  host: string;
  level: InstanceLevel;
  reason: string;
  createdAt: number;
}

/** A host as policies name it: lowercased, no trailing dot; null if it is not a host. */
export function normalizeHost(input: string): string | null {
  let s = input.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(s)) {
    try {
      s = new URL(s).host;
    } catch {
      return null;
    }
  }
  s = s.replace(/\.$/, "");
  if (
    !/^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/.test(s)
  )
    return null;
  return s.length <= 253 ? s : null;
}

/** Whether a policy (or purge) naming `parent` covers `host`: itself, or a subdomain. */
export function hostCovers(parent: string, host: string): boolean {
  if (host === parent) return true;
  if (parent.includes(":") || parent.startsWith("[")) return false;
  return host.endsWith(`.${parent}`);
}

/** A remote actor suspended instance-wide (a moderator's decision, often on a report). */
export interface SuspendedActor {
  actor: string;
  host: string;
  reason: string;
  createdAt: number;
}

/** An actor URL as suspensions name it: no fragment (a key id `…#main-key` names its actor). */
export function actorKey(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    u.hash = "";
    return u.href;
  } catch {
    return null;
  }
}

export class InstancePolicies {
  readonly mode: "blocklist" | "allowlist";
  readonly #db: Kysely<Database>;
  #byHost = new Map<string, InstancePolicy>();
  #actors = new Map<string, SuspendedActor>();
  #loaded: Promise<void> | null = null;

  constructor(db: Kysely<Database>, mode: "blocklist" | "allowlist") {
    this.#db = db;
    this.mode = mode;
  }

  /** Loads the policies once; every check waits for it. */
  ready(): Promise<void> {
    this.#loaded ??= this.reload();
    return this.#loaded;
  }

  async reload(): Promise<void> {
    const suspended = await this.#db.selectFrom("suspended_actors").selectAll().execute();
    this.#actors = new Map(
      suspended.map((r) => [
        r.actor,
        { actor: r.actor, host: r.host, reason: r.reason, createdAt: Number(r.created_at) },
      ]),
    );
    const rows = await this.#db.selectFrom("instance_policies").selectAll().execute();
    this.#byHost = new Map(
      rows.map((r) => [
        r.host,
        {
          host: r.host,
          level: r.level as InstanceLevel,
          reason: r.reason,
          createdAt: Number(r.created_at),
        },
      ]),
    );
  }

  /** The policy that applies to `host` (its own, or its nearest parent domain's). */
  policyOf(host: string): InstancePolicy | null {
    let h = host.toLowerCase();
    for (;;) {
      const p = this.#byHost.get(h);
      if (p) return p;
      if (h.includes(":") || h.startsWith("[")) return null;
      const dot = h.indexOf(".");
      if (dot < 0) return null;
      h = h.slice(dot + 1);
    }
  }

  /** Whether nothing may come from or go to `host`. Call `ready()` first. */
  refused(host: string): boolean {
    const p = this.policyOf(host);
    if (p?.level === "block") return true;
    return this.mode === "allowlist" && !p;
  }

  /** Whether a URL points to a refused host (unparseable URLs are refused). */
  refusedUrl(url: string | URL): boolean {
    try {
      return this.refused(typeof url === "string" ? new URL(url).host : url.host);
    } catch {
      return true;
    }
  }

  /** Whether `url` (an actor, or a key id of it) names a suspended actor. Call `ready()` first. */
  actorSuspended(url: string): boolean {
    const key = actorKey(url);
    return key !== null && this.#actors.has(key);
  }

  suspendedActors(): SuspendedActor[] {
    return [...this.#actors.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  async suspendActor(actor: string, reason: string): Promise<SuspendedActor> {
    const key = actorKey(actor);
    if (!key) throw new Error("not an actor URL");
    const row = { actor: key, host: new URL(key).host, reason, created_at: Date.now() };
    await this.#db
      .insertInto("suspended_actors")
      .values(row)
      .onConflict((oc) => oc.column("actor").doUpdateSet({ reason }))
      .execute();
    await this.reload();
    return this.#actors.get(key)!;
  }

  async unsuspendActor(actor: string): Promise<boolean> {
    const key = actorKey(actor);
    if (!key) return false;
    const r = await this.#db
      .deleteFrom("suspended_actors")
      .where("actor", "=", key)
      .executeTakeFirst();
    await this.reload();
    return Number(r.numDeletedRows) > 0;
  }

  limited(host: string): boolean {
    return this.policyOf(host)?.level === "limit";
  }

  list(): InstancePolicy[] {
    return [...this.#byHost.values()].sort((a, b) => a.host.localeCompare(b.host));
  }

  async set(host: string, level: InstanceLevel, reason: string): Promise<InstancePolicy> {
    const row = { host, level, reason, created_at: Date.now() };
    await this.#db
      .insertInto("instance_policies")
      .values(row)
      .onConflict((oc) => oc.column("host").doUpdateSet({ level, reason }))
      .execute();
    await this.reload();
    return this.#byHost.get(host)!;
  }

  async remove(host: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("instance_policies")
      .where("host", "=", host)
      .executeTakeFirst();
    await this.reload();
    return Number(r.numDeletedRows) > 0;
  }
}
