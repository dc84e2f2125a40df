/**
 * Reports: people of this instance report an event, a comment, an identity or a group;
 * other instances send ActivityPub `Flag`s. Instance moderators and admins list them and
 * resolve them, optionally suspending the account behind the reported local identity or
 * event.
 */
import { type Account, DomainError, invalid, notFound, type ReportJson } from "@eventail/core";
import type { CommentsRepo } from "../storage/comments-repo.ts";
import type { Repos } from "../storage/index.ts";
import type { ReportRow, ReportsRepo } from "../storage/reports-repo.ts";
import type { AccountService } from "./accounts.ts";
import type { Links } from "./links.ts";
import { newId } from "./secrets.ts";

export const REPORT_TARGETS = ["event", "comment", "identity", "group"] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];
/** What the public report form asks first. */
export const REPORT_CATEGORIES = ["spam", "abuse", "illegal", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
const MAX_REASON = 2000;

/** What federation lends reports (set once both services exist). */
export interface ReportHooks {
  /** The remote actor behind a target (remote event's publisher, remote comment's author). */
  remoteActorOf?: (target: { kind: string; id: string }) => Promise<string | null>;
  /** Suspends a remote actor instance-wide (refused, purged). */
  suspendRemote?: (actor: string, reason: string) => Promise<unknown>;
  /** Sends a `Flag` about the report to the remote actor's instance; returns its host. */
  forward?: (report: ReportRow, actor: string) => Promise<string>;
}

export class ReportService {
  readonly hooks: ReportHooks = {};
  readonly #reports: ReportsRepo;
  readonly #repos: Repos;
  readonly #comments: CommentsRepo;
  readonly #accounts: AccountService;
  readonly #links: Links;

  constructor(
    reports: ReportsRepo,
    repos: Repos,
    comments: CommentsRepo,
    accounts: AccountService,
    links: Links,
  ) {
    this.#reports = reports;
    this.#repos = repos;
    this.#comments = comments;
    this.#accounts = accounts;
    this.#links = links;
  }

  /** The target's label, checked to exist (handles for identities and groups). */
  async #local(kind: ReportTarget, id: string): Promise<{ id: string; label: string }> {
    if (kind === "event") {
      const e = await this.#repos.events.get(id);
      if (e) return { id: e.id, label: e.title };
    } else if (kind === "comment") {
      const c = await this.#comments.get(id);
      if (c)
        return {
          id: c.id,
          label: c.content
            .replace(/<[^>]*>/g, " ")
            .slice(0, 200)
            .trim(),
        };
    } else if (kind === "identity") {
      const i = await this.#repos.actors.identityByHandle(id);
      if (i) return { id: i.handle, label: i.name };
    } else {
      const g = await this.#repos.actors.groupByHandle(id);
      if (g) return { id: g.handle, label: g.name };
    }
    throw notFound(kind);
  }

  async report(
    account: Account,
    input: { kind: ReportTarget; id: string; reason: string },
  ): Promise<ReportJson> {
    return this.#fileLocal(input, { source: "local", reporter_account_id: account.id });
  }

  /**
   * A report from a public page, by a visitor who may have no account: a category, what is
   * wrong, and an optional email for the moderators (never shown publicly, erased
   * `purgeDays` after the report is resolved).
   */
  async reportPublic(input: {
    kind: "event" | "identity" | "group";
    id: string;
    category: ReportCategory;
    reason: string;
    email: string | null;
  }): Promise<ReportJson> {
    return this.#fileLocal(input, {
      source: "public",
      reporter_account_id: null,
      category: input.category,
      reporter_email: input.email,
    });
  }

  /** Files a report about something of ours (an account's or a visitor's). */
  async #fileLocal(
    input: { kind: ReportTarget; id: string; reason: string },
    from: Pick<ReportRow, "source" | "reporter_account_id"> &
      Partial<Pick<ReportRow, "category" | "reporter_email">>,
  ): Promise<ReportJson> {
    const reason = input.reason.trim();
    if (!reason) throw invalid("say what is wrong", [{ path: "reason", message: "is required" }]);
    const target = await this.#local(input.kind, input.id);
    const row: ReportRow = {
      id: newId(),
      reporter_actor: null,
      origin_host: null,
      activity_id: null,
      target_kind: input.kind,
      target_id: target.id,
      target_label: target.label,
      reason: reason.slice(0, MAX_REASON),
      state: "open",
      resolution: "",
      resolved_by: null,
      created_at: Date.now(),
      resolved_at: null,
      forwarded_to: null,
      forwarded_at: null,
      category: "",
      reporter_email: null,
      ...from,
    };
    await this.#reports.insert(row);
    return this.toJson(row);
  }

  /** Erases the email a public reporter left (on their request, or once no longer needed). */
  async eraseReporterEmail(id: string): Promise<void> {
    if (!(await this.#reports.get(id))) throw notFound("report");
    if (!(await this.#reports.eraseReporterEmail(id)))
      throw new DomainError("not_found", "this report holds no reporter email");
  }

  /** Erases the emails public reporters left on reports resolved `days` ago or more. */
  purge(days: number, now = Date.now()): Promise<number> {
    return this.#reports.eraseReporterEmails(now - days * 86_400_000);
  }

  /** The target's label, for the public form (404 when it does not exist). */
  async label(kind: "event" | "identity" | "group", id: string): Promise<string> {
    return (await this.#local(kind, id)).label;
  }

  /**
   * A Flag from `actor`: its objects are matched against our events and actors; an event we
   * hold becomes the target (the most precise: Mastodon, Mobilizon and Eventail list the
   * account first, then what it posted), else the first actor we hold; otherwise the first
   * object is kept as a remote target. Returns false for a repeated delivery.
   */
  async fromFlag(flag: {
    activityId: string | null;
    actor: string;
    objects: string[];
    content: string;
  }): Promise<boolean> {
    type Found = { kind: ReportRow["target_kind"]; id: string; label: string };
    let target: Found | null = null;
    let firstActor: Found | null = null;
    const origin = this.#links.origin;
    for (const url of flag.objects) {
      if (!url.startsWith(`${origin}/`)) continue;
      const path = url.slice(origin.length);
      const event = /^\/events\/([A-Za-z0-9_-]{1,60})$/.exec(path);
      const actor = /^\/@([a-z0-9_]{1,30})$/.exec(path);
      try {
        if (event) target = { kind: "event", ...(await this.#local("event", event[1]!)) };
        else if (actor && !firstActor) {
          const h = actor[1]!;
          const k = (await this.#repos.actors.handleKind(h)) ?? "identity";
          firstActor = { kind: k, ...(await this.#local(k, h)) };
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
      if (target) break;
    }
    target ??= firstActor;
    const first = flag.objects[0] ?? flag.actor;
    target ??= { kind: "remote", id: first.slice(0, 500), label: first.slice(0, 200) };
    return this.#reports.insert({
      id: newId(),
      source: "remote",
      reporter_account_id: null,
      reporter_actor: flag.actor.slice(0, 500),
      origin_host: hostOf(flag.actor),
      activity_id: flag.activityId?.slice(0, 500) ?? null,
      target_kind: target.kind,
      target_id: target.id,
      target_label: target.label,
      reason: flag.content.slice(0, MAX_REASON),
      state: "open",
      resolution: "",
      resolved_by: null,
      created_at: Date.now(),
      resolved_at: null,
      forwarded_to: null,
      forwarded_at: null,
      category: "",
      reporter_email: null,
    });
  }

  async list(state?: "open" | "resolved"): Promise<ReportJson[]> {
    const rows = await this.#reports.list(state);
    const out: ReportJson[] = [];
    for (const r of rows) out.push(this.toJson(r, await this.#remoteActor(r)));
    return out;
  }

  async #remoteActor(r: ReportRow): Promise<string | null> {
    if (!this.hooks.remoteActorOf) return null;
    return this.hooks.remoteActorOf({ kind: r.target_kind, id: r.target_id });
  }

  /**
   * Resolves a report with a note; with `suspend`, also suspends the account behind the
   * reported local identity or event (never an instance admin's, never one's own).
   */
  async resolve(
    moderator: Account,
    id: string,
    input: { resolution: string; suspend: boolean; suspendRemote?: boolean; forward?: boolean },
  ): Promise<ReportJson> {
    const report = await this.#reports.get(id);
    if (!report) throw notFound("report");
    const remote = input.suspendRemote || input.forward ? await this.#remoteActor(report) : null;
    if ((input.suspendRemote || input.forward) && !remote)
      throw invalid("no remote actor behind this report", [
        {
          path: input.suspendRemote ? "suspendRemote" : "forward",
          message: "only a report about a remote event, comment or actor",
        },
      ]);
    if (input.suspend) {
      const accountId = await this.#accountBehind(report);
      if (!accountId)
        throw invalid("nothing to suspend", [
          { path: "suspend", message: "only a local identity or event's account can be suspended" },
        ]);
      const target = await this.#accounts.find(accountId);
      if (target.id === moderator.id || target.role === "admin")
        throw new DomainError("forbidden", "an instance admin's account cannot be suspended here");
      await this.#accounts.update(accountId, { state: "suspended" });
    }
    // Forwarded first: a suspension forgets the actor's inbox.
    if (input.forward && remote && this.hooks.forward) {
      const host = await this.hooks.forward(report, remote);
      await this.#reports.forwarded(id, host, Date.now());
    }
    if (input.suspendRemote && remote && this.hooks.suspendRemote)
      await this.hooks.suspendRemote(
        remote,
        input.resolution.trim().slice(0, 500) || `report ${report.id}`,
      );
    await this.#reports.resolve(
      id,
      moderator.id,
      input.resolution.trim().slice(0, 2000),
      Date.now(),
    );
    const done = (await this.#reports.get(id))!;
    return this.toJson(done, remote ?? (await this.#remoteActor(done)));
  }

  async #accountBehind(r: ReportRow): Promise<string | null> {
    if (r.target_kind === "identity")
      return (await this.#repos.actors.identityByHandle(r.target_id))?.accountId ?? null;
    if (r.target_kind === "event") {
      const e = await this.#repos.events.get(r.target_id);
      if (!e?.organizerId) return null;
      return (await this.#repos.actors.identity(e.organizerId))?.accountId ?? null;
    }
    return null;
  }

  toJson(r: ReportRow, remoteActor: string | null = null): ReportJson {
    const origin = this.#links.origin;
    const url =
      r.target_kind === "event"
        ? `${origin}/events/${r.target_id}`
        : r.target_kind === "identity" || r.target_kind === "group"
          ? `${origin}/@${r.target_id}`
          : r.target_kind === "remote" && /^https?:\/\//.test(r.target_id)
            ? r.target_id
            : null;
    return {
      id: r.id,
      source: r.source,
      reporter: r.reporter_actor,
      reporterEmail: r.reporter_email,
      originHost: r.origin_host,
      target: { kind: r.target_kind, id: r.target_id, label: r.target_label, url },
      category: r.category,
      reason: r.reason,
      remoteActor,
      forwardedTo: r.forwarded_to,
      forwardedAt: r.forwarded_at === null ? null : new Date(Number(r.forwarded_at)).toISOString(),
      state: r.state,
      resolution: r.resolution,
      createdAt: new Date(Number(r.created_at)).toISOString(),
      resolvedAt: r.resolved_at === null ? null : new Date(Number(r.resolved_at)).toISOString(),
    };
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
