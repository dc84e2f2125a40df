/**
 * Federation tables: who follows our actors, whom our actors follow, what we know of remote
 * actors, where remote events come from, and our identities' RSVPs to remote events.
 * Local actors are named by their identifier: a handle, or "relay" for the instance.
 */
import type { ActorRef, RemoteOriginJson } from "@eventail/core";
import type { Kysely } from "kysely";
import type {
  ApFollowersTable,
  ApFollowingTable,
  Database,
  RemoteActorsTable,
  RemoteEventsTable,
} from "../storage/schema.ts";

export type OutboxScope = { groupId: string } | { organizerId: string } | "all";

export type FollowState = "pending" | "accepted" | "rejected";

export interface RemoteActor {
  url: string;
  type: string;
  /** "name@host" */
  handle: string;
  name: string;
  pageUrl: string;
  inbox: string | null;
  sharedInbox: string | null;
  host: string;
}

export interface RemoteEventInfo {
  eventId: string;
  apId: string;
  actor: string;
  attributedTo: string | null;
  host: string;
  url: string;
  organizer: ActorRef;
  group: ActorRef | null;
  participantCount: number;
  receivedAt: number;
  updatedAt: number;
}

function actorFromRow(r: RemoteActorsTable): RemoteActor {
  return {
    url: r.url,
    type: r.type,
    handle: r.handle,
    name: r.name,
    pageUrl: r.page_url,
    inbox: r.inbox,
    sharedInbox: r.shared_inbox,
    host: r.host,
  };
}

function remoteFromRow(r: RemoteEventsTable): RemoteEventInfo {
  return {
    eventId: r.event_id,
    apId: r.ap_id,
    actor: r.actor,
    attributedTo: r.attributed_to,
    host: r.host,
    url: r.url,
    organizer: JSON.parse(r.organizer) as ActorRef,
    group: r.group_ref ? (JSON.parse(r.group_ref) as ActorRef) : null,
    participantCount: r.participant_count,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}

export function originOf(info: RemoteEventInfo): RemoteOriginJson {
  return { id: info.apId, url: info.url, actor: info.actor, host: info.host };
}

export class FederationRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  // ------------------------------------------------------------ followers of local actors

  /**
   * Records a follower; returns whether this Follow is new (a first follow, or a fresh
   * Follow id after an Undo). A repeated delivery of the same Follow returns false, also
   * when two copies race: the primary key lets one insert win.
   */
  async addFollower(f: Omit<ApFollowersTable, "created_at">): Promise<boolean> {
    const inserted = await this.#db
      .insertInto("ap_followers")
      .values({ ...f, created_at: Date.now() })
      .onConflict((oc) => oc.columns(["actor", "follower"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
    const updated = await this.#db
      .updateTable("ap_followers")
      .set({ follow_id: f.follow_id, inbox: f.inbox, shared_inbox: f.shared_inbox, host: f.host })
      .where("actor", "=", f.actor)
      .where("follower", "=", f.follower)
      .where((eb) =>
        f.follow_id === null
          ? eb.lit(false)
          : eb.or([eb("follow_id", "is", null), eb("follow_id", "!=", f.follow_id)]),
      )
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0;
  }

  /** Removes `follower` from `actor`'s followers; returns whether it was one. */
  async removeFollower(actor: string, follower: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("ap_followers")
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** An actor that no longer exists follows nobody. */
  async removeFollowerEverywhere(follower: string): Promise<number> {
    const r = await this.#db
      .deleteFrom("ap_followers")
      .where("follower", "=", follower)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async isFollower(actor: string, follower: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom("ap_followers")
      .select("follower")
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** One page of `actor`'s followers, ordered by follower URL, after `after`. */
  async followersPage(actor: string, limit: number, after?: string) {
    let q = this.#db.selectFrom("ap_followers").selectAll().where("actor", "=", actor);
    if (after) q = q.where("follower", ">", after);
    return q.orderBy("follower").limit(limit).execute();
  }

  async countFollowers(actor: string): Promise<number> {
    const r = await this.#db
      .selectFrom("ap_followers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("actor", "=", actor)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Every follower of any of `actors`, once each: the audience of a delivery. */
  async followersOf(actors: string[]) {
    if (actors.length === 0) return [];
    const rows = await this.#db
      .selectFrom("ap_followers")
      .select(["follower", "inbox", "shared_inbox"])
      .where("actor", "in", actors)
      .execute();
    const seen = new Map<string, (typeof rows)[number]>();
    for (const r of rows) seen.set(r.follower, r);
    return [...seen.values()];
  }

  // ------------------------------------------------------------ follows by local actors

  /** Records a follow (or returns the existing one for this pair). */
  async addFollowing(f: {
    id: string;
    actor: string;
    target: string;
    targetHost: string;
  }): Promise<ApFollowingTable> {
    const now = Date.now();
    await this.#db
      .insertInto("ap_following")
      .values({
        id: f.id,
        actor: f.actor,
        target: f.target,
        target_host: f.targetHost,
        state: "pending",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["actor", "target"]).doNothing())
      .execute();
    return (await this.following(f.actor, f.target))!;
  }

  async following(actor: string, target: string): Promise<ApFollowingTable | undefined> {
    return this.#db
      .selectFrom("ap_following")
      .selectAll()
      .where("actor", "=", actor)
      .where("target", "=", target)
      .executeTakeFirst();
  }

  async followingById(id: string): Promise<ApFollowingTable | undefined> {
    return this.#db.selectFrom("ap_following").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async setFollowingState(id: string, state: FollowState): Promise<void> {
    await this.#db
      .updateTable("ap_following")
      .set({ state, updated_at: Date.now() })
      .where("id", "=", id)
      .execute();
  }

  async removeFollowing(id: string): Promise<void> {
    await this.#db.deleteFrom("ap_following").where("id", "=", id).execute();
  }

  /** Follows made by `actor` (all of them when omitted), newest first. */
  async listFollowing(actor?: string): Promise<ApFollowingTable[]> {
    let q = this.#db.selectFrom("ap_following").selectAll();
    if (actor) q = q.where("actor", "=", actor);
    return q.orderBy("created_at", "desc").limit(1000).execute();
  }

  async followingPage(actor: string, limit: number, after?: string) {
    let q = this.#db
      .selectFrom("ap_following")
      .select("target")
      .where("actor", "=", actor)
      .where("state", "=", "accepted");
    if (after) q = q.where("target", ">", after);
    return q.orderBy("target").limit(limit).execute();
  }

  async countFollowing(actor: string): Promise<number> {
    const r = await this.#db
      .selectFrom("ap_following")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("actor", "=", actor)
      .where("state", "=", "accepted")
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Local actors following `target` (accepted follows only). */
  async localFollowersOf(target: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("ap_following")
      .select("actor")
      .where("target", "=", target)
      .where("state", "=", "accepted")
      .execute();
    return rows.map((r) => r.actor);
  }

  /** Whether the instance relay follows some actor on `host` (an instance follow). */
  async relayFollowsHost(host: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom("ap_following")
      .select("id")
      .where("actor", "=", "relay")
      .where("target_host", "=", host)
      .where("state", "=", "accepted")
      .executeTakeFirst();
    return r !== undefined;
  }

  // ------------------------------------------------------------ remote actors

  async saveRemoteActor(a: RemoteActor): Promise<void> {
    const row = {
      url: a.url,
      type: a.type,
      handle: a.handle,
      name: a.name,
      page_url: a.pageUrl,
      inbox: a.inbox,
      shared_inbox: a.sharedInbox,
      host: a.host,
      updated_at: Date.now(),
    };
    const { url: _url, ...rest } = row;
    await this.#db
      .insertInto("remote_actors")
      .values(row)
      .onConflict((oc) => oc.column("url").doUpdateSet(rest))
      .execute();
  }

  async remoteActor(url: string): Promise<RemoteActor | null> {
    const r = await this.#db
      .selectFrom("remote_actors")
      .selectAll()
      .where("url", "=", url)
      .executeTakeFirst();
    return r ? actorFromRow(r) : null;
  }

  // ------------------------------------------------------------ remote events

  async remoteEventByApId(apId: string): Promise<RemoteEventInfo | null> {
    const r = await this.#db
      .selectFrom("remote_events")
      .selectAll()
      .where("ap_id", "=", apId)
      .executeTakeFirst();
    return r ? remoteFromRow(r) : null;
  }

  async remoteEvent(eventId: string): Promise<RemoteEventInfo | null> {
    const r = await this.#db
      .selectFrom("remote_events")
      .selectAll()
      .where("event_id", "=", eventId)
      .executeTakeFirst();
    return r ? remoteFromRow(r) : null;
  }

  async remoteEvents(eventIds: string[]): Promise<RemoteEventInfo[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom("remote_events")
      .selectAll()
      .where("event_id", "in", eventIds)
      .execute();
    return rows.map(remoteFromRow);
  }

  async insertRemoteEvent(r: RemoteEventsTable): Promise<void> {
    await this.#db.insertInto("remote_events").values(r).execute();
  }

  async updateRemoteEvent(
    eventId: string,
    patch: Partial<Omit<RemoteEventsTable, "event_id" | "ap_id">>,
  ): Promise<void> {
    await this.#db
      .updateTable("remote_events")
      .set(patch)
      .where("event_id", "=", eventId)
      .execute();
  }

  /** Event ids of remote events published by `actor` (or attributed to it). */
  async remoteEventIdsOf(actor: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("remote_events")
      .select("event_id")
      .where((eb) => eb.or([eb("actor", "=", actor), eb("attributed_to", "=", actor)]))
      .execute();
    return rows.map((r) => r.event_id);
  }

  async remoteEventIdsOnHost(host: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("remote_events")
      .select("event_id")
      .where("host", "=", host)
      .execute();
    return rows.map((r) => r.event_id);
  }

  async countRemoteEventsOnHost(host: string): Promise<number> {
    const r = await this.#db
      .selectFrom("remote_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("host", "=", host)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Local visible events whose scheduled publication falls in (from, to]. */
  async dueScheduled(from: number, to: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("events")
      .select("id")
      .where("organizer_id", "is not", null)
      .where("draft", "=", 0)
      .where("visibility", "in", ["public", "unlisted"])
      .where("publish_at", ">", from)
      .where("publish_at", "<=", to)
      .limit(1000)
      .execute();
    return rows.map((r) => r.id);
  }

  /** NodeInfo usage figures. */
  async stats(): Promise<{ identities: number; localEvents: number }> {
    const [i, e] = await Promise.all([
      this.#db
        .selectFrom("identities")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      this.#db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("organizer_id", "is not", null)
        .where("visibility", "=", "public")
        .where("draft", "=", 0)
        .executeTakeFirstOrThrow(),
    ]);
    return { identities: Number(i.n), localEvents: Number(e.n) };
  }

  #outboxQuery(scope: OutboxScope) {
    const now = Date.now();
    let q = this.#db
      .selectFrom("events")
      .where("organizer_id", "is not", null)
      .where("visibility", "=", "public")
      .where("draft", "=", 0)
      .where((eb) => eb.or([eb("publish_at", "is", null), eb("publish_at", "<=", now)]));
    if (scope !== "all") {
      if ("groupId" in scope) q = q.where("group_id", "=", scope.groupId);
      else q = q.where("organizer_id", "=", scope.organizerId).where("group_id", "is", null);
    }
    return q;
  }

  async countOutbox(scope: OutboxScope): Promise<number> {
    const r = await this.#outboxQuery(scope)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Local public events of an outbox, newest first (keyset on created_at, id). */
  async outboxEvents(
    scope: OutboxScope,
    limit: number,
    before?: { at: number; id: string },
  ): Promise<{ id: string; created_at: number }[]> {
    let q = this.#outboxQuery(scope).select(["id", "created_at"]);
    if (before)
      q = q.where((eb) =>
        eb.or([
          eb("created_at", "<", before.at),
          eb.and([eb("created_at", "=", before.at), eb("id", "<", before.id)]),
        ]),
      );
    return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
  }

  // ------------------------------------------------------------ instance policies

  /** Hosts we hold something from, by kind: what a policy change must look at. */
  async knownHosts(): Promise<{
    events: string[];
    comments: string[];
    followers: string[];
    follows: string[];
  }> {
    const [events, comments, followers, follows, requests] = await Promise.all([
      this.#db.selectFrom("remote_events").select("host").distinct().execute(),
      this.#db
        .selectFrom("comments")
        .select("host")
        .distinct()
        .where("host", "is not", null)
        .execute(),
      this.#db.selectFrom("ap_followers").select("host").distinct().execute(),
      this.#db.selectFrom("ap_following").select("target_host").distinct().execute(),
      this.#db.selectFrom("ap_follow_requests").select("host").distinct().execute(),
    ]);
    return {
      events: events.map((r) => r.host),
      comments: comments.map((r) => r.host!),
      followers: [...new Set([...followers, ...requests].map((r) => r.host))],
      follows: follows.map((r) => r.target_host),
    };
  }

  async deleteCommentsFromHost(host: string): Promise<number> {
    const r = await this.#db.deleteFrom("comments").where("host", "=", host).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Drops cached remote actors of `host`, except those a local actor follows. */
  async deleteRemoteActorsOnHost(host: string): Promise<number> {
    const r = await this.#db
      .deleteFrom("remote_actors")
      .where("host", "=", host)
      .where("url", "not in", (eb) => eb.selectFrom("ap_following").select("target"))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Hosts we hold remote actors of (with knownHosts: what a purge may touch). */
  async remoteActorHosts(): Promise<string[]> {
    const rows = await this.#db.selectFrom("remote_actors").select("host").distinct().execute();
    return rows.map((r) => r.host);
  }

  /** A suspended actor: its follow requests dropped, our follows of it removed. */
  async forgetActor(actor: string): Promise<number> {
    await this.#db.deleteFrom("ap_follow_requests").where("follower", "=", actor).execute();
    const r = await this.#db
      .deleteFrom("ap_following")
      .where("target", "=", actor)
      .executeTakeFirst();
    await this.#db.deleteFrom("remote_actors").where("url", "=", actor).execute();
    return Number(r.numDeletedRows);
  }

  async commentApId(id: string): Promise<string | null> {
    const r = await this.#db
      .selectFrom("comments")
      .select("ap_id")
      .where("id", "=", id)
      .executeTakeFirst();
    return r?.ap_id ?? null;
  }

  /** The remote author of a comment (null for a local one, or none). */
  async commentAuthorActor(id: string): Promise<string | null> {
    const r = await this.#db
      .selectFrom("comments")
      .select("author_actor")
      .where("id", "=", id)
      .executeTakeFirst();
    return r?.author_actor ?? null;
  }

  async deleteCommentsBy(actor: string): Promise<number> {
    const r = await this.#db
      .deleteFrom("comments")
      .where("author_actor", "=", actor)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async removeFollowersOnHost(host: string): Promise<number> {
    await this.#db.deleteFrom("ap_follow_requests").where("host", "=", host).execute();
    const r = await this.#db.deleteFrom("ap_followers").where("host", "=", host).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async removeFollowsOnHost(host: string): Promise<number> {
    const r = await this.#db
      .deleteFrom("ap_following")
      .where("target_host", "=", host)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Remote events of a limited instance leave public listings (links keep working). */
  async unlistRemoteEventsOnHost(host: string): Promise<void> {
    await this.#db
      .updateTable("events")
      .set({ visibility: "unlisted" })
      .where("visibility", "=", "public")
      .where("id", "in", (eb) =>
        eb.selectFrom("remote_events").select("event_id").where("host", "=", host),
      )
      .execute();
  }

  // ------------------------------------------------------------ follow requests, blocked followers

  async manualApproval(actor: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom("ap_actor_settings")
      .select("manual_approval")
      .where("actor", "=", actor)
      .executeTakeFirst();
    return Number(r?.manual_approval ?? 0) === 1;
  }

  async setManualApproval(actor: string, on: boolean): Promise<void> {
    const manual_approval = on ? 1 : 0;
    await this.#db
      .insertInto("ap_actor_settings")
      .values({ actor, manual_approval })
      .onConflict((oc) => oc.column("actor").doUpdateSet({ manual_approval }))
      .execute();
  }

  /** Records a Follow awaiting approval; false when this very Follow was already recorded. */
  async addFollowRequest(r: Omit<ApFollowersTable, "created_at"> & { follow_id: string }) {
    const existing = await this.followRequest(r.actor, r.follower);
    if (existing?.follow_id === r.follow_id) return false;
    await this.#db
      .insertInto("ap_follow_requests")
      .values({ ...r, created_at: Date.now() })
      .onConflict((oc) =>
        oc.columns(["actor", "follower"]).doUpdateSet({
          follow_id: r.follow_id,
          inbox: r.inbox,
          shared_inbox: r.shared_inbox,
          host: r.host,
        }),
      )
      .execute();
    return true;
  }

  async followRequest(actor: string, follower: string) {
    return this.#db
      .selectFrom("ap_follow_requests")
      .selectAll()
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
  }

  async followRequests(actor: string) {
    return this.#db
      .selectFrom("ap_follow_requests")
      .selectAll()
      .where("actor", "=", actor)
      .orderBy("created_at")
      .limit(1000)
      .execute();
  }

  async removeFollowRequest(actor: string, follower: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("ap_follow_requests")
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async blockFollower(actor: string, follower: string): Promise<void> {
    await this.#db
      .insertInto("ap_blocked_followers")
      .values({ actor, follower, created_at: Date.now() })
      .onConflict((oc) => oc.columns(["actor", "follower"]).doNothing())
      .execute();
  }

  async unblockFollower(actor: string, follower: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("ap_blocked_followers")
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async isBlockedFollower(actor: string, follower: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom("ap_blocked_followers")
      .select("actor")
      .where("actor", "=", actor)
      .where("follower", "=", follower)
      .executeTakeFirst();
    return r !== undefined;
  }

  async blockedFollowers(actor: string) {
    return this.#db
      .selectFrom("ap_blocked_followers")
      .selectAll()
      .where("actor", "=", actor)
      .orderBy("created_at")
      .limit(1000)
      .execute();
  }

  // ------------------------------------------------------------ our identities' RSVPs to remote events

  async rsvp(identityId: string, eventId: string) {
    return this.#db
      .selectFrom("ap_rsvps")
      .selectAll()
      .where("identity_id", "=", identityId)
      .where("event_id", "=", eventId)
      .executeTakeFirst();
  }

  async rsvpById(id: string) {
    return this.#db.selectFrom("ap_rsvps").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async saveRsvp(r: { id: string; identityId: string; eventId: string; state: string }) {
    const now = Date.now();
    await this.#db
      .insertInto("ap_rsvps")
      .values({
        id: r.id,
        identity_id: r.identityId,
        event_id: r.eventId,
        state: r.state,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["identity_id", "event_id"]).doUpdateSet({
          id: r.id,
          state: r.state,
          updated_at: now,
        }),
      )
      .execute();
  }

  async setRsvpState(id: string, state: string): Promise<void> {
    await this.#db
      .updateTable("ap_rsvps")
      .set({ state, updated_at: Date.now() })
      .where("id", "=", id)
      .execute();
  }
}
