/**
 * Server-rendered public pages: home, each event (schema.org JSON-LD + OpenGraph) and each
 * group or identity. No script, no third-party request; a strict CSP says so to browsers.
 */
import {
  type EventJson,
  escapeXml as esc,
  formatAddress,
  formatWhen,
  formatWhenWhere,
  htmlToText,
  toJsonLd,
} from "@eventail/core";
import type { Context, Hono } from "hono";
import { conditional, render } from "./cache.ts";
import type { Env } from "./env.ts";
import { eventCalendar } from "./feeds.ts";

const HTML = "text/html; charset=utf-8";
const PAGE_CACHE = "public, max-age=60";

const STYLE = `
:root{color-scheme:light dark;--accent:#3b5bdb;font-family:system-ui,sans-serif;line-height:1.5}
body{max-width:46rem;margin:0 auto;padding:1rem 1.25rem 4rem}
header.site{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid #8884;margin-bottom:1.5rem}
header.site a{color:inherit;text-decoration:none;font-weight:700}
a{color:var(--accent)} h1{line-height:1.2;margin:.2em 0}
.meta{color:#666} @media (prefers-color-scheme:dark){.meta{color:#aaa}:root{--accent:#91a7ff}}
.badge{display:inline-block;padding:.05em .5em;border-radius:1em;font-size:.8em;font-weight:600;background:#fde2e1;color:#a61e1e}
ul.events{list-style:none;padding:0} ul.events li{padding:.6rem 0;border-bottom:1px solid #8883}
img.banner{width:100%;height:auto;border-radius:.5rem}
img.avatar{width:6rem;height:6rem;border-radius:50%;object-fit:cover}
footer{margin-top:3rem;font-size:.85em}
`;

/** Scripts are off; JSON-LD is a data block and needs no script-src. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function layout(opts: {
  title: string;
  site: string;
  origin: string;
  head?: string;
  body: string;
  lang?: string;
}): string {
  return `<!doctype html>
<html lang="${esc(opts.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>${STYLE}</style>
<link rel="alternate" type="application/atom+xml" title="${esc(opts.site)}" href="${esc(opts.origin)}/events.atom">
${opts.head ?? ""}
</head>
<body>
<header class="site"><a href="/">${esc(opts.site)}</a><nav><a href="/events.ics">iCal</a> · <a href="/events.atom">Atom</a></nav></header>
<main>
${opts.body}
</main>
<footer class="meta">Powered by Eventail: community events, no tracking.</footer>
</body>
</html>`;
}

function htmlResponse(c: Context<Env>, body: string, cacheControl = PAGE_CACHE): Response {
  const res = conditional(c, render(body, HTML), cacheControl);
  res.headers.set("content-security-policy", CSP);
  return res;
}

function badges(e: EventJson): string {
  const b: string[] = [];
  if (e.status === "cancelled") b.push("Cancelled");
  if (e.status === "postponed") b.push("Postponed");
  if (e.status === "tentative") b.push("Tentative");
  if (e.remainingCapacity === 0) b.push("Full");
  return b.map((t) => `<span class="badge">${t}</span>`).join(" ");
}

function eventItem(e: EventJson): string {
  const where = formatAddress(e.address) || (e.onlineUrl ? "Online" : "");
  return `<li><a href="${esc(e.url)}"><strong>${esc(e.title)}</strong></a> ${badges(e)}<br><span class="meta">${esc(formatWhen(e))}${where ? ` · ${esc(where)}` : ""}</span></li>`;
}

function eventPage(e: EventJson, site: string, origin: string): string {
  const description = htmlToText(e.description).slice(0, 300);
  const og = [
    ["og:type", "website"],
    ["og:title", e.title],
    ["og:description", `${formatWhenWhere(e)}. ${description}`.slice(0, 300)],
    ["og:url", e.url],
    ["og:site_name", site],
    ...(e.banner
      ? [
          ["og:image", e.banner.url],
          ["og:image:alt", e.banner.alt],
        ]
      : []),
  ]
    .map(([p, v]) => `<meta property="${p}" content="${esc(v!)}">`)
    .join("\n");
  // "<" escaped so a title cannot close the data block.
  const jsonld = JSON.stringify(toJsonLd(e)).replace(/</g, "\\u003c");
  const head = `${og}
<meta name="description" content="${esc(description)}">
<link rel="canonical" href="${esc(e.url)}">
<link rel="alternate" type="text/calendar" href="${esc(e.icsUrl)}">
<script type="application/ld+json">${jsonld}</script>`;
  const place = formatAddress(e.address);
  const organizer = e.group ?? e.organizer;
  const body = `<article>
${e.banner ? `<img class="banner" src="${esc(e.banner.url)}" alt="${esc(e.banner.alt)}">` : ""}
<h1>${esc(e.title)}</h1>
<p>${badges(e)}</p>
<p><strong>When:</strong> ${esc(formatWhen(e))}</p>
${place ? `<p><strong>Where:</strong> ${esc(place)}</p>` : ""}
${e.onlineUrl ? `<p><strong>Online:</strong> <a href="${esc(e.onlineUrl)}" rel="nofollow noopener">${esc(e.onlineUrl)}</a></p>` : ""}
<p><strong>Organized by:</strong> <a href="${esc(organizer.url)}">${esc(organizer.name)}</a></p>
${e.capacity > 0 ? `<p><strong>Places:</strong> ${e.remainingCapacity} left of ${e.capacity}</p>` : ""}
${e.joinMode === "external" && e.externalUrl ? `<p><a href="${esc(e.externalUrl)}" rel="nofollow noopener">Register on the organizer's site</a></p>` : ""}
<div class="description">${e.description}</div>
<p><a href="${esc(e.icsUrl)}">Add to calendar (.ics)</a></p>
<p class="meta"><a href="/report?event=${encodeURIComponent(e.id)}" rel="nofollow">Report this event</a></p>
</article>`;
  return layout({ title: `${e.title} · ${site}`, site, origin, head, body, lang: e.language });
}

/** A public section of plain text written by the admins: escaped, one <p> per paragraph. */
function plainSection(title: string, id: string, text: string): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return "";
  return `<section id="${id}"><h2>${title}</h2>${paragraphs
    .map((p) => `<p>${esc(p).replace(/\n/g, "<br>")}</p>`)
    .join("")}</section>\n`;
}

export function pageRoutes(app: Hono<Env>): void {
  app.get("/", async (c) => {
    const s = c.get("services");
    const rendered = await s.cache.get("page:/", async () => {
      const settings = await s.settings.get();
      const page = await s.events.list({ limit: 50 });
      const events = await s.events.toJson(page.items);
      const body = `<h1>${esc(settings.name)}</h1><p>${esc(settings.description)}</p>
<h2>Upcoming events</h2>
${events.length ? `<ul class="events">${events.map(eventItem).join("\n")}</ul>` : "<p>No upcoming events yet.</p>"}
${plainSection("Rules", "rules", settings.rules)}${plainSection("Moderation", "moderation", settings.moderationPolicy)}`;
      return render(
        layout({ title: settings.name, site: settings.name, origin: s.config.origin, body }),
        HTML,
      );
    });
    const res = conditional(c, rendered, PAGE_CACHE);
    res.headers.set("content-security-policy", CSP);
    return res;
  });

  app.get("/events/:file", async (c) => {
    const s = c.get("services");
    const file = c.req.param("file");
    if (file.endsWith(".ics")) return eventCalendar(c, file.slice(0, -4));
    const rendered = await s.cache.get(`page:event:${file}`, async () => {
      const settings = await s.settings.get();
      const event = await s.events.oneToJson(await s.events.get(file));
      return render(eventPage(event, settings.name, s.config.origin), HTML);
    });
    const res = conditional(c, rendered, PAGE_CACHE);
    res.headers.set("content-security-policy", CSP);
    return res;
  });

  app.get("/:actor{@[a-z0-9_]+}", async (c) => {
    const s = c.get("services");
    const handle = c.req.param("actor").slice(1);
    const settings = await s.settings.get();
    const kind = await s.repos.actors.handleKind(handle);
    const actor =
      kind === "group" ? await s.groups.byHandle(handle) : await s.identities.byHandle(handle);
    const about = "description" in actor ? actor.description : esc(actor.bio);
    const page = await s.events.list({
      limit: 50,
      ...(kind === "group" ? { group: handle } : { organizer: handle }),
    });
    const events = await s.events.toJson(page.items);
    const ref = s.links.actorRef(actor);
    const avatar = actor.avatar
      ? { url: `${s.config.origin}${actor.avatar.path}`, alt: actor.avatar.alt }
      : null;
    const head = `<meta property="og:title" content="${esc(actor.name)}"><meta property="og:url" content="${esc(ref.url)}">${
      avatar
        ? `<meta property="og:image" content="${esc(avatar.url)}"><meta property="og:image:alt" content="${esc(avatar.alt)}">`
        : ""
    }
<link rel="alternate" type="text/calendar" href="${esc(ref.url)}/events.ics">
<link rel="alternate" type="application/atom+xml" href="${esc(ref.url)}/events.atom">
<script type="application/ld+json">${JSON.stringify({
      "@context": "https://schema.org",
      "@type": kind === "group" ? "Organization" : "Person",
      name: actor.name,
      url: ref.url,
      ...(avatar ? { image: avatar.url } : {}),
    }).replace(/</g, "\\u003c")}</script>`;
    const body = `${avatar ? `<img class="avatar" src="${esc(avatar.url)}" alt="${esc(avatar.alt)}">` : ""}<h1>${esc(actor.name)}</h1><p class="meta">@${esc(ref.handle)}</p>
<div>${about}</div>
<p><a href="${esc(ref.url)}/events.ics">Subscribe (iCal)</a> · <a href="${esc(ref.url)}/events.atom">Atom feed</a></p>
<h2>Upcoming events</h2>
${events.length ? `<ul class="events">${events.map(eventItem).join("\n")}</ul>` : "<p>No upcoming events.</p>"}
<p class="meta"><a href="/report?actor=${encodeURIComponent(handle)}" rel="nofollow">Report ${kind === "group" ? "this group" : "this profile"}</a></p>`;
    return htmlResponse(
      c,
      layout({
        title: `${actor.name} · ${settings.name}`,
        site: settings.name,
        origin: s.config.origin,
        head,
        body,
      }),
    );
  });

  app.get("/media/:file", async (c) => {
    const s = c.get("services");
    const found = await s.media.read(c.req.param("file"));
    if (!found) return c.notFound();
    return new Response(new Uint8Array(found.bytes), {
      headers: {
        "content-type": found.mediaType,
        "cache-control": "public, max-age=31536000, immutable",
        "content-security-policy": "default-src 'none'",
      },
    });
  });
}
