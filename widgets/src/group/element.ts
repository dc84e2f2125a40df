import type { EventJson, GroupJson } from "@eventail/client";
import { getGroup } from "@eventail/client/events";
import { html, nothing } from "lit/html.js";
import { initialState, Task } from "../shared/task.ts";
import "../event-list/element.ts";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { safeHtml } from "../shared/sanitize.ts";
import { dtf } from "../shared/time.ts";
import { safeImageUrl, safeUrl } from "../shared/url.ts";
import { parseHandle, subscribeUrl, type WebfingerUrl, webfingerUrl } from "./fediverse.ts";
import { strings } from "./strings.ts";
import { styles } from "./styles.ts";

/**
 * A group as the API returns it (avatar, banner and resources included), plus public posts
 * from servers that have them.
 */
export interface GroupData extends GroupJson {
  /** Public posts; `content` is HTML and is rendered through the allowlist. */
  posts?: { title?: string; url: string; publishedAt?: string; content?: string }[];
}

/** Opens the visitor's instance; returns false when the browser blocked the new tab. */
export type OpenUrl = (url: string) => boolean;

const openInNewTab: OpenUrl = (url) => {
  const w = window.open(url, "_blank");
  if (w) w.opener = null;
  return w !== null;
};

/**
 * A group's page: banner and avatar, description, upcoming events, resources and posts
 * when the server has them, and "follow from your fediverse account" (the visitor's
 * instance is found by WebFinger only when they ask).
 *
 * @tagname ev-group
 * @summary A group with its events and a fediverse follow form.
 *
 * @attr {string} src - Base URL of the Eventail server. Unused when `group` is set (then events come from `events`, or from `src` if set).
 * @attr {string} handle - Handle of the group to fetch from `src` (e.g. "climate_lyon").
 * @attr {number} limit - Upcoming events shown per page (default 5).
 * @attr {"list"|"compact"|"cards"} layout - Layout of the upcoming events (default "list").
 * @attr {number} heading-level - Heading level of the group's name (default 2).
 * @attr {string} timezone - Zone standing for the viewer's (default: the browser's).
 * @attr {"light"|"dark"} theme - Force a color scheme.
 * @attr {string} lang - "en" or "fr" (default: the nearest `lang` of the page).
 *
 * @fires {CustomEvent<{event: EventJson}>} ev-select - An event link was activated (from the inner list); cancel it to handle navigation yourself.
 * @fires {CustomEvent<{url: string}>} ev-follow - The visitor's instance was found and its follow page opened.
 *
 * @csspart group - The whole article.
 * @csspart banner - The banner image.
 * @csspart header - Avatar, name and handle.
 * @csspart avatar - The avatar image.
 * @csspart name - The group's name (a heading).
 * @csspart handle - The group's fediverse handle.
 * @csspart description - The description.
 * @csspart section - Each section (events, resources, posts, follow).
 * @csspart section-title - A section's heading.
 * @csspart events - The inner ev-event-list (its parts are exported: list, item, date, title, link, meta, badge, more).
 * @csspart resources - The resources list.
 * @csspart posts - The posts list.
 * @csspart post - One post.
 * @csspart follow - The follow form.
 * @csspart input - The handle input.
 * @csspart follow-status - What happened after "Follow".
 * @csspart status - Loading and error messages.
 * @csspart button - Any button.
 *
 * @cssproperty [--ev-accent=#0a57c2 / #7fb2ff] - Links, buttons, focus ring.
 * @cssproperty [--ev-surface=#f6f8fa / #20242b] - The follow box.
 * @cssproperty [--ev-radius=8px] - Corner radius.
 * @cssproperty [--ev-font=inherit] - Font family (see ev-event-list for every token).
 */
export class EvGroup extends EvElement {
  static override styles = styles;
  static override properties = {
    group: { attribute: false },
    events: { attribute: false },
    handle: {},
    limit: { type: Number },
    layout: {},
    headingLevel: { type: Number, attribute: "heading-level" },
    webfingerUrl: { attribute: false },
    openUrl: { attribute: false },
    _follow: { state: true, attribute: false },
  };

  /** The group to show; set it to skip fetching the group. */
  declare group?: GroupData;
  /** Upcoming events to show; set it to skip fetching them. */
  declare events?: EventJson[];
  declare handle?: string;
  declare limit: number;
  declare layout: "list" | "compact" | "cards";
  declare headingLevel: number;
  /** Builds the WebFinger URL for a host (override in tests or behind a proxy). */
  declare webfingerUrl: WebfingerUrl;
  /** Opens the visitor's follow page (default: a new tab). */
  declare openUrl: OpenUrl;
  declare _follow: {
    kind: "idle" | "busy" | "bad" | "notfound" | "opened" | "blocked";
    host?: string;
  };

  #description: { html: string; node: HTMLDivElement } | null = null;
  #followAbort: AbortController | null = null;

  constructor() {
    super();
    this.limit = 5;
    this.layout = "list";
    this.headingLevel = 2;
    this.webfingerUrl = webfingerUrl;
    this.openUrl = openInNewTab;
    this._follow = { kind: "idle" };
  }

  #task = new Task(this, {
    task: async ([src, handle], { signal }) => {
      if (this.group || !hasSrc(src) || !handle) return initialState;
      return (await getGroup(this.base(src), handle, { signal })) as GroupData;
    },
    args: () => [this.group ? "" : this.src, this.handle] as const,
  });

  get current(): GroupData | undefined {
    return this.group ?? this.#task.value;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#followAbort?.abort();
  }

  async #follow(ev: SubmitEvent, g: GroupData): Promise<void> {
    ev.preventDefault();
    const input = (ev.currentTarget as HTMLFormElement).elements.namedItem(
      "handle",
    ) as HTMLInputElement;
    const who = parseHandle(input.value);
    if (!who) {
      this._follow = { kind: "bad" };
      input.focus();
      return;
    }
    this.#followAbort?.abort();
    const abort = new AbortController();
    this.#followAbort = abort;
    this._follow = { kind: "busy", host: who.host };
    let url: string | null = null;
    try {
      url = await subscribeUrl(who, g.handle, this.webfingerUrl, abort.signal);
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
    }
    if (!url) {
      this._follow = { kind: "notfound", host: who.host };
      return;
    }
    const opened = this.openUrl(url);
    this._follow = { kind: opened ? "opened" : "blocked", host: who.host };
    if (opened)
      this.dispatchEvent(
        new CustomEvent("ev-follow", { detail: { url }, bubbles: true, composed: true }),
      );
  }

  #descriptionNode(text: string): HTMLDivElement {
    if (this.#description?.html !== text) this.#description = { html: text, node: safeHtml(text) };
    return this.#description.node;
  }

  override render() {
    const g = this.current;
    if (!g) {
      if (this.group || !hasSrc(this.src) || !this.handle)
        return html`<p part="status" class="status">${this.common.noSource}</p>`;
      return this.#task.render({
        pending: () => this.loading(),
        error: (e) => this.failure(e, () => this.#task.run()),
      });
    }
    const t = this.strings(strings);
    const level = this.headingLevel;
    const banner = g.banner ? safeImageUrl(g.banner.url, this.src) : undefined;
    const avatar = g.avatar ? safeImageUrl(g.avatar.url, this.src) : undefined;
    const page = safeUrl(g.url);
    const handle = `@${g.handle}`;
    const section = (id: string, title: string, body: unknown, part = id) => html`
      <section part="section ${part}" class="section" aria-labelledby=${`${id}-title`}>
        <div part="section-title" class="section-title" id=${`${id}-title`} role="heading" aria-level=${level + 1}>${title}</div>
        ${body}
      </section>`;
    const resources = (g.resources ?? []).filter((r) => safeUrl(r.url));
    const posts = (g.posts ?? []).filter((p) => safeUrl(p.url));
    const date = dtf(this.locale, { dateStyle: "medium", timeZone: this.viewerZone });
    const fetchEvents = !this.events && hasSrc(this.src);
    return html`<article part="group" class="group">
      ${banner ? html`<img part="banner" class="banner" src=${banner} alt=${g.banner?.alt ?? ""} />` : nothing}
      <div part="header" class="header">
        ${avatar ? html`<img part="avatar" class="avatar" src=${avatar} alt=${g.avatar?.alt ?? ""} />` : nothing}
        <div>
          <div part="name" class="name" role="heading" aria-level=${level}>${page ? html`<a href=${page}>${g.name}</a>` : g.name}</div>
          <div part="handle" class="muted">${handle}</div>
        </div>
      </div>
      ${g.description ? this.#descriptionNode(g.description) : nothing}
      ${section(
        "events",
        t.upcoming,
        html`<ev-event-list part="events" exportparts="list,item,date,title,link,meta,badge,more"
          .src=${fetchEvents ? this.src : undefined} .group=${fetchEvents ? g.handle.split("@")[0] : undefined}
          .events=${this.events ?? (fetchEvents ? undefined : [])} .limit=${this.limit} .layout=${this.layout}
          .headingLevel=${level + 2} .timezone=${this.timezone} theme=${this.theme ?? nothing}></ev-event-list>`,
        "section-events",
      )}
      ${
        resources.length
          ? section(
              "resources",
              t.resources,
              html`<ul part="resources" class="resources" role="list">
                ${resources.map((r) => html`<li><a href=${safeUrl(r.url)!} rel="noopener noreferrer">${r.title}</a></li>`)}
              </ul>`,
              "section-resources",
            )
          : nothing
      }
      ${
        posts.length
          ? section(
              "posts",
              t.posts,
              html`<ul part="posts" class="posts" role="list">
                ${posts.map(
                  (p) => html`<li part="post" class="post">
                    <a href=${safeUrl(p.url)!}>${p.title || p.url}</a>
                    ${p.publishedAt && !Number.isNaN(Date.parse(p.publishedAt)) ? html` <time class="muted" datetime=${p.publishedAt}>${date.format(new Date(p.publishedAt))}</time>` : nothing}
                    ${p.content ? safeHtml(p.content, "post-content") : nothing}
                  </li>`,
                )}
              </ul>`,
              "section-posts",
            )
          : nothing
      }
      ${section("follow", t.follow, this.#followForm(g, t), "section-follow")}
    </article>`;
  }

  #followForm(g: GroupData, t: (typeof strings)["en"]) {
    const f = this._follow;
    const host = f.host ?? "";
    const message =
      f.kind === "busy"
        ? t.resolving
        : f.kind === "bad"
          ? t.badHandle
          : f.kind === "notfound"
            ? `${t.notFound(host)} ${t.manual(`@${g.handle}`)}`
            : f.kind === "opened"
              ? t.opened(host)
              : f.kind === "blocked"
                ? `${t.blocked(host)} ${t.manual(`@${g.handle}`)}`
                : "";
    const bad = f.kind === "bad" || f.kind === "notfound";
    return html`<form part="follow" class="follow" @submit=${(ev: SubmitEvent) => this.#follow(ev, g)}>
      <p class="muted" id="follow-help">${t.followHelp}</p>
      <label for="handle">${t.handleLabel}</label>
      <div class="row">
        <input part="input" id="handle" name="handle" required autocomplete="off" autocapitalize="off" spellcheck="false"
          placeholder=${t.placeholder} aria-describedby="follow-help follow-status" aria-invalid=${f.kind === "bad" ? "true" : "false"} />
        <button part="button" type="submit" ?disabled=${f.kind === "busy"}>${t.followButton}</button>
      </div>
      <p part="follow-status" id="follow-status" class=${bad ? "error" : "muted"} role="status">${message}</p>
    </form>`;
  }
}

define("ev-group", EvGroup);

declare global {
  interface HTMLElementTagNameMap {
    "ev-group": EvGroup;
  }
}
