/**
 * @eventail/client: a small typed fetch client for Eventail's public API, shared by the
 * widgets (in browsers) and the static-site plugins (in Node). It never sends cookies
 * (`credentials: "omit"`): embeds read public data and post anonymous RSVPs only.
 */

export type {
  ActorRef,
  AddressJson,
  EventJson,
  GroupJson,
  Page,
  ParticipationJson,
  RsvpRequest,
  RsvpResult,
} from "@eventail/core";
export {
  type Base,
  type ClientOptions,
  cancel,
  confirm,
  createClient,
  EventailClient,
  type EventQuery,
  erase,
  getEvent,
  getGroup,
  listEvents,
  lookup,
  type RequestOptions,
  request,
  rsvp,
} from "./client.ts";
export { ApiError, type ApiErrorInit, type FieldError } from "./errors.ts";
