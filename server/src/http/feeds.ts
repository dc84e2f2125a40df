/**
 * iCalendar and Atom feeds for the instance, each group, each identity and each event.
 * Rendered once per change and served with ETag/304.
 */
import { type EventJson, toAtom } from "@eventail/core";
import type { Context, Hono } from "hono";
import { icalWriter } from "../lazy.ts";
import type { Services } from "../services.ts";
import { conditional, render } from "./cache.ts";
import type { Env } from "./env.ts";

const ICS = "text/calendar; charset=utf-8";
const ATOM = "application/atom+xml; charset=utf-8";
const FEED_CACHE = "public, max-age=300";

async function scopeOf(s: Services, handle: string | undefined) {
  const settings = await s.settings.get();
  if (!handle)
    return {
      name: settings.name,
      description: settings.description,
      url: s.config.origin,
      filter: {},
    };
  const kind = await s.repos.actors.handleKind(handle);
  if (kind === "group") {
    const g = await s.groups.byHandle(handle);
    return {
      name: `${g.name} · ${settings.name}`,
      description: "",
      url: s.links.actorUrl(g.handle),
      filter: { group: g.handle },
    };
  }
  const i = await s.identities.byHandle(handle);
  return {
    name: `${i.name} · ${settings.name}`,
    description: i.bio,
    url: s.links.actorUrl(i.handle),
    filter: { organizer: i.handle },
  };
}

export async function icalendar(
  s: Services,
  events: EventJson[],
  info: { name: string; description?: string; url: string },
): Promise<string> {
  const { toICalendar } = await icalWriter();
  return toICalendar(events, { ...info, host: s.links.host });
}

async function calendarFeed(c: Context<Env>, handle?: string): Promise<Response> {
  const s = c.get("services");
  const rendered = await s.cache.get(`ics:${handle ?? ""}`, async () => {
    const scope = await scopeOf(s, handle);
    const events = await s.events.toJson(await s.events.forCalendar(scope.filter));
    return render(await icalendar(s, events, scope), ICS);
  });
  return conditional(c, rendered, FEED_CACHE);
}

async function atomFeed(c: Context<Env>, handle?: string): Promise<Response> {
  const s = c.get("services");
  const rendered = await s.cache.get(`atom:${handle ?? ""}`, async () => {
    const scope = await scopeOf(s, handle);
    const page = await s.events.list({ ...scope.filter, limit: 100 });
    const events = await s.events.toJson(page.items);
    const self = `${handle ? s.links.actorUrl(handle) : s.config.origin}/events.atom`;
    return render(
      toAtom(events, {
        id: self,
        title: scope.name,
        subtitle: scope.description || undefined,
        url: scope.url,
      }),
      ATOM,
    );
  });
  return conditional(c, rendered, FEED_CACHE);
}

export async function eventCalendar(c: Context<Env>, id: string): Promise<Response> {
  const s = c.get("services");
  const rendered = await s.cache.get(`ics-event:${id}`, async () => {
    const event = await s.events.oneToJson(await s.events.get(id));
    return render(await icalendar(s, [event], { name: event.title, url: event.url }), ICS);
  });
  const res = conditional(c, rendered, FEED_CACHE);
  res.headers.set("content-disposition", `inline; filename="${id}.ics"`);
  return res;
}

export function feedRoutes(app: Hono<Env>): void {
  app.get("/events.ics", (c) => calendarFeed(c));
  app.get("/events.atom", (c) => atomFeed(c));
  app.get("/:actor{@[a-z0-9_]+}/events.ics", (c) => calendarFeed(c, c.req.param("actor").slice(1)));
  app.get("/:actor{@[a-z0-9_]+}/events.atom", (c) => atomFeed(c, c.req.param("actor").slice(1)));
}
