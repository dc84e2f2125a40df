import type { EventJson, ParticipationJson, RsvpRequest, RsvpResult } from "@eventail/client";
import { ApiError } from "@eventail/client/errors";
import { getEvent } from "@eventail/client/events";
import { cancel, confirm, lookup, rsvp } from "@eventail/client/rsvp";
import { html, nothing, type TemplateResult } from "lit/html.js";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { isFull } from "../shared/event.ts";
import { langOf } from "../shared/i18n.ts";
import { initialState, Task } from "../shared/task.ts";
import type { PropertyValues } from "../shared/updating-element.ts";
import { hostOf, safeUrl } from "../shared/url.ts";
import { type Strings, strings } from "./strings.ts";
import { styles } from "./styles.ts";

/** What the element shows; the form keeps its DOM (and typed values) across its states. */
type View =
  | { kind: "form"; sending?: boolean; errors?: Record<string, string>; alert?: string }
  | { kind: "result"; result: RsvpResult; email?: string }
  | { kind: "closed"; detail?: string }
  | { kind: "external"; url: string }
  | { kind: "invite" }
  | { kind: "expired" }
  | { kind: "working" }
  | { kind: "ask-cancel"; token: string; participation: ParticipationJson }
  | { kind: "kept" }
  | { kind: "error"; detail: string; retry: () => void };

const FIELDS = ["name", "email", "message"] as const;

/** Only one element per page acts on an email link's token. */
let claimedToken: string | null = null;

/**
 * The RSVP form for anonymous participation (docs/rsvp-api.md): name, email and an
 * optional message, a honeypot, and every outcome shown plainly: check your email,
 * confirmed, waitlisted, awaiting approval, full (waiting list), closed, by invitation,
 * external registration, too many attempts, field errors. On a page opened from the
 * confirmation email (`?ev-action=confirm|cancel&ev-token=…`) it confirms, or asks and then
 * cancels, and removes those parameters from the address bar.
 *
 * @tagname ev-rsvp
 * @summary RSVP form and email-link handling.
 *
 * @attr {string} src - Base URL of the Eventail server (default: the origin of the event's page).
 * @attr {string} event-id - Id of the event to fetch from `src` (unused when `event` is set).
 * @attr {number} heading-level - Heading level of the form's title (default 2).
 * @attr {"light"|"dark"} theme - Force a color scheme.
 * @attr {string} lang - "en" or "fr" (default: the nearest `lang` of the page); also the language of the emails.
 *
 * @fires {CustomEvent<{result: RsvpResult}>} ev-rsvp - An RSVP or a token action succeeded.
 *
 * @csspart rsvp - The whole section.
 * @csspart title - The title (a heading).
 * @csspart form - The form.
 * @csspart field - A label with its input (also field-name, field-email, field-message).
 * @csspart label - A field's label.
 * @csspart input - A text input or the message box.
 * @csspart field-error - A field's error message.
 * @csspart notice - Notes above the form (full event, privacy).
 * @csspart submit - The submit button.
 * @csspart result - An outcome (also result-sent, result-confirmed, result-waitlisted, result-awaiting_approval, result-cancelled, result-rejected, result-closed, result-external, result-invite, result-expired, result-error).
 * @csspart alert - A problem shown above the form (field errors, too many attempts, network).
 * @csspart button - Any button.
 * @csspart status - Loading and error messages.
 *
 * @cssproperty [--ev-accent=#0a57c2 / #7fb2ff] - Buttons, focus ring.
 * @cssproperty [--ev-danger=#b3261e / #ff8f87] - Errors.
 * @cssproperty [--ev-success=#1a6b38 / #86d49d] - Outcomes.
 * @cssproperty [--ev-border=#d0d7de / #3d444d] - Input borders.
 * @cssproperty [--ev-radius=8px] - Corner radius.
 * @cssproperty [--ev-font=inherit] - Font family (see ev-event-list for every token).
 */
export class EvRsvp extends EvElement {
  static override styles = styles;
  static override properties = {
    event: { attribute: false },
    eventId: { attribute: "event-id" },
    headingLevel: { type: Number, attribute: "heading-level" },
    _view: { state: true, attribute: false },
  };

  /** The event to answer for; set it to skip fetching. */
  declare event?: EventJson;
  declare eventId?: string;
  declare headingLevel: number;
  declare _view: View | null;

  #token: { action: "confirm" | "cancel"; token: string } | null = null;
  #focusResult = false;

  constructor() {
    super();
    this.headingLevel = 2;
    this._view = null;
  }

  #task = new Task(this, {
    task: async ([src, id], { signal }) => {
      if (this.event || !hasSrc(src) || !id) return initialState;
      return getEvent(this.base(src), id, { signal });
    },
    args: () => [this.event ? "" : this.src, this.eventId] as const,
  });

  get #current(): EventJson | undefined {
    return this.event ?? this.#task.value;
  }

  /** Server to post to: `src`, else the origin of the event's own page. */
  get #base(): string | undefined {
    if (hasSrc(this.src)) return this.base(this.src);
    const url = safeUrl(this.#current?.url);
    return url ? new URL(url).origin : undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const params = new URLSearchParams(location.search);
    const action = params.get("ev-action");
    const token = params.get("ev-token");
    if ((action === "confirm" || action === "cancel") && token && token !== claimedToken) {
      claimedToken = token;
      this.#token = { action, token };
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    const previous = changed.get("event") as EventJson | undefined;
    if (changed.has("event") && previous && previous.id !== this.event?.id && !this.#token)
      this._view = null;
    const base = this.#base;
    if (this.#token && base) {
      const t = this.#token;
      this.#token = null;
      this._view = { kind: "working" };
      void this.#runToken(base, t.action, t.token);
    }
  }

  protected override updated(): void {
    if (this.#focusResult) {
      this.#focusResult = false;
      this.renderRoot.querySelector<HTMLElement>("[data-focus]")?.focus();
    }
  }

  #show(view: View, focus = true): void {
    this._view = view;
    this.#focusResult = focus;
  }

  #announce(result: RsvpResult): void {
    this.dispatchEvent(
      new CustomEvent("ev-rsvp", { detail: { result }, bubbles: true, composed: true }),
    );
  }

  /** The page without the email link's parameters. */
  #cleanUrl(): string {
    const url = new URL(location.href);
    url.searchParams.delete("ev-action");
    url.searchParams.delete("ev-token");
    return url.href;
  }

  #forgetToken(): void {
    history.replaceState(history.state, "", this.#cleanUrl());
    claimedToken = null;
  }

  async #runToken(base: string, action: "confirm" | "cancel", token: string): Promise<void> {
    try {
      if (action === "confirm") {
        const result = await confirm(base, token);
        this.#forgetToken();
        this.#announce(result);
        this.#show({ kind: "result", result });
        return;
      }
      const participation = await lookup(base, token);
      if (participation.state === "cancelled") {
        this.#forgetToken();
        this.#show({
          kind: "result",
          result: { state: "cancelled", message: "", remainingCapacity: null },
        });
      } else this.#show({ kind: "ask-cancel", token, participation });
    } catch (e) {
      this.#tokenError(e, () => {
        this._view = { kind: "working" };
        void this.#runToken(base, action, token);
      });
    }
  }

  async #cancel(token: string): Promise<void> {
    const base = this.#base;
    if (!base) return;
    this._view = { kind: "working" };
    try {
      const result = await cancel(base, token);
      this.#forgetToken();
      this.#announce(result);
      this.#show({ kind: "result", result });
    } catch (e) {
      this.#tokenError(e, () => void this.#cancel(token));
    }
  }

  #tokenError(e: unknown, retry: () => void): void {
    if (e instanceof ApiError && (e.status === 410 || e.status === 404)) {
      this.#forgetToken();
      this.#show({ kind: "expired" });
    } else this.#show({ kind: "error", detail: this.#detail(e), retry });
  }

  #detail(e: unknown): string {
    if (e instanceof ApiError)
      return e.status === 0 ? this.common.unreachable(hostOf(this.#base)) : e.detail;
    return String(e);
  }

  #keep(): void {
    this.#forgetToken();
    this.#show({ kind: "kept" });
  }

  #input(name: string): HTMLInputElement | HTMLTextAreaElement | null {
    return this.renderRoot.querySelector(`[name="${name}"]`);
  }

  async #submit(ev: SubmitEvent): Promise<void> {
    // The browser has already checked required fields and the email's syntax.
    ev.preventDefault();
    const event = this.#current;
    const base = this.#base;
    if (!event || !base) return;
    const data = new FormData(ev.currentTarget as HTMLFormElement);
    const field = (k: string) => String(data.get(k) ?? "").trim();
    const body: RsvpRequest = {
      name: field("name"),
      email: field("email"),
      website: String(data.get("website") ?? ""),
      returnUrl: this.#cleanUrl(),
      language: langOf(this.locale),
    };
    if (field("message")) body.message = field("message");
    this._view = { kind: "form", sending: true };
    try {
      const result = await rsvp(base, event.id, body);
      this.#announce(result);
      this.#show({ kind: "result", result, email: body.email });
    } catch (e) {
      this.#submitError(e);
    }
  }

  #submitError(e: unknown): void {
    const t = this.strings(strings);
    if (!(e instanceof ApiError)) this.#show({ kind: "form", alert: t.failed(String(e)) });
    else if (e.status === 422 && e.errors.length) this.#fieldErrors(e, t);
    else if (e.status === 409 && safeUrl(e.externalUrl))
      this.#show({ kind: "external", url: safeUrl(e.externalUrl)! });
    else if (e.status === 409) this.#show({ kind: "closed", detail: e.detail });
    else if (e.status === 403) this.#show({ kind: "invite" });
    else if (e.status === 429) this.#show({ kind: "form", alert: t.limited(e.retryAfter) });
    else this.#show({ kind: "form", alert: t.failed(this.#detail(e)) });
  }

  /** 422: each message beside its field, focus on the first field in error. */
  #fieldErrors(e: ApiError, t: Strings): void {
    const errors: Record<string, string> = {};
    for (const err of e.errors) errors[err.path] ??= err.message;
    const other = e.errors.filter((x) => !(FIELDS as readonly string[]).includes(x.path));
    this._view = {
      kind: "form",
      errors,
      alert: [t.fix, ...other.map((x) => `${x.path}: ${x.message}`)].join(" "),
    };
    void this.updateComplete.then(() => {
      const first = FIELDS.find((f) => errors[f]);
      if (first) this.#input(first)?.focus();
    });
  }

  /** The view implied by the event alone, before any interaction. */
  #initial(e: EventJson): View {
    if (e.joinMode === "external") {
      const url = safeUrl(e.externalUrl);
      if (url) return { kind: "external", url };
    }
    if (e.joinMode === "invite") return { kind: "invite" };
    if (!e.rsvpOpen) return { kind: "closed" };
    return { kind: "form" };
  }

  override render() {
    const t = this.strings(strings);
    let view = this._view;
    let content: TemplateResult | undefined;
    if (!view) {
      const e = this.#current;
      if (e) view = this.#initial(e);
      else if (!this.event && hasSrc(this.src) && this.eventId)
        content = this.#task.render({
          pending: () => this.loading(),
          error: (err) => this.failure(err, () => this.#task.run()),
        }) as TemplateResult | undefined;
      else content = html`<p part="status" class="status">${this.common.noSource}</p>`;
    }
    if (view) content = this.#view(view, t);
    return html`<section part="rsvp" class="rsvp" aria-labelledby="title">
      <div part="title" class="title" id="title" role="heading" aria-level=${this.headingLevel}>${t.title}</div>
      ${content ?? nothing}
    </section>`;
  }

  #box(kind: string, body: unknown, alert = false) {
    return html`<div part="result result-${kind}" class="result ${alert ? "bad" : "good"}" role=${alert ? "alert" : "status"} tabindex="-1" data-focus>
      ${body}
    </div>`;
  }

  #view(v: View, t: Strings) {
    switch (v.kind) {
      case "form":
        return this.#form(v, t);
      case "working":
        return html`<p part="status" class="status" role="status">${t.working}</p>`;
      case "result":
        return this.#result(v.result, v.email, t);
      case "closed": {
        const e = this.#current;
        const text = e?.status === "cancelled" ? t.eventCancelled : t.closed;
        return this.#box(
          "closed",
          html`<p>${text}</p>${v.detail && v.detail !== text ? html`<p class="muted">${v.detail}</p>` : nothing}`,
        );
      }
      case "external":
        return this.#box(
          "external",
          html`<p>${t.external} <a href=${v.url} target="_blank" rel="noopener noreferrer">${t.externalLink(hostOf(v.url))}</a></p>`,
        );
      case "invite":
        return this.#box("invite", html`<p>${t.invite}</p>`);
      case "expired":
        return this.#box("expired", html`<p>${t.expired}</p>`, true);
      case "kept":
        return this.#box("kept", html`<p>${t.kept}</p>`);
      case "ask-cancel":
        return this.#box(
          "ask-cancel",
          html`<p>${t.askCancel(v.participation.name)}</p>
            <div class="buttons">
              <button part="button" type="button" @click=${() => this.#cancel(v.token)}>${t.yesCancel}</button>
              <button part="button" class="secondary" type="button" @click=${() => this.#keep()}>${t.keep}</button>
            </div>`,
        );
      case "error":
        return this.#box(
          "error",
          html`<p>${t.failed(v.detail)}</p><button part="button" type="button" @click=${v.retry}>${t.retry}</button>`,
          true,
        );
    }
  }

  #result(r: RsvpResult, email: string | undefined, t: Strings) {
    const texts: Record<RsvpResult["state"], string> = {
      awaiting_email: t.sent(email ?? ""),
      confirmed: t.confirmed,
      waitlisted: t.waitlisted(r.waitlistPosition),
      awaiting_approval: t.awaitingApproval,
      cancelled: t.cancelled,
      rejected: t.rejected,
      // Only signed-in identities are invited; the server's own words suffice here.
      invited: r.message,
    };
    const kind = r.state === "awaiting_email" ? "sent" : r.state;
    return this.#box(
      kind,
      html`${r.duplicate ? html`<p>${t.duplicate}</p>` : nothing}<p>${texts[r.state] ?? r.message}</p>
      ${
        r.state === "awaiting_email"
          ? html`<button part="button" class="secondary" type="button" @click=${() => this.#show({ kind: "form" })}>${t.again}</button>`
          : nothing
      }`,
    );
  }

  #form(v: Extract<View, { kind: "form" }>, t: Strings) {
    const e = this.#current;
    const errors = v.errors ?? {};
    const field = (name: (typeof FIELDS)[number], label: string, control: TemplateResult) => html`
      <div part="field field-${name}" class="field">
        <label part="label" for=${name}>${label}</label>
        ${control}
        ${errors[name] ? html`<p part="field-error" class="field-error" id="${name}-error">${errors[name]}</p>` : nothing}
      </div>`;
    const invalid = (name: string) => (errors[name] ? "true" : nothing);
    const described = (name: string) => (errors[name] ? `${name}-error` : nothing);
    const clear = (ev: Event) => {
      const name = (ev.target as HTMLInputElement).name;
      if (errors[name] && this._view?.kind === "form") {
        const rest = { ...errors };
        delete rest[name];
        this._view = { ...this._view, errors: rest };
      }
    };
    return html`
      ${e && isFull(e) ? html`<p part="notice" class="notice">${t.fullNotice}</p>` : nothing}
      ${v.alert ? html`<p part="alert" class="alert" role="alert">${v.alert}</p>` : nothing}
      <form part="form" @submit=${this.#submit} @input=${clear} aria-busy=${v.sending ? "true" : "false"}>
        ${field(
          "name",
          t.name,
          html`<input part="input" id="name" name="name" autocomplete="name" required maxlength="100"
            aria-invalid=${invalid("name")} aria-describedby=${described("name")} />`,
        )}
        ${field(
          "email",
          t.email,
          html`<input part="input" id="email" name="email" type="email" autocomplete="email" required maxlength="254"
            aria-invalid=${invalid("email")} aria-describedby=${described("email")} />`,
        )}
        ${field(
          "message",
          t.message,
          html`<textarea part="input" id="message" name="message" rows="3" maxlength="1000"
            aria-invalid=${invalid("message")} aria-describedby=${described("message")}></textarea>`,
        )}
        <div class="hp" inert>
          <label for="website">${t.honeypot}</label>
          <input id="website" name="website" tabindex="-1" autocomplete="off" />
        </div>
        <p part="notice" class="muted small">${t.privacy}</p>
        <button part="submit button" type="submit" ?disabled=${v.sending}>${v.sending ? t.sending : t.submit}</button>
      </form>`;
  }
}

define("ev-rsvp", EvRsvp);

declare global {
  interface HTMLElementTagNameMap {
    "ev-rsvp": EvRsvp;
  }
}
