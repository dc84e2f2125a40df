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
  ReportJson,
  RsvpRequest,
  RsvpResult,
} from "@eventail/core";
export { type ClientOptions, createClient, EventailClient } from "./bound.ts";
export { type EventQuery, getEvent, getGroup, listEvents } from "./client.ts";
export { ApiError, type ApiErrorInit, type FieldError } from "./errors.ts";
export { type Base, type RequestOptions, request } from "./request.ts";
export { cancel, confirm, erase, lookup, rsvp } from "./rsvp.ts";
