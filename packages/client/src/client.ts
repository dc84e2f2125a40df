import type {
  EventJson,
  GroupJson,
  Page,
  ParticipationJson,
  RsvpRequest,
  RsvpResult,
} from "@eventail/core";
import { ApiError, errorFromResponse } from "./errors.ts";

/** Filters of `GET /api/v1/events` (see the server's OpenAPI document). */
export interface EventQuery {
  /** Events ending at or after this instant (server default: now). */
  from?: string | Date;
  /** Events starting before this instant. */
  to?: string | Date;
  group?: string;
  organizer?: string;
  tag?: string;
  category?: string;
  status?: string;
  /** Words to find in title, tags, place or description. */
  q?: string;
  /** true: with an online link; false: with a physical place. */
  online?: boolean;
  near?: string | { lat: number; lon: number };
  /** Kilometres around `near`. */
  radius?: number;
  /** `next` of the previous page. */
  cursor?: string | null;
  /** 1 to 100, server default 20. */
  limit?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Another fetch (tests, Eleventy's cached fetch); defaults to the global one. */
  fetch?: typeof fetch;
}

/** A server's base URL: "https://events.example.org" (a path prefix is kept). */
export type Base = string | URL;

function queryString(q: EventQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    if (value === undefined || value === null || value === "") continue;
    if (value instanceof Date) params.set(key, value.toISOString());
    else if (key === "near" && typeof value === "object")
      params.set(key, `${value.lat},${value.lon}`);
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

const isAbort = (e: unknown) => (e as { name?: string } | null)?.name === "AbortError";

/**
 * One call to the API: JSON in and out, never with cookies, problems thrown as ApiError,
 * aborts rethrown as they are (so Lit's Task can ignore them).
 */
export async function request<T>(
  base: Base,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${String(base).replace(/\/+$/, "")}${path}`, {
      method,
      credentials: "omit",
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({ status: 0, detail: "the server could not be reached", cause: e });
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({ status: 0, detail: "the server's answer is not JSON", cause: e });
  }
}

const id = encodeURIComponent;

/** One page of public events; pass `next` back as `cursor` for the following page. */
export const listEvents = (base: Base, query: EventQuery = {}, options?: RequestOptions) =>
  request<Page<EventJson>>(base, "GET", `/api/v1/events${queryString(query)}`, undefined, options);

export const getEvent = (base: Base, eventId: string, options?: RequestOptions) =>
  request<EventJson>(base, "GET", `/api/v1/events/${id(eventId)}`, undefined, options);

/** A group by handle, with or without a leading "@". */
export const getGroup = (base: Base, handle: string, options?: RequestOptions) =>
  request<GroupJson>(
    base,
    "GET",
    `/api/v1/groups/${id(handle.replace(/^@/, ""))}`,
    undefined,
    options,
  );

/**
 * Anonymous RSVP: 202 `awaiting_email`, or 200 with `duplicate: true`. When the instance asks
 * for a proof of work (a 422 on `pow`), solves its challenge and sends again: instances without
 * one cost no extra request.
 */
export async function rsvp(
  base: Base,
  eventId: string,
  body: RsvpRequest,
  options?: RequestOptions,
): Promise<RsvpResult> {
  const send = (b: RsvpRequest) =>
    request<RsvpResult>(base, "POST", `/api/v1/events/${id(eventId)}/participations`, b, options);
  try {
    return await send(body);
  } catch (e) {
    if (
      !(e instanceof ApiError) ||
      e.status !== 422 ||
      body.pow ||
      !e.errors.some((f) => f.path === "pow")
    )
      throw e;
    const { challenge, bits } = await request<{ challenge: string; bits: number }>(
      base,
      "GET",
      "/api/v1/pow",
      undefined,
      options,
    );
    const nonce = await solvePow(challenge, bits, options?.signal);
    return send({ ...body, pow: { challenge, nonce } });
  }
}

/** The first nonce such that SHA-256(`${challenge}:${nonce}`) starts with `bits` zero bits. */
export async function solvePow(
  challenge: string,
  bits: number,
  signal?: AbortSignal,
): Promise<string> {
  const encoder = new TextEncoder();
  for (let n = 0; ; n++) {
    if (n % 1024 === 0) signal?.throwIfAborted();
    const hash = new Uint8Array(
      await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${n}`)),
    );
    let left = bits;
    let i = 0;
    while (left >= 8 && hash[i] === 0) {
      left -= 8;
      i++;
    }
    if (left <= 0 || (left < 8 && hash[i]! >> (8 - left) === 0)) return String(n);
  }
}

/** Confirms an RSVP with the single-use token from the email (410 when expired or used). */
export const confirm = (base: Base, token: string, options?: RequestOptions) =>
  request<RsvpResult>(base, "POST", "/api/v1/participations/confirm", { token }, options);

/** Cancels with the manage token. */
export const cancel = (base: Base, token: string, options?: RequestOptions) =>
  request<RsvpResult>(base, "POST", "/api/v1/participations/cancel", { token }, options);

/** The participant's own data, with the manage token. */
export const lookup = (base: Base, token: string, options?: RequestOptions) =>
  request<ParticipationJson>(base, "POST", "/api/v1/participations/lookup", { token }, options);

/** Erases the participant's name, email and message (204). */
export const erase = (base: Base, token: string, options?: RequestOptions) =>
  request<void>(base, "POST", "/api/v1/participations/erase", { token }, options);

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
