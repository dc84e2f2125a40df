import type { EventJson, Page } from "@eventail/client";
import { listEvents } from "@eventail/client/events";
import { html, nothing, type PropertyValues } from "lit";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { badges, beginOf, displayZone, endOf, placeText, selectEvent } from "../shared/event.ts";
import type { Common } from "../shared/i18n.ts";
import { initialState, Task } from "../shared/task.ts";
import { dtf } from "../shared/time.ts";
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

  /** Pages fetched with "More events" after the first. */
  #more: EventJson[] = [];
  #next: string | null = null;
  #moreError: unknown = null;
  #moreAbort: AbortController | null = null;
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

  #task = new Task(this, {
    task: async ([src, ...rest], { signal }) => {
      this.#moreAbort?.abort();
      this.#more = [];
      this.#next = null;
      this.#moreError = null;
      if (this.events || !hasSrc(src)) return initialState;
      const page = await listEvents(this.base(src), this.#query(rest), { signal });
      this.#next = page.next;
      return page;
    },
    args: () =>
      [
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
      ] as const,
  });

  #query([group, organizer, tag, category, q, limit, from, to, past]: readonly unknown[]) {
    const now = new Date();
    return {
      group: group as string,
      organizer: organizer as string,
      tag: tag as string,
      category: category as string,
      q: q as string,
      limit: Math.min(100, Math.max(1, Number(limit) || 10)),
      from: past
        ? ((from as string) ?? new Date(now.getTime() - 366 * 86_400_000))
        : (from as string),
      to: past ? ((to as string) ?? now) : (to as string),
    };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("events") || changed.has("limit")) this.#shown = this.#pageSize();
  }

  #pageSize(): number {
    return Math.max(1, Number(this.limit) || 10);
  }

  async #loadMore(): Promise<void> {
    const shownBefore = this.#items().length;
    this.#focusFrom = shownBefore;
    if (this.events) {
      this.#shown += this.#pageSize();
      this.requestUpdate();
      return;
    }
    const src = this.src;
    if (!hasSrc(src) || !this.#next) return;
    this.#moreAbort = new AbortController();
    this.#moreError = null;
    this.requestUpdate();
    try {
      const page: Page<EventJson> = await listEvents(
        this.base(src),
        {
          ...this.#query([
            this.group,
            this.organizer,
            this.tag,
            this.category,
            this.q,
            this.limit,
            this.from,
            this.to,
            this.past,
          ]),
          cursor: this.#next,
        },
        { signal: this.#moreAbort.signal },
      );
      this.#more = [...this.#more, ...page.items];
      this.#next = page.next;
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      this.#moreError = e;
    }
    this.#moreAbort = null;
    this.requestUpdate();
  }

  #items(): EventJson[] {
    if (this.events) return this.events.slice(0, this.#shown);
    return [...(this.#task.value?.items ?? []), ...this.#more];
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
    if (!this.events) {
      if (!hasSrc(this.src)) return this.#empty(this.common.noSource);
      const pending = this.#task.render({
        pending: () => (this.#task.value ? undefined : this.loading()),
        error: (e) => this.failure(e, () => this.#task.run()),
      });
      if (pending) return pending;
    }
    const items = this.#items();
    if (!items.length)
      return this.#empty(this.past ? this.common.noPastEvents : this.common.noEvents);
    const busy = this.#moreAbort !== null;
    const locale = this.locale;
    const viewer = this.viewerZone;
    const ctx: Ctx = { locale, viewer, t: this.common, formats: this.#formats(locale, viewer) };
    return html`<ul part="list" class="list ${this.layout}" role="list" aria-busy=${busy ? "true" : "false"}>
        ${items.map((e) => this.#item(e, ctx))}
      </ul>
      ${this.#moreError ? this.failure(this.#moreError, () => this.#loadMore()) : nothing}
      ${
        this.#hasMore() && !this.#moreError
          ? html`<button part="more button" class="more secondary" type="button" ?disabled=${busy} @click=${() => this.#loadMore()}>
            ${busy ? this.common.loading : this.common.more}
          </button>`
          : nothing
      }`;
  }

  #empty(text: string) {
    return html`<p part="status empty" class="status"><slot name="empty">${text}</slot></p>`;
  }

  /** Formatters for one render: Intl objects are costly, and a list repeats few zones. */
  #formats(locale: string, viewer: string) {
    const cache = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
    return (zone: string) => {
      let f = cache.get(zone);
      if (!f) {
        const time: Intl.DateTimeFormatOptions = {
          timeZone: zone,
          hour: "numeric",
          minute: "2-digit",
        };
        // Name the zone when it is not the viewer's own.
        if (zone !== viewer) time.timeZoneName = "short";
        f = {
          day: dtf(locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short" }),
          time: dtf(locale, time),
        };
        cache.set(zone, f);
      }
      return f;
    };
  }

  #item(e: EventJson, ctx: Ctx) {
    const zone = e.allDay ? e.timezone : displayZone(e, ctx.viewer);
    const f = ctx.formats(zone);
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
  formats: (zone: string) => { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat };
}

define("ev-event-list", EvEventList);

declare global {
  interface HTMLElementTagNameMap {
    "ev-event-list": EvEventList;
  }
}
