/**
 * @eventail/sources: read-only adapters that turn other event servers' data into Eventail's
 * `EventJson`, with conditional requests, a cache fallback for sources that are down, and
 * guarded outbound fetches. Shared by the Astro integration and the Eleventy plugin.
 */
export { type ActivityPubSourceOptions, activityPubSource } from "./adapters/activitypub.ts";
export { type EventailSourceOptions, eventailSource } from "./adapters/eventail.ts";
export { type GancioSourceOptions, gancioSource } from "./adapters/gancio.ts";
export { type ICalSourceOptions, icalSource } from "./adapters/ical.ts";
export { type MobilizonSourceOptions, mobilizonSource } from "./adapters/mobilizon.ts";
export {
  type CachedResponse,
  FileCache,
  MemoryCache,
  parseCachedResponse,
  type SourceCache,
} from "./cache.ts";
export { SourceError, type SourceErrorKind } from "./errors.ts";
export { isPrivateAddress } from "./network-policy.ts";
export { FetchFailure, type NetworkOptions, safeFetch } from "./safe-fetch.ts";
export { toSiteCalendar } from "./site-calendar.ts";
export {
  eventKey,
  eventSlug,
  type SiteEvent,
  type SourceRef,
  siteEventSchema,
  siteEvents,
  slugify,
  sourceRefSchema,
  toSiteEvent,
} from "./site-events.ts";
export {
  canRsvp,
  type EventHtmlOptions,
  eventDetailsHtml,
  eventListHtml,
  groupsOf,
  insertWidgetsScript,
  jsonLdScriptHtml,
  pageHtml,
  rsvpHtml,
  widgetsScriptHtml,
  widgetsScriptUrl,
} from "./site-html.ts";
export {
  type EventSource,
  type LoadOptions,
  type LoadResult,
  type LoadStatus,
  loadSource,
  loadSummary,
  type SourceKind,
  type SourceOptions,
} from "./source.ts";
