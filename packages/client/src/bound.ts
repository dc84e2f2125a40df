/** The calls bound to one server, for code that prefers an object to plain functions. */
import type {
  EventJson,
  GroupJson,
  Page,
  ParticipationJson,
  RsvpRequest,
  RsvpResult,
} from "@eventail/core";
import { type EventQuery, getEvent, getGroup, listEvents } from "./client.ts";
import type { Base, RequestOptions } from "./request.ts";
import { cancel, confirm, erase, lookup, rsvp } from "./rsvp.ts";

export interface ClientOptions {
  /** Another fetch (tests, Eleventy's cached fetch); defaults to the global one. */
  fetch?: typeof fetch;
}

/**
 * The same calls bound to one server: `new EventailClient("https://events.example.org")`.
 * (Bundles that care about every byte import the functions instead: unused ones drop out.)
 */
export class EventailClient {
  /** Server base URL without a trailing slash (it may carry a path prefix). */
  readonly baseUrl: string;
  readonly #fetch: typeof fetch | undefined;

  constructor(baseUrl: Base, options: ClientOptions = {}) {
    this.baseUrl = String(baseUrl).replace(/\/+$/, "");
    this.#fetch = options.fetch;
  }

  #o(options?: RequestOptions): RequestOptions {
    return this.#fetch ? { fetch: this.#fetch, ...options } : { ...options };
  }

  listEvents(query?: EventQuery, options?: RequestOptions): Promise<Page<EventJson>> {
    return listEvents(this.baseUrl, query, this.#o(options));
  }
  getEvent(eventId: string, options?: RequestOptions): Promise<EventJson> {
    return getEvent(this.baseUrl, eventId, this.#o(options));
  }
  getGroup(handle: string, options?: RequestOptions): Promise<GroupJson> {
    return getGroup(this.baseUrl, handle, this.#o(options));
  }
  rsvp(eventId: string, body: RsvpRequest, options?: RequestOptions): Promise<RsvpResult> {
    return rsvp(this.baseUrl, eventId, body, this.#o(options));
  }
  confirm(token: string, options?: RequestOptions): Promise<RsvpResult> {
    return confirm(this.baseUrl, token, this.#o(options));
  }
  cancel(token: string, options?: RequestOptions): Promise<RsvpResult> {
    return cancel(this.baseUrl, token, this.#o(options));
  }
  lookup(token: string, options?: RequestOptions): Promise<ParticipationJson> {
    return lookup(this.baseUrl, token, this.#o(options));
  }
  erase(token: string, options?: RequestOptions): Promise<void> {
    return erase(this.baseUrl, token, this.#o(options));
  }
}

export function createClient(baseUrl: Base, options?: ClientOptions): EventailClient {
  return new EventailClient(baseUrl, options);
}
