/**
 * RSVP rules: one answer per email per event, email confirmation, capacity and waitlist,
 * approval for restricted events, cancellation with promotion, the participant's own data.
 * The REST routes call this; the ActivityPub `Join` handler calls `joinAsActor` with the
 * same capacity rule.
 */

import { createHmac, timingSafeEqual } from "node:crypto";
import {
  DomainError,
  type EventJson,
  type EventRecord,
  emailSchema,
  forbidden,
  type Identity,
  invalid,
  isPubliclyListed,
  notFound,
  type ParticipationJson,
  type ParticipationState,
  type RsvpResult,
} from "@eventail/core";
import { icalWriter } from "../lazy.ts";
import type { Logger } from "../log.ts";
import type { Mailer } from "../mail/mailer.ts";
import {
  confirmationMail,
  decisionMail,
  type Lang,
  organizerMessageMail,
  promotedMail,
} from "../mail/templates.ts";
import type { ParticipationRow, Repos, StateCounts } from "../storage/index.ts";
import type { EventService } from "./events.ts";
import type { Links } from "./links.ts";
import { hashSecret, newId, newSecret } from "./secrets.ts";
import type { Settings } from "./settings.ts";

/** Control characters, dropped from names that arrive over federation. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** A second confirmation email for the same answer no sooner than this. */
const RESEND_AFTER_MS = 2 * 60_000;

export interface RsvpInput {
  name: string;
  email: string;
  message?: string;
  returnUrl?: string;
  language?: Lang;
}

const MESSAGES: Record<Lang, Record<ParticipationState | "duplicate", string>> = {
  en: {
    awaiting_email: "Almost done: check your email and click the link to confirm.",
    awaiting_approval:
      "Thank you! The organizers will review your registration; you will get an email.",
    confirmed: "You're registered. See you there!",
    waitlisted:
      "The event is full: you are on the waitlist and will get an email if a place opens up.",
    rejected: "The organizers could not accept this registration.",
    cancelled: "Your registration is cancelled.",
    invited: "You are invited: confirm to take your place.",
    duplicate: "You had already answered for this event.",
  },
  fr: {
    awaiting_email: "Presque fini : ouvrez l'email reçu et cliquez sur le lien pour confirmer.",
    awaiting_approval:
      "Merci ! Les organisateurs vont examiner votre inscription ; vous recevrez un email.",
    confirmed: "Vous êtes inscrit·e. À bientôt !",
    waitlisted:
      "L'événement est complet : vous êtes en liste d'attente et recevrez un email si une place se libère.",
    rejected: "Les organisateurs n'ont pas pu accepter cette inscription.",
    cancelled: "Votre inscription est annulée.",
    invited: "Vous êtes invité·e : confirmez pour prendre votre place.",
    duplicate: "Vous aviez déjà répondu pour cet événement.",
  },
};

/** Extension points for federation; each is optional. */
export interface ParticipationHooks {
  /**
   * RSVPs to a remote event (one with no local organizer) happen at its origin: given the
   * event and the answering identity (null for an anonymous web RSVP), answer in its place
   * (send a `Join`) or throw a DomainError.
   */
  remoteRsvp?: (event: EventRecord, identity: Identity | null) => Promise<RsvpResult>;
  /**
   * A remote participant's answer was decided after their `Join` (approved, rejected, or
   * promoted from the waitlist): tell them. Errors are ignored here.
   */
  remoteAnswer?: (p: ParticipationRow, state: ParticipationState) => void | Promise<void>;
}

export class ParticipationService {
  readonly hooks: ParticipationHooks = {};
  readonly #repos: Repos;
  readonly #events: EventService;
  readonly #links: Links;
  readonly #settings: Settings;
  readonly #mailer: Mailer;
  readonly #log: Logger;
  readonly #embedOrigins: string[];

  constructor(deps: {
    repos: Repos;
    events: EventService;
    links: Links;
    settings: Settings;
    mailer: Mailer;
    log: Logger;
    embedOrigins: string[];
  }) {
    this.#repos = deps.repos;
    this.#events = deps.events;
    this.#links = deps.links;
    this.#settings = deps.settings;
    this.#mailer = deps.mailer;
    this.#log = deps.log;
    this.#embedOrigins = deps.embedOrigins;
  }

  // ------------------------------------------------------------ visitors

  /** An anonymous RSVP from the embedded form: stored, then confirmed by email. */
  async request(
    eventId: string,
    input: RsvpInput,
  ): Promise<{ result: RsvpResult; created: boolean }> {
    const lang: Lang = input.language === "fr" ? "fr" : "en";
    const event = await this.#openEvent(eventId);
    if (!event.organizerId) {
      if (!this.hooks.remoteRsvp)
        throw new DomainError("conflict", "registration for this event happens on its origin");
      return { result: await this.hooks.remoteRsvp(event, null), created: false };
    }
    const email = emailSchema.safeParse(input.email);
    const name = input.name.trim();
    if (!email.success || !name) {
      throw invalid("the registration is not valid", [
        ...(!name ? [{ path: "name", message: "is required" }] : []),
        ...(!email.success ? [{ path: "email", message: "must be an email address" }] : []),
      ]);
    }
    const returnUrl = await this.#safeReturnUrl(event, input.returnUrl);
    const confirmToken = newSecret("evc");
    const now = Date.now();
    const row: ParticipationRow = {
      id: newId(),
      eventId,
      kind: "anonymous",
      state: "awaiting_email",
      name: name.slice(0, 100),
      email: email.data,
      identityId: null,
      actorUrl: null,
      message: (input.message ?? "").trim().slice(0, 1000),
      createdAt: new Date(now),
      confirmTokenHash: hashSecret(confirmToken),
      confirmExpiresAt: now + CONFIRM_TTL_MS,
      manageTokenHash: null,
      language: lang,
      returnUrl,
      queuedAt: null,
      updatedAt: new Date(now),
    };
    const json = await this.#events.oneToJson(event);
    if (await this.#repos.participations.insert(row)) {
      await this.#sendConfirmation(json, row, confirmToken);
      return { result: this.#result(row.state, lang, json, { duplicate: false }), created: true };
    }
    // Same email, same event: say so, and resend the link if the first never got clicked.
    const existing = (await this.#repos.participations.byEmail(eventId, email.data))!;
    if (
      existing.state === "awaiting_email" &&
      now - existing.updatedAt.getTime() > RESEND_AFTER_MS
    ) {
      const fresh = newSecret("evc");
      await this.#repos.participations.update(existing.id, {
        confirmTokenHash: hashSecret(fresh),
        confirmExpiresAt: now + CONFIRM_TTL_MS,
        returnUrl,
      });
      await this.#sendConfirmation(json, { ...existing, returnUrl, language: lang }, fresh);
    }
    const position = await this.#repos.participations.waitlistPosition(existing);
    return {
      result: this.#result(existing.state, lang, json, {
        duplicate: true,
        waitlistPosition: position,
      }),
      created: false,
    };
  }

  /** Follows the confirmation link: single use, expiring; then capacity decides. */
  async confirm(token: string): Promise<RsvpResult> {
    const p = await this.#repos.participations.byConfirmToken(hashSecret(token));
    if (!p || p.confirmExpiresAt === null || p.confirmExpiresAt < Date.now())
      throw new DomainError("gone", "this confirmation link has expired or was already used");
    const state = await this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(p.eventId);
      const current = await tx.participations.get(p.id);
      if (!current || current.confirmTokenHash !== p.confirmTokenHash)
        throw new DomainError("gone", "this confirmation link has expired or was already used");
      const event = await tx.events.get(p.eventId);
      if (!event) throw notFound("event");
      const next: ParticipationState =
        event.joinMode === "restricted"
          ? "awaiting_approval"
          : await this.#seatOrWaitlist(tx, event);
      await tx.participations.update(p.id, {
        state: next,
        confirmTokenHash: null,
        confirmExpiresAt: null,
        queuedAt: next === "waitlisted" ? Date.now() : null,
      });
      return next;
    });
    return this.#resultFor(p.id, state, p.language);
  }

  /** A logged-in visitor answers with one of their identities: no email round trip. */
  async joinAsIdentity(eventId: string, identity: Identity): Promise<RsvpResult> {
    const existing = await this.#repos.participations.byIdentity(eventId, identity.id);
    // Invite-only events take exactly the identities their organizers invited.
    const event = await this.#openEvent(eventId, { invited: existing?.state === "invited" });
    if (!event.organizerId) {
      if (!this.hooks.remoteRsvp)
        throw new DomainError("conflict", "registration for this event happens on its origin");
      return this.hooks.remoteRsvp(event, identity);
    }
    const json = await this.#events.oneToJson(event);
    if (existing && existing.state !== "cancelled" && existing.state !== "invited")
      return this.#result(existing.state, "en", json, { duplicate: true });
    const id = existing?.id ?? newId();
    const state = await this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(eventId);
      const next: ParticipationState =
        event.joinMode === "restricted"
          ? "awaiting_approval"
          : await this.#seatOrWaitlist(tx, event);
      if (existing)
        await tx.participations.update(id, {
          state: next,
          queuedAt: next === "waitlisted" ? Date.now() : null,
        });
      else {
        const now = new Date();
        await tx.participations.insert({
          id,
          eventId,
          kind: "identity",
          state: next,
          name: identity.name,
          email: null,
          identityId: identity.id,
          actorUrl: null,
          message: "",
          createdAt: now,
          confirmTokenHash: null,
          confirmExpiresAt: null,
          manageTokenHash: null,
          language: "en",
          returnUrl: null,
          queuedAt: next === "waitlisted" ? now.getTime() : null,
          updatedAt: now,
        });
      }
      return next;
    });
    return this.#resultFor(id, state, "en");
  }

  /**
   * A remote person answers over ActivityPub (`Join`): the same rules as a web RSVP
   * (invitation, capacity, waitlist, approval), no email round trip, one answer per actor.
   * Throws the same DomainErrors as a web RSVP when the event takes no answers.
   */
  async joinAsActor(
    eventId: string,
    actor: { url: string; name: string },
    message = "",
  ): Promise<{ id: string; state: ParticipationState; duplicate: boolean }> {
    const existing = await this.#repos.participations.byActor(eventId, actor.url);
    const event = await this.#openEvent(eventId, { invited: existing?.state === "invited" });
    if (!event.organizerId) throw notFound("event");
    if (existing && existing.state !== "cancelled" && existing.state !== "invited")
      return { id: existing.id, state: existing.state, duplicate: true };
    return this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(eventId);
      // Re-read under the lock: a repeated delivery of the same Join takes no second seat.
      const current = await tx.participations.byActor(eventId, actor.url);
      if (current && current.state !== "cancelled" && current.state !== "invited")
        return { id: current.id, state: current.state, duplicate: true };
      const next: ParticipationState =
        event.joinMode === "restricted"
          ? "awaiting_approval"
          : await this.#seatOrWaitlist(tx, event);
      const now = new Date();
      const id = current?.id ?? newId();
      if (current)
        await tx.participations.update(id, {
          state: next,
          queuedAt: next === "waitlisted" ? now.getTime() : null,
        });
      else
        await tx.participations.insert({
          id,
          eventId,
          kind: "remote",
          state: next,
          name: actor.name.replace(CONTROL_CHARS, " ").trim().slice(0, 100) || "?",
          email: null,
          identityId: null,
          actorUrl: actor.url,
          message: message.trim().slice(0, 1000),
          createdAt: now,
          confirmTokenHash: null,
          confirmExpiresAt: null,
          manageTokenHash: null,
          language: "en",
          returnUrl: null,
          queuedAt: next === "waitlisted" ? now.getTime() : null,
          updatedAt: now,
        });
      return { id, state: next, duplicate: false };
    });
  }

  /** A remote person cancels (`Leave`, or `Undo` of their `Join`); frees the seat. */
  async leaveAsActor(eventId: string, actorUrl: string): Promise<boolean> {
    const p = await this.#repos.participations.byActor(eventId, actorUrl);
    if (!p || p.state === "cancelled" || p.state === "rejected") return false;
    await this.#leave(p);
    return true;
  }

  /**
   * Erases the answers of remote actors (an instance purged, an actor suspended); their
   * seats go to the waitlist. Returns how many were erased.
   */
  async eraseRemote(match: { prefixes: string[] } | { actor: string }): Promise<number> {
    const rows = await this.#repos.participations.remoteAnswers(match);
    for (const p of rows) await this.#leave(p, { erase: true });
    return rows.length;
  }

  async lookup(manageToken: string): Promise<ParticipationJson> {
    const p = await this.#byManageToken(manageToken);
    return {
      id: p.id,
      eventId: p.eventId,
      state: p.state,
      name: p.name,
      email: p.email ?? "",
      message: p.message,
      waitlistPosition: await this.#repos.participations.waitlistPosition(p),
      createdAt: p.createdAt.toISOString(),
    };
  }

  async cancel(manageToken: string): Promise<RsvpResult> {
    const p = await this.#byManageToken(manageToken);
    await this.#leave(p);
    return this.#resultFor(p.id, "cancelled", p.language);
  }

  /** Erases the participant's personal data entirely (and frees their seat). */
  async erase(manageToken: string): Promise<void> {
    const p = await this.#byManageToken(manageToken);
    await this.#leave(p, { erase: true });
  }

  // ------------------------------------------------------------ organizers

  async #organized(actor: Identity, eventId: string): Promise<EventRecord> {
    const event = await this.#repos.events.get(eventId);
    if (!event) throw notFound("event");
    if (!(await this.#events.canWrite(actor, event)))
      throw forbidden("only the event's organizers see and manage its participants");
    return event;
  }

  async list(
    actor: Identity,
    eventId: string,
    state?: ParticipationState,
  ): Promise<{ items: ParticipationRow[]; counts: StateCounts }> {
    await this.#organized(actor, eventId);
    const [items, counts] = await Promise.all([
      this.#repos.participations.list(eventId, state),
      this.#repos.participations.counts(eventId),
    ]);
    return { items, counts };
  }

  async decide(
    actor: Identity,
    eventId: string,
    participationId: string,
    approve: boolean,
  ): Promise<ParticipationState> {
    const event = await this.#organized(actor, eventId);
    const p = await this.#repos.participations.get(participationId);
    if (!p || p.eventId !== eventId) throw notFound("participation");
    if (
      p.state !== "awaiting_approval" &&
      !(approve === false && (p.state === "confirmed" || p.state === "waitlisted"))
    )
      throw new DomainError(
        "conflict",
        `a participation that is ${p.state} cannot be ${approve ? "approved" : "rejected"}`,
      );
    const state = await this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(eventId);
      const next: ParticipationState = approve ? await this.#seatOrWaitlist(tx, event) : "rejected";
      await tx.participations.update(p.id, {
        state: next,
        queuedAt: next === "waitlisted" ? Date.now() : null,
      });
      return next;
    });
    if (p.state === "confirmed" && !approve) await this.#promote(eventId);
    if (p.kind === "remote" && (state === "confirmed" || state === "rejected"))
      await this.#remoteAnswer({ ...p, state }, state);
    if (p.email && (state === "confirmed" || state === "rejected")) {
      const json = await this.#events.oneToJson(event);
      const manage = await this.manageToken(p.id);
      const mail = decisionMail(json, {
        name: p.name,
        lang: p.language,
        approved: state === "confirmed",
        cancelUrl: this.#link(p.returnUrl, json, "cancel", manage),
      });
      await this.#send(p.email, mail, json);
    }
    return state;
  }

  /** Invites an identity (by handle) to an event; on invite-only events only they may join. */
  async invite(actor: Identity, eventId: string, handle: string): Promise<ParticipationState> {
    await this.#organized(actor, eventId);
    const guest = await this.#repos.actors.identityByHandle(handle);
    if (!guest)
      throw invalid("no such identity", [
        { path: "handle", message: "no identity with this handle here" },
      ]);
    const existing = await this.#repos.participations.byIdentity(eventId, guest.id);
    if (existing && existing.state !== "cancelled" && existing.state !== "rejected")
      return existing.state;
    if (existing) {
      await this.#repos.participations.update(existing.id, { state: "invited", queuedAt: null });
      return "invited";
    }
    const now = new Date();
    await this.#repos.participations.insert({
      id: newId(),
      eventId,
      kind: "identity",
      state: "invited",
      name: guest.name,
      email: null,
      identityId: guest.id,
      actorUrl: null,
      message: "",
      createdAt: now,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      manageTokenHash: null,
      language: "en",
      returnUrl: null,
      queuedAt: null,
      updatedAt: now,
    });
    return "invited";
  }

  async setClosed(actor: Identity, eventId: string, closed: boolean): Promise<void> {
    await this.#organized(actor, eventId);
    await this.#repos.participations.setRsvpClosed(eventId, closed);
  }

  /** CSV of the participants, for the organizer's spreadsheet. */
  async csv(actor: Identity, eventId: string): Promise<string> {
    const { items } = await this.list(actor, eventId);
    const cell = (v: string) => {
      // Quote, double quotes, and defuse formulas (=, +, -, @) for spreadsheet apps.
      const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
      return `"${safe.replace(/"/g, '""')}"`;
    };
    const lines = [["name", "email", "state", "message", "registered_at"].join(",")];
    for (const p of items)
      lines.push(
        [p.name, p.email ?? "", p.state, p.message, p.createdAt.toISOString()].map(cell).join(","),
      );
    return `${lines.join("\r\n")}\r\n`;
  }

  /** Emails every confirmed participant; returns how many were written to. */
  async message(actor: Identity, eventId: string, subject: string, body: string): Promise<number> {
    const event = await this.#organized(actor, eventId);
    const json = await this.#events.oneToJson(event);
    const confirmed = await this.#repos.participations.list(eventId, "confirmed");
    let sent = 0;
    for (const p of confirmed) {
      if (!p.email) continue;
      await this.#send(
        p.email,
        organizerMessageMail(json, { lang: p.language, subject, body }),
        json,
        false,
      );
      sent++;
    }
    return sent;
  }

  /** Erases personal data of participants of events that ended more than `days` ago. */
  purge(days: number, now = Date.now()): Promise<number> {
    return this.#repos.participations.purgeEndedBefore(now - days * 86_400_000);
  }

  // ------------------------------------------------------------ rules

  /** The event if it takes RSVPs now; otherwise the reason, as a clear error. */
  async #openEvent(eventId: string, opts: { invited?: boolean } = {}): Promise<EventRecord> {
    const event = await this.#repos.events.get(eventId);
    if (
      !event ||
      event.visibility === "private" ||
      !isPubliclyListed({ ...event, visibility: "public" })
    )
      throw notFound("event");
    if (event.joinMode === "external")
      throw new DomainError(
        "conflict",
        "registration for this event happens on the organizer's site",
        [{ path: "externalUrl", message: event.externalUrl ?? "" }],
      );
    if (event.joinMode === "invite" && !opts.invited)
      throw forbidden("this event is by invitation only");
    if (event.status === "cancelled") throw new DomainError("conflict", "this event is cancelled");
    if (event.rsvpClosed)
      throw new DomainError("conflict", "registrations are closed for this event");
    if ((event.endsAt ?? event.beginsAt).getTime() < Date.now() && !event.recurrence)
      throw new DomainError("conflict", "this event is over");
    return event;
  }

  async #remoteAnswer(p: ParticipationRow, state: ParticipationState): Promise<void> {
    try {
      await this.hooks.remoteAnswer?.(p, state);
    } catch (err) {
      this.#log.error("telling a remote participant failed", {
        participation: p.id,
        error: (err as Error).message,
      });
    }
  }

  /** Inside a transaction holding the event lock: a seat if one is free, else the waitlist. */
  async #seatOrWaitlist(tx: Repos, event: EventRecord): Promise<ParticipationState> {
    if (event.capacity === 0) return "confirmed";
    const taken = await tx.participations.countState(event.id, "confirmed");
    return taken < event.capacity ? "confirmed" : "waitlisted";
  }

  async #leave(p: ParticipationRow, opts: { erase?: boolean } = {}): Promise<void> {
    const wasConfirmed = p.state === "confirmed";
    await this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(p.eventId);
      if (opts.erase) await tx.participations.delete(p.id);
      else
        await tx.participations.update(p.id, {
          state: "cancelled",
          confirmTokenHash: null,
          confirmExpiresAt: null,
          queuedAt: null,
        });
    });
    if (wasConfirmed) await this.#promote(p.eventId);
  }

  /** Moves waitlisted people into free seats, in order, and tells them. */
  async #promote(eventId: string): Promise<void> {
    const promoted = await this.#repos.transaction(async (tx) => {
      await tx.participations.lockEvent(eventId);
      const event = await tx.events.get(eventId);
      if (!event) return [];
      const free =
        event.capacity === 0
          ? Number.POSITIVE_INFINITY
          : event.capacity - (await tx.participations.countState(eventId, "confirmed"));
      if (free <= 0) return [];
      const next = await tx.participations.waitlist(eventId, Number.isFinite(free) ? free : 10_000);
      for (const p of next)
        await tx.participations.update(p.id, { state: "confirmed", queuedAt: null });
      return next;
    });
    if (promoted.length === 0) return;
    for (const p of promoted)
      if (p.kind === "remote") await this.#remoteAnswer({ ...p, state: "confirmed" }, "confirmed");
    const event = await this.#repos.events.get(eventId);
    if (!event) return;
    const json = await this.#events.oneToJson(event);
    for (const p of promoted) {
      if (!p.email) continue;
      const manage = await this.manageToken(p.id);
      await this.#send(
        p.email,
        promotedMail(json, {
          name: p.name,
          lang: p.language,
          cancelUrl: this.#link(p.returnUrl, json, "cancel", manage),
        }),
        json,
      );
    }
  }

  /**
   * The participant's long-lived link secret: the participation id signed with the instance
   * key, so every email can carry the same working cancel link without storing it.
   */
  async manageToken(id: string): Promise<string> {
    const mac = createHmac("sha256", await this.#settings.secret())
      .update(`manage:${id}`)
      .digest("base64url");
    return `evm_${id}.${mac}`;
  }

  async #byManageToken(token: string): Promise<ParticipationRow> {
    const m = /^evm_([a-z0-9]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
    const expected = m ? await this.manageToken(m[1]!) : "";
    if (
      !m ||
      expected.length !== token.length ||
      !timingSafeEqual(Buffer.from(expected), Buffer.from(token))
    )
      throw notFound("participation");
    const p = await this.#repos.participations.get(m[1]!);
    if (!p) throw notFound("participation");
    return p;
  }

  /** Only origins the organizers allowed may receive the email's links. */
  async #safeReturnUrl(event: EventRecord, returnUrl?: string): Promise<string | null> {
    if (!returnUrl) return null;
    let url: URL;
    try {
      url = new URL(returnUrl);
    } catch {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return (await this.allowedOrigins(event.groupId)).has(url.origin)
      ? url.toString().slice(0, 2000)
      : null;
  }

  /** Origins allowed to embed RSVP forms for events of `groupId` (instance-wide ones included). */
  async allowedOrigins(groupId: string | null): Promise<Set<string>> {
    const settings = await this.#settings.get();
    const set = new Set([...this.#embedOrigins, ...settings.embedOrigins, this.#links.origin]);
    if (groupId) {
      const group = await this.#repos.actors.group(groupId);
      for (const o of group?.embedOrigins ?? []) set.add(o);
    }
    return set;
  }

  #link(
    returnUrl: string | null,
    event: EventJson,
    action: "confirm" | "cancel",
    token: string,
  ): string {
    const url = new URL(returnUrl ?? `${this.#links.origin}/rsvp`);
    url.searchParams.delete("ev-action");
    url.searchParams.delete("ev-token");
    url.searchParams.set("ev-action", action);
    url.searchParams.set("ev-token", token);
    if (!returnUrl) url.searchParams.set("event", event.id);
    return url.toString();
  }

  async #sendConfirmation(
    json: EventJson,
    p: ParticipationRow,
    confirmToken: string,
  ): Promise<void> {
    const manageToken = await this.manageToken(p.id);
    const mail = confirmationMail(json, {
      name: p.name,
      lang: p.language,
      confirmUrl: this.#link(p.returnUrl, json, "confirm", confirmToken),
      cancelUrl: this.#link(p.returnUrl, json, "cancel", manageToken),
    });
    await this.#send(p.email!, mail, json);
  }

  /** Sends with the event's .ics attached; a failure is logged, never lost silently. */
  async #send(
    to: string,
    mail: { subject: string; text: string; html: string },
    event: EventJson,
    withIcs = true,
  ): Promise<void> {
    try {
      const attachments = withIcs
        ? [
            {
              filename: "event.ics",
              content: await this.#ics(event),
              contentType: "text/calendar; charset=utf-8; method=PUBLISH",
            },
          ]
        : undefined;
      await this.#mailer.send({ to, ...mail, attachments });
    } catch (err) {
      this.#log.error("participant email failed", {
        event: event.id,
        error: (err as Error).message,
      });
    }
  }

  async #ics(event: EventJson): Promise<string> {
    const { toICalendar } = await icalWriter();
    return toICalendar([event], { name: event.title, url: event.url, host: this.#links.host });
  }

  async #resultFor(id: string, state: ParticipationState, lang: Lang): Promise<RsvpResult> {
    const p = await this.#repos.participations.get(id);
    const event = p ? await this.#repos.events.get(p.eventId) : null;
    const json = event ? await this.#events.oneToJson(event) : null;
    const position = p ? await this.#repos.participations.waitlistPosition(p) : null;
    return {
      state,
      message: MESSAGES[lang][state],
      remainingCapacity: json?.remainingCapacity ?? null,
      waitlistPosition: position,
    };
  }

  #result(
    state: ParticipationState,
    lang: Lang,
    event: EventJson,
    extra: { duplicate: boolean; waitlistPosition?: number | null },
  ): RsvpResult {
    return {
      state,
      ...(extra.duplicate ? { duplicate: true } : {}),
      message: extra.duplicate
        ? `${MESSAGES[lang].duplicate} ${MESSAGES[lang][state]}`
        : MESSAGES[lang][state],
      remainingCapacity: event.remainingCapacity,
      ...(extra.waitlistPosition !== undefined ? { waitlistPosition: extra.waitlistPosition } : {}),
    };
  }
}
