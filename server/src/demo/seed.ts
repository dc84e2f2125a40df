/**
 * Demo data for `npm start`: two groups and about twenty upcoming events over the next 60
 * days in four time zones (online, hybrid, cancelled, weekly, nearly full among them),
 * dated relative to today so the demo never goes stale.
 */
import { type CreateEventInput, instantAt, wallClock } from "@eventail/core";
import { newId } from "../domain/secrets.ts";
import type { Services } from "../services.ts";

export const DEMO_EMAIL = "organizer@demo.eventail.test";
export const DEMO_PASSWORD = "demo-organizer-2026";

/** Local wall-clock time `days` from today at hh:mm in `tz`, as an RFC 3339 instant. */
function at(days: number, hh: number, mm: number, tz: string, now: Date): string {
  const today = wallClock(new Date(now.getTime() + days * 86_400_000), tz);
  return instantAt({ ...today, hour: hh, minute: mm, second: 0 }, tz).toISOString();
}

export async function seedDemo(s: Services, now = new Date()): Promise<{ seeded: boolean }> {
  if ((await s.repos.accounts.count()) > 0) return { seeded: false };
  await s.settings.update({
    name: "Eventail demo",
    description: "A demo instance: two community groups and their upcoming events.",
    registration: "open",
  });
  const { identity: organizer } = await s.accounts.create({
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    handle: "camille",
    name: "Camille Martin",
    role: "admin",
    state: "active",
  });
  const climate = await s.groups.create(organizer, {
    handle: "climate_lyon",
    name: "Climate Action Lyon",
    description:
      "<p>Neighbours acting on climate: repair cafés, bike rides, workshops and marches.</p>",
  });
  const union = await s.groups.create(organizer, {
    handle: "tenants_union",
    name: "Tenants' Union",
    description: "<p>Renters organizing together in Montréal, New York and online.</p>",
  });

  const paris = "Europe/Paris";
  const montreal = "America/Montreal";
  const newYork = "America/New_York";
  const kolkata = "Asia/Kolkata";
  const lyon = (venue: string, street: string, lat: number, lon: number) => ({
    venue,
    street,
    locality: "Lyon",
    postalCode: "69001",
    country: "FR",
    latitude: lat,
    longitude: lon,
  });

  type Seed = CreateEventInput & { fill?: number };
  const events: Seed[] = [
    {
      title: "Repair café",
      groupId: climate.id,
      beginsAt: at(2, 14, 0, paris, now),
      endsAt: at(2, 18, 0, paris, now),
      timezone: paris,
      category: "COMMUNITY",
      tags: ["repair", "zero-waste"],
      address: lyon("Maison des Passages", "44 rue Saint-Georges", 45.7597, 4.8268),
      description:
        "<p>Bring a broken toaster, leave with a working one. Volunteers fix and teach.</p>",
    },
    {
      title: "Critical Mass bike ride",
      groupId: climate.id,
      beginsAt: at(5, 18, 30, paris, now),
      endsAt: at(5, 20, 30, paris, now),
      timezone: paris,
      category: "OUTDOORS_ADVENTURE",
      tags: ["bike", "velo"],
      address: lyon("Place des Terreaux", "Place des Terreaux", 45.7676, 4.8344),
      description: "<p>A joyful ride through the city. Lights recommended.</p>",
    },
    {
      title: "Climate fresk workshop",
      groupId: climate.id,
      beginsAt: at(8, 19, 0, paris, now),
      endsAt: at(8, 22, 0, paris, now),
      timezone: paris,
      category: "LEARNING",
      tags: ["workshop", "climate"],
      capacity: 12,
      fill: 11,
      address: lyon("Le Bureau des Possibles", "12 rue Pierre Corneille", 45.764, 4.8466),
      description:
        "<p>Three hours to understand climate science with cards. <strong>Only one place left!</strong></p>",
    },
    {
      title: "Weekly volunteers' meeting",
      groupId: climate.id,
      beginsAt: at(1, 19, 0, paris, now),
      endsAt: at(1, 20, 30, paris, now),
      timezone: paris,
      category: "MEETING",
      tags: ["volunteers"],
      recurrence: { rrule: "FREQ=WEEKLY;COUNT=12" },
      address: lyon("Local associatif", "3 rue Burdeau", 45.7695, 4.8305),
      description: "<p>Every week: plan actions, welcome newcomers, share food.</p>",
    },
    {
      title: "Climate march",
      groupId: climate.id,
      beginsAt: at(15, 14, 0, paris, now),
      endsAt: at(15, 17, 0, paris, now),
      timezone: paris,
      category: "MOVEMENTS_POLITICS",
      tags: ["march", "climate"],
      address: lyon("Place Bellecour", "Place Bellecour", 45.7578, 4.832),
      description: "<p>Together for a just transition.</p>",
    },
    {
      title: "Tree planting (cancelled: storm warning)",
      groupId: climate.id,
      status: "cancelled",
      beginsAt: at(11, 9, 30, paris, now),
      endsAt: at(11, 12, 30, paris, now),
      timezone: paris,
      category: "OUTDOORS_ADVENTURE",
      tags: ["trees"],
      address: lyon("Parc de la Tête d'Or", "Boulevard des Belges", 45.7772, 4.8556),
      description: "<p>Cancelled because of the storm warning; we will announce a new date.</p>",
    },
    {
      title: "Online: intro to climate finance",
      groupId: climate.id,
      beginsAt: at(18, 18, 0, paris, now),
      endsAt: at(18, 19, 30, paris, now),
      timezone: paris,
      category: "LEARNING",
      tags: ["webinar"],
      onlineUrl: "https://meet.example.org/climate-finance",
      description: "<p>A one-hour talk and Q&amp;A. Link opens 10 minutes before.</p>",
    },
    {
      title: "Zero-waste picnic",
      groupId: climate.id,
      beginsAt: at(22, 12, 0, paris, now),
      endsAt: at(22, 15, 0, paris, now),
      timezone: paris,
      category: "FOOD_DRINK",
      tags: ["picnic", "zero-waste"],
      address: lyon("Berges du Rhône", "Quai Victor Augagneur", 45.7604, 4.8428),
      description: "<p>Bring a dish in a reusable box.</p>",
    },
    {
      title: "Seed swap",
      groupId: climate.id,
      beginsAt: at(29, 10, 0, paris, now),
      endsAt: at(29, 13, 0, paris, now),
      timezone: paris,
      category: "COMMUNITY",
      tags: ["garden"],
      address: lyon("Jardin partagé", "8 rue Dumenge", 45.7765, 4.831),
      description: "<p>Swap seeds and gardening tips.</p>",
    },
    {
      title: "Hybrid assembly: next season's campaign",
      groupId: climate.id,
      beginsAt: at(36, 19, 0, paris, now),
      endsAt: at(36, 21, 30, paris, now),
      timezone: paris,
      category: "MEETING",
      tags: ["assembly"],
      address: lyon("Salle Paul Garcin", "15 rue Paul Garcin", 45.7612, 4.8392),
      onlineUrl: "https://meet.example.org/assembly",
      description: "<p>Join in person or online to choose our next campaign.</p>",
    },
    {
      title: "Film night: The Condemned Lands",
      groupId: climate.id,
      beginsAt: at(44, 20, 0, paris, now),
      endsAt: at(44, 22, 30, paris, now),
      timezone: paris,
      category: "FILM_MEDIA",
      tags: ["film"],
      address: lyon("Cinéma Opéra", "6 rue Joseph Serlin", 45.7671, 4.8357),
      description: "<p>Screening and discussion.</p>",
    },
    {
      title: "Bike repair workshop",
      groupId: climate.id,
      beginsAt: at(52, 14, 0, paris, now),
      endsAt: at(52, 17, 0, paris, now),
      timezone: paris,
      category: "CRAFTS",
      tags: ["bike", "repair"],
      address: lyon("L'Atelier du Chat Perché", "2 rue Sébastien Gryphe", 45.7524, 4.8433),
      description: "<p>Learn to fix brakes and gears.</p>",
    },
    {
      title: "Tenants' rights clinic",
      groupId: union.id,
      beginsAt: at(3, 18, 0, montreal, now),
      endsAt: at(3, 20, 0, montreal, now),
      timezone: montreal,
      category: "CAUSES",
      tags: ["housing", "legal"],
      address: {
        venue: "Centre communautaire",
        street: "2020 rue Saint-Denis",
        locality: "Montréal",
        region: "QC",
        postalCode: "H2X 3K7",
        country: "CA",
        latitude: 45.5152,
        longitude: -73.564,
      },
      description: "<p>Free legal advice on leases and evictions.</p>",
    },
    {
      title: "Know your lease: online session",
      groupId: union.id,
      beginsAt: at(6, 19, 0, newYork, now),
      endsAt: at(6, 20, 0, newYork, now),
      timezone: newYork,
      category: "LEARNING",
      tags: ["housing", "webinar"],
      onlineUrl: "https://meet.example.org/lease",
      description: "<p>Everything about renewals, deposits and repairs.</p>",
    },
    {
      title: "Building assembly: 5th Avenue",
      groupId: union.id,
      beginsAt: at(10, 19, 30, newYork, now),
      endsAt: at(10, 21, 0, newYork, now),
      timezone: newYork,
      category: "MEETING",
      tags: ["housing", "assembly"],
      address: {
        venue: "Community room",
        street: "1200 5th Avenue",
        locality: "New York",
        region: "NY",
        postalCode: "10029",
        country: "US",
        latitude: 40.7903,
        longitude: -73.9526,
      },
      description: "<p>Neighbours meet to organize repairs and rent negotiations.</p>",
    },
    {
      title: "Rent strike solidarity rally",
      groupId: union.id,
      beginsAt: at(17, 12, 0, montreal, now),
      endsAt: at(17, 14, 0, montreal, now),
      timezone: montreal,
      category: "MOVEMENTS_POLITICS",
      tags: ["housing", "rally"],
      address: {
        venue: "Place Émilie-Gamelin",
        locality: "Montréal",
        region: "QC",
        country: "CA",
        latitude: 45.515,
        longitude: -73.561,
      },
      description: "<p>Show up for the tenants on strike.</p>",
    },
    {
      title: "International housing call (Kolkata hosts)",
      groupId: union.id,
      beginsAt: at(24, 19, 30, kolkata, now),
      endsAt: at(24, 21, 0, kolkata, now),
      timezone: kolkata,
      category: "NETWORKING",
      tags: ["housing", "international"],
      onlineUrl: "https://meet.example.org/housing-international",
      description: "<p>Tenant organizers from four continents compare strategies.</p>",
    },
    {
      title: "Hybrid workshop: organizing your building",
      groupId: union.id,
      beginsAt: at(31, 18, 30, montreal, now),
      endsAt: at(31, 20, 30, montreal, now),
      timezone: montreal,
      category: "LEARNING",
      tags: ["housing", "workshop"],
      capacity: 40,
      fill: 12,
      address: {
        venue: "Bibliothèque du Plateau",
        street: "465 avenue du Mont-Royal Est",
        locality: "Montréal",
        region: "QC",
        country: "CA",
        latitude: 45.5262,
        longitude: -73.5817,
      },
      onlineUrl: "https://meet.example.org/organizing",
      description: "<p>Step by step: from the first door knock to the first assembly.</p>",
    },
    {
      title: "Postponed: housing forum",
      groupId: union.id,
      status: "postponed",
      beginsAt: at(39, 10, 0, newYork, now),
      endsAt: at(39, 16, 0, newYork, now),
      timezone: newYork,
      category: "CAUSES",
      tags: ["housing"],
      address: {
        venue: "Union Hall",
        locality: "New York",
        region: "NY",
        country: "US",
        latitude: 40.7306,
        longitude: -73.9866,
      },
      description: "<p>New date to be announced.</p>",
    },
    {
      title: "Potluck for new members",
      groupId: union.id,
      beginsAt: at(47, 18, 0, montreal, now),
      endsAt: at(47, 21, 0, montreal, now),
      timezone: montreal,
      category: "FOOD_DRINK",
      tags: ["welcome"],
      address: {
        venue: "Parc Lafontaine chalet",
        locality: "Montréal",
        region: "QC",
        country: "CA",
        latitude: 45.5268,
        longitude: -73.5697,
      },
      description: "<p>Meet the union over shared food.</p>",
    },
    {
      title: "Year-end celebration",
      groupId: union.id,
      allDay: true,
      beginsAt: at(58, 0, 0, montreal, now),
      endsAt: at(59, 0, 0, montreal, now),
      timezone: montreal,
      category: "PARTY",
      tags: ["party"],
      address: { venue: "Salle Saint-Pierre", locality: "Montréal", region: "QC", country: "CA" },
      description: "<p>A whole day of music, food and games.</p>",
    },
  ];
  for (const { fill, ...input } of events) {
    const event = await s.events.create(organizer, input);
    for (let i = 0; i < (fill ?? 0); i++) {
      await s.repos.participations.insert({
        id: newId(),
        eventId: event.id,
        kind: "anonymous",
        state: "confirmed",
        name: `Demo participant ${i + 1}`,
        email: `participant${i + 1}@demo.eventail.test`,
        identityId: null,
        actorUrl: null,
        message: "",
        createdAt: now,
        confirmTokenHash: null,
        confirmExpiresAt: null,
        manageTokenHash: null,
        language: "en",
        returnUrl: null,
        queuedAt: null,
        updatedAt: now,
      });
    }
  }
  return { seeded: true };
}
