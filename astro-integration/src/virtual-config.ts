/**
 * `virtual:eventail/config`: what the injected pages need at build time (options, the
 * site's layout component, the imported events), handed over as a Vite virtual module.
 */
export const VIRTUAL_ID = "virtual:eventail/config";
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export interface RuntimeConfig {
  collection: string;
  eventsBase: string;
  groupsBase: string | null;
  calendarPath: string | null;
  widgetsScript: string | null;
  rsvp: boolean;
  locale: string;
  calendarName: string;
  calendarDescription: string;
}

export function virtualConfigPlugin(config: RuntimeConfig, layoutPath: string) {
  return {
    name: "eventail:config",
    resolveId(id: string) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id: string) {
      if (id !== RESOLVED_ID) return undefined;
      return [
        `export const config = ${JSON.stringify(config)};`,
        `export { default as Layout } from ${JSON.stringify(layoutPath)};`,
        "export async function loadEvents() {",
        '  const { getCollection } = await import("astro:content");',
        "  const entries = await getCollection(config.collection);",
        "  return entries.map((entry) => entry.data).sort((a, b) => Date.parse(a.beginsAt) - Date.parse(b.beginsAt));",
        "}",
      ].join("\n");
    },
  };
}
