/** The reads: events and groups. */
import type { EventJson, GroupJson, Page } from "@eventail/core";
import { type Base, type RequestOptions, request } from "./request.ts";

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
