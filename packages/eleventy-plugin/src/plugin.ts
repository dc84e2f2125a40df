/**
 * Eleventy 3 plugin: imported events as global data and a collection, one page per event with
 * JSON-LD, group pages, an iCal file, filters and shortcodes for dates in the event's zone and
 * for widgets, the widgets script on pages that use them, and publishing of the site's own
 * Markdown events before each build.
 */
import { resolve } from "node:path";
import { dateTimeFormat, escapeXml, formatWhen, widgetElementHtml } from "@eventail/core";
import { type PublishLogger, publishSiteEvents, type SitePublishOptions } from "@eventail/publish";
import {
  type EventSource,
  eventDetailsHtml,
  eventListHtml,
  groupsOf,
  insertWidgetsScript,
  jsonLdScriptHtml,
  type LoadResult,
  loadSource,
  loadSummary,
  pageHtml,
  rsvpHtml,
  type SiteEvent,
  siteEvents,
  toSiteCalendar,
  widgetsScriptHtml,
  widgetsScriptUrl,
} from "@eventail/sources";
import { assetCache, recentEvents, rememberEvents } from "./asset-cache.ts";

export interface EventailPluginOptions {
  sources: EventSource[];
  /** Base URL of the Eventail server: widgets script and default publishing target. */
  server?: string;
  /** Name of the global data and of the collection. Default "eventail" / "events". */
  dataKey?: string;
  collection?: string;
  /** Where eleventy-fetch keeps its cache. Default ".cache". */
  cacheDirectory?: string;
  /** Skip the network for a source fetched this recently ("1h"); "0s" revalidates every build. */
  duration?: string;
  /** Event pages at `${eventsBase}/<slug>/` and a list at `eventsBase`; false: none. */
  eventsBase?: string | false;
  groupsBase?: string | false;
  calendarPath?: string | false;
  calendar?: { name?: string; description?: string };
  /** The site's public URL ("https://ngo.example.org/"): page URLs in JSON-LD, the feed's URL. */
  siteUrl?: string;
  /** Layout for the generated pages (gets `title` and `content`); default: a minimal page. */
  layout?: string;
  /** URL of the widgets bundle; false: never added. Default `${server}/widgets/eventail.js`. */
  widgetsScript?: string | false;
  rsvp?: boolean;
  locale?: string;
  publish?: SitePublishOptions;
  /** Progress messages; default: Eleventy's logger. */
  logger?: PublishLogger;
}

/** What templates get under `eventail` (or `dataKey`). */
export interface EventailData {
  events: SiteEvent[];
  groups: Array<{ key: string; group: NonNullable<SiteEvent["group"]>; events: SiteEvent[] }>;
  results: Array<Pick<LoadResult, "source" | "kind" | "status" | "warnings"> & { count: number }>;
}

/** The subset of Eleventy's UserConfig used here (Eleventy ships no TypeScript types). */
export interface EleventyConfigLike {
  addGlobalData(name: string, data: () => Promise<unknown>): unknown;
  addCollection(name: string, fn: () => unknown): unknown;
  addTemplate(path: string, content: unknown, data?: object): unknown;
  addFilter(name: string, fn: (...args: never[]) => unknown): unknown;
  addShortcode(name: string, fn: (...args: never[]) => unknown): unknown;
  addTransform(
    name: string,
    fn: (this: { page?: { outputPath?: string | false } }, content: string) => unknown,
  ): unknown;
  on(event: string, fn: (arg: { runMode?: string }) => unknown): unknown;
  logger?: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

const trim = (p: string) => `/${p.replace(/^\/+|\/+$/g, "")}`;

export function eventailPlugin(
  eleventyConfig: EleventyConfigLike,
  options: EventailPluginOptions,
): void {
  const key = options.dataKey ?? "eventail";
  const cacheDir = options.cacheDirectory ?? ".cache";
  const duration = options.duration ?? "0s";
  const locale = options.locale ?? "en";
  const eventsBase = options.eventsBase === false ? null : trim(options.eventsBase ?? "/events");
  const groupsBase = options.groupsBase === false ? null : trim(options.groupsBase ?? "/groups");
  const calendarPath =
    options.calendarPath === false ? null : (options.calendarPath ?? "/events.ics");
  const script =
    options.widgetsScript === false
      ? null
      : (options.widgetsScript ?? (options.server ? widgetsScriptUrl(options.server) : null));
  const log: PublishLogger = options.logger ?? {
    info: (m) => (eleventyConfig.logger ?? console).info(`[eventail] ${m}`),
    warn: (m) => (eleventyConfig.logger ?? console).warn(`[eventail] ${m}`),
    error: (m) => (eleventyConfig.logger ?? console).error(`[eventail] ${m}`),
  };
  const href = (e: SiteEvent) => `${eventsBase ?? ""}/${e.slug}/`;

  // Loaded once per build, by whichever of data, collection or templates asks first.
  let loading: Promise<EventailData> | null = null;
  const load = (): Promise<EventailData> => {
    loading ??= loadAll();
    return loading;
  };

  async function loadAll(): Promise<EventailData> {
    const cache = assetCache(cacheDir);
    const results: EventailData["results"] = [];
    const loaded = [];
    for (const source of options.sources) {
      const ref = { name: source.name, kind: source.kind, origin: source.origin };
      const recent = recentEvents(cacheDir, source.name, duration);
      if (recent) {
        loaded.push({ events: recent, source: ref });
        results.push({
          source: source.name,
          kind: source.kind,
          status: "unchanged",
          warnings: [],
          count: recent.length,
        });
        log.info(
          `${source.name}: fetched less than ${duration} ago, ${recent.length} events from the cache`,
        );
        continue;
      }
      const r = await loadSource(source, { cache, onWarning: (w) => log.warn(w) });
      if (r.status === "fetched" || r.status === "unchanged")
        await rememberEvents(cacheDir, source.name, r.events);
      loaded.push({ events: r.events, source: ref });
      results.push({
        source: r.source,
        kind: r.kind,
        status: r.status,
        warnings: r.warnings,
        count: r.events.length,
      });
      log.info(`${source.name}: ${r.status}, ${r.events.length} events`);
    }
    const events = siteEvents(loaded);
    log.info(loadSummary(results, events.length));
    const groups = [...groupsOf(events)].map(([k, g]) => ({ key: k, ...g }));
    return { events, groups, results };
  }

  eleventyConfig.addGlobalData(key, load);
  eleventyConfig.addCollection(options.collection ?? "events", async () => (await load()).events);

  const page = (title: string, body: string) =>
    options.layout ? body : pageHtml(title, body, locale.split("-")[0]);
  const layout = options.layout ? { layout: options.layout } : {};

  if (eventsBase) {
    eleventyConfig.addTemplate("eventail/event.11ty.js", {
      data: {
        ...layout,
        pagination: {
          data: `${key}.events`,
          size: 1,
          alias: "event",
          addAllPagesToCollections: false,
        },
        permalink: (data: { event: SiteEvent }) => href(data.event),
        eleventyComputed: { title: (data: { event: SiteEvent }) => data.event.title },
        eleventyExcludeFromCollections: true,
      },
      render: ({ event, page: p }: { event: SiteEvent; page: { url: string } }) => {
        const pageUrl = options.siteUrl ? new URL(p.url, options.siteUrl).href : undefined;
        return page(
          event.title,
          `${jsonLdScriptHtml(event, pageUrl)}\n${eventDetailsHtml(event, { locale, rsvp: options.rsvp ?? true })}`,
        );
      },
    });
    eleventyConfig.addTemplate("eventail/events.11ty.js", {
      data: {
        ...layout,
        permalink: `${eventsBase}/`,
        title: options.calendar?.name ?? "Events",
        eleventyExcludeFromCollections: true,
      },
      render: (data: Record<string, EventailData>) => {
        const title = options.calendar?.name ?? "Events";
        const feed = calendarPath
          ? `<p><a href="${escapeXml(calendarPath)}">Subscribe (iCalendar)</a></p>\n`
          : "";
        return page(
          title,
          `<h1>${escapeXml(title)}</h1>\n${feed}${eventListHtml(data[key]!.events, href, locale)}`,
        );
      },
    });
  }
  if (groupsBase)
    eleventyConfig.addTemplate("eventail/group.11ty.js", {
      data: {
        ...layout,
        pagination: {
          data: `${key}.groups`,
          size: 1,
          alias: "entry",
          addAllPagesToCollections: false,
        },
        permalink: (data: { entry: EventailData["groups"][number] }) =>
          `${groupsBase}/${data.entry.key}/`,
        eleventyComputed: {
          title: (data: { entry: EventailData["groups"][number] }) => data.entry.group.name,
        },
        eleventyExcludeFromCollections: true,
      },
      render: ({ entry }: { entry: EventailData["groups"][number] }) =>
        page(
          entry.group.name,
          `<h1>${escapeXml(entry.group.name)}</h1>\n<p><a href="${escapeXml(entry.group.url)}">@${escapeXml(entry.group.handle)}</a></p>\n${eventListHtml(entry.events, href, locale)}`,
        ),
    });
  if (calendarPath)
    eleventyConfig.addTemplate("eventail/calendar.11ty.js", {
      data: { permalink: calendarPath, eleventyExcludeFromCollections: true },
      render: (data: Record<string, EventailData>) => {
        const url = options.siteUrl ?? "http://localhost/";
        return toSiteCalendar(data[key]!.events, {
          name: options.calendar?.name ?? "Events",
          description: options.calendar?.description ?? "",
          url: new URL(eventsBase ?? "/", url).href,
          host: new URL(url).host,
        });
      },
    });

  // Dates in the event's own zone, whatever the machine's.
  eleventyConfig.addFilter("eventWhen", (event: SiteEvent, loc?: string) =>
    formatWhen(event, loc ?? locale),
  );
  eleventyConfig.addFilter(
    "eventDate",
    (event: SiteEvent, style?: "full" | "long" | "medium" | "short", loc?: string) =>
      dateTimeFormat(loc ?? locale, {
        timeZone: event.timezone,
        dateStyle: style ?? "long",
      }).format(new Date(event.beginsAt)),
  );
  eleventyConfig.addFilter("eventTime", (event: SiteEvent, loc?: string) =>
    dateTimeFormat(loc ?? locale, {
      timeZone: event.timezone,
      timeStyle: "short",
      hourCycle: "h23",
    }).format(new Date(event.beginsAt)),
  );
  eleventyConfig.addFilter("eventJsonLd", (event: SiteEvent) => jsonLdScriptHtml(event));
  eleventyConfig.addShortcode("eventailScript", () => (script ? widgetsScriptHtml(script) : ""));
  eleventyConfig.addShortcode("eventailRsvp", (event: SiteEvent) => rsvpHtml(event));
  /** `{% eventailWidget "event-list", { group: "climate_lyon" } %}` → `<ev-event-list src=… group=…>`. */
  eleventyConfig.addShortcode(
    "eventailWidget",
    (name: string, attributes?: Record<string, string | number>) =>
      widgetElementHtml(name, {
        ...(options.server ? { src: options.server } : {}),
        ...(attributes ?? {}),
      }),
  );
  if (script)
    eleventyConfig.addTransform("eventail-widgets", function (content: string) {
      const out = this.page?.outputPath;
      return typeof out === "string" && out.endsWith(".html")
        ? insertWidgetsScript(content, script)
        : content;
    });

  eleventyConfig.on("eleventy.before", async ({ runMode }) => {
    loading = null; // a new build (watch mode) reads the sources again
    const p = options.publish;
    if (!p || runMode !== "build") return;
    await publishSiteEvents(p, {
      server: options.server,
      resolve: (path) => resolve(path),
      logger: log,
    });
  });
}
