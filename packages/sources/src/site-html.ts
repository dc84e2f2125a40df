/**
 * HTML for static-site pages, shared by the Astro components and the Eleventy templates so
 * both plugins render an event the same way: details in the event's own zone, schema.org
 * JSON-LD from core's `toJsonLd`, the live RSVP element, and the widgets script.
 */
import { type EventJson, escapeXml, formatAddress, formatWhen, toJsonLd } from "@eventail/core";
import type { SiteEvent } from "./site-events.ts";

/** Where the Eventail server serves the widget bundle. */
export function widgetsScriptUrl(server: string): string {
  return `${server.replace(/\/+$/, "")}/widgets/eventail.js`;
}

export function widgetsScriptHtml(src: string): string {
  return `<script type="module" src="${escapeXml(src)}"></script>`;
}

const USES_WIDGETS = /<ev-[a-z][a-z0-9-]*[\s>]/;

/**
 * Adds the widgets script to a page that holds an `ev-` element and lacks it. Browsers run a
 * module script once per URL, so a component that brought its own is harmless either way.
 */
export function insertWidgetsScript(html: string, src: string): string {
  if (!USES_WIDGETS.test(html) || html.includes(`src="${escapeXml(src)}"`)) return html;
  const tag = widgetsScriptHtml(src);
  const at = html.search(/<\/head>/i);
  if (at >= 0) return `${html.slice(0, at)}${tag}${html.slice(at)}`;
  const body = html.search(/<\/body>/i);
  return body >= 0 ? `${html.slice(0, body)}${tag}${html.slice(body)}` : `${html}${tag}`;
}

/** `<script type="application/ld+json">` for an event; `</script>` cannot break out of it. */
export function jsonLdScriptHtml(e: EventJson, pageUrl?: string): string {
  const data = toJsonLd(pageUrl ? { ...e, url: pageUrl } : e);
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<script type="application/ld+json">${json}</script>`;
}

/** Only events from an Eventail server take RSVPs through the live element. */
export function canRsvp(e: SiteEvent): boolean {
  return e.source.kind === "eventail" && e.rsvpOpen;
}

/** The live RSVP form (widgets' `ev-rsvp`), fetching the event from its server. */
export function rsvpHtml(e: SiteEvent): string {
  return `<ev-rsvp event-id="${escapeXml(e.id)}" src="${escapeXml(e.source.origin)}"></ev-rsvp>`;
}

export interface EventHtmlOptions {
  /** Locale for dates, e.g. "fr". Default "en". */
  locale?: string;
  /** Put the live RSVP form on events that take RSVPs. Default true. */
  rsvp?: boolean;
  /** Heading level of the title. Default 1. */
  headingLevel?: number;
}

const STATUS_NOTE: Partial<Record<EventJson["status"], string>> = {
  cancelled: "Cancelled",
  postponed: "Postponed",
  tentative: "To be confirmed",
};

/** The body of an event page: what, when (in the event's zone), where, description, links. */
export function eventDetailsHtml(e: SiteEvent, o: EventHtmlOptions = {}): string {
  const h = Math.min(6, Math.max(1, o.headingLevel ?? 1));
  const where = formatAddress(e.address);
  const note = STATUS_NOTE[e.status];
  const parts = [
    `<article class="ev-event" data-status="${e.status}">`,
    `<h${h}>${escapeXml(e.title)}</h${h}>`,
    note ? `<p class="ev-status"><strong>${note}</strong></p>` : "",
    `<p class="ev-when"><time datetime="${escapeXml(e.beginsAt)}">${escapeXml(formatWhen(e, o.locale ?? "en"))}</time></p>`,
    where ? `<p class="ev-where">${escapeXml(where)}</p>` : "",
    e.onlineUrl
      ? `<p class="ev-online"><a href="${escapeXml(e.onlineUrl)}" rel="nofollow noopener">Online</a></p>`
      : "",
    e.banner
      ? `<img class="ev-banner" src="${escapeXml(e.banner.url)}" alt="${escapeXml(e.banner.alt)}"${e.banner.width ? ` width="${e.banner.width}" height="${e.banner.height}"` : ""} loading="lazy">`
      : "",
    // Sanitized on import by every source adapter.
    e.description ? `<div class="ev-description">${e.description}</div>` : "",
    e.tags.length
      ? `<ul class="ev-tags">${e.tags.map((t) => `<li>#${escapeXml(t)}</li>`).join("")}</ul>`
      : "",
    `<p class="ev-links"><a href="${escapeXml(e.url)}">${escapeXml(e.source.kind === "eventail" ? "Event page" : `On ${new URL(e.url).host}`)}</a> · <a href="${escapeXml(e.icsUrl)}">Add to calendar</a></p>`,
    o.rsvp !== false && canRsvp(e) ? rsvpHtml(e) : "",
    "</article>",
  ];
  return parts.filter(Boolean).join("\n");
}

/** A plain list of events linking to their pages, for index and group pages. */
export function eventListHtml(
  events: readonly SiteEvent[],
  hrefOf: (e: SiteEvent) => string,
  locale = "en",
): string {
  if (!events.length) return `<p class="ev-empty">No upcoming events.</p>`;
  const items = events.map(
    (e) =>
      `<li class="ev-item" data-status="${e.status}"><a href="${escapeXml(hrefOf(e))}">${escapeXml(e.title)}</a> <time datetime="${escapeXml(e.beginsAt)}">${escapeXml(formatWhen(e, locale))}</time>${formatAddress(e.address) ? ` <span class="ev-where">${escapeXml(formatAddress(e.address))}</span>` : ""}</li>`,
  );
  return `<ul class="ev-list">\n${items.join("\n")}\n</ul>`;
}

/** Groups found in the events, by handle, for group pages. */
export function groupsOf(
  events: readonly SiteEvent[],
): Map<string, { group: NonNullable<EventJson["group"]>; events: SiteEvent[] }> {
  const out = new Map<string, { group: NonNullable<EventJson["group"]>; events: SiteEvent[] }>();
  for (const e of events) {
    if (!e.group) continue;
    const key = e.group.handle
      .split("@")[0]!
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "-");
    const entry = out.get(key) ?? { group: e.group, events: [] };
    entry.events.push(e);
    out.set(key, entry);
  }
  return out;
}

/** A minimal HTML document, for pages a site gives no layout of its own. */
export function pageHtml(title: string, body: string, lang = "en"): string {
  return `<!doctype html>
<html lang="${escapeXml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
