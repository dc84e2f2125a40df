import { describe, expect, it } from "vitest";
import type { EventJson } from "./json.ts";
import { toJsonLd } from "./jsonld.ts";
import { ALICE, makeEvent, ORIGIN, REPAIR_GROUP } from "./test-helpers.ts";

const SCHEMA = "https://schema.org/";

describe("toJsonLd: Google's required and recommended properties", () => {
  const e = makeEvent({
    banner: {
      url: `${ORIGIN}/media/toaster.jpg`,
      alt: "A toaster",
      mediaType: "image/jpeg",
      width: 1200,
      height: 630,
    },
    group: REPAIR_GROUP,
    capacity: 40,
    participantCount: 12,
  });
  const ld = toJsonLd(e);

  it("is a schema.org Event identified by its page", () => {
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("Event");
    expect(ld["@id"]).toBe(e.url);
    expect(ld.url).toBe(e.url);
  });

  it("has the required name, startDate and location", () => {
    expect(ld.name).toBe("Repair café");
    expect(ld.startDate).toBe("2026-12-01T19:00:00+01:00");
    expect(ld.location).toEqual({
      "@type": "Place",
      name: "La Halle",
      address: {
        "@type": "PostalAddress",
        streetAddress: "12 rue de la République",
        addressLocality: "Lyon",
        addressRegion: "Auvergne-Rhône-Alpes",
        postalCode: "69001",
        addressCountry: "France",
      },
      geo: { "@type": "GeoCoordinates", latitude: 45.7676, longitude: 4.8345 },
    });
  });

  it("has the recommended description, endDate, status, mode, image, organizer and offers", () => {
    expect(ld.description).toBe("Bring a broken toaster & we fix it.");
    expect(ld.endDate).toBe("2026-12-01T21:00:00+01:00");
    expect(ld.eventStatus).toBe(`${SCHEMA}EventScheduled`);
    expect(ld.eventAttendanceMode).toBe(`${SCHEMA}OfflineEventAttendanceMode`);
    expect(ld.image).toEqual([`${ORIGIN}/media/toaster.jpg`]);
    expect(ld.organizer).toEqual({
      "@type": "Organization",
      name: REPAIR_GROUP.name,
      url: REPAIR_GROUP.url,
    });
    expect(ld.offers).toEqual({
      "@type": "Offer",
      url: e.url,
      availability: `${SCHEMA}InStock`,
      validFrom: "2026-10-01T08:00:00.000Z",
    });
  });

  it("adds language, keywords and capacity", () => {
    expect(ld.inLanguage).toBe("fr");
    expect(ld.keywords).toBe("repair, vélo");
    expect(ld.maximumAttendeeCapacity).toBe(40);
    expect(ld.remainingAttendeeCapacity).toBe(28);
  });

  it("survives a JSON round trip unchanged (no undefined, no Dates)", () => {
    expect(JSON.parse(JSON.stringify(ld))).toEqual(ld);
  });

  it("uses a Person organizer without group, and omits what is absent", () => {
    const bare = toJsonLd(makeEvent({ endsAt: null, tags: [], banner: null }));
    expect(bare.organizer).toEqual({ "@type": "Person", name: ALICE.name, url: ALICE.url });
    for (const key of [
      "endDate",
      "image",
      "keywords",
      "maximumAttendeeCapacity",
      "remainingAttendeeCapacity",
    ]) {
      expect(bare, key).not.toHaveProperty(key);
    }
  });
});

describe("toJsonLd: status and attendance mode", () => {
  it.each([
    ["confirmed", "EventScheduled"],
    ["tentative", "EventScheduled"],
    ["cancelled", "EventCancelled"],
    ["postponed", "EventPostponed"],
  ] as const)("%s → %s", (status, schemaStatus) => {
    expect(toJsonLd(makeEvent({ status })).eventStatus).toBe(`${SCHEMA}${schemaStatus}`);
  });

  it("online events have a VirtualLocation", () => {
    const ld = toJsonLd(makeEvent({ address: null, onlineUrl: "https://meet.example.org/repair" }));
    expect(ld.eventAttendanceMode).toBe(`${SCHEMA}OnlineEventAttendanceMode`);
    expect(ld.location).toEqual({
      "@type": "VirtualLocation",
      url: "https://meet.example.org/repair",
    });
  });

  it("mixed events have both a Place and a VirtualLocation", () => {
    const ld = toJsonLd(makeEvent({ onlineUrl: "https://meet.example.org/repair" }));
    expect(ld.eventAttendanceMode).toBe(`${SCHEMA}MixedEventAttendanceMode`);
    const loc = ld.location as { "@type": string; url?: string }[];
    expect(loc.map((l) => l["@type"])).toEqual(["Place", "VirtualLocation"]);
    expect(loc[1]!.url).toBe("https://meet.example.org/repair");
  });

  it("names a place by its locality when it has no venue, and omits geo without coordinates", () => {
    const ld = toJsonLd(makeEvent({ address: { locality: "Villeurbanne", country: "France" } }));
    expect(ld.location).toEqual({
      "@type": "Place",
      name: "Villeurbanne",
      address: {
        "@type": "PostalAddress",
        addressLocality: "Villeurbanne",
        addressCountry: "France",
      },
    });
  });
});

describe("toJsonLd: all-day events", () => {
  const allDay = (over: Partial<EventJson>) => toJsonLd(makeEvent({ allDay: true, ...over }));

  it("uses dates, with an inclusive endDate", () => {
    const ld = allDay({
      beginsAt: "2026-12-01T00:00:00+01:00",
      endsAt: "2026-12-03T00:00:00+01:00",
    });
    expect(ld.startDate).toBe("2026-12-01");
    expect(ld.endDate).toBe("2026-12-02");
  });

  it("gives a one-day event the same start and end date", () => {
    const ld = allDay({
      beginsAt: "2026-12-01T00:00:00+01:00",
      endsAt: "2026-12-02T00:00:00+01:00",
    });
    expect([ld.startDate, ld.endDate]).toEqual(["2026-12-01", "2026-12-01"]);
  });

  it("takes the local date, whatever the offset", () => {
    // Midnight in Auckland is still the previous day in UTC.
    const ld = allDay({
      beginsAt: "2026-12-01T00:00:00+13:00",
      endsAt: "2026-12-02T00:00:00+13:00",
      timezone: "Pacific/Auckland",
    });
    expect([ld.startDate, ld.endDate]).toEqual(["2026-12-01", "2026-12-01"]);
  });

  it("crosses month and year ends", () => {
    const ld = allDay({
      beginsAt: "2026-12-31T00:00:00+01:00",
      endsAt: "2027-01-02T00:00:00+01:00",
    });
    expect([ld.startDate, ld.endDate]).toEqual(["2026-12-31", "2027-01-01"]);
    const march = allDay({
      beginsAt: "2028-02-28T00:00:00+01:00",
      endsAt: "2028-03-01T00:00:00+01:00",
    });
    expect(march.endDate).toBe("2028-02-29");
  });

  it("has no endDate without end", () => {
    const ld = allDay({ beginsAt: "2026-12-01T00:00:00+01:00", endsAt: null });
    expect(ld.startDate).toBe("2026-12-01");
    expect(ld).not.toHaveProperty("endDate");
  });
});

describe("toJsonLd: offers", () => {
  it("is SoldOut when no place is left", () => {
    const ld = toJsonLd(makeEvent({ capacity: 20, participantCount: 20 }));
    expect(ld.remainingAttendeeCapacity).toBe(0);
    expect((ld.offers as { availability: string }).availability).toBe(`${SCHEMA}SoldOut`);
  });

  it("is InStock while places remain or when capacity is unlimited", () => {
    expect(
      (
        toJsonLd(makeEvent({ capacity: 20, participantCount: 19 })).offers as {
          availability: string;
        }
      ).availability,
    ).toBe(`${SCHEMA}InStock`);
    const unlimited = toJsonLd(makeEvent({ capacity: 0, participantCount: 500 }));
    expect((unlimited.offers as { availability: string }).availability).toBe(`${SCHEMA}InStock`);
    expect(unlimited).not.toHaveProperty("remainingAttendeeCapacity");
  });

  it("points to the external registration page when joining happens elsewhere", () => {
    const ld = toJsonLd(
      makeEvent({ joinMode: "external", externalUrl: "https://tickets.example.org/repair" }),
    );
    expect((ld.offers as { url: string }).url).toBe("https://tickets.example.org/repair");
  });
});
