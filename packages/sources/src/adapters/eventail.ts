/** Eventail server: the public REST listing, following `next` cursors. */
import type { Category, EventJson, EventStatus } from "@eventail/core";
import { eventJsonSchema } from "@eventail/core";
import { sanitizeDescription } from "@eventail/core/sanitize";
import { z } from "zod";
import { checkEvent, hostOf, mapAll, parseRecord, rawId } from "../mapping.ts";
import type { EventSource, SourceOptions } from "../source.ts";

export interface EventailSourceOptions extends SourceOptions {
  /** Base URL of the server, e.g. "https://events.example.org". */
  server: string;
  group?: string;
  organizer?: string;
  tag?: string;
  category?: Category;
  status?: EventStatus;
  /** Window of the listing (default: the server's, from now). */
  from?: Date;
  to?: Date;
  /** Page size, 1 to 100. Default 100. */
  pageSize?: number;
  /** Stop after this many pages. Default 100. */
  maxPages?: number;
}

const pageSchema = z.object({ items: z.array(z.unknown()), next: z.string().nullable() });

export function eventailSource(opts: EventailSourceOptions): EventSource {
  const server = opts.server.replace(/\/+$/, "");
  const name = opts.name ?? `eventail:${hostOf(server)}`;
  return {
    name,
    kind: "eventail",
    origin: server,
    options: opts,
    async load(run) {
      const events: EventJson[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < (opts.maxPages ?? 100); page++) {
        const url = new URL(`${server}/api/v1/events`);
        const params: Record<string, string | undefined> = {
          group: opts.group,
          organizer: opts.organizer,
          tag: opts.tag,
          category: opts.category,
          status: opts.status,
          from: opts.from?.toISOString(),
          to: opts.to?.toISOString(),
          limit: String(opts.pageSize ?? 100),
          cursor: cursor ?? undefined,
        };
        for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
        const body = parseRecord(pageSchema, await run.fetcher.getJson(url.href), name, undefined);
        events.push(
          ...mapAll(
            body.items,
            (raw) => {
              const e = parseRecord(eventJsonSchema, raw, name, rawId(raw, "id")) as EventJson;
              // Another server's HTML is sanitized here too: this site trusts no peer.
              return checkEvent({ ...e, description: sanitizeDescription(e.description) }, name);
            },
            opts,
            run,
          ),
        );
        cursor = body.next;
        if (!cursor) break;
      }
      if (cursor) run.warn(`stopped after ${opts.maxPages ?? 100} pages; more events exist`);
      return events;
    },
  };
}
