/**
 * A deterministic, realistic event dataset for the benchmark: events spread over the next
 * 365 days in nine time zones, local start times in the afternoon or evening, most with a
 * venue (and coordinates), some online or hybrid, a few all-day, cancelled or postponed,
 * about one in forty recurring weekly, three quarters of them inside a group.
 *
 * The inputs are plain JSON bodies for `POST /api/v1/events`; the same seed always gives
 * the same events (dates are relative to `now`).
 */
import { CATEGORIES, type CreateEventInput, instantAt, wallClock } from "@eventail/core";

export interface City {
  locality: string;
  region?: string;
  country: string;
  postalCode: string;
  timezone: string;
  lat: number;
  lon: number;
  venues: [venue: string, street: string][];
}

export const CITIES: City[] = [
  {
    locality: "Lyon",
    country: "FR",
    postalCode: "69001",
    timezone: "Europe/Paris",
    lat: 45.764,
    lon: 4.8357,
    venues: [
      ["Maison des Passages", "44 rue Saint-Georges"],
      ["Local associatif", "3 rue Burdeau"],
      ["Salle Paul Garcin", "15 rue Paul Garcin"],
      ["Jardin partagé", "8 rue Dumenge"],
    ],
  },
  {
    locality: "Paris",
    country: "FR",
    postalCode: "75011",
    timezone: "Europe/Paris",
    lat: 48.8566,
    lon: 2.3522,
    venues: [
      ["La Maison des Métallos", "94 rue Jean-Pierre Timbaud"],
      ["Bibliothèque Parmentier", "20 bis avenue Parmentier"],
      ["Café associatif", "12 rue de la Fontaine au Roi"],
    ],
  },
  {
    locality: "Berlin",
    country: "DE",
    postalCode: "10999",
    timezone: "Europe/Berlin",
    lat: 52.52,
    lon: 13.405,
    venues: [
      ["Nachbarschaftshaus", "Urbanstraße 21"],
      ["Repair-Café Kreuzberg", "Oranienstraße 45"],
    ],
  },
  {
    locality: "Montréal",
    region: "QC",
    country: "CA",
    postalCode: "H2X 3K7",
    timezone: "America/Montreal",
    lat: 45.5152,
    lon: -73.564,
    venues: [
      ["Centre communautaire", "2020 rue Saint-Denis"],
      ["Bibliothèque du Plateau", "465 avenue du Mont-Royal Est"],
    ],
  },
  {
    locality: "New York",
    region: "NY",
    country: "US",
    postalCode: "10029",
    timezone: "America/New_York",
    lat: 40.7903,
    lon: -73.9526,
    venues: [
      ["Community room", "1200 5th Avenue"],
      ["Union Hall", "35 East 19th Street"],
    ],
  },
  {
    locality: "São Paulo",
    region: "SP",
    country: "BR",
    postalCode: "01310-100",
    timezone: "America/Sao_Paulo",
    lat: -23.5505,
    lon: -46.6333,
    venues: [["Casa de Cultura", "Avenida Paulista 900"]],
  },
  {
    locality: "Nairobi",
    country: "KE",
    postalCode: "00100",
    timezone: "Africa/Nairobi",
    lat: -1.2921,
    lon: 36.8219,
    venues: [["Community Hub", "Kenyatta Avenue 12"]],
  },
  {
    locality: "Kolkata",
    region: "WB",
    country: "IN",
    postalCode: "700016",
    timezone: "Asia/Kolkata",
    lat: 22.5726,
    lon: 88.3639,
    venues: [["Park Street Hall", "17 Park Street"]],
  },
  {
    locality: "Tokyo",
    country: "JP",
    postalCode: "150-0002",
    timezone: "Asia/Tokyo",
    lat: 35.6762,
    lon: 139.6503,
    venues: [["Shibuya Community Center", "1-2-3 Shibuya"]],
  },
];

export interface GroupSeed {
  handle: string;
  name: string;
  description: string;
  /** Index into CITIES. */
  city: number;
}

export const GROUPS: GroupSeed[] = [
  {
    handle: "climate_lyon",
    name: "Climate Action Lyon",
    description: "<p>Repair cafés, bike rides, workshops and marches.</p>",
    city: 0,
  },
  {
    handle: "paris_commons",
    name: "Paris Commons",
    description: "<p>Neighbours sharing tools, skills and meals.</p>",
    city: 1,
  },
  {
    handle: "berlin_repair",
    name: "Berlin Repair Network",
    description: "<p>Fix it, don't bin it.</p>",
    city: 2,
  },
  {
    handle: "tenants_union",
    name: "Tenants' Union",
    description: "<p>Renters organizing together in Montréal and New York.</p>",
    city: 3,
  },
  {
    handle: "sp_cultura",
    name: "Cultura Viva SP",
    description: "<p>Free cultural events in São Paulo.</p>",
    city: 5,
  },
  {
    handle: "open_tech_asia",
    name: "Open Tech Asia",
    description: "<p>Meetups on free software in Kolkata and Tokyo.</p>",
    city: 7,
  },
];

const ACTIVITIES = [
  "Repair café",
  "Bike ride",
  "Climate workshop",
  "Volunteers' meeting",
  "Film night",
  "Seed swap",
  "Tenants' rights clinic",
  "Community assembly",
  "Zero-waste picnic",
  "Language exchange",
  "Free software install party",
  "Book club",
  "Open mic",
  "Neighbourhood clean-up",
  "Choir rehearsal",
  "Board game evening",
  "Permaculture walk",
  "Solidarity concert",
  "Housing forum",
  "Coding dojo",
];

const TOPICS = [
  "for beginners",
  "special edition",
  "with guest speakers",
  "family friendly",
  "autumn session",
  "spring session",
  "in English",
  "bilingual",
  "",
  "",
  "",
];

const TAGS = [
  "repair",
  "zero-waste",
  "bike",
  "climate",
  "housing",
  "workshop",
  "music",
  "film",
  "garden",
  "volunteers",
  "free-software",
  "kids",
  "food",
  "language",
  "assembly",
  "webinar",
];

const SENTENCES = [
  "Bring a friend, everyone is welcome.",
  "We start on time and finish with a shared meal.",
  "No experience needed: volunteers explain everything.",
  "The venue is step-free and has accessible toilets.",
  "Please register so we can plan the room and the food.",
  "Children are welcome; there is a play corner.",
  "Tea, coffee and snacks at a free price.",
  "We will share notes and photos afterwards on our website.",
  "Tools and materials are provided; bring your broken items.",
  "Talks are followed by questions and an open discussion.",
];

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One event input: the JSON body for POST /api/v1/events, minus the group id. */
export interface EventSeed {
  /** Index into GROUPS, or null for a personal event. */
  group: number | null;
  input: Omit<CreateEventInput, "groupId">;
}

/**
 * `count` events starting between `now` (+1 hour) and `now` + 365 days. Deterministic for a
 * given `seed` and `now`.
 */
export function generateEvents(count: number, now: Date, seed = 20_261_128): EventSeed[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: EventSeed[] = [];
  for (let i = 0; i < count; i++) {
    const group = rnd() < 0.75 ? Math.floor(rnd() * GROUPS.length) : null;
    const city = CITIES[group === null ? Math.floor(rnd() * CITIES.length) : GROUPS[group]!.city]!;
    const tz = city.timezone;

    // Local wall-clock start: a day in the next year, 09:00–20:45 local, on a quarter hour.
    const day = new Date(now.getTime() + (1 + Math.floor(rnd() * 364)) * 86_400_000);
    const w = wallClock(day, tz);
    const allDay = rnd() < 0.03;
    const hour = allDay ? 0 : 9 + Math.floor(rnd() * 12);
    const minute = allDay ? 0 : pick([0, 0, 15, 30, 30, 45]);
    const begins = instantAt({ ...w, hour, minute, second: 0 }, tz);
    const hours = allDay ? 24 : pick([1, 1.5, 2, 2, 3, 4]);
    const ends = new Date(begins.getTime() + hours * 3_600_000);

    const kind = rnd();
    const online = kind < 0.2 || kind > 0.88; // 20% online only, 12% hybrid
    const physical = kind >= 0.2;
    const [venue, street] = pick(city.venues);
    const jitter = () => (rnd() - 0.5) * 0.04;

    const tags = new Set<string>();
    const nTags = Math.floor(rnd() * 4);
    for (let t = 0; t < nTags; t++) tags.add(pick(TAGS));
    if (online && !physical) tags.add("webinar");

    const paragraphs: string[] = [];
    const nParagraphs = 1 + Math.floor(rnd() * 3);
    for (let p = 0; p < nParagraphs; p++) {
      const nSentences = 2 + Math.floor(rnd() * 3);
      const sentences = Array.from({ length: nSentences }, () => pick(SENTENCES));
      paragraphs.push(
        p === 0 && rnd() < 0.3
          ? `<p><strong>${sentences.join(" ")}</strong></p>`
          : `<p>${sentences.join(" ")}</p>`,
      );
    }

    const recurring = i % 40 === 7;
    const statusRoll = rnd();
    const title = `${pick(ACTIVITIES)} ${pick(TOPICS)}`.trim();
    const input: EventSeed["input"] = {
      title: online && !physical ? `Online: ${title}` : `${title} (${city.locality})`,
      description: paragraphs.join("\n"),
      beginsAt: begins.toISOString(),
      endsAt: ends.toISOString(),
      timezone: tz,
      allDay,
      category: pick(CATEGORIES),
      tags: [...tags],
      language: pick(["en", "en", "fr", "de", "pt", "ja"]),
      status: statusRoll < 0.02 ? "cancelled" : statusRoll < 0.03 ? "postponed" : "confirmed",
      ...(physical
        ? {
            address: {
              venue,
              street,
              locality: city.locality,
              ...(city.region ? { region: city.region } : {}),
              postalCode: city.postalCode,
              country: city.country,
              latitude: Math.round((city.lat + jitter()) * 1e5) / 1e5,
              longitude: Math.round((city.lon + jitter()) * 1e5) / 1e5,
            },
          }
        : {}),
      ...(online ? { onlineUrl: `https://meet.example.org/event-${i}` } : {}),
      ...(rnd() < 0.25 ? { capacity: pick([12, 20, 40, 100]) } : {}),
      ...(recurring
        ? {
            recurrence: {
              rrule: pick([
                "FREQ=WEEKLY;COUNT=8",
                "FREQ=WEEKLY;COUNT=12",
                "FREQ=WEEKLY;COUNT=26",
                "FREQ=WEEKLY;INTERVAL=2;COUNT=10",
                "FREQ=WEEKLY",
              ]),
            },
          }
        : {}),
    };
    out.push({ group, input });
  }
  return out;
}
