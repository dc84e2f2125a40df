/**
 * Inbox listeners. Fedify has already checked the HTTP signature (or proof), that the key
 * belongs to the activity's actor, and the Date window before any of this runs. Here: the
 * rules of what an actor may say (only about objects on its own host, only about events it
 * published, Accept only from whom we asked), and the effects, each idempotent so a
 * repeated delivery changes nothing.
 */
import { DomainError, type EventRecord } from "@eventail/core";
import type { Context, InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import {
  Accept,
  Announce,
  Create,
  Delete,
  Event,
  Flag,
  Follow,
  isActor,
  Join,
  Leave,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { newId } from "../domain/secrets.ts";
import { sanitizer } from "../lazy.ts";
import { EventsRepo } from "../storage/index.ts";
import { httpUrl, type InboundEvent, idOf, mapValue, parseRemoteEvent } from "./inbound.ts";
import { FederationRepo } from "./repo.ts";
import { type FederationService, RELAY } from "./service.ts";

/** Remote events kept per origin host at most (storage stays bounded). */
export const MAX_REMOTE_EVENTS_PER_HOST = 5000;
/** Largest raw object kept beside a remote event. */
const MAX_RAW_BYTES = 64 * 1024;
/** Outbox pages read when a follow is accepted (20 items each on Eventail). */
const BACKFILL_PAGES = 3;

type Json = Record<string, unknown>;

const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * The raw JSON of an incoming activity, as received. Fedify 2.3.6 keeps the original
 * payload on its inbox context (`activity`, internal, used for forwarding); the typed
 * object's `toJsonLd()` may be a re-compaction that drops unknown terms (Mobilizon's
 * `participationMessage`) or reshapes typed values, so it is only the fallback.
 */
async function rawOf(ctx: InboxContext<void>, activity: Activity): Promise<Json> {
  const original = (ctx as unknown as { activity?: unknown }).activity;
  if (
    original &&
    typeof original === "object" &&
    !Array.isArray(original) &&
    (original as Json).id === activity.id?.href
  )
    return original as Json;
  return (await activity.toJsonLd()) as Json;
}

export function registerInbox(svc: FederationService): void {
  const { federation, log } = svc;

  const reject = (why: string, fields: Record<string, unknown>) =>
    log.warn(`inbox: refused, ${why}`, fields);

  const keyOf = async (ctx: InboxContext<void>, activity: Activity) => {
    if (!activity.id) return null;
    let stamp = "";
    if (activity instanceof Create || activity instanceof Update) {
      const raw = await rawOf(ctx, activity);
      const o = Array.isArray(raw.object) ? raw.object[0] : raw.object;
      if (o && typeof o === "object") stamp = String((o as Json).updated ?? "");
    }
    return `${activity.constructor.name}\n${activity.id.href}\n${stamp}`;
  };
  /**
   * Runs a listener once per idempotency key: the mark is set after it succeeds, under the
   * key Fedify's front door checks (its queue worker's own mark is ignored, see kv.ts).
   */
  const once =
    <A extends Activity>(fn: (ctx: InboxContext<void>, a: A) => Promise<unknown>) =>
    async (ctx: InboxContext<void>, a: A): Promise<void> => {
      const key = await keyOf(ctx, a);
      const mark = key ? (["_fedify", "activityIdempotence", key] as const) : null;
      if (mark && (await svc.kv.get(mark)) === true) return;
      await fn(ctx, a);
      if (mark) await svc.kv.set(mark, true, { ttl: Temporal.Duration.from({ days: 1 }) });
    };

  federation
    .setInboxListeners("/@{identifier}/inbox", "/inbox")
    // Mobilizon may reuse one activity id for a Create and later Updates of an event: the
    // object's `updated` is part of the key, so an update is never taken for a repeat.
    .withIdempotency(keyOf)
    .on(
      Follow,
      once(async (ctx, follow) => {
        if (!follow.id || !follow.actorId || !follow.objectId) return;
        const parsed = ctx.parseUri(follow.objectId);
        if (parsed?.type !== "actor" || !(await svc.localActor(parsed.identifier))) return;
        const follower = await follow.getActor(ctx);
        if (!follower || !isActor(follower) || follower.id?.href !== follow.actorId.href) return;
        if (!follower.inboxId)
          return reject("follower has no inbox", { actor: follow.actorId.href });
        await svc.rememberActor(follower);
        const row = {
          actor: parsed.identifier,
          follower: follower.id.href,
          follow_id: follow.id.href,
          inbox: follower.inboxId.href,
          shared_inbox: follower.endpoints?.sharedInbox?.href ?? null,
          host: follower.id.host,
        };
        if (await svc.repo.isBlockedFollower(parsed.identifier, row.follower)) {
          reject("Follow from a blocked follower", { actor: row.follower });
          await svc.answerFollow(parsed.identifier, row, "reject", ctx);
          return;
        }
        if (
          !(await svc.repo.isFollower(parsed.identifier, row.follower)) &&
          (await svc.repo.manualApproval(parsed.identifier))
        ) {
          // Answered when the actor's owner accepts or rejects it.
          await svc.repo.addFollowRequest(row);
          return;
        }
        // The same Follow delivered twice (or queued twice before either ran) is answered once.
        const fresh = await svc.repo.addFollower(row);
        if (!fresh) return;
        await ctx.sendActivity(
          { identifier: parsed.identifier },
          follower,
          new Accept({
            id: new URL(`${ctx.getActorUri(parsed.identifier).href}#accepts/${newId()}`),
            actor: ctx.getActorUri(parsed.identifier),
            object: follow,
          }),
        );
      }),
    )
    .on(
      Undo,
      once(async (ctx, undo) => {
        if (!undo.actorId) return;
        const raw = await rawOf(ctx, undo);
        const inner = (Array.isArray(raw.object) ? raw.object[0] : raw.object) as Json | string;
        const type = typeof inner === "object" && inner ? inner.type : undefined;
        const innerActor = typeof inner === "object" && inner ? idOf(inner.actor) : null;
        if (innerActor && innerActor !== undo.actorId.href)
          return reject("Undo of someone else's activity", { actor: undo.actorId.href });
        const target = typeof inner === "object" && inner ? idOf(inner.object) : null;
        if (type === "Follow" && target) {
          const parsed = ctx.parseUri(new URL(target));
          if (parsed?.type === "actor") {
            await svc.repo.removeFollower(parsed.identifier, undo.actorId.href);
            await svc.repo.removeFollowRequest(parsed.identifier, undo.actorId.href);
          }
        } else if (type === "Join" && target) {
          await leave(ctx, target, undo.actorId.href);
        }
      }),
    )
    .on(
      Accept,
      once((ctx, accept: Accept) => answered(ctx, accept, "accepted")),
    )
    .on(
      Reject,
      once((ctx, rej: Reject) => answered(ctx, rej, "rejected")),
    )
    .on(
      Create,
      once((ctx, create: Create) => receiveEvent(ctx, create)),
    )
    .on(
      Update,
      once((ctx, update: Update) => receiveEvent(ctx, update)),
    )
    .on(
      Announce,
      once((ctx, announce: Announce) => receiveEvent(ctx, announce)),
    )
    .on(
      Delete,
      once(async (_ctx, del) => {
        if (!del.actorId || !del.objectId) return;
        const actor = del.actorId.href;
        const object = del.objectId.href;
        if (object === actor) {
          await forgetActor(actor);
          return;
        }
        if (await svc.deps.comments.byApId(object)) {
          const r = await svc.deps.comments.deleteRemote(object, actor);
          if (!r.ok) reject(r.reason, { actor, object });
          return;
        }
        const existing = await svc.repo.remoteEventByApId(object);
        if (!existing) return;
        if (existing.actor !== actor && existing.attributedTo !== actor)
          return reject("Delete of an event by someone other than its publisher", {
            actor,
            object,
          });
        await svc.deps.repos.events.delete(existing.eventId);
        svc.deps.cache.invalidate();
      }),
    )
    .on(
      Join,
      once(async (ctx, join) => {
        if (!join.actorId || !join.objectId) return;
        const actorUrl = join.actorId.href;
        const parsed = ctx.parseUri(join.objectId);
        const event =
          parsed?.type === "object" && parsed.class === Event && parsed.values.id
            ? await svc.deps.repos.events.get(parsed.values.id)
            : null;
        const joiner = await join.getActor(ctx);
        if (!joiner || !isActor(joiner) || joiner.id?.href !== actorUrl) return;
        await svc.rememberActor(joiner);
        if (!event?.organizerId) {
          // Not an event of ours (a Mobilizon group membership, say): we take no such Join.
          await ignoreJoin(
            ctx,
            join,
            actorUrl,
            parsed?.type === "actor" ? parsed.identifier : RELAY,
          );
          return;
        }
        const raw = await rawOf(ctx, join);
        const message =
          typeof raw.participationMessage === "string" ? raw.participationMessage : "";
        let state: string;
        try {
          const name = joiner.name?.toString() ?? joiner.preferredUsername?.toString() ?? actorUrl;
          const sanitized = (await sanitizer()).toPlainText(name);
          const r = await svc.deps.participations.joinAsActor(
            event.id,
            { url: actorUrl, name: sanitized },
            (await sanitizer()).toPlainText(message),
          );
          state = r.state;
          if (join.id)
            await svc.kv.set(["eventail", "join", r.id], { join: join.id.href, actor: actorUrl });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          // Nothing to join here (external registration, not a published event) is an Ignore
          // (FEP-8a8e); a closed door (cancelled, over, closed, not invited) is a Reject.
          const answer =
            err.kind === "not_found" || event.joinMode === "external" ? "ignore" : "reject";
          await svc.answerJoin(event, actorUrl, join.id?.href ?? null, answer, ctx);
          return;
        }
        if (state === "confirmed")
          await svc.answerJoin(event, actorUrl, join.id?.href ?? null, "accept", ctx);
        else if (state === "rejected")
          await svc.answerJoin(event, actorUrl, join.id?.href ?? null, "reject", ctx);
        // awaiting_approval and waitlisted are answered later (ParticipationService hook).
        svc.deps.cache.invalidate();
      }),
    )
    .on(
      Flag,
      once(async (ctx, flag) => {
        // A report from another instance's moderators (Mastodon and Mobilizon send the
        // reported actor and objects, and the reason as content), for our moderators.
        if (!flag.actorId) return;
        const raw = await rawOf(ctx, flag);
        const objects = (Array.isArray(raw.object) ? raw.object : [raw.object])
          .map((o) => idOf(o))
          .filter((o): o is string => typeof o === "string" && /^https?:\/\//.test(o))
          .slice(0, 20);
        const content = typeof raw.content === "string" ? raw.content : "";
        await svc.deps.reports.fromFlag({
          activityId: flag.id?.href ?? null,
          actor: flag.actorId.href,
          objects,
          content: (await sanitizer()).toPlainText(content),
        });
      }),
    )
    .on(
      Leave,
      once(async (ctx, l) => {
        if (!l.actorId || !l.objectId) return;
        await leave(ctx, l.objectId.href, l.actorId.href);
      }),
    )
    .onUnverifiedActivity(async (_ctx, activity, reason) => {
      // An account deleted at its origin: its key answers 410, so its Delete cannot verify.
      // It can only say that the actor is gone, which the 410 confirms.
      if (
        activity instanceof Delete &&
        reason.type === "keyFetchError" &&
        "status" in reason.result &&
        reason.result.status === 410 &&
        activity.actorId &&
        activity.objectId?.href === activity.actorId.href
      ) {
        await forgetActor(activity.actorId.href);
        return new Response(null, { status: 202 });
      }
    })
    .onError((_ctx, error) => {
      log.error("inbox: activity failed", { error: String(error) });
    });

  async function ignoreJoin(ctx: Context<void>, join: Join, actorUrl: string, from: string) {
    const known = await svc.repo.remoteActor(actorUrl);
    if (!known?.inbox || !(await svc.localActor(from))) return;
    const { Ignore } = await import("@fedify/vocab");
    await ctx.sendActivity(
      { identifier: from },
      { id: new URL(actorUrl), inboxId: new URL(known.inbox) },
      new Ignore({
        id: new URL(`${ctx.getActorUri(from).href}#ignores/${newId()}`),
        actor: ctx.getActorUri(from),
        object: join,
      }),
    );
  }

  async function leave(ctx: Context<void>, object: string, actorUrl: string) {
    const parsed = ctx.parseUri(new URL(object));
    if (parsed?.type !== "object" || parsed.class !== Event || !parsed.values.id) return;
    if (await svc.deps.participations.leaveAsActor(parsed.values.id, actorUrl))
      svc.deps.cache.invalidate();
  }

  /** Accept or Reject of our Follow or of an identity's Join: only the target may answer. */
  async function answered(
    ctx: InboxContext<void>,
    a: Accept | Reject,
    state: "accepted" | "rejected",
  ) {
    if (!a.actorId) return;
    const raw = await rawOf(ctx, a);
    const inner = Array.isArray(raw.object) ? raw.object[0] : raw.object;
    const id = idOf(inner);
    if (!id || origin(id) !== new URL(svc.origin).origin) return;
    const following = await svc.repo.followingById(id);
    if (following) {
      if (following.target !== a.actorId.href)
        return reject("answer to a Follow from another actor than its target", {
          actor: a.actorId.href,
          follow: id,
        });
      await svc.repo.setFollowingState(id, state);
      if (state === "rejected") await svc.purgeUnfollowed(following.target, following.target_host);
      else await backfill(ctx, following.target);
      return;
    }
    const rsvp = await svc.repo.rsvpById(id);
    if (rsvp) {
      const info = await svc.repo.remoteEvent(rsvp.event_id);
      // The event's organizer actor answers: its group, or its publisher.
      const organizers = info ? [info.attributedTo, info.actor] : [];
      if (!info || !organizers.includes(a.actorId.href))
        return reject("answer to a Join from another actor than the event's organizer", {
          actor: a.actorId.href,
          join: id,
        });
      await svc.repo.setRsvpState(id, state);
    }
  }

  /**
   * What an actor published before we followed it: the first pages of its outbox, each
   * `Create` of an Event taken through exactly the checks of a delivery (same host as the
   * actor, public, followed). Without it, following an instance would show only what it
   * publishes from then on. The outbox is fetched from the actor's own origin, which is
   * what vouches for its items (as for any object fetched by its id).
   */
  async function backfill(ctx: InboxContext<void>, target: string) {
    try {
      const actor = await ctx.lookupObject(target);
      const outbox = actor && isActor(actor) ? actor.outboxId?.href : undefined;
      if (!outbox || origin(outbox) !== origin(target)) return;
      let next: unknown = outbox;
      for (let pages = 0; pages <= BACKFILL_PAGES && next; pages++) {
        const url = typeof next === "string" ? next : idOf(next);
        const doc: Json =
          typeof next === "object" && next !== null
            ? (next as Json)
            : url && origin(url) === origin(target)
              ? await ctx
                  .documentLoader(url)
                  .then((d) =>
                    origin(d.documentUrl) === origin(target) ? (d.document as Json) : {},
                  )
              : {};
        const items = doc.orderedItems ?? doc.items;
        if (!Array.isArray(items)) {
          next = doc.first; // the collection itself: go to its first page
          continue;
        }
        for (const item of items) {
          if (!item || typeof item !== "object" || (item as Json).type !== "Create") continue;
          const json = { "@context": doc["@context"], ...(item as Json) };
          const create = await Create.fromJsonLd(json, {
            documentLoader: ctx.documentLoader,
            contextLoader: ctx.contextLoader,
          });
          // receiveEvent reads the raw JSON the way the inbox hands it over.
          await receiveEvent(Object.assign(Object.create(ctx), { activity: json }), create);
        }
        next = doc.next;
      }
    } catch (err) {
      log.warn("federation: could not read the outbox of a followed actor", {
        actor: target,
        error: String(err),
      });
    }
  }

  /** An actor that no longer exists: it follows nobody here and its events go. */
  async function forgetActor(actor: string) {
    await svc.repo.removeFollowerEverywhere(actor);
    const ids = await svc.repo.remoteEventIdsOf(actor);
    for (const id of ids) await svc.deps.repos.events.delete(id);
    if (ids.length) svc.deps.cache.invalidate();
  }

  /** Create, Update or Announce of an Event. */
  async function receiveEvent(ctx: InboxContext<void>, activity: Create | Update | Announce) {
    if (!activity.actorId) return;
    const sender = activity.actorId.href;
    // An activity is minted by its actor's server: its id is on the actor's host.
    if (activity.id && activity.id.origin !== activity.actorId.origin)
      return reject("activity id on another host than its actor", {
        actor: sender,
        id: activity.id.href,
      });
    const raw = await rawOf(ctx, activity);
    let object: unknown = Array.isArray(raw.object) ? raw.object[0] : raw.object;
    const objectId = idOf(object);
    if (!objectId) return;
    const senderHost = activity.actorId.host;
    // An actor speaks only for objects on its own host (a relay for its own instance).
    if (origin(objectId) !== activity.actorId.origin)
      return reject("object on another host than its actor", { actor: sender, object: objectId });
    if (typeof object === "string") {
      // Referenced, not embedded: fetch it, and insist that it is what its id says.
      try {
        const doc = await ctx.documentLoader(objectId);
        const fetched = doc.document as Json;
        if (!fetched || idOf(fetched) !== objectId || origin(doc.documentUrl) !== origin(objectId))
          return reject("fetched object's id differs from its URL", { object: objectId });
        object = fetched;
      } catch (err) {
        return reject("object could not be fetched", { object: objectId, error: String(err) });
      }
    }
    if (!object || typeof object !== "object") return;
    const o = object as Json;
    const types = Array.isArray(o.type) ? o.type : [o.type];
    if (types.includes("Note") && !(activity instanceof Announce)) {
      await receiveNote(ctx, activity, o, objectId);
      return;
    }
    if (!types.includes("Event")) {
      if (activity instanceof Update && objectId === sender) {
        const actor = await ctx.lookupObject(sender);
        if (actor && isActor(actor) && actor.id?.href === sender) await svc.rememberActor(actor);
        return;
      }
      return reject("the object is not an Event", { actor: sender, object: objectId });
    }
    const clean = await sanitizer();
    const parsed = parseRemoteEvent(
      o,
      { html: clean.sanitizeDescription, plain: clean.toPlainText },
      [raw.to, raw.cc],
    );
    if (!parsed.ok) return reject(parsed.reason, { actor: sender, object: objectId });
    const e = parsed.value;
    for (const who of [e.actor, e.attributedTo])
      if (who && origin(who) !== activity.actorId.origin)
        return reject("event attributed to an actor on another host", { actor: sender, who });

    const publisher = activity instanceof Announce ? (e.attributedTo ?? e.actor ?? sender) : sender;
    const existing = await svc.repo.remoteEventByApId(e.apId);
    if (existing) {
      const allowed =
        existing.actor === publisher ||
        existing.attributedTo === publisher ||
        (activity instanceof Announce && (await svc.repo.localFollowersOf(sender)).length > 0);
      if (!allowed)
        return reject("change of an event by someone other than its publisher", {
          actor: sender,
          object: e.apId,
        });
    }
    // Only from actors (or instances) someone here follows: no unsolicited content.
    const followers = [
      ...(await svc.repo.localFollowersOf(sender)),
      ...(e.attributedTo && e.attributedTo !== sender
        ? await svc.repo.localFollowersOf(e.attributedTo)
        : []),
    ];
    const relayHost = await svc.repo.relayFollowsHost(senderHost);
    if (!existing && followers.length === 0 && !relayHost)
      return reject("event from an actor nobody here follows", { actor: sender });
    let listed = relayHost || followers.includes(RELAY);
    // A limited instance's events are kept (for whoever follows them) but never listed.
    if (svc.instances.limited(senderHost)) listed = false;
    for (const f of followers)
      if (!listed && (await svc.localActor(f))?.kind === "group") listed = true;
    await store(e, o, publisher, existing?.eventId ?? null, e.isPublic && listed, ctx);
  }

  /** A `Note` replying to an event (or to a comment on one): a comment, or an edit of one. */
  async function receiveNote(
    ctx: InboxContext<void>,
    activity: Create | Update,
    o: Json,
    id: string,
  ) {
    const sender = activity.actorId!.href;
    const author = idOf(o.attributedTo) ?? sender;
    if (author !== sender)
      return reject("note attributed to another actor than its sender", { actor: sender, id });
    const content =
      typeof o.content === "string" ? o.content : String(mapValue(o.contentMap) ?? "");
    if (activity instanceof Update) {
      const r = await svc.deps.comments.updateRemote(id, sender, content);
      if (!r.ok && r.reason !== "no such comment") reject(r.reason, { actor: sender, id });
      if (r.ok || r.reason !== "no such comment") return;
    }
    const replyTo = idOf(o.inReplyTo);
    // Not a reply: a post that merely reached us (a mention, a relay), not ours to keep.
    if (!replyTo) return reject("note replying to nothing", { actor: sender, id });
    const event = await repliedEvent(ctx, replyTo);
    if (!event) return reject("note replying to no event here", { actor: sender, id, replyTo });
    const ref = await svc.remoteActorRef(sender, ctx);
    const r = await svc.deps.comments.receive(event, {
      apId: id,
      actor: sender,
      name: ref.name,
      url: ref.url,
      host: activity.actorId!.host,
      content,
      published: (() => {
        const t = typeof o.published === "string" ? Date.parse(o.published) : Number.NaN;
        return Number.isFinite(t) ? new Date(t) : null;
      })(),
    });
    if (!r.ok) return reject(r.reason, { actor: sender, id });
  }

  /** The event a reply is about: ours, a remote copy, or the event of the comment replied to. */
  async function repliedEvent(ctx: Context<void>, replyTo: string): Promise<EventRecord | null> {
    let url: URL;
    try {
      url = new URL(replyTo);
    } catch {
      return null;
    }
    if (url.origin === new URL(svc.origin).origin) {
      const parsed = ctx.parseUri(url);
      const local =
        parsed?.type === "object" && parsed.class === Event && parsed.values.id
          ? await svc.deps.repos.events.get(parsed.values.id)
          : null;
      if (local && svc.federatable(local)) return local;
    }
    const remote = await svc.repo.remoteEventByApId(replyTo);
    if (remote) return svc.deps.repos.events.get(remote.eventId);
    const comment = await svc.deps.comments.byApId(replyTo);
    const event = comment ? await svc.deps.repos.events.get(comment.event_id) : null;
    return event && (event.organizerId ? svc.federatable(event) : true) ? event : null;
  }

  async function store(
    e: InboundEvent,
    raw: Json,
    publisher: string,
    existingId: string | null,
    listed: boolean,
    ctx: Context<void>,
  ) {
    const host = new URL(e.apId).host;
    if (!existingId && (await svc.repo.countRemoteEventsOnHost(host)) >= MAX_REMOTE_EVENTS_PER_HOST)
      return reject("too many events stored from this host", { host });
    const organizerUrl = e.actor ?? publisher;
    const organizer = await svc.remoteActorRef(organizerUrl, ctx);
    let group = null;
    if (e.attributedTo && e.attributedTo !== organizerUrl) {
      const ref = await svc.remoteActorRef(e.attributedTo, ctx);
      if ((await svc.repo.remoteActor(e.attributedTo))?.type === "Group") group = ref;
    }
    const now = Date.now();
    let rawText = JSON.stringify(raw);
    if (Buffer.byteLength(rawText) > MAX_RAW_BYTES)
      rawText = JSON.stringify({ id: e.apId, type: "Event", truncated: true });
    await svc.deps.store.db.transaction().execute(async (trx) => {
      const events = new EventsRepo(trx);
      const repo = new FederationRepo(trx);
      const previous = existingId ? await events.get(existingId) : null;
      const info = existingId ? await repo.remoteEvent(existingId) : null;
      // A late, older copy must not overwrite a newer one.
      if (info && e.updated && e.updated.getTime() < info.updatedAt) return;
      const record: EventRecord = {
        id: existingId ?? newId(),
        organizerId: null as unknown as string,
        groupId: null,
        title: e.title,
        description: e.description,
        beginsAt: e.beginsAt,
        endsAt: e.endsAt,
        timezone: e.timezone,
        allDay: false,
        address: e.address,
        onlineUrl: e.onlineUrl,
        category: e.category,
        tags: e.tags,
        language: e.language,
        banner: null,
        visibility: listed ? "public" : "unlisted",
        status: e.status,
        draft: false,
        publishAt: null,
        joinMode: e.joinMode,
        externalUrl: e.externalUrl,
        capacity: e.capacity,
        recurrence: null,
        sequence: previous ? previous.sequence + 1 : 0,
        rsvpClosed: false,
        createdAt: previous?.createdAt ?? e.published ?? new Date(now),
        updatedAt: new Date(Math.max(now, (previous?.updatedAt.getTime() ?? 0) + 1)),
      };
      const lastEnds = (e.endsAt ?? e.beginsAt).getTime();
      const meta = {
        actor: publisher,
        attributed_to: e.attributedTo,
        host,
        url: httpUrl(e.url) ?? e.apId,
        organizer: JSON.stringify(organizer),
        group_ref: group ? JSON.stringify(group) : null,
        participant_count: e.participantCount,
        raw: rawText,
        updated_at: e.updated?.getTime() ?? now,
      };
      if (previous) {
        // A copy that was public stays listed even if this update came through a follow
        // that would not list it.
        if (previous.visibility === "public" && e.isPublic) record.visibility = "public";
        await events.update(record, lastEnds);
        await repo.updateRemoteEvent(record.id, meta);
      } else {
        await events.insert(record, lastEnds);
        await repo.insertRemoteEvent({
          event_id: record.id,
          ap_id: e.apId,
          received_at: now,
          ...meta,
        });
      }
    });
    if (typeof raw.commentsEnabled === "boolean") {
      const copy = await svc.repo.remoteEventByApId(e.apId);
      if (copy) await svc.deps.comments.setPolicyFromOrigin(copy.eventId, raw.commentsEnabled);
    }
    svc.deps.cache.invalidate();
  }
}
