import { toICalendar } from "../src/ical.ts";
import type { EventJson } from "../src/json.ts";
const base: EventJson = {
  id: "ev1", url: "https://ev.example/events/ev1", icsUrl: "https://ev.example/events/ev1.ics",
  title: "Repair café <b> & co", description: "<p>Bring <strong>stuff</strong></p>",
  beginsAt: "2026-12-01T19:00:00+01:00", endsAt: "2026-12-01T21:00:00+01:00", timezone: "Europe/Paris",
  allDay: false, attendanceMode: "mixed",
  address: { venue: "La Halle", street: "12 rue X", locality: "Lyon", postalCode: "69001", country: "France", latitude: 45.76, longitude: 4.83 },
  onlineUrl: "https://meet.example/abc", category: "MEETING", tags: ["repair", "vélo"], language: "fr", banner: null,
  visibility: "public", status: "cancelled", draft: false, publishAt: null, joinMode: "free", externalUrl: null,
  capacity: 0, participantCount: 3, remainingCapacity: null,
  organizer: { id: "id1", handle: "alice@ev.example", name: "Alice", url: "https://ev.example/@alice" },
  group: { id: "g1", handle: "repair@ev.example", name: "Repair Lyon", url: "https://ev.example/@repair" },
  recurrence: { rrule: "FREQ=WEEKLY;COUNT=4", exdates: ["2026-12-08T19:00:00+01:00"] },
  sequence: 3, createdAt: "2026-10-01T10:00:00.000Z", updatedAt: "2026-10-02T10:00:00.000Z",
};
console.log(toICalendar([base, { ...base, id: "ev2", allDay: true, beginsAt: "2026-12-01T00:00:00+01:00", endsAt: "2026-12-02T00:00:00+01:00", recurrence: { rrule: "FREQ=WEEKLY;COUNT=3", exdates: ["2026-12-08T00:00:00+01:00"] } }, { ...base, id: "ev3", timezone: "UTC", beginsAt: "2026-12-01T18:00:00Z", endsAt: null, recurrence: null, group: null, address: null }], { name: "Cal", url: "https://ev.example", host: "ev.example" }));
console.log("-----");
console.log(toICalendar([{ ...base, id: "ev4", timezone: "UTC", beginsAt: "2026-12-01T18:00:00Z", endsAt: null, recurrence: { rrule: "FREQ=WEEKLY;COUNT=3", exdates: ["2026-12-08T18:00:00Z"] } }, { ...base, id: "ev5", timezone: "Etc/GMT+5", beginsAt: "2026-12-01T18:00:00-05:00", endsAt: null, recurrence: null }], { name: "Cal", url: "https://ev.example", host: "ev.example" }));
