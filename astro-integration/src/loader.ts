/**
 * Content Layer loader: imports events from one or more sources into a collection of typed
 * entries (`siteEventSchema`: EventJson plus `slug` and `source`), keyed by slug. Conditional
 * requests use the loader's `meta` store, so an unchanged source is not downloaded again; a
 * source that is down keeps its cached events (with a warning).
 */
import {
  type EventSource,
  type LoadResult,
  loadSource,
  loadSummary,
  siteEventSchema,
  siteEvents,
} from "@eventail/sources";
import type { Loader } from "astro/loaders";
import { metaCache } from "./meta-cache.ts";

export interface EventsLoaderOptions {
  /** One source or several (their events share the collection). */
  source: EventSource | EventSource[];
}

export function eventsLoader(options: EventsLoaderOptions): Loader {
  const sources = Array.isArray(options.source) ? options.source : [options.source];
  return {
    name: "eventail-events",
    schema: siteEventSchema,
    async load({ store, meta, logger, parseData, generateDigest }) {
      const cache = metaCache(meta);
      const results: LoadResult[] = [];
      for (const source of sources) {
        const result = await loadSource(source, { cache, onWarning: (w) => logger.warn(w) });
        results.push(result);
        logger.info(`${source.name}: ${result.status}, ${result.events.length} events`);
      }
      const events = siteEvents(
        results.map((r, i) => ({
          events: r.events,
          source: { name: sources[i]!.name, kind: sources[i]!.kind, origin: sources[i]!.origin },
        })),
      );
      const keep = new Set<string>();
      for (const event of events) {
        const data = await parseData({ id: event.slug, data: { ...event } });
        store.set({ id: event.slug, data, digest: generateDigest(data) });
        keep.add(event.slug);
      }
      for (const id of store.keys()) if (!keep.has(id)) store.delete(id);
      logger.info(loadSummary(results, events.length));
    },
  };
}
