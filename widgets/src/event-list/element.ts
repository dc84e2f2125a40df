import type { EventJson, Page } from "@eventail/client";
import { listEvents } from "@eventail/client/events";
import { html, nothing } from "lit/html.js";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { badges, beginOf, displayZone, endOf, placeText, selectEvent } from "../shared/event.ts";
import type { Common } from "../shared/i18n.ts";
import { dtf } from "../shared/time.ts";
import type { PropertyValues } from "../shared/updating-element.ts";
import { safeImageUrl, safeUrl } from "../shared/url.ts";
import { styles } from "./styles.ts";

/**
 * Upcoming (or past) events of an instance, a group, a tag or a search, with paging.
 * Give the events as the `events` property (static sites) or let the element fetch them
 * from `src`.
 *
 * @tagname ev-event-list
 * @summary A list of events: list, compact or cards layout.
 *
 * @attr {string} src - Base URL of the Eventail server, e.g. "https://events.example.org". Unused when `events` is set.
 * @attr {string} group - Only this group's events (handle, e.g. "climate_lyon").
 * @attr {string} organizer - Only events organized by this identity (handle).
 * @attr {string} tag - Only events with this tag.
 * @attr {string} category - Only events of this category (e.g. "COMMUNITY").
 * @attr {string} q - Only events matching these words.
 * @attr {number} limit - Events per page (1-100, default 10); "More events" shows the next page.
 * @attr {string} from - Earliest instant (RFC 3339); default now.
 * @attr {string} to - Latest start (RFC 3339).
 * @attr {boolean} past - Show past events (ended before now, over the year before `from` or now).
 * @attr {"list"|"compact"|"cards"} layout - Presentation (default "list").
 * @attr {number} heading-level - Heading level of event titles (default 3).
 * @attr {string} timezone - Zone standing for the viewer's (default: the browser's).
 * @attr {"light"|"dark"} theme - Force a color scheme (default: the visitor's preference).
 * @attr {string} lang - "en" or "fr" (default: the nearest `lang` of the page).
 *
 * @fires {CustomEvent<{event: EventJson}>} ev-select - An event link was activated; cancel it (`preventDefault()`) to handle navigation yourself.
 *
 * @slot empty - Shown instead of the default text when there are no events.
 *
 * @csspart list - The list of events.
 * @csspart item - One event.
 * @csspart banner - The event's image (cards layout).
 * @csspart date - The calendar-sheet date block.
 * @csspart title - The event's title (a heading).
 * @csspart link - The link to the event's page.
 * @csspart meta - Date, time and place line.
 * @csspart badge - A status badge (also badge-cancelled, badge-postponed, badge-tentative, badge-full).
 * @csspart more - The "More events" button.
 * @csspart status - Loading, empty and error messages (also loading, empty, error).
 * @csspart button - Any button.
 *
 * @cssproperty [--ev-font=inherit] - Font family (the host page's by default).
 * @cssproperty [--ev-font-size=inherit] - Base font size.
 * @cssproperty [--ev-fg=#1f2328 / #e6e8eb] - Text color (light / dark).
 * @cssproperty [--ev-bg=#fff / #16181d] - Background.
 * @cssproperty [--ev-muted=#57606a / #a3acb6] - Secondary text.
 * @cssproperty [--ev-border=#d0d7de / #3d444d] - Borders.
 * @cssproperty [--ev-surface=#f6f8fa / #20242b] - Cards and date blocks.
 * @cssproperty [--ev-accent=#0a57c2 / #7fb2ff] - Links, buttons, focus ring.
 * @cssproperty [--ev-accent-fg=#fff / #0b1220] - Text on the accent color.
 * @cssproperty [--ev-danger=#b3261e / #ff8f87] - Errors, "cancelled" and "full" badges.
 * @cssproperty [--ev-warning=#7a4a00 / #ffc873] - "Postponed" and "to be confirmed" badges.
 * @cssproperty [--ev-radius=8px] - Corner radius.
 * @cssproperty [--ev-space=1rem] - Base spacing.
 */
export class EvEventList extends EvElement {
  static override styles = styles;
  static override properties = {
    events: { attribute: false },
    group: {},
    organizer: {},
    tag: {},
    category: {},
    q: {},
    limit: { type: Number },
    from: {},
    to: {},
    past: { type: Boolean },
    layout: { reflect: true },
    headingLevel: { type: Number, attribute: "heading-level" },
  };

  /** Events to show, in order; set it to skip fetching. */
  declare events?: EventJson[];
  declare group?: string;
  declare organizer?: string;
  declare tag?: string;
  declare category?: string;
  declare q?: string;
  declare limit: number;
  declare from?: string;
  declare to?: string;
  declare past: boolean;
  declare layout: "list" | "compact" | "cards";
  declare headingLevel: number;

  /** Events fetched from `src`, page after page, and the next page's cursor. */
  #fetched: EventJson[] = [];
  #next: string | null = null;
  #error: unknown = null;
  /** The fetch in flight; a newer one aborts it. */
  #abort: AbortController | null = null;
  /** `src` and the filters the fetched events answer; a change fetches the first page again. */
  #query = "";
  /** How many of `events` are shown (property mode pages locally). */
  #shown = 0;
  #focusFrom = -1;

  constructor() {
    super();
    this.limit = 10;
    this.past = false;
    this.layout = "list";
    this.headingLevel = 3;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("events") || changed.has("limit")) this.#shown = this.#pageSize();
    const query = JSON.stringify([
      this.events ? "" : this.src,
      this.group,
      this.organizer,
      this.tag,
      this.category,
      this.q,
      this.limit,
      this.from,
      this.to,
      this.past,
    ]);
    if (query !== this.#query) {
      this.#query = query;
      this.#load(null);
    }
  }

  #pageSize(): number {
    return Math.max(1, Number(this.limit) || 10);
  }

  /**
   * Fetches the first page (`cursor` null: it replaces what is shown once it arrives) or
   * the next one. A superseded fetch is aborted and its answer, if any, ignored.
   */
  async #load(cursor: string | null): Promise<void> {
    this.#abort?.abort();
    this.#abort = null;
    this.#error = null;
    if (!cursor) this.#next = null;
    if (this.events || !hasSrc(this.src)) {
      this.#fetched = [];
      return;
    }
    const abort = new AbortController();
    this.#abort = abort;
    this.requestUpdate();
    try {
      const page = await this.#fetch(cursor, abort.signal);
      if (abort !== this.#abort) return;
      this.#fetched = cursor ? [...this.#fetched, ...page.items] : page.items;
      this.#next = page.next;
    } catch (e) {
      if (abort !== this.#abort) return;
      this.#error = e;
      if (!cursor) this.#fetched = [];
    }
    this.#abort = null;
    this.requestUpdate();
  }

  /** One page from `src` (checked by the caller); `past` looks back a year by default. */
  #fetch(cursor: string | null, signal: AbortSignal): Promise<Page<EventJson>> {
    const now = new Date();
    const { past, from, to } = this;
    return listEvents(
      this.base(this.src!),
      {
        group: this.group,
        organizer: this.organizer,
        tag: this.tag,
        category: this.category,
        q: this.q,
        limit: Math.min(100, this.#pageSize()),
        from: past ? (from ?? new Date(now.getTime() - 366 * 86_400_000)) : from,
        to: past ? (to ?? now) : to,
        cursor,
      },
      { signal },
    );
  }

  #loadMore(): void {
    this.#focusFrom = this.#items().length;
    if (this.events) {
      this.#shown += this.#pageSize();
      this.requestUpdate();
    } else if (this.#next) this.#load(this.#next);
  }

  #items(): EventJson[] {
    return this.events ? this.events.slice(0, this.#shown) : this.#fetched;
  }

  #hasMore(): boolean {
    return this.events ? this.events.length > this.#shown : this.#next !== null;
  }

  protected override updated(): void {
    // After "More events", move keyboard focus to the first new event.
    if (this.#focusFrom >= 0) {
      const link = this.renderRoot.querySelectorAll<HTMLElement>("[part~=link]")[this.#focusFrom];
      if (link) {
        this.#focusFrom = -1;
        link.focus();
      }
    }
  }

  override render() {
    const t = this.common;
    const items = this.#items();
    const busy = this.#abort !== null;
    if (!items.length)
      return !this.events && !hasSrc(this.src)
        ? this.#empty(t.noSource)
        : busy
          ? this.loading()
          : this.#error
            ? this.failure(this.#error, () => this.#load(null))
            : this.#empty(this.past ? t.noPastEvents : t.noEvents);
    const ctx: Ctx = { locale: this.locale, viewer: this.viewerZone, t };
    return html`<ul part="list" class="list ${this.layout}" role="list" aria-busy=${busy ? "true" : "false"}>
        ${items.map((e) => this.#item(e, ctx))}
      </ul>
      ${this.#error ? this.failure(this.#error, () => this.#load(this.#next)) : nothing}
      ${
        this.#hasMore() && !this.#error
          ? html`<button part="more button" class="more secondary" type="button" ?disabled=${busy} @click=${() => this.#loadMore()}>
            ${busy ? t.loading : t.more}
          </button>`
          : nothing
      }`;
  }

  #empty(text: string) {
    return html`<p part="status empty" class="status"><slot name="empty">${text}</slot></p>`;
  }

  #item(e: EventJson, ctx: Ctx) {
    const zone = e.allDay ? e.timezone : displayZone(e, ctx.viewer);
    // The zone is named when it is not the viewer's own.
    const f = {
      day: dtf(ctx.locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short" }),
      time: dtf(ctx.locale, {
        timeZone: zone,
        hour: "numeric",
        minute: "2-digit",
        ...(zone !== ctx.viewer && { timeZoneName: "short" }),
      }),
    };
    const begin = beginOf(e);
    const end = endOf(e);
    const parts = f.day.formatToParts(begin);
    const part = (type: string) => parts.find((p) => p.type === type)?.value;
    const date =
      e.allDay && end && end.getTime() - begin.getTime() > 86_400_000
        ? f.day.formatRange(begin, new Date(end.getTime() - 1))
        : parts.map((p) => p.value).join("");
    const time = end && end > begin ? f.time.formatRange(begin, end) : f.time.format(begin);
    const when = e.allDay ? date : `${date} · ${time}`;
    const place = [
      e.address ? (e.address.venue ?? placeText(e.address, ctx.locale)) : "",
      e.onlineUrl ? ctx.t.online : "",
    ]
      .filter(Boolean)
      .join(" · ");
    const banner =
      this.layout === "cards" && e.banner ? safeImageUrl(e.banner.url, this.src) : undefined;
    const href = safeUrl(e.url);
    return html`<li part="item" class="item ${e.status}">
      ${banner ? html`<img part="banner" class="banner" src=${banner} alt=${e.banner?.alt ?? ""} loading="lazy" />` : nothing}
      <div part="date" class="date" aria-hidden="true">
        <span class="dow">${part("weekday")}</span>
        <span class="dom">${part("day")}</span>
        <span class="mon">${part("month")}</span>
      </div>
      <div class="body">
        <div part="title" class="title" role="heading" aria-level=${this.headingLevel}>
          ${href ? html`<a part="link" href=${href} @click=${(c: Event) => selectEvent(this, e, c)}>${e.title}</a>` : e.title}
        </div>
        <p part="meta" class="meta">
          <time datetime=${e.beginsAt}>${when}</time>${place ? html`<span class="place"> · ${place}</span>` : nothing}
          ${badges(e, ctx.t)}
        </p>
      </div>
    </li>`;
  }
}

interface Ctx {
  locale: string;
  viewer: string;
  t: Common;
}

define("ev-event-list", EvEventList);

declare global {
  interface HTMLElementTagNameMap {
    "ev-event-list": EvEventList;
  }
}
