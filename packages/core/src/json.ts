/**
 * The public JSON shapes of the REST API. Widgets, plugins and the client read these;
 * JSON-LD, iCalendar, Atom and ActivityStreams are all mapped from `EventJson`, so a static
 * site holding only API JSON renders exactly what the server renders.
 */
import type { Category } from "./categories.ts";
import type { EventStatus, JoinMode, ParticipationState, Visibility } from "./model.ts";

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

/** Where a remote event (received over ActivityPub from another instance) comes from. */
export interface RemoteOriginJson {
  /** ActivityPub id of the event at its origin. */
  id: string;
  /** HTML page of the event at its origin. */
  url: string;
  /** ActivityPub id of the actor that published it. */
  actor: string;
  /** Host of the origin instance: "events.example.org". */
  host: string;
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
  /**
   * Whether the RSVP form accepts answers now: free or restricted join mode, not cancelled,
   * not over, and not closed by the organizer. When full, answers go to the waitlist.
   */
  rsvpOpen: boolean;
  /** Places left, null when unlimited. */
  remainingCapacity: number | null;
  organizer: ActorRef;
  group: ActorRef | null;
  recurrence: { rrule: string; exdates: string[] } | null;
  /** Set on items of an expanded listing: the start of this occurrence (same as beginsAt). */
  occurrence?: string;
  /**
   * Set only on remote events (copies of events published on another instance, kept in sync
   * over ActivityPub): their origin. `url` stays this instance's page of the copy;
   * `participantCount` is the origin's count; organizer and group are remote actors.
   */
  remote?: RemoteOriginJson;
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

export interface IdentityJson extends ActorRef {
  bio: string;
  avatar: ImageJson | null;
}

/** An image with an absolute URL (event banners, group avatars and banners). */
export interface ImageJson {
  url: string;
  alt: string;
  mediaType: string;
  width?: number;
  height?: number;
}

export interface GroupJson extends ActorRef {
  description: string;
  avatar: ImageJson | null;
  banner: ImageJson | null;
  /** Links to the group's own tools (pads, chats, drives…): http(s) only. */
  resources: { title: string; url: string }[];
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

// ---------------------------------------------------------------- participation (RSVP)

/**
 * What a visitor sees of their own participation. Returned only to the person holding the
 * participation's secret token (from the confirmation email), never in public responses.
 */
export interface ParticipationJson {
  id: string;
  eventId: string;
  state: ParticipationState;
  name: string;
  email: string;
  message: string;
  /** 1-based place in the waitlist when waitlisted. */
  waitlistPosition: number | null;
  createdAt: string;
}

/**
 * Body of `POST /api/v1/events/{id}/participations` (anonymous RSVP from an embed).
 * `website` is a honeypot: people leave it empty, bots fill it in.
 * `returnUrl` is the page holding the RSVP form: the email's links lead back to it with
 * `?ev-token=…&ev-action=confirm|cancel` so the visitor finishes on the organization's site.
 */
export interface RsvpRequest {
  name: string;
  email: string;
  message?: string;
  website?: string;
  returnUrl?: string;
  language?: "en" | "fr";
  /** Proof of work, when the instance asks for one (GET /api/v1/pow). */
  pow?: { challenge: string; nonce: string };
}

/** Answer to an RSVP or to a token action (confirm, cancel). */
export interface RsvpResult {
  state: ParticipationJson["state"];
  /** True when this email had already answered for this event (nothing new was created). */
  duplicate?: boolean;
  /** Human-readable, in the request's language. */
  message: string;
  /** Places left after this answer; null when unlimited. */
  remainingCapacity: number | null;
  waitlistPosition?: number | null;
}
