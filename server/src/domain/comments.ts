/**
 * Comments on events, local (an identity writes through the API) or remote (a `Note` that
 * replies to an event, from Mastodon or another Eventail). The event's comment policy
 * decides: open (published at once), moderated (held until its organizer, a group admin or
 * an instance moderator approves), closed (refused). Content is sanitized HTML whatever its
 * source. Federation listens through hooks: local comments go out as `Note`s once published,
 * and their deletion as a `Delete`.
 */
import {
  type Account,
  DomainError,
  type EventRecord,
  forbidden,
  type Identity,
  invalid,
  notFound,
} from "@eventail/core";
import { sanitizer } from "../lazy.ts";
import type { CommentRow, CommentsRepo } from "../storage/comments-repo.ts";
import type { EventService } from "./events.ts";
import type { Links } from "./links.ts";
import { newId } from "./secrets.ts";

export const COMMENT_POLICIES = ["open", "moderated", "closed"] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];
export const DEFAULT_COMMENT_POLICY: CommentPolicy = "open";
/** Remote comments kept per origin host at most (storage stays bounded). */
export const MAX_REMOTE_COMMENTS_PER_HOST = 5000;
/** Longest comment kept, in characters of sanitized HTML. */
export const MAX_COMMENT_CHARS = 5000;

export type CommentState = "published" | "pending";

export interface CommentJson {
  id: string;
  eventId: string;
  /** ActivityPub id (the remote Note's, or ours). */
  apId: string;
  author: { name: string; url: string; actor: string | null; remote: boolean };
  content: string;
  state: CommentState;
  createdAt: string;
  updatedAt: string;
}

/** Who acts on a comment: an identity, and its account's instance role. */
export interface CommentActor {
  identity: Identity;
  role: Account["role"];
}

export interface RemoteNote {
  apId: string;
  /** The author's actor URL. */
  actor: string;
  name: string;
  url: string;
  host: string;
  /** Raw HTML from the wire; sanitized here. */
  content: string;
  published: Date | null;
}

export interface CommentHooks {
  /** A local comment became public: federate it. */
  published?: (comment: CommentRow, event: EventRecord, author: Identity) => Promise<void>;
  /** A published local comment was deleted: federate its deletion. */
  deleted?: (comment: CommentRow, event: EventRecord, author: Identity) => Promise<void>;
  /** An event's policy changed: tell its followers (an Update). */
  policyChanged?: (event: EventRecord) => Promise<void>;
  /** Whether comments from this host are held for moderation (a limited instance). */
  limitedHost?: (host: string) => boolean;
}

export type ReceiveResult =
  | { ok: true; comment: CommentRow; duplicate: boolean }
  | { ok: false; reason: string };

export class CommentService {
  readonly #comments: CommentsRepo;
  readonly #events: EventService;
  readonly #links: Links;
  readonly #identity: (id: string) => Promise<Identity | null>;
  readonly hooks: CommentHooks = {};
  readonly limits = { remotePerHost: MAX_REMOTE_COMMENTS_PER_HOST };

  constructor(
    comments: CommentsRepo,
    events: EventService,
    links: Links,
    identity: (id: string) => Promise<Identity | null>,
  ) {
    this.#comments = comments;
    this.#events = events;
    this.#links = links;
    this.#identity = identity;
  }

  // ------------------------------------------------------------ policy

  async policy(eventId: string): Promise<CommentPolicy> {
    const p = await this.#comments.policy(eventId);
    return (COMMENT_POLICIES as readonly string[]).includes(p ?? "")
      ? (p as CommentPolicy)
      : DEFAULT_COMMENT_POLICY;
  }

  async setPolicy(actor: Identity, eventId: string, policy: CommentPolicy): Promise<void> {
    const event = await this.#events.get(eventId, [actor]);
    if (!event.organizerId || !(await this.#events.canWrite(actor, event)))
      throw forbidden("only the organizer or an admin of its group sets the comment policy");
    const before = await this.policy(eventId);
    await this.#comments.setPolicy(eventId, policy);
    if (before !== policy) await this.hooks.policyChanged?.(event);
  }

  /**
   * The policy of a remote event's copy, as its origin says (Mobilizon's `commentsEnabled`):
   * closed there is closed here.
   */
  async setPolicyFromOrigin(eventId: string, commentsEnabled: boolean): Promise<void> {
    const current = await this.policy(eventId);
    if (!commentsEnabled && current !== "closed") await this.#comments.setPolicy(eventId, "closed");
    if (commentsEnabled && current === "closed") await this.#comments.setPolicy(eventId, "open");
  }

  // ------------------------------------------------------------ reads

  /** Published comments of an event anyone may read; pending ones for its moderators. */
  async list(
    eventId: string,
    opts: { state?: CommentState; after?: string; limit?: number; actor?: CommentActor } = {},
  ): Promise<{ policy: CommentPolicy; items: CommentJson[]; next: string | null }> {
    const state = opts.state ?? "published";
    const event = await this.#events.get(eventId, opts.actor ? [opts.actor.identity] : []);
    if (state === "pending" && !(opts.actor && (await this.#moderates(opts.actor, event))))
      throw forbidden("only the event's moderators see comments awaiting approval");
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
    let after: { at: number; id: string } | undefined;
    if (opts.after) {
      const m = /^(\d{1,16})\.([A-Za-z0-9]{1,40})$/.exec(opts.after);
      if (!m) throw invalid("bad cursor", [{ path: "after", message: "use next from a page" }]);
      after = { at: Number(m[1]), id: m[2]! };
    }
    const rows = await this.#comments.list(event.id, state, limit, after);
    const last = rows.at(-1);
    return {
      policy: await this.policy(event.id),
      items: rows.map((r) => this.toJson(r)),
      next: rows.length === limit && last ? `${last.created_at}.${last.id}` : null,
    };
  }

  toJson(r: CommentRow): CommentJson {
    return {
      id: r.id,
      eventId: r.event_id,
      apId: r.ap_id,
      author: {
        name: r.author_name,
        url: r.author_url,
        actor: r.author_actor,
        remote: r.author_identity_id === null,
      },
      content: r.content,
      state: r.state as CommentState,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }

  // ------------------------------------------------------------ local comments

  async post(actor: CommentActor, eventId: string, content: string): Promise<CommentRow> {
    const event = await this.#events.get(eventId, [actor.identity]);
    const policy = await this.policy(event.id);
    const moderator = await this.#moderates(actor, event);
    if (policy === "closed" && !moderator)
      throw new DomainError("conflict", "comments are closed on this event");
    const html = await this.#clean(content);
    if (!html) throw invalid("the comment is empty", [{ path: "content", message: "required" }]);
    const now = Date.now();
    const id = newId();
    const row: CommentRow = {
      id,
      event_id: event.id,
      ap_id: `${this.#links.origin}/comments/${id}`,
      author_identity_id: actor.identity.id,
      author_actor: this.#links.actorUrl(actor.identity.handle),
      author_name: actor.identity.name || actor.identity.handle,
      author_url: this.#links.actorUrl(actor.identity.handle),
      host: null,
      content: html,
      state: policy === "moderated" && !moderator ? "pending" : "published",
      created_at: now,
      updated_at: now,
    };
    await this.#comments.insert(row);
    if (row.state === "published") await this.hooks.published?.(row, event, actor.identity);
    return row;
  }

  /** Deletes a comment: its author, the event's organizer or group admins, or moderators. */
  async delete(actor: CommentActor, commentId: string): Promise<void> {
    const { comment, event } = await this.#load(commentId, actor);
    const own = comment.author_identity_id === actor.identity.id;
    if (!own && !(await this.#moderates(actor, event)))
      throw forbidden("only its author or the event's moderators delete a comment");
    await this.#comments.delete(comment.id);
    if (comment.author_identity_id && comment.state === "published") {
      const author = await this.#identity(comment.author_identity_id);
      if (author) await this.hooks.deleted?.(comment, event, author);
    }
  }

  /** Publishes a comment held for moderation. */
  async approve(actor: CommentActor, commentId: string): Promise<CommentRow> {
    const { comment, event } = await this.#load(commentId, actor);
    if (!(await this.#moderates(actor, event)))
      throw forbidden("only the event's moderators approve comments");
    if (comment.state === "published") return comment;
    await this.#comments.update(comment.id, { state: "published" });
    const updated = { ...comment, state: "published" };
    if (comment.author_identity_id) {
      const author = await this.#identity(comment.author_identity_id);
      if (author) await this.hooks.published?.(updated, event, author);
    }
    return updated;
  }

  // ------------------------------------------------------------ remote Notes

  /** A remote `Note` replying to `event`: stored under the event's policy, or refused. */
  async receive(event: EventRecord, note: RemoteNote): Promise<ReceiveResult> {
    const existing = await this.#comments.byApId(note.apId);
    if (existing) return { ok: true, comment: existing, duplicate: true };
    const policy = await this.policy(event.id);
    if (policy === "closed") return { ok: false, reason: "comments are closed on this event" };
    if ((await this.#comments.countFromHost(note.host)) >= this.limits.remotePerHost)
      return { ok: false, reason: "too many comments stored from this host" };
    const html = await this.#clean(note.content);
    if (!html) return { ok: false, reason: "the note is empty once sanitized" };
    const clean = await sanitizer();
    const now = Date.now();
    const created = note.published && note.published.getTime() < now ? note.published : null;
    const row: CommentRow = {
      id: newId(),
      event_id: event.id,
      ap_id: note.apId,
      author_identity_id: null,
      author_actor: note.actor,
      author_name: clean.toPlainText(note.name).slice(0, 200) || note.host,
      author_url: note.url,
      host: note.host,
      content: html,
      state:
        policy === "moderated" || this.hooks.limitedHost?.(note.host) ? "pending" : "published",
      created_at: created?.getTime() ?? now,
      updated_at: now,
    };
    const fresh = await this.#comments.insert(row);
    if (!fresh) {
      const raced = await this.#comments.byApId(note.apId);
      if (raced) return { ok: true, comment: raced, duplicate: true };
    }
    return { ok: true, comment: row, duplicate: false };
  }

  /** Update of a remote Note: only its author may change it. */
  async updateRemote(apId: string, actor: string, content: string): Promise<ReceiveResult> {
    const c = await this.#comments.byApId(apId);
    if (!c) return { ok: false, reason: "no such comment" };
    if (c.author_identity_id !== null || c.author_actor !== actor)
      return { ok: false, reason: "update of a comment by someone other than its author" };
    const html = await this.#clean(content);
    if (!html) return { ok: false, reason: "the note is empty once sanitized" };
    await this.#comments.update(c.id, { content: html });
    return { ok: true, comment: { ...c, content: html }, duplicate: false };
  }

  /** Delete of a remote Note: only its author may delete it. */
  async deleteRemote(apId: string, actor: string): Promise<ReceiveResult> {
    const c = await this.#comments.byApId(apId);
    if (!c) return { ok: false, reason: "no such comment" };
    if (c.author_identity_id !== null || c.author_actor !== actor)
      return { ok: false, reason: "delete of a comment by someone other than its author" };
    await this.#comments.delete(c.id);
    return { ok: true, comment: c, duplicate: false };
  }

  byId(id: string): Promise<CommentRow | undefined> {
    return this.#comments.get(id);
  }

  byApId(apId: string): Promise<CommentRow | undefined> {
    return this.#comments.byApId(apId);
  }

  // ------------------------------------------------------------ helpers

  async #load(commentId: string, actor: CommentActor) {
    const comment = await this.#comments.get(commentId);
    if (!comment) throw notFound("comment");
    const event = await this.#events.get(comment.event_id, [actor.identity]).catch(() => null);
    if (!event) throw notFound("comment");
    return { comment, event };
  }

  /** Organizer, group admin, or instance moderator/admin. */
  async #moderates(actor: CommentActor, event: EventRecord): Promise<boolean> {
    if (actor.role === "admin" || actor.role === "moderator") return true;
    return !!event.organizerId && (await this.#events.canWrite(actor.identity, event));
  }

  async #clean(content: string): Promise<string> {
    const { sanitizeDescription, toPlainText } = await sanitizer();
    let html = sanitizeDescription(content.slice(0, MAX_COMMENT_CHARS * 4));
    if (html.length > MAX_COMMENT_CHARS)
      html = sanitizeDescription(html.slice(0, MAX_COMMENT_CHARS));
    // Markup with no words in it ("<p></p>", a lone image) is no comment.
    return toPlainText(html).trim() ? html : "";
  }
}
