/**
 * `eventail()`: event pages with JSON-LD, group pages, an iCal feed, the widgets script where
 * `ev-` elements are used, and, at build time, publishing of the site's own Markdown events.
 */
import { fileURLToPath } from "node:url";
import { publishSiteEvents, type SitePublishOptions } from "@eventail/publish";
import { widgetsScriptUrl } from "@eventail/sources";
import type { AstroIntegration } from "astro";
import { type RuntimeConfig, virtualConfigPlugin } from "./virtual-config.ts";

export interface EventailOptions {
  /** Base URL of the Eventail server: widgets script and default publishing target. */
  server?: string;
  /** Collection holding the events (defined with `eventsLoader`). Default "events". */
  collection?: string;
  /** Event pages at `${eventsBase}/[slug]` and a list at `eventsBase`; false: none. Default "/events". */
  eventsBase?: string | false;
  /** Group pages at `${groupsBase}/[group]`; false: none. Default "/groups". */
  groupsBase?: string | false;
  /** The site's iCalendar feed; false: none. Default "/events.ics". */
  calendarPath?: string | false;
  calendar?: { name?: string; description?: string };
  /** Layout component for the injected pages, relative to the root; it gets `title` and a slot. */
  layout?: string;
  /** URL of the widgets bundle; false: never add it. Default `${server}/widgets/eventail.js`. */
  widgetsScript?: string | false;
  /** Live RSVP form on pages of events that take RSVPs. Default true. */
  rsvp?: boolean;
  /** Locale of dates on the pages. Default "en". */
  locale?: string;
  publish?: SitePublishOptions;
}

const trim = (p: string) => `/${p.replace(/^\/+|\/+$/g, "")}`;

export function eventail(options: EventailOptions = {}): AstroIntegration {
  let command = "dev";
  return {
    name: "@eventail/astro",
    hooks: {
      "astro:config:setup": ({
        command: cmd,
        config,
        injectRoute,
        updateConfig,
        addMiddleware,
      }) => {
        command = cmd;
        const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
        const runtime: RuntimeConfig = {
          collection: options.collection ?? "events",
          eventsBase: options.eventsBase === false ? "" : trim(options.eventsBase ?? "/events"),
          groupsBase: options.groupsBase === false ? null : trim(options.groupsBase ?? "/groups"),
          calendarPath:
            options.calendarPath === false ? null : (options.calendarPath ?? "/events.ics"),
          widgetsScript:
            options.widgetsScript === false
              ? null
              : (options.widgetsScript ??
                (options.server ? widgetsScriptUrl(options.server) : null)),
          rsvp: options.rsvp ?? true,
          locale: options.locale ?? "en",
          calendarName: options.calendar?.name ?? "Events",
          calendarDescription: options.calendar?.description ?? "",
        };
        const layout = options.layout
          ? fileURLToPath(new URL(options.layout, config.root))
          : here("./components/DefaultLayout.astro");
        updateConfig({ vite: { plugins: [virtualConfigPlugin(runtime, layout)] } });
        if (options.eventsBase !== false) {
          injectRoute({
            pattern: runtime.eventsBase,
            entrypoint: here("./routes/events.astro"),
            prerender: true,
          });
          injectRoute({
            pattern: `${runtime.eventsBase}/[slug]`,
            entrypoint: here("./routes/event.astro"),
            prerender: true,
          });
        }
        if (runtime.groupsBase)
          injectRoute({
            pattern: `${runtime.groupsBase}/[group]`,
            entrypoint: here("./routes/group.astro"),
            prerender: true,
          });
        if (runtime.calendarPath)
          injectRoute({
            pattern: runtime.calendarPath,
            entrypoint: here("./routes/calendar.ts"),
            prerender: true,
          });
        if (runtime.widgetsScript)
          addMiddleware({ order: "post", entrypoint: here("./middleware.ts") });
      },

      // Before content sync, so events published now are imported by the same build.
      "astro:config:done": async ({ config, logger }) => {
        const p = options.publish;
        if (!p || command !== "build") return;
        await publishSiteEvents(p, {
          server: options.server,
          resolve: (path) => fileURLToPath(new URL(path, config.root)),
          logger: logger.fork("eventail:publish"),
        });
      },
    },
  };
}
