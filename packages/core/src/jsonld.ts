/**
 * schema.org Event JSON-LD with Google's required and recommended properties
 * (name, startDate, location, description, endDate, eventStatus, eventAttendanceMode,
 * image, organizer, offers).
 */
import type { EventJson } from "./json.ts";
import { htmlToText } from "./text.ts";

const STATUS: Record<EventJson["status"], string> = {
  confirmed: "https://schema.org/EventScheduled",
  tentative: "https://schema.org/EventScheduled",
  cancelled: "https://schema.org/EventCancelled",
  postponed: "https://schema.org/EventPostponed",
};

const MODE: Record<EventJson["attendanceMode"], string> = {
  offline: "https://schema.org/OfflineEventAttendanceMode",
  online: "https://schema.org/OnlineEventAttendanceMode",
  mixed: "https://schema.org/MixedEventAttendanceMode",
};

/** All-day events use dates; the end date in JSON-LD is inclusive. */
function dates(e: EventJson): { startDate: string; endDate?: string } {
  if (!e.allDay) return { startDate: e.beginsAt, ...(e.endsAt ? { endDate: e.endsAt } : {}) };
  const startDate = e.beginsAt.slice(0, 10);
  if (!e.endsAt) return { startDate };
  const lastDay = new Date(Date.parse(`${e.endsAt.slice(0, 10)}T00:00:00Z`) - 86_400_000);
  return { startDate, endDate: lastDay.toISOString().slice(0, 10) };
}

export function toJsonLd(e: EventJson): Record<string, unknown> {
  const locations: unknown[] = [];
  if (e.address) {
    const a = e.address;
    locations.push({
      "@type": "Place",
      name: a.venue ?? a.locality ?? "",
      address: {
        "@type": "PostalAddress",
        ...(a.street ? { streetAddress: a.street } : {}),
        ...(a.locality ? { addressLocality: a.locality } : {}),
        ...(a.region ? { addressRegion: a.region } : {}),
        ...(a.postalCode ? { postalCode: a.postalCode } : {}),
        ...(a.country ? { addressCountry: a.country } : {}),
      },
      ...(a.latitude !== undefined
        ? { geo: { "@type": "GeoCoordinates", latitude: a.latitude, longitude: a.longitude } }
        : {}),
    });
  }
  if (e.onlineUrl) locations.push({ "@type": "VirtualLocation", url: e.onlineUrl });
  const organizer = e.group
    ? { "@type": "Organization", name: e.group.name, url: e.group.url }
    : { "@type": "Person", name: e.organizer.name, url: e.organizer.url };
  const full = e.remainingCapacity === 0;
  const registrationUrl = e.joinMode === "external" && e.externalUrl ? e.externalUrl : e.url;
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    "@id": e.url,
    name: e.title,
    description: htmlToText(e.description),
    url: e.url,
    ...dates(e),
    eventStatus: STATUS[e.status],
    eventAttendanceMode: MODE[e.attendanceMode],
    ...(locations.length ? { location: locations.length === 1 ? locations[0] : locations } : {}),
    ...(e.banner ? { image: [e.banner.url] } : {}),
    organizer,
    inLanguage: e.language,
    ...(e.tags.length ? { keywords: e.tags.join(", ") } : {}),
    ...(e.capacity > 0 ? { maximumAttendeeCapacity: e.capacity } : {}),
    ...(e.remainingCapacity !== null ? { remainingAttendeeCapacity: e.remainingCapacity } : {}),
    offers: {
      "@type": "Offer",
      url: registrationUrl,
      availability: full ? "https://schema.org/SoldOut" : "https://schema.org/InStock",
      validFrom: e.createdAt,
    },
  };
}
