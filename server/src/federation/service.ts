/**
 * Federation over ActivityPub, built on Fedify 2.3.6 (decisions in docs/decisions/0006–0008):
 *
 * - Fedify does signatures, key ownership, WebFinger, NodeInfo, its SSRF guard, retries and
 *   the delivery worker; its KvStore and MessageQueue are ours, on the same database.
 * - Actors: the instance (`Application` "relay", which also follows other instances), each
 *   group (`Group`) and identity (`Person`), at the same URLs as their HTML pages (`/@handle`).
 * - Events go out as raw JSON (`toActivityStreamsEvent`): Fedify's typed vocabulary would drop
 *   Mobilizon's fields and rewrite offsets. We post the activity to our own outbox with an
 *   in-process secret and forward it from the outbox listener, which sends the body unchanged
 *   through Fedify's queue (signing, retries, shared inboxes).
 * - Remote events arrive through the inbox from actors (or instances) we follow and are kept
 *   as rows of `events` with no local organizer, their origin in `remote_events`.
 * - `Join`/`Leave` go through ParticipationService, the same rules as a web RSVP.
 */

import {
  type ActorRef,
  DomainError,
  type EventRecord,
  type Group,
  type Identity,
  type ParticipationState,
  type RsvpResult,
} from "@eventail/core";
import {
  type Context,
  createExponentialBackoffPolicy,
  createFederation,
  type Federation,
  type RetryPolicy,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  type Actor,
  Flag,
  Follow,
  Ignore,
  isActor,
  Join,
  Leave,
  type Recipient,
  Reject,
  Undo,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Config } from "../config.ts";
import type { CommentService } from "../domain/comments.ts";
import type { EventChange, EventRef, EventService, RemoteRefs } from "../domain/events.ts";
import type { Links } from "../domain/links.ts";
import type { ParticipationService } from "../domain/participations.ts";
import type { ReportService } from "../domain/reports.ts";
import { newId, newSecret } from "../domain/secrets.ts";
import type { Settings } from "../domain/settings.ts";
import type { ResponseCache } from "../http/cache.ts";
import { sanitizer } from "../lazy.ts";
import type { Logger } from "../log.ts";
import type { CommentRow } from "../storage/comments-repo.ts";
import type { Repos, Store } from "../storage/index.ts";
import { registerDispatchers } from "./dispatchers.ts";
import { CONTROL_CHARS } from "./inbound.ts";
import { registerInbox } from "./inbox.ts";
import { actorKey, hostCovers, InstancePolicies } from "./instances.ts";
import { ActorKeys } from "./keys.ts";
import { DbKvStore, durationMs } from "./kv.ts";
import { DbMessageQueue } from "./mq.ts";
import {
  createActivity,
  createNoteActivity,
  deleteActivity,
  deleteNoteActivity,
  type EventActors,
  type NoteParts,
  noteObject,
  type RawActivity,
  updateActivity,
} from "./outbound.ts";
import { FederationRepo, originOf, type RemoteActor } from "./repo.ts";

export const RELAY = "relay";

export interface FederationDeps {
  config: Config;
  log: Logger;
  store: Store;
  repos: Repos;
  links: Links;
  settings: Settings;
  events: EventService;
  participations: ParticipationService;
  comments: CommentService;
  reports: ReportService;
  cache: ResponseCache;
  version: string;
}

/** Settings only tests use. Nothing here is reachable from the environment or the CLI. */
export interface FederationOptions {
  /**
   * Let Fedify fetch from and deliver to loopback and private addresses (its SSRF guard
   * off). Only for tests running several instances on 127.0.0.1.
   */
  allowPrivateAddress?: boolean;
  /** Idle poll interval of the queue workers, ms (default 1000). */
  pollMs?: number;
  /** Lease of a claimed queue message, ms (DbMessageQueue's default otherwise). */
  leaseMs?: number;
  /** false: no queue workers (one-shot CLI commands). */
  startQueue?: boolean;
}

export type LocalActor =
  | { kind: "relay" }
  | { kind: "identity"; identity: Identity }
  | { kind: "group"; group: Group };

/** A retry policy with exponential backoff that gives up once `giveUpMs` have passed. */
export function giveUpAfter(giveUpMs: number): RetryPolicy {
  const backoff = createExponentialBackoffPolicy({
    initialDelay: { seconds: 5 },
    maxDelay: { hours: 6 },
    maxAttempts: 10_000,
  });
  return (ctx) => (durationMs(ctx.elapsedTime) >= giveUpMs ? null : backoff(ctx));
}

export class FederationService {
  readonly federation: Federation<void>;
  readonly kv: DbKvStore;
  readonly repo: FederationRepo;
  readonly keys: ActorKeys;
  readonly instances: InstancePolicies;
  readonly queues: { inbox: DbMessageQueue; outbox: DbMessageQueue; fanout: DbMessageQueue };
  readonly deps: FederationDeps;
  readonly log: Logger;
  readonly origin: string;
  /** Authenticates our own POSTs to our outboxes (never leaves the process). */
  readonly #internalToken = newSecret("evi");
  readonly #pending = new Map<string, { recipients: Recipient[]; orderingKey?: string }>();
  readonly #stop = new AbortController();
  #workers: Promise<void> | null = null;
  #sweeper: NodeJS.Timeout | null = null;
  readonly #options: FederationOptions;

  constructor(deps: FederationDeps, options: FederationOptions = {}) {
    this.deps = deps;
    this.log = deps.log;
    this.#options = options;
    this.origin = deps.links.origin;
    const db = deps.store.db;
    this.kv = new DbKvStore(db);
    this.repo = new FederationRepo(db);
    this.keys = new ActorKeys(db);
    this.instances = new InstancePolicies(db, deps.config.federationMode);
    const pollMs = options.pollMs ?? 1000;
    const leaseMs = options.leaseMs;
    this.queues = {
      inbox: new DbMessageQueue(db, { name: "inbox", workers: 4, pollMs, leaseMs, log: deps.log }),
      outbox: new DbMessageQueue(db, {
        name: "outbox",
        workers: 16,
        perHost: deps.config.federationHostConcurrency,
        pollMs,
        leaseMs,
        log: deps.log,
      }),
      fanout: new DbMessageQueue(db, {
        name: "fanout",
        workers: 2,
        pollMs,
        leaseMs,
        log: deps.log,
      }),
    };
    this.federation = createFederation<void>({
      kv: this.kv,
      queue: this.queues,
      manuallyStartQueue: true,
      origin: this.origin,
      allowPrivateAddress: options.allowPrivateAddress === true,
      userAgent: { software: `Eventail/${deps.version}`, url: this.origin },
      outboxRetryPolicy: giveUpAfter(deps.config.federationGiveUpHours * 3_600_000),
      inboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts: 6 }),
    });
    registerDispatchers(this);
    registerInbox(this);
    this.federation
      .setOutboxListeners("/@{identifier}/outbox")
      .authorize((ctx) => {
        const given = ctx.request.headers.get("x-eventail-internal") ?? "";
        return given.length === this.#internalToken.length && given === this.#internalToken;
      })
      // Every raw activity we post to our own outbox goes out unchanged.
      .on(Activity, async (ctx, activity) => {
        const pending = activity.id ? this.#pending.get(activity.id.href) : undefined;
        if (!pending || pending.recipients.length === 0) return;
        await ctx.forwardActivity({ identifier: ctx.identifier }, pending.recipients, {
          skipIfUnsigned: false,
          preferSharedInbox: true,
          ...(pending.orderingKey ? { orderingKey: pending.orderingKey } : {}),
        });
      });
  }

  /** A context for work outside a request (deliveries triggered by the domain). */
  context(): Context<void> {
    return this.federation.createContext(new URL(this.origin), undefined);
  }

  // ------------------------------------------------------------ lifecycle

  start(): void {
    if (this.#workers || this.#options.startQueue === false) return;
    this.#workers = this.federation
      .startQueue(undefined, { signal: this.#stop.signal })
      .catch((err) => this.log.error("federation queue stopped", { error: String(err) }));
    // Scheduled events whose time has come: every minute. Expired cache entries and
    // idempotence marks: hourly.
    let ticks = 0;
    // Event changes recorded but not federated (the process died in between): now, then
    // every minute with the scheduled events.
    const replay = () =>
      this.deps.events
        .replayChanges()
        .catch((err) => this.log.error("replaying event changes failed", { error: String(err) }));
    void replay();
    this.#sweeper = setInterval(() => {
      void replay();
      this.publishDue().catch((err) =>
        this.log.error("federating scheduled events failed", { error: String(err) }),
      );
      if (++ticks % 60 === 0) this.kv.sweep().catch(() => {});
    }, 60_000);
    this.#sweeper.unref();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    for (const q of Object.values(this.queues)) q.close();
    if (this.#sweeper) clearInterval(this.#sweeper);
    if (this.#workers)
      await Promise.race([this.#workers, new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  /** Resolves once no queue holds ready or running work (tests, graceful checks). */
  async drained(timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3) {
      const pending = await Promise.all(Object.values(this.queues).map((q) => q.pending()));
      quiet = pending.every((n) => n === 0) ? quiet + 1 : 0;
      if (Date.now() > end) throw new Error(`federation queues not drained: ${pending.join("/")}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // ------------------------------------------------------------ local actors

  async localActor(identifier: string): Promise<LocalActor | null> {
    if (identifier === RELAY) return { kind: "relay" };
    if (!/^[a-z0-9_]{1,30}$/.test(identifier)) return null;
    const { actors } = this.deps.repos;
    const kind = await actors.handleKind(identifier);
    if (kind === "identity") {
      const identity = await actors.identityByHandle(identifier);
      return identity ? { kind, identity } : null;
    }
    if (kind === "group") {
      const group = await actors.groupByHandle(identifier);
      return group ? { kind, group } : null;
    }
    return null;
  }

  actorUri(identifier: string): string {
    return `${this.origin}/@${identifier}`;
  }

  /** Who sends what about an event: its group if it has one, else its organizer. */
  async eventActors(e: EventRef): Promise<EventActors & { senderId: string; audience: string[] }> {
    const { actors } = this.deps.repos;
    const organizer = e.organizerId ? await actors.identity(e.organizerId) : null;
    const group = e.groupId ? await actors.group(e.groupId) : null;
    if (!organizer) throw new Error(`event ${e.id} has no local organizer`);
    const senderId = group?.handle ?? organizer.handle;
    const audience = [senderId];
    if (group) audience.push(organizer.handle);
    return {
      senderId,
      audience,
      sender: this.actorUri(senderId),
      followers: `${this.actorUri(senderId)}/followers`,
      organizer: this.actorUri(organizer.handle),
      ...(group ? { group: this.actorUri(group.handle) } : {}),
    };
  }

  // ------------------------------------------------------------ events out

  /** What followers may see: public or unlisted, published, not scheduled for later. */
  federatable(e: EventRef, now = Date.now()): boolean {
    return (
      !!e.organizerId &&
      (e.visibility === "public" || e.visibility === "unlisted") &&
      !e.draft &&
      (!e.publishAt || e.publishAt.getTime() <= now)
    );
  }

  /** EventService hook: Create, Update (cancellation included) or Delete to followers. */
  async eventChanged(change: EventChange, now = Date.now()): Promise<void> {
    try {
      const before = change.before && this.federatable(change.before, now) ? change.before : null;
      const after = change.after && this.federatable(change.after, now) ? change.after : null;
      if (!before && !after) return;
      const event = (after ?? before)!;
      const a = await this.eventActors(event);
      // Instances following our relay get public events only.
      const audience =
        (after ?? before)!.visibility === "public" ? [...a.audience, RELAY] : a.audience;
      let activity: RawActivity;
      if (after) {
        const json = await this.deps.events.oneToJson(after);
        const extras = { commentsEnabled: await this.commentsEnabled(after.id) };
        activity = before ? updateActivity(json, a, extras) : createActivity(json, a, extras);
        if (!before && after.publishAt)
          await this.kv.set(["eventail", "announced", after.id], true, {
            ttl: Temporal.Duration.from({ days: 8 }),
          });
      } else {
        activity = deleteActivity(
          this.deps.links.event(event.id),
          a,
          before!.visibility === "public",
        );
      }
      await this.deliverRaw(a.senderId, activity, audience, this.deps.links.event(event.id));
    } catch (err) {
      this.log.error("federating an event change failed (retried within minutes)", {
        event: (change.after ?? change.before)?.id,
        error: String(err),
      });
      throw err;
    }
  }

  /**
   * Events scheduled (`publishAt`) in the last week whose time has come and that were never
   * announced: no write happens at that moment, so nothing else would send their Create.
   */
  async publishDue(now = Date.now()): Promise<number> {
    const ids = await this.repo.dueScheduled(now - 7 * 86_400_000, now);
    let sent = 0;
    for (const id of ids) {
      if (await this.kv.get(["eventail", "announced", id])) continue;
      const event = await this.deps.repos.events.get(id);
      if (!event || !this.federatable(event, now)) continue;
      try {
        await this.eventChanged({ kind: "updated", before: null, after: event }, now);
        sent++;
      } catch {
        // Logged; the next minute tries again (it was not marked announced).
      }
    }
    return sent;
  }

  /**
   * Sends a raw activity of local actor `sender` to the followers of `audience` (local actor
   * identifiers), shared inboxes preferred, through the queue, body unchanged.
   */
  async deliverRaw(
    sender: string,
    activity: RawActivity,
    audience: string[],
    orderingKey?: string,
  ): Promise<number> {
    const rows = await this.repo.followersOf(audience);
    if (rows.length === 0) return 0;
    return this.forwardRaw(sender, activity, this.#recipients(rows), orderingKey);
  }

  #recipients(rows: { follower: string; inbox: string; shared_inbox: string | null }[]) {
    return rows.map((r) => ({
      id: new URL(r.follower),
      inboxId: new URL(r.inbox),
      endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null,
    }));
  }

  /** Posts `activity` to our own outbox; the listener forwards it to `recipients`. */
  async forwardRaw(
    sender: string,
    activity: RawActivity,
    recipients: Recipient[],
    orderingKey?: string,
  ): Promise<number> {
    await this.instances.ready();
    // Nothing goes to instances we do not federate with.
    recipients = recipients.filter(
      (r) =>
        r.id &&
        !this.instances.refusedUrl(r.id) &&
        !this.instances.refusedUrl(r.inboxId!) &&
        !this.instances.actorSuspended(r.id.href),
    );
    if (recipients.length === 0) return 0;
    this.#pending.set(activity.id, { recipients, orderingKey });
    try {
      const res = await this.federation.fetch(
        new Request(`${this.actorUri(sender)}/outbox`, {
          method: "POST",
          headers: {
            "content-type": "application/activity+json",
            "x-eventail-internal": this.#internalToken,
          },
          body: JSON.stringify(activity),
        }),
        { contextData: undefined },
      );
      if (res.status >= 300)
        this.log.error("queueing an activity failed", {
          activity: activity.id,
          status: res.status,
          body: (await res.text()).slice(0, 200),
        });
      return recipients.length;
    } finally {
      this.#pending.delete(activity.id);
    }
  }

  // ------------------------------------------------------------ remote actors

  /** Saves what we show of a remote actor; returns it. */
  async rememberActor(actor: Actor): Promise<RemoteActor | null> {
    if (!actor.id) return null;
    const url = actor.id.href;
    const host = actor.id.host;
    // Names are plain text here, whatever markup the peer sent; no control characters.
    const plain = (await sanitizer()).toPlainText;
    const clean = (v: string) => plain(v.slice(0, 1000)).replace(CONTROL_CHARS, " ").trim();
    const username = clean(actor.preferredUsername?.toString() ?? "").replace(/[\s@]/g, "");
    // An empty name (Mastodon sends "" when none is set) falls back to the username.
    const name = clean(actor.name?.toString() ?? "") || username || host;
    const page = actor.url instanceof URL ? actor.url.href : null;
    const remote: RemoteActor = {
      url,
      type: actor.constructor.name,
      handle: username ? `${username}@${host}` : host,
      name: name.slice(0, 200),
      pageUrl: page && /^https?:/.test(page) ? page : url,
      inbox: actor.inboxId?.href ?? null,
      sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
      host,
    };
    await this.repo.saveRemoteActor(remote);
    return remote;
  }

  /** A remote actor's ref for listings: cached, else fetched (signed by the relay). */
  async remoteActorRef(url: string, ctx: Context<void> = this.context()): Promise<ActorRef> {
    let known = await this.repo.remoteActor(url);
    await this.instances.ready();
    if (!known && !this.instances.refusedUrl(url)) {
      try {
        const loader = await ctx.getDocumentLoader({ identifier: RELAY });
        const found = await ctx.lookupObject(url, { documentLoader: loader });
        if (found && isActor(found) && found.id?.href === url)
          known = await this.rememberActor(found);
      } catch (err) {
        this.log.warn("remote actor lookup failed", { actor: url, error: String(err) });
      }
    }
    const host = new URL(url).host;
    return known
      ? { id: known.url, handle: known.handle, name: known.name, url: known.pageUrl }
      : { id: url, handle: host, name: host, url };
  }

  /** Looks up an actor by URL or "@user@host"; null when it is not an actor. */
  async lookupActor(target: string, ctx: Context<void> = this.context()): Promise<Actor | null> {
    await this.instances.ready();
    const handle = /^@?[^@\s]+@([^@\s/]+)$/.exec(target.trim());
    if (this.instances.refusedUrl(handle ? `https://${handle[1]}` : target.trim())) return null;
    try {
      const loader = await ctx.getDocumentLoader({ identifier: RELAY });
      const found = await ctx.lookupObject(target.trim(), { documentLoader: loader });
      return found && isActor(found) && found.id && !this.instances.refusedUrl(found.id)
        ? found
        : null;
    } catch (err) {
      this.log.warn("actor lookup failed", { target: target.slice(0, 200), error: String(err) });
      return null;
    }
  }

  // ------------------------------------------------------------ following

  /** `local` (a handle or "relay") follows the remote actor `target` (URL or @user@host). */
  async follow(local: string, target: string) {
    const ctx = this.context();
    const handle = /^@?[^@\s]+@([^@\s/]+)$/.exec(target.trim());
    const host = handle
      ? handle[1]!
      : URL.canParse(target.trim())
        ? new URL(target.trim()).host
        : null;
    if (host && !(await this.reachable(`https://${host}`)))
      throw new DomainError("forbidden", `this instance does not federate with ${host}`);
    const actor = await this.lookupActor(target, ctx);
    if (!actor?.id)
      throw new DomainError("validation", "no ActivityPub actor found there", [
        { path: "target", message: "must be an actor URL or @user@host that answers" },
      ]);
    if (actor.id.origin === new URL(this.origin).origin)
      throw new DomainError("validation", "that actor is on this instance", [
        { path: "target", message: "follow remote actors only" },
      ]);
    await this.rememberActor(actor);
    const row = await this.repo.addFollowing({
      id: `${this.actorUri(local)}#follows/${newId()}`,
      actor: local,
      target: actor.id.href,
      targetHost: actor.id.host,
    });
    await ctx.sendActivity(
      { identifier: local },
      actor,
      new Follow({ id: new URL(row.id), actor: ctx.getActorUri(local), object: actor.id }),
    );
    return row;
  }

  /** Undoes a follow; with `purge`, drops remote events nobody here follows any more. */
  async unfollow(local: string, target: string, purge = true): Promise<boolean> {
    const row = await this.repo.following(local, target);
    if (!row) return false;
    const ctx = this.context();
    const known = await this.repo.remoteActor(target);
    await this.repo.removeFollowing(row.id);
    if (known?.inbox && (await this.reachable(target))) {
      const recipient: Recipient = {
        id: new URL(target),
        inboxId: new URL(known.inbox),
        endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
      };
      await ctx.sendActivity(
        { identifier: local },
        recipient,
        new Undo({
          id: new URL(`${row.id}/undo`),
          actor: ctx.getActorUri(local),
          object: new Follow({
            id: new URL(row.id),
            actor: ctx.getActorUri(local),
            object: new URL(target),
          }),
        }),
      );
    }
    if (purge) await this.purgeUnfollowed(target, row.target_host);
    return true;
  }

  /** Deletes remote events from `target` (or its host, for instance follows) no one follows. */
  async purgeUnfollowed(target: string, host: string): Promise<number> {
    const stillActor = (await this.repo.localFollowersOf(target)).length > 0;
    const stillHost = await this.repo.relayFollowsHost(host);
    if (stillActor || stillHost) return 0;
    const ids = await this.repo.remoteEventIdsOnHost(host);
    const keep = new Set<string>();
    for (const id of ids) {
      const info = await this.repo.remoteEvent(id);
      if (!info) continue;
      const others = [
        ...(await this.repo.localFollowersOf(info.actor)),
        ...(info.attributedTo ? await this.repo.localFollowersOf(info.attributedTo) : []),
      ];
      if (others.length) keep.add(id);
    }
    const drop = ids.filter((id) => !keep.has(id));
    for (const id of drop) await this.deps.repos.events.delete(id);
    if (drop.length) this.deps.cache.invalidate();
    return drop.length;
  }

  /** Removes a follower of a local actor and tells them (Reject of their Follow). */
  async removeFollower(local: string, follower: string): Promise<boolean> {
    const removed = await this.repo.removeFollower(local, follower);
    const known = await this.repo.remoteActor(follower);
    if (removed && known?.inbox && (await this.reachable(follower))) {
      const ctx = this.context();
      await ctx.sendActivity(
        { identifier: local },
        { id: new URL(follower), inboxId: new URL(known.inbox) },
        new Reject({
          id: new URL(`${this.actorUri(local)}#rejects/${newId()}`),
          actor: ctx.getActorUri(local),
          object: new Follow({ actor: new URL(follower), object: ctx.getActorUri(local) }),
        }),
      );
    }
    return removed;
  }

  // ------------------------------------------------------------ instance policies

  /** Whether we may talk to the host of `url` (not blocked; allowed in allowlist mode). */
  async reachable(url: string): Promise<boolean> {
    await this.instances.ready();
    return !this.instances.refusedUrl(url);
  }

  /**
   * Applies the instance policies to what is stored: content, followers, follows and
   * follow requests of refused instances are dropped (no Undo goes out: we no longer talk
   * to them); remote events of limited ones leave public listings.
   */
  async applyInstancePolicies(): Promise<{
    events: number;
    comments: number;
    followers: number;
    follows: number;
  }> {
    await this.instances.reload();
    const refused = (hosts: string[]) => hosts.filter((h) => this.instances.refused(h));
    const hosts = await this.repo.knownHosts();
    const out = { events: 0, comments: 0, followers: 0, follows: 0 };
    for (const host of refused(hosts.events)) {
      const ids = await this.repo.remoteEventIdsOnHost(host);
      for (const id of ids) await this.deps.repos.events.delete(id);
      out.events += ids.length;
    }
    for (const host of refused(hosts.comments))
      out.comments += await this.repo.deleteCommentsFromHost(host);
    for (const host of refused(hosts.followers))
      out.followers += await this.repo.removeFollowersOnHost(host);
    for (const host of refused(hosts.follows))
      out.follows += await this.repo.removeFollowsOnHost(host);
    for (const host of hosts.events.filter((h) => this.instances.limited(h)))
      await this.repo.unlistRemoteEventsOnHost(host);
    this.deps.cache.invalidate();
    return out;
  }

  /**
   * Deletes what we hold from an instance (`host` and, for a domain, its subdomains) without
   * blocking it: its remote events, its people's comments and answers to our events, and the
   * cached actors no one here follows. Follows and followers stay; new activities still come.
   */
  async purgeHost(host: string): Promise<{
    events: number;
    comments: number;
    rsvps: number;
    actors: number;
  }> {
    const known = await this.repo.knownHosts();
    const actorHosts = await this.repo.remoteActorHosts();
    const all = new Set([host, ...known.events, ...known.comments, ...actorHosts]);
    const hosts = [...all].filter((h) => hostCovers(host, h));
    const out = { events: 0, comments: 0, rsvps: 0, actors: 0 };
    for (const h of hosts) {
      const ids = await this.repo.remoteEventIdsOnHost(h);
      for (const id of ids) await this.deps.repos.events.delete(id);
      out.events += ids.length;
      out.comments += await this.repo.deleteCommentsFromHost(h);
    }
    out.rsvps = await this.deps.participations.eraseRemote({
      prefixes: hosts.flatMap((h) => [`https://${h}/`, `http://${h}/`]),
    });
    for (const h of hosts) out.actors += await this.repo.deleteRemoteActorsOnHost(h);
    this.deps.cache.invalidate();
    return out;
  }

  /**
   * Suspends a remote actor instance-wide: its activities are refused at the inbox from now
   * on, nothing is delivered to it, and what it sent is purged (its events, comments and
   * answers to our events; it follows no one here and we follow it no more).
   */
  async suspendActor(
    actor: string,
    reason: string,
  ): Promise<{ actor: string; purged: { events: number; comments: number; rsvps: number } }> {
    const key = actorKey(actor);
    if (!key || new URL(key).origin === new URL(this.origin).origin)
      throw new DomainError("validation", "not a remote actor", [
        { path: "actor", message: "the URL of an actor on another instance" },
      ]);
    await this.instances.suspendActor(key, reason);
    const ids = await this.repo.remoteEventIdsOf(key);
    for (const id of ids) await this.deps.repos.events.delete(id);
    const comments = await this.repo.deleteCommentsBy(key);
    const rsvps = await this.deps.participations.eraseRemote({ actor: key });
    await this.repo.removeFollowerEverywhere(key);
    await this.repo.forgetActor(key);
    this.deps.cache.invalidate();
    return { actor: key, purged: { events: ids.length, comments, rsvps } };
  }

  /**
   * Forwards a report to the instance of the remote actor behind it, as Mastodon does: a
   * `Flag` from our instance actor (never the reporter), its objects the actor and the
   * reported event or comment, its content the report's text. Returns the instance's host.
   */
  async forwardReport(
    report: { id: string; target_kind: string; target_id: string; reason: string },
    actor: string,
  ): Promise<string> {
    const host = new URL(actor).host;
    if (!(await this.reachable(actor)))
      throw new DomainError("forbidden", `this instance does not federate with ${host}`);
    const ctx = this.context();
    let known = await this.repo.remoteActor(actor);
    if (!known?.inbox) {
      const found = await this.lookupActor(actor, ctx);
      if (found) known = await this.rememberActor(found);
    }
    if (!known?.inbox)
      throw new DomainError("validation", `the actor's inbox on ${host} is unknown`, [
        { path: "forward", message: "the remote actor could not be reached" },
      ]);
    const objects = [new URL(actor)];
    if (report.target_kind === "event") {
      const info = await this.repo.remoteEvent(report.target_id);
      if (info) objects.push(new URL(info.apId));
    } else if (report.target_kind === "comment") {
      const apId = await this.repo.commentApId(report.target_id);
      if (apId) objects.push(new URL(apId));
    }
    await ctx.sendActivity(
      { identifier: RELAY },
      {
        id: new URL(actor),
        inboxId: new URL(known.inbox),
        endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
      },
      new Flag({
        id: new URL(`${this.actorUri(RELAY)}#flags/${report.id}`),
        actor: ctx.getActorUri(RELAY),
        objects,
        content: report.reason,
      }),
      { preferSharedInbox: true },
    );
    return host;
  }

  /**
   * The remote actor behind a report's target, if any: the publisher of a remote event, the
   * author of a remote comment, or a remote actor a Flag named.
   */
  async remoteActorOf(target: { kind: string; id: string }): Promise<string | null> {
    if (target.kind === "event") {
      const info = await this.repo.remoteEvent(target.id);
      return info ? (info.attributedTo ?? info.actor) : null;
    }
    if (target.kind === "comment") {
      return this.repo.commentAuthorActor(target.id);
    }
    if (target.kind === "remote") {
      const key = actorKey(target.id);
      if (!key || new URL(key).origin === new URL(this.origin).origin) return null;
      return (await this.repo.remoteActor(key)) ? key : null;
    }
    return null;
  }

  // ------------------------------------------------------------ comments out

  /** The Note of a local comment, addressed like its event. */
  async #noteOf(comment: CommentRow, event: EventRecord, author: Identity) {
    const remote = event.organizerId ? null : await this.repo.remoteEvent(event.id);
    let eventActor: string;
    let audience: string[] = [author.handle];
    let recipients: Recipient[] = [];
    if (remote) {
      eventActor = remote.attributedTo ?? remote.actor;
      const known = await this.repo.remoteActor(eventActor);
      if (known?.inbox)
        recipients = [
          {
            id: new URL(eventActor),
            inboxId: new URL(known.inbox),
            endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
          },
        ];
    } else {
      const a = await this.eventActors(event);
      eventActor = a.sender;
      audience = [...new Set([...a.audience, author.handle])];
      if (event.visibility === "public") audience.push(RELAY);
    }
    const parts: NoteParts = {
      id: comment.ap_id,
      author: this.actorUri(author.handle),
      authorFollowers: `${this.actorUri(author.handle)}/followers`,
      inReplyTo: remote ? remote.apId : this.deps.links.event(event.id),
      eventActor,
      content: comment.content,
      published: new Date(comment.created_at),
      isPublic: event.visibility === "public",
    };
    const followers = this.#recipients(await this.repo.followersOf(audience));
    const seen = new Set(recipients.map((r) => r.id?.href));
    for (const r of followers) if (!seen.has(r.id?.href)) recipients.push(r);
    return { parts, recipients };
  }

  /** Whether an event takes comments (Mobilizon's `commentsEnabled`). */
  async commentsEnabled(eventId: string): Promise<boolean> {
    return (await this.deps.comments.policy(eventId)) !== "closed";
  }

  /** The Note of a published local comment on a federated event, as served at its id. */
  async noteJson(commentId: string): Promise<Record<string, unknown> | null> {
    const comment = await this.deps.comments.byId(commentId);
    if (!comment?.author_identity_id || comment.state !== "published") return null;
    const event = await this.deps.repos.events.get(comment.event_id);
    if (!event || (event.organizerId && !this.federatable(event))) return null;
    const author = await this.deps.repos.actors.identity(comment.author_identity_id);
    if (!author) return null;
    const { parts } = await this.#noteOf(comment, event, author);
    return { "@context": "https://www.w3.org/ns/activitystreams", ...noteObject(parts) };
  }

  /** CommentService hook: a local comment became public. */
  async commentPublished(comment: CommentRow, event: EventRecord, author: Identity) {
    try {
      const { parts, recipients } = await this.#noteOf(comment, event, author);
      await this.forwardRaw(author.handle, createNoteActivity(parts), recipients, parts.id);
    } catch (err) {
      this.log.error("federating a comment failed", { comment: comment.id, error: String(err) });
    }
  }

  /** CommentService hook: a published local comment was deleted. */
  async commentDeleted(comment: CommentRow, event: EventRecord, author: Identity) {
    try {
      const { parts, recipients } = await this.#noteOf(comment, event, author);
      await this.forwardRaw(author.handle, deleteNoteActivity(parts), recipients, parts.id);
    } catch (err) {
      this.log.error("federating a comment deletion failed", {
        comment: comment.id,
        error: String(err),
      });
    }
  }

  // ------------------------------------------------------------ followers: approval and blocks

  /** Sends Accept or Reject of a remote actor's Follow of `local`. */
  async answerFollow(
    local: string,
    row: { follower: string; follow_id: string | null; inbox: string; shared_inbox: string | null },
    answer: "accept" | "reject",
    ctx: Context<void> = this.context(),
  ): Promise<void> {
    if (!(await this.reachable(row.follower))) return;
    const follow = new Follow({
      ...(row.follow_id ? { id: new URL(row.follow_id) } : {}),
      actor: new URL(row.follower),
      object: ctx.getActorUri(local),
    });
    const values = {
      id: new URL(`${this.actorUri(local)}#${answer}s/${newId()}`),
      actor: ctx.getActorUri(local),
      object: follow,
    };
    await ctx.sendActivity(
      { identifier: local },
      {
        id: new URL(row.follower),
        inboxId: new URL(row.inbox),
        endpoints: row.shared_inbox ? { sharedInbox: new URL(row.shared_inbox) } : null,
      },
      answer === "accept" ? new Accept(values) : new Reject(values),
    );
  }

  /** Accepts a pending follow request: the requester becomes a follower and is told. */
  async acceptFollowRequest(local: string, follower: string): Promise<boolean> {
    const req = await this.repo.followRequest(local, follower);
    if (!req) return false;
    const { created_at: _at, ...row } = req;
    await this.repo.addFollower(row);
    await this.repo.removeFollowRequest(local, follower);
    await this.answerFollow(local, row, "accept");
    return true;
  }

  /** Rejects a pending follow request (Reject of the Follow). */
  async rejectFollowRequest(local: string, follower: string): Promise<boolean> {
    const req = await this.repo.followRequest(local, follower);
    if (!req) return false;
    await this.repo.removeFollowRequest(local, follower);
    await this.answerFollow(local, req, "reject");
    return true;
  }

  /**
   * Blocks a remote actor from following `local`: removed if it follows (told with a
   * Reject), its pending request dropped, and later Follows answered with Reject.
   */
  async blockFollower(local: string, follower: string): Promise<void> {
    await this.repo.blockFollower(local, follower);
    if (!(await this.removeFollower(local, follower)))
      await this.rejectFollowRequest(local, follower);
  }

  // ------------------------------------------------------------ hooks for the domain

  /** EventService hook: how remote events are shown. */
  async remoteRefs(events: EventRecord[]): Promise<Map<string, RemoteRefs>> {
    const infos = await this.repo.remoteEvents(events.map((e) => e.id));
    return new Map(
      infos.map((i) => [
        i.eventId,
        {
          organizer: i.organizer,
          group: i.group,
          participantCount: i.participantCount,
          remote: originOf(i),
        },
      ]),
    );
  }

  /** ParticipationService hook: a local identity answers a remote event with a `Join`. */
  async remoteRsvp(event: EventRecord, identity: Identity | null): Promise<RsvpResult> {
    const info = await this.repo.remoteEvent(event.id);
    if (!info || !identity || (event.joinMode !== "free" && event.joinMode !== "restricted"))
      throw new DomainError("conflict", "registration for this event happens on its origin", [
        { path: "externalUrl", message: event.externalUrl ?? info?.url ?? "" },
      ]);
    const existing = await this.repo.rsvp(identity.id, event.id);
    if (existing && existing.state !== "cancelled" && existing.state !== "rejected")
      return {
        state: existing.state === "accepted" ? "confirmed" : "awaiting_approval",
        duplicate: true,
        message: "You had already answered; the organizers' instance has your answer.",
        remainingCapacity: null,
      };
    const ctx = this.context();
    const target = info.attributedTo ?? info.actor;
    const known =
      (await this.repo.remoteActor(target)) ??
      (await this.remoteActorRef(target, ctx).then(() => this.repo.remoteActor(target)));
    if (!known?.inbox || !(await this.reachable(target)))
      throw new DomainError("conflict", "the event's instance cannot be reached now");
    const joinId = `${this.actorUri(identity.handle)}#join/${newId()}`;
    await this.repo.saveRsvp({
      id: joinId,
      identityId: identity.id,
      eventId: event.id,
      state: "pending",
    });
    await ctx.sendActivity(
      { identifier: identity.handle },
      {
        id: new URL(target),
        inboxId: new URL(known.inbox),
        endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
      },
      new Join({
        id: new URL(joinId),
        actor: ctx.getActorUri(identity.handle),
        object: new URL(info.apId),
        to: new URL(target),
      }),
    );
    return {
      state: "awaiting_approval",
      message: "Your answer was sent to the organizers' instance; it will confirm it.",
      remainingCapacity: null,
    };
  }

  /** A local identity withdraws its answer to a remote event (`Leave`). */
  async leaveRemote(eventId: string, identity: Identity): Promise<boolean> {
    const rsvp = await this.repo.rsvp(identity.id, eventId);
    const info = await this.repo.remoteEvent(eventId);
    if (!rsvp || !info || rsvp.state === "cancelled") return false;
    await this.repo.setRsvpState(rsvp.id, "cancelled");
    const target = info.attributedTo ?? info.actor;
    const known = await this.repo.remoteActor(target);
    if (!known?.inbox || !(await this.reachable(target))) return true;
    const ctx = this.context();
    await ctx.sendActivity(
      { identifier: identity.handle },
      {
        id: new URL(target),
        inboxId: new URL(known.inbox),
        endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
      },
      new Leave({
        id: new URL(`${this.actorUri(identity.handle)}#leave/${newId()}`),
        actor: ctx.getActorUri(identity.handle),
        object: new URL(info.apId),
        to: new URL(target),
      }),
    );
    return true;
  }

  /** ParticipationService hook: a remote participant was approved, rejected or promoted. */
  async remoteAnswer(
    p: { id: string; eventId: string; actorUrl: string | null },
    state: ParticipationState,
  ): Promise<void> {
    if (!p.actorUrl || (state !== "confirmed" && state !== "rejected")) return;
    const event = await this.deps.repos.events.get(p.eventId);
    if (!event?.organizerId) return;
    const joined = await this.kv.get<{ join: string }>(["eventail", "join", p.id]);
    await this.answerJoin(
      event,
      p.actorUrl,
      joined?.join ?? null,
      state === "confirmed" ? "accept" : "reject",
    );
  }

  /** Sends Accept, Reject or Ignore of a remote actor's Join, from the event's group or organizer. */
  async answerJoin(
    event: EventRecord,
    actorUrl: string,
    joinId: string | null,
    answer: "accept" | "reject" | "ignore",
    ctx: Context<void> = this.context(),
  ): Promise<void> {
    const a = await this.eventActors(event);
    const known = await this.repo.remoteActor(actorUrl);
    if (!known?.inbox || !(await this.reachable(actorUrl))) return;
    const join = new Join({
      ...(joinId ? { id: new URL(joinId) } : {}),
      actor: new URL(actorUrl),
      object: new URL(this.deps.links.event(event.id)),
    });
    const values = {
      id: new URL(`${this.deps.links.event(event.id)}#${answer}/${newId()}`),
      actor: new URL(a.sender),
      object: join,
      to: new URL(actorUrl),
    };
    const activity =
      answer === "accept"
        ? new Accept(values)
        : answer === "reject"
          ? new Reject(values)
          : new Ignore(values);
    await ctx.sendActivity(
      { identifier: a.senderId },
      {
        id: new URL(actorUrl),
        inboxId: new URL(known.inbox),
        endpoints: known.sharedInbox ? { sharedInbox: new URL(known.sharedInbox) } : null,
      },
      activity,
    );
  }
}
