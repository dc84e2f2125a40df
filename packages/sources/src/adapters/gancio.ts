/**
 * Gancio through its read API: `/api/events` for the listing (no descriptions there), then
 * `/api/event/detail/:slug` for each event's description. Gancio stores no zone per event: the
 * instance's zone comes from NodeInfo (`metadata.nodeTimezone`) unless `timezone` is given.
 */
import {
  type ActorRef,
  attendanceMode,
  DEFAULT_CATEGORY,
  type EventJson,
  normalizeTag,
} from "@eventail/core";
import { sanitizeDescription, toPlainText } from "@eventail/core/sanitize";
import { z } from "zod";
import {
  checkEvent,
  compactAddress,
  hostOf,
  httpUrlOrNull,
  isoUtc,
  mapAll,
  mapLimit,
  mediaTypeOf,
  parseRecord,
  pickZone,
  rawId,
  zoned,
} from "../mapping.ts";
import type { EventSource, SourceOptions, SourceRun } from "../source.ts";

export interface GancioSourceOptions extends SourceOptions {
  /** Base URL of the instance, e.g. "https://gancio.example". */
  instance: string;
  /** Only events with one of these tags. */
  tags?: string[];
  /** Only events at one of these place ids. */
  places?: number[];
  /** Listing window start (default: now, Gancio's own default). */
  start?: Date;
  end?: Date;
  /** Fetch each event's detail for its description. Default true. */
  details?: boolean;
  /** The instance's IANA zone; default: read from NodeInfo. */
  timezone?: string;
  /** Language of the instance's events. Default "und" (unknown). */
  language?: string;
}

const gancioEventSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  slug: z.string().min(1),
  description: z.string().nullish(),
  start_datetime: z.number(),
  end_datetime: z.number().nullish(),
  updatedAt: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  online_locations: z.array(z.string()).nullish(),
  media: z
    .array(
      z.object({
        url: z.string(),
        name: z.string().nullish(),
        width: z.number().nullish(),
        height: z.number().nullish(),
      }),
    )
    .nullish(),
  place: z
    .object({
      id: z.number().nullish(),
      name: z.string(),
      address: z.string().nullish(),
      latitude: z.number().nullish(),
      longitude: z.number().nullish(),
    })
    .nullish(),
});
type GancioEvent = z.output<typeof gancioEventSchema>;

const nodeInfoLinksSchema = z.object({
  links: z.array(z.object({ rel: z.string(), href: z.string() })),
});
const nodeInfoSchema = z.object({
  metadata: z
    .object({ nodeTimezone: z.string().nullish(), nodeName: z.string().nullish() })
    .nullish(),
});

export function gancioSource(opts: GancioSourceOptions): EventSource {
  const instance = opts.instance.replace(/\/+$/, "");
  const host = hostOf(instance);
  const name = opts.name ?? `gancio:${host}`;

  async function nodeInfo(run: SourceRun): Promise<{ zone?: string; title?: string }> {
    const links = parseRecord(
      nodeInfoLinksSchema,
      await run.fetcher.getJson(`${instance}/.well-known/nodeinfo`),
      name,
      undefined,
    );
    const link = links.links.filter((l) => l.rel.includes("nodeinfo.diaspora.software")).at(-1);
    if (!link) return {};
    const info = parseRecord(nodeInfoSchema, await run.fetcher.getJson(link.href), name, undefined);
    return {
      zone: info.metadata?.nodeTimezone ?? undefined,
      title: info.metadata?.nodeName ?? undefined,
    };
  }

  return {
    name,
    kind: "gancio",
    origin: instance,
    options: opts,
    async load(run) {
      const info = opts.timezone ? {} : await nodeInfo(run);
      let zone = pickZone(opts.timezone, info.zone);
      if (!zone) {
        run.warn("the instance names no time zone; times are shown in UTC (set `timezone`)");
        zone = "UTC";
      }
      const instanceActor: ActorRef = {
        id: `${instance}/federation/u/relay`,
        handle: `relay@${host}`,
        name: info.title ?? host,
        url: instance,
      };

      const url = new URL(`${instance}/api/events`);
      url.searchParams.set("start", String(Math.floor((opts.start ?? run.now).getTime() / 1000)));
      if (opts.end) url.searchParams.set("end", String(Math.floor(opts.end.getTime() / 1000)));
      if (opts.tags?.length) url.searchParams.set("tags", opts.tags.join(","));
      if (opts.places?.length) url.searchParams.set("places", opts.places.join(","));
      const list = parseRecord(
        z.array(z.unknown()),
        await run.fetcher.getJson(url.href),
        name,
        undefined,
      );

      const complete =
        opts.details === false
          ? list
          : await mapLimit(list, 4, async (raw) => {
              const slug = rawId(raw, "slug");
              if (!slug) return raw;
              try {
                const detail = await run.fetcher.getJson(
                  `${instance}/api/event/detail/${encodeURIComponent(slug)}`,
                );
                return { ...(raw as object), ...(detail as object) };
              } catch (e) {
                run.warn(`event ${slug}: no detail (${(e as Error).message}); listing data kept`);
                return raw;
              }
            });

      const toEventJson = (raw: unknown): EventJson => {
        const g: GancioEvent = parseRecord(gancioEventSchema, raw, name, rawId(raw, "id", "slug"));
        const ctx = { source: name, event: String(g.id) };
        const onlineUrl = httpUrlOrNull(g.online_locations?.[0]);
        const p = g.place;
        // Gancio files online-only events under a place literally named "online".
        const physical = p && !(onlineUrl && p.name.trim().toLowerCase() === "online");
        const address = physical
          ? compactAddress({
              venue: p.name,
              street: p.address && p.address !== p.name ? p.address : undefined,
              ...(p.latitude != null && p.longitude != null
                ? { latitude: p.latitude, longitude: p.longitude }
                : {}),
            })
          : null;
        const media = g.media?.[0];
        const bannerUrl = media ? new URL(`/media/${media.url}`, `${instance}/`).href : null;
        const beginsAt = zoned(g.start_datetime * 1000, zone, { ...ctx, field: "start_datetime" });
        const updated = isoUtc(g.updatedAt, isoUtc(g.start_datetime * 1000, ""));
        return checkEvent(
          {
            id: String(g.id),
            url: `${instance}/event/${g.slug}`,
            icsUrl: `${instance}/api/event/detail/${g.slug}.ics`,
            title: toPlainText(g.title),
            description: sanitizeDescription(g.description ?? ""),
            beginsAt,
            endsAt: g.end_datetime
              ? zoned(g.end_datetime * 1000, zone, { ...ctx, field: "end_datetime" })
              : null,
            timezone: zone,
            allDay: false,
            attendanceMode: attendanceMode({ address, onlineUrl }),
            address,
            onlineUrl,
            category: DEFAULT_CATEGORY,
            tags: [...new Set((g.tags ?? []).map(normalizeTag).filter(Boolean))],
            language: opts.language ?? "und",
            banner:
              media && bannerUrl
                ? {
                    url: bannerUrl,
                    alt: media.name ?? "",
                    mediaType: mediaTypeOf(media.url),
                    ...(media.width && media.height
                      ? { width: media.width, height: media.height }
                      : {}),
                  }
                : null,
            visibility: "public",
            status: "confirmed",
            draft: false,
            publishAt: null,
            // Gancio takes no registrations: people just come.
            joinMode: "free",
            externalUrl: null,
            capacity: 0,
            participantCount: 0,
            rsvpOpen: false,
            remainingCapacity: null,
            organizer: instanceActor,
            group: null,
            recurrence: null,
            sequence: 0,
            createdAt: updated,
            updatedAt: updated,
          },
          name,
        );
      };
      return mapAll(complete, toEventJson, opts, run);
    },
  };
}
