/**
 * @eventail/publish: pushes events written as Markdown in a static site's repository to an
 * Eventail server at build time. Shared by the Astro integration and the Eleventy plugin.
 */
export { type EventFile, parseEventFile, readEventFiles } from "./event-files.ts";
export {
  type EventFrontMatter,
  eventFrontMatterSchema,
  type ParsedEvent,
  toCreateBody,
} from "./front-matter.ts";
export {
  type PlanAction,
  type PlanItem,
  PublishError,
  type PublishLogger,
  type PublishOptions,
  type PublishReport,
  planPublication,
  publishEvents,
} from "./publish.ts";
export { ServerApi, ServerApiError, type ServerApiOptions } from "./server-api.ts";
export { publishSiteEvents, type SiteContext, type SitePublishOptions } from "./site-publish.ts";
export { type PublishedEvent, type PublishState, readState, writeState } from "./state.ts";
