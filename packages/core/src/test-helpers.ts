/**
 * Fixtures shared by the unit tests of @eventail/core. Not exported from index.ts.
 */
import type { ActorRef, EventJson } from "./json.ts";
import type { EventRecord } from "./model.ts";

export const ORIGIN = "https://events.example.org";
export const HOST = "events.example.org";

export const ALICE: ActorRef = {
  id: "idn_alice",
  handle: "alice@events.example.org",
  name: "Alice Martin",
  url: `${ORIGIN}/@alice`,
};

export const REPAIR_GROUP: ActorRef = {
  id: "grp_repair",
  handle: "repair_lyon@events.example.org",
  name: "Repair Café Lyon",
  url: `${ORIGIN}/@repair_lyon`,
};

/**
 * An API-JSON event: Tuesday 1 December 2026, 19:00–21:00 in Lyon (Europe/Paris), with a
 * physical address and nothing online. `url`, `icsUrl`, `attendanceMode` and
 * `remainingCapacity` follow `id`, `address`/`onlineUrl` and `capacity`/`participantCount`
 * unless given explicitly.
 */
export function makeEvent(overrides: Partial<EventJson> = {}): EventJson {
  const id = overrides.id ?? "evt_repair1";
  const url = `${ORIGIN}/events/${id}`;
  const base: EventJson = {
    id,
    url,
    icsUrl: `${url}.ics`,
    title: "Repair café",
    description: "<p>Bring a <strong>broken</strong> toaster &amp; we fix it.</p>",
    beginsAt: "2026-12-01T19:00:00+01:00",
    endsAt: "2026-12-01T21:00:00+01:00",
    timezone: "Europe/Paris",
    allDay: false,
    attendanceMode: "offline",
    address: {
      venue: "La Halle",
      street: "12 rue de la République",
      locality: "Lyon",
      region: "Auvergne-Rhône-Alpes",
      postalCode: "69001",
      country: "France",
      latitude: 45.7676,
      longitude: 4.8345,
    },
    onlineUrl: null,
    category: "COMMUNITY",
    tags: ["repair", "vélo"],
    language: "fr",
    banner: null,
    visibility: "public",
    status: "confirmed",
    draft: false,
    publishAt: null,
    joinMode: "free",
    externalUrl: null,
    capacity: 0,
    participantCount: 0,
    rsvpOpen: true,
    remainingCapacity: null,
    organizer: ALICE,
    group: null,
    recurrence: null,
    sequence: 0,
    createdAt: "2026-10-01T08:00:00.000Z",
    updatedAt: "2026-10-02T09:30:00.000Z",
  };
  const e: EventJson = { ...base, ...overrides, id };
  if (overrides.url === undefined) e.url = url;
  if (overrides.icsUrl === undefined) e.icsUrl = `${e.url}.ics`;
  if (overrides.attendanceMode === undefined) {
    e.attendanceMode = e.onlineUrl && e.address ? "mixed" : e.onlineUrl ? "online" : "offline";
  }
  if (overrides.remainingCapacity === undefined) {
    e.remainingCapacity = e.capacity > 0 ? Math.max(0, e.capacity - e.participantCount) : null;
  }
  return e;
}

/** A stored event record matching `makeEvent()`'s defaults. */
export function makeRecord(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: "evt_repair1",
    organizerId: ALICE.id,
    groupId: null,
    title: "Repair café",
    description: "<p>Bring a <strong>broken</strong> toaster &amp; we fix it.</p>",
    beginsAt: new Date("2026-12-01T18:00:00Z"),
    endsAt: new Date("2026-12-01T20:00:00Z"),
    timezone: "Europe/Paris",
    allDay: false,
    address: { venue: "La Halle", locality: "Lyon", latitude: 45.7676, longitude: 4.8345 },
    onlineUrl: null,
    category: "COMMUNITY",
    tags: ["repair"],
    language: "fr",
    banner: null,
    visibility: "public",
    status: "confirmed",
    draft: false,
    publishAt: null,
    joinMode: "free",
    externalUrl: null,
    capacity: 0,
    recurrence: null,
    sequence: 0,
    rsvpClosed: false,
    createdAt: new Date("2026-10-01T08:00:00Z"),
    updatedAt: new Date("2026-10-02T09:30:00Z"),
    ...overrides,
  };
}
