/**
 * The public JSON shapes of the REST API. Widgets, plugins and the client read these;
 * JSON-LD, iCalendar, Atom and ActivityStreams are all mapped from `EventJson`, so a static
 * site holding only API JSON renders exactly what the server renders.
 */
import type { Category } from "./categories.ts";
import type { EventStatus, JoinMode, Visibility } from "./model.ts";

export interface AddressJson {
  venue?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

/** A public profile (identity or group) as others see it. Never carries account data. */
export interface ActorRef {
  id: string;
  /** Fediverse handle without the leading "@": "climate_lyon@events.example.org". */
  handle: string;
  name: string;
  /** HTML page of the actor. */
  url: string;
}

export interface EventJson {
  id: string;
  /** Public HTML page of the event. */
  url: string;
  /** iCalendar file of this event. */
  icsUrl: string;
  title: string;
  /** Sanitized HTML. */
  description: string;
  /** RFC 3339 in the venue's offset: "2026-12-01T19:00:00+01:00". */
  beginsAt: string;
  endsAt: string | null;
  /** IANA zone the event is held in. */
  timezone: string;
  allDay: boolean;
  attendanceMode: "offline" | "online" | "mixed";
  address: AddressJson | null;
  onlineUrl: string | null;
  category: Category;
  tags: string[];
  language: string;
  banner: { url: string; alt: string; mediaType: string; width?: number; height?: number } | null;
  visibility: Visibility;
  status: EventStatus;
  draft: boolean;
  publishAt: string | null;
  joinMode: JoinMode;
  externalUrl: string | null;
  /** 0 = unlimited. */
  capacity: number;
  participantCount: number;
  /** Places left, null when unlimited. */
  remainingCapacity: number | null;
  organizer: ActorRef;
  group: ActorRef | null;
  recurrence: { rrule: string; exdates: string[] } | null;
  /** Set on items of an expanded listing: the start of this occurrence (same as beginsAt). */
  occurrence?: string;
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

export interface IdentityJson extends ActorRef {
  bio: string;
}

export interface GroupJson extends ActorRef {
  description: string;
  createdAt: string;
}

/** One page of a cursor-paginated listing. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null on the last one. */
  next: string | null;
}

export interface InstanceJson {
  name: string;
  description: string;
  origin: string;
  registration: "open" | "approval" | "closed";
  version: string;
}
