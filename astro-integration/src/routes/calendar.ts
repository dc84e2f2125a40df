/** The site's iCalendar feed of every imported event. */

import { config, loadEvents } from "virtual:eventail/config";
import { toSiteCalendar } from "@eventail/sources";
import type { APIRoute } from "astro";

export const prerender = true;

export const GET: APIRoute = async ({ site, url }) => {
  const base = site ?? url;
  const body = toSiteCalendar(await loadEvents(), {
    name: config.calendarName,
    description: config.calendarDescription,
    url: new URL(config.eventsBase || "/", base).href,
    host: new URL(base).host,
  });
  return new Response(body, { headers: { "content-type": "text/calendar; charset=utf-8" } });
};
