/**
 * @eventail/widgets: every element, registered on import. Import one element alone with
 * `@eventail/widgets/event-list` (and so on) to load only what a page uses.
 */
export { EvCalendar } from "./calendar/element.ts";
export { EvEvent } from "./event/element.ts";
export { EvEventList } from "./event-list/element.ts";
export { EvGroup, type GroupData, type OpenUrl } from "./group/element.ts";
export { parseHandle, subscribeUrl, type WebfingerUrl, webfingerUrl } from "./group/fediverse.ts";
export { EvRsvp } from "./rsvp/element.ts";
export { EvElement } from "./shared/base.ts";
export { safeHtml } from "./shared/sanitize.ts";
