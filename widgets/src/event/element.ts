import type { EventJson } from "@eventail/client";
import { getEvent } from "@eventail/client/events";
import { html, nothing } from "lit/html.js";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { badges, beginOf, displayZone, isFull, placeText } from "../shared/event.ts";
import { safeHtml } from "../shared/sanitize.ts";
import { initialState, Task } from "../shared/task.ts";
import type { PropertyValues } from "../shared/updating-element.ts";
import { safeImageUrl, safeUrl } from "../shared/url.ts";
import { whenText, zoneLabel } from "./format.ts";
import { googleCalendarUrl, mapUrl, outlookUrl } from "./links.ts";
import { strings } from "./strings.ts";
import { styles } from "./styles.ts";

/** What ev-event hands to an `ev-rsvp` placed in its `rsvp` slot. */
interface RsvpLike extends HTMLElement {
  event?: EventJson;
  src?: string;
}

/**
 * Everything about one event: date and time (in the venue's zone, named, for in-person
 * events; in the viewer's zone for online ones), place with a map link, online link,
 * organizer and group, status badges, places left, description, "add to calendar" links
 * (the server's .ics, Google, Outlook) and sharing. Put an `<ev-rsvp slot="rsvp">` inside to
 * add the RSVP form: it receives this event.
 *
 * @tagname ev-event
 * @summary One event in full.
 *
 * @attr {string} src - Base URL of the Eventail server. Unused when `event` is set.
 * @attr {string} event-id - Id of the event to fetch from `src`.
 * @attr {number} heading-level - Heading level of the title (default 2).
 * @attr {string} timezone - Zone standing for the viewer's (default: the browser's).
 * @attr {"light"|"dark"} theme - Force a color scheme.
 * @attr {string} lang - "en" or "fr" (default: the nearest `lang` of the page).
 *
 * @slot rsvp - Place an `ev-rsvp` here; it is given this event and server.
 * @slot - Anything else to show after the details.
 *
 * @csspart event - The whole article.
 * @csspart banner - The event's image.
 * @csspart title - The title (a heading).
 * @csspart badge - A status badge (also badge-cancelled, badge-postponed, badge-tentative, badge-full).
 * @csspart details - The list of facts below the title.
 * @csspart when - Date and time.
 * @csspart zone - The time zone's name.
 * @csspart local-time - The same time in the viewer's zone, when it differs.
 * @csspart where - The place.
 * @csspart map-link - The OpenStreetMap link.
 * @csspart online - The online link's row (also online-link for the link).
 * @csspart organizer - Organizer and group.
 * @csspart capacity - Places left.
 * @csspart description - The description.
 * @csspart tags - The tags.
 * @csspart actions - Add-to-calendar and share.
 * @csspart calendar-links - The add-to-calendar links (each also calendar-link).
 * @csspart share - The share button.
 * @csspart status - Loading and error messages.
 * @csspart button - Any button.
 *
 * @cssproperty [--ev-accent=#0a57c2 / #7fb2ff] - Links, buttons, focus ring.
 * @cssproperty [--ev-surface=#f6f8fa / #20242b] - The facts box.
 * @cssproperty [--ev-radius=8px] - Corner radius.
 * @cssproperty [--ev-font=inherit] - Font family (see ev-event-list for every token).
 */
export class EvEvent extends EvElement {
  static override styles = styles;
  static override properties = {
    event: { attribute: false },
    eventId: { attribute: "event-id" },
    headingLevel: { type: Number, attribute: "heading-level" },
    _copied: { state: true, attribute: false },
  };

  /** The event to show; set it to skip fetching. */
  declare event?: EventJson;
  declare eventId?: string;
  declare headingLevel: number;
  declare _copied: boolean;

  #description: { html: string; node: HTMLDivElement } | null = null;

  constructor() {
    super();
    this.headingLevel = 2;
    this._copied = false;
  }

  #task = new Task(this, {
    task: async ([src, id], { signal }) => {
      if (this.event || !hasSrc(src) || !id) return initialState;
      return getEvent(this.base(src), id, { signal });
    },
    args: () => [this.event ? "" : this.src, this.eventId] as const,
  });

  /** The event shown, given or fetched. */
  get current(): EventJson | undefined {
    return this.event ?? this.#task.value;
  }

  protected override updated(_changed: PropertyValues): void {
    const e = this.current;
    if (!e) return;
    for (const el of this.querySelectorAll<RsvpLike>(":scope > ev-rsvp")) {
      if (!el.event || el.event.id !== e.id) el.event = e;
      if (!el.src && this.src) el.src = this.src;
    }
  }

  #descriptionNode(text: string): HTMLDivElement {
    // One node per description: Lit keeps it in place across renders.
    if (this.#description?.html !== text) this.#description = { html: text, node: safeHtml(text) };
    return this.#description.node;
  }

  /** The system share sheet where there is one, else the link copied to the clipboard. */
  async #share(e: EventJson, url: string): Promise<void> {
    try {
      if (navigator.share) await navigator.share({ title: e.title, url });
      else {
        await navigator.clipboard.writeText(url);
        this._copied = true;
      }
    } catch {
      // Dismissed by the visitor, or no clipboard access: the link itself stays visible.
    }
  }

  override render() {
    const e = this.current;
    if (!e) {
      if (this.event || !hasSrc(this.src) || !this.eventId)
        return html`<p part="status" class="status">${this.common.noSource}</p>`;
      return this.#task.render({
        pending: () => this.loading(),
        error: (err) => this.failure(err, () => this.#task.run()),
      });
    }
    const t = this.strings(strings);
    const c = this.common;
    const locale = this.locale;
    const viewer = this.viewerZone;
    const zone = displayZone(e, viewer);
    const where = placeText(e.address, locale);
    const map = e.address ? mapUrl(e, where) : undefined;
    const online = safeUrl(e.onlineUrl);
    const page = safeUrl(e.url);
    const ics = safeUrl(e.icsUrl);
    const banner = e.banner ? safeImageUrl(e.banner.url, this.src) : undefined;
    const showLocal = !e.allDay && zone !== viewer;
    const organizer = safeUrl(e.organizer.url);
    const group = e.group ? safeUrl(e.group.url) : undefined;
    return html`<article part="event" class="event ${e.status}" lang=${/^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(e.language) ? e.language : nothing}>
      ${banner ? html`<img part="banner" class="banner" src=${banner} alt=${e.banner?.alt ?? ""} />` : nothing}
      <div class="head">
        <div part="title" class="title" role="heading" aria-level=${this.headingLevel}>${e.title}</div>
        ${badges(e, c)}
      </div>
      <dl part="details" class="details" lang=${locale}>
        <div part="when">
          <dt>${t.when}</dt>
          <dd>
            <time datetime=${e.beginsAt}>${whenText(e, locale, zone)}</time>
            ${e.allDay ? nothing : html`<span part="zone" class="zone" title=${zone}>(${zoneLabel(e, locale, zone)})</span>`}
            ${showLocal ? html`<div part="local-time" class="muted">${t.yourTime(`${whenText(e, locale, viewer)} (${zoneLabel(e, locale, viewer)})`)}</div>` : nothing}
          </dd>
        </div>
        ${
          where
            ? html`<div part="where">
              <dt>${t.where}</dt>
              <dd><span part="address">${where}</span>
                ${map ? html`<br /><a part="map-link" href=${map} target="_blank" rel="noopener noreferrer">${t.map}</a>` : nothing}
              </dd>
            </div>`
            : nothing
        }
        ${
          online
            ? html`<div part="online">
              <dt>${c.online}</dt>
              <dd><a part="online-link" href=${online} target="_blank" rel="noopener noreferrer">${t.joinOnline}</a></dd>
            </div>`
            : nothing
        }
        <div part="organizer">
          <dt>${t.organizer}</dt>
          <dd>
            ${organizer ? html`<a href=${organizer}>${e.organizer.name}</a>` : e.organizer.name}
            ${e.group ? html` · ${group ? html`<a href=${group}>${e.group.name}</a>` : e.group.name}` : nothing}
          </dd>
        </div>
        ${
          e.capacity > 0 && e.status !== "cancelled"
            ? html`<div part="capacity">
              <dt>${t.places}</dt>
              <dd>${isFull(e) ? t.waitlist : t.placesLeft(e.remainingCapacity ?? 0)}</dd>
            </div>`
            : nothing
        }
      </dl>
      ${e.description ? this.#descriptionNode(e.description) : nothing}
      ${
        e.tags.length
          ? html`<ul part="tags" class="tags" role="list" aria-label=${t.tags}>
            ${e.tags.map((tag) => html`<li>#${tag}</li>`)}
          </ul>`
          : nothing
      }
      <div part="actions" class="actions">
        <div part="calendar-links" class="calendar" role="group" aria-label=${t.addToCalendar}>
          <span aria-hidden="true" class="muted">${t.addToCalendar}:</span>
          ${ics ? html`<a part="calendar-link" href=${ics} download>${t.ics}</a>` : nothing}
          <a part="calendar-link" href=${googleCalendarUrl(e, where)} target="_blank" rel="noopener noreferrer">${t.google}</a>
          <a part="calendar-link" href=${outlookUrl(e, where)} target="_blank" rel="noopener noreferrer">${t.outlook}</a>
        </div>
        ${
          page
            ? html`<div class="share">
              <a href=${page}>${t.page}</a>
              <button part="share button" class="secondary" type="button" @click=${() => this.#share(e, page)}>${t.share}</button>
              <span role="status" class="muted">${this._copied ? t.copied : ""}</span>
            </div>`
            : nothing
        }
      </div>
      <slot name="rsvp"></slot>
      <slot></slot>
    </article>`;
  }

  /** Instant the event starts (for hosts that sort or schedule). */
  get beginsAt(): Date | undefined {
    const e = this.current;
    return e ? beginOf(e) : undefined;
  }
}

define("ev-event", EvEvent);

declare global {
  interface HTMLElementTagNameMap {
    "ev-event": EvEvent;
  }
}
