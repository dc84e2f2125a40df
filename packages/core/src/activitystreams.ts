/**
 * ActivityStreams `Event`, compatible with Mobilizon and FEP-8a8e. Kept as raw JSON
 * (not Fedify's typed vocabulary) because the typed classes drop `joinMode`, `timezone`
 * and other extension fields and rewrite offsets to UTC.
 */
import type { EventJson } from "./json.ts";
import { formatWhenWhere } from "./text.ts";

export const AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

export const EVENT_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  {
    sc: "http://schema.org#",
    mz: "https://joinmobilizon.org/ns#",
    ical: "http://www.w3.org/2002/12/cal/ical#",
    toot: "http://joinmastodon.org/ns#",
    Hashtag: "as:Hashtag",
    PostalAddress: "sc:PostalAddress",
    address: { "@id": "sc:address", "@type": "sc:PostalAddress" },
    addressCountry: "sc:addressCountry",
    addressLocality: "sc:addressLocality",
    addressRegion: "sc:addressRegion",
    postalCode: "sc:postalCode",
    streetAddress: "sc:streetAddress",
    timezone: { "@id": "mz:timezone", "@type": "sc:Text" },
    joinMode: { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
    externalParticipationUrl: { "@id": "mz:externalParticipationUrl", "@type": "sc:URL" },
    maximumAttendeeCapacity: "sc:maximumAttendeeCapacity",
    remainingAttendeeCapacity: "sc:remainingAttendeeCapacity",
    participantCount: { "@id": "mz:participantCount", "@type": "sc:Number" },
    isOnline: { "@id": "mz:isOnline", "@type": "sc:Boolean" },
    category: { "@id": "mz:category", "@type": "sc:category" },
    inLanguage: "sc:inLanguage",
    status: { "@id": "ical:status", "@type": "ical:status" },
    anonymousParticipationEnabled: {
      "@id": "mz:anonymousParticipationEnabled",
      "@type": "sc:Boolean",
    },
  },
];

export interface ActivityStreamsContext {
  /** ActivityPub id of the organizer identity. */
  actor: string;
  /** Followers collection the event is addressed to. */
  followers: string;
  /** Group actor, when the event belongs to one. */
  group?: string;
}

const STATUS: Record<EventJson["status"], string> = {
  confirmed: "CONFIRMED",
  tentative: "TENTATIVE",
  // Mobilizon knows no POSTPONED; TENTATIVE is the nearest iCalendar status.
  postponed: "TENTATIVE",
  cancelled: "CANCELLED",
};

export function toActivityStreamsEvent(
  e: EventJson,
  ctx: ActivityStreamsContext,
): Record<string, unknown> {
  const place = e.address
    ? {
        type: "Place",
        name: e.address.venue ?? e.address.locality ?? "",
        address: {
          type: "PostalAddress",
          ...(e.address.street ? { streetAddress: e.address.street } : {}),
          ...(e.address.locality ? { addressLocality: e.address.locality } : {}),
          ...(e.address.region ? { addressRegion: e.address.region } : {}),
          ...(e.address.postalCode ? { postalCode: e.address.postalCode } : {}),
          ...(e.address.country ? { addressCountry: e.address.country } : {}),
        },
        ...(e.address.latitude !== undefined
          ? { latitude: e.address.latitude, longitude: e.address.longitude }
          : {}),
      }
    : null;
  const virtual = e.onlineUrl ? { type: "VirtualLocation", url: e.onlineUrl } : null;
  const location = place && virtual ? [place, virtual] : (place ?? virtual ?? undefined);
  const isPublic = e.visibility === "public";
  return {
    "@context": EVENT_CONTEXT,
    id: e.url,
    type: "Event",
    url: e.url,
    name: e.title,
    content: e.description,
    summary: formatWhenWhere(e),
    mediaType: "text/html",
    startTime: e.beginsAt,
    ...(e.endsAt ? { endTime: e.endsAt } : {}),
    timezone: e.timezone,
    ...(location ? { location } : {}),
    isOnline: e.attendanceMode === "online",
    category: e.category,
    inLanguage: e.language,
    tag: e.tags.map((t) => ({ type: "Hashtag", name: `#${t}` })),
    attributedTo: ctx.group ?? ctx.actor,
    actor: ctx.actor,
    joinMode: e.joinMode,
    ...(e.joinMode === "external" && e.externalUrl
      ? { externalParticipationUrl: e.externalUrl }
      : {}),
    anonymousParticipationEnabled: e.joinMode === "free" || e.joinMode === "restricted",
    ...(e.capacity > 0
      ? { maximumAttendeeCapacity: e.capacity, remainingAttendeeCapacity: e.remainingCapacity }
      : {}),
    participantCount: e.participantCount,
    status: STATUS[e.status],
    ...(e.banner
      ? {
          attachment: [
            {
              type: "Document",
              mediaType: e.banner.mediaType,
              url: e.banner.url,
              name: e.banner.alt,
            },
          ],
        }
      : {}),
    published: e.createdAt,
    updated: e.updatedAt,
    // Public iff addressed to Public (Mobilizon's rule); unlisted events go to followers only.
    to: isPublic ? [AS_PUBLIC] : [ctx.followers],
    cc: isPublic ? [ctx.followers] : [],
  };
}
