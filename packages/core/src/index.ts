/**
 * @eventail/core: the Eventail domain, free of HTTP, SQL and DOM.
 * HTML sanitizing lives in `@eventail/core/sanitize` and iCalendar in `@eventail/core/ical`
 * so browser bundles import neither parser.
 */
export * from "./activitystreams.ts";
export * from "./atom.ts";
export * from "./categories.ts";
export * from "./errors.ts";
export * from "./event-json.ts";
export * from "./event-json-schema.ts";
export * from "./html-allowlist.ts";
export * from "./json.ts";
export * from "./jsonld.ts";
export * from "./model.ts";
export * from "./recurrence.ts";
export * from "./report-json.ts";
export * from "./text.ts";
export * from "./time.ts";
export * from "./widget-html.ts";
