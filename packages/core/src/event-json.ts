/** Record → public API JSON: the one place that decides what the public sees of an event. */
import type { ActorRef, EventJson, RemoteOriginJson } from "./json.ts";
import { attendanceMode, type EventRecord } from "./model.ts";
import type { Occurrence } from "./recurrence.ts";
import { toZonedIso } from "./time.ts";

export interface EventJsonContext {
  /** Public base URL of the instance, without trailing slash. */
  origin: string;
  organizer: ActorRef;
  group: ActorRef | null;
  participantCount: number;
  now?: Date;
  /** Origin of a remote event (received over ActivityPub); absent for local events. */
  remote?: RemoteOriginJson;
}

export function eventUrl(origin: string, id: string): string {
  return `${origin}/events/${id}`;
}

export function toEventJson(
  e: EventRecord,
  ctx: EventJsonContext,
  occurrence?: Occurrence,
): EventJson {
  const begins = occurrence?.start ?? e.beginsAt;
  const ends = occurrence ? occurrence.end : e.endsAt;
  const url = eventUrl(ctx.origin, e.id);
  return {
    id: e.id,
    url,
    icsUrl: `${url}.ics`,
    title: e.title,
    description: e.description,
    beginsAt: toZonedIso(begins, e.timezone),
    endsAt: ends ? toZonedIso(ends, e.timezone) : null,
    timezone: e.timezone,
    allDay: e.allDay,
    attendanceMode: attendanceMode(e),
    address: e.address,
    onlineUrl: e.onlineUrl,
    category: e.category,
    tags: e.tags,
    language: e.language,
    banner: e.banner
      ? {
          url: `${ctx.origin}${e.banner.path}`,
          alt: e.banner.alt,
          mediaType: e.banner.mediaType,
          ...(e.banner.width ? { width: e.banner.width, height: e.banner.height } : {}),
        }
      : null,
    visibility: e.visibility,
    status: e.status,
    draft: e.draft,
    publishAt: e.publishAt ? e.publishAt.toISOString() : null,
    joinMode: e.joinMode,
    externalUrl: e.externalUrl,
    capacity: e.capacity,
    participantCount: ctx.participantCount,
    rsvpOpen:
      (e.joinMode === "free" || e.joinMode === "restricted") &&
      e.status !== "cancelled" &&
      !e.rsvpClosed &&
      (ends ?? begins).getTime() > (ctx.now ?? new Date()).getTime(),
    remainingCapacity: e.capacity > 0 ? Math.max(0, e.capacity - ctx.participantCount) : null,
    organizer: ctx.organizer,
    group: ctx.group,
    recurrence: e.recurrence
      ? {
          rrule: e.recurrence.rrule,
          exdates: e.recurrence.exdates.map((d) => toZonedIso(d, e.timezone)),
        }
      : null,
    ...(occurrence ? { occurrence: begins.toISOString() } : {}),
    ...(ctx.remote ? { remote: ctx.remote } : {}),
    sequence: e.sequence,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
