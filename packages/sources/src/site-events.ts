/**
 * What the static-site plugins hand to templates: each imported event with a stable, readable
 * slug for its page and the source it came from (so a page knows whether the live RSVP form
 * can answer for it: only events from an Eventail server can).
 */
import { createHash } from "node:crypto";
import { type EventJson, eventJsonSchema } from "@eventail/core";
import { z } from "zod";
import type { LoadResult, SourceKind } from "./source.ts";

export const sourceRefSchema = z.object({
  name: z.string(),
  kind: z.enum(["eventail", "mobilizon", "gancio", "ical", "activitypub"]),
  /** Base URL of the server, or the feed / actor URL. */
  origin: z.string(),
});

/** The entry schema of imported events: `EventJson` plus `slug` and `source`. */
export const siteEventSchema = eventJsonSchema.extend({
  slug: z.string(),
  source: sourceRefSchema,
});

export interface SourceRef {
  name: string;
  kind: SourceKind;
  origin: string;
}

export type SiteEvent = EventJson & { slug: string; source: SourceRef };

/** Unique within a source: an occurrence of a series has the series' id and its own start. */
export function eventKey(e: Pick<EventJson, "id" | "occurrence">): string {
  return e.occurrence ? `${e.id}@${e.occurrence}` : e.id;
}

/** "Fête du vélo à Lyon!" → "fete-du-velo-a-lyon". */
export function slugify(text: string, max = 60): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, max)
      .replace(/-+$/, "") || "event"
  );
}

/**
 * Title words for people, a short hash of source and key for uniqueness: stable across builds
 * as long as the title stays, and never colliding between sources.
 */
export function eventSlug(e: EventJson, sourceName: string): string {
  const hash = createHash("sha256")
    .update(`${sourceName}\n${eventKey(e)}`)
    .digest("hex");
  const date = e.beginsAt.slice(0, 10);
  return `${slugify(e.title)}-${date}-${hash.slice(0, 6)}`;
}

export function toSiteEvent(e: EventJson, source: SourceRef): SiteEvent {
  return { ...e, slug: eventSlug(e, source.name), source };
}

/**
 * Events of several load results, for pages: drafts and private events left out, sorted by
 * start. The same event reached twice through one source (overlapping pages) counts once.
 */
export function siteEvents(
  results: ReadonlyArray<Pick<LoadResult, "events"> & { source: SourceRef }>,
): SiteEvent[] {
  const seen = new Set<string>();
  const out: SiteEvent[] = [];
  for (const r of results)
    for (const e of r.events) {
      if (e.draft || e.visibility === "private") continue;
      const site = toSiteEvent(e, r.source);
      if (seen.has(site.slug)) continue;
      seen.add(site.slug);
      out.push(site);
    }
  return out.sort((a, b) => Date.parse(a.beginsAt) - Date.parse(b.beginsAt));
}
