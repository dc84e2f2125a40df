/**
 * @eventail/astro: a Content Layer loader for events from Eventail, Mobilizon, Gancio, any
 * iCalendar feed or an ActivityPub outbox, and an integration that adds event pages with
 * JSON-LD, group pages, an iCal feed, the widgets script, and publishing of site events.
 */
export {
  eventFrontMatterSchema,
  type PublishReport,
  publishEvents,
} from "@eventail/publish";
export {
  activityPubSource,
  eventailSource,
  gancioSource,
  icalSource,
  mobilizonSource,
  type SiteEvent,
  SourceError,
  siteEventSchema,
} from "@eventail/sources";
export { type EventailOptions, eventail } from "./integration.ts";
export { type EventsLoaderOptions, eventsLoader } from "./loader.ts";
export type { RuntimeConfig } from "./virtual-config.ts";
