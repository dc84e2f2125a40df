import { describe, expect, it } from "vitest";
import { eventUrl, toEventJson } from "./event-json.ts";
import { ALICE, makeRecord, ORIGIN, REPAIR_GROUP } from "./test-helpers.ts";

const CTX = { origin: ORIGIN, organizer: ALICE, group: null, participantCount: 3 };

describe("toEventJson", () => {
  it("writes times in the venue's offset and dates of record in UTC", () => {
    const json = toEventJson(makeRecord(), CTX);
    expect(json.beginsAt).toBe("2026-12-01T19:00:00+01:00");
    expect(json.endsAt).toBe("2026-12-01T21:00:00+01:00");
    expect(json.timezone).toBe("Europe/Paris");
    expect(json.createdAt).toBe("2026-10-01T08:00:00.000Z");
    expect(json.updatedAt).toBe("2026-10-02T09:30:00.000Z");
    expect(json).not.toHaveProperty("occurrence");
  });

  it("builds the page and calendar URLs", () => {
    const json = toEventJson(makeRecord({ id: "evt_42" }), CTX);
    expect(json.url).toBe(`${ORIGIN}/events/evt_42`);
    expect(json.url).toBe(eventUrl(ORIGIN, "evt_42"));
    expect(json.icsUrl).toBe(`${ORIGIN}/events/evt_42.ics`);
  });

  it("computes remaining places, null when unlimited, never negative", () => {
    expect(toEventJson(makeRecord({ capacity: 0 }), CTX).remainingCapacity).toBeNull();
    expect(toEventJson(makeRecord({ capacity: 10 }), CTX).remainingCapacity).toBe(7);
    expect(toEventJson(makeRecord({ capacity: 2 }), CTX).remainingCapacity).toBe(0);
  });

  it("derives the attendance mode", () => {
    expect(toEventJson(makeRecord(), CTX).attendanceMode).toBe("offline");
    expect(
      toEventJson(makeRecord({ onlineUrl: "https://meet.example.org/x" }), CTX).attendanceMode,
    ).toBe("mixed");
    expect(
      toEventJson(makeRecord({ address: null, onlineUrl: "https://meet.example.org/x" }), CTX)
        .attendanceMode,
    ).toBe("online");
  });

  it("makes the banner URL absolute and keeps its size only when known", () => {
    const sized = toEventJson(
      makeRecord({
        banner: {
          path: "/media/a.jpg",
          alt: "A",
          mediaType: "image/jpeg",
          width: 800,
          height: 400,
        },
      }),
      CTX,
    );
    expect(sized.banner).toEqual({
      url: `${ORIGIN}/media/a.jpg`,
      alt: "A",
      mediaType: "image/jpeg",
      width: 800,
      height: 400,
    });
    const unsized = toEventJson(
      makeRecord({ banner: { path: "/media/b.png", alt: "B", mediaType: "image/png" } }),
      CTX,
    );
    expect(unsized.banner).toEqual({
      url: `${ORIGIN}/media/b.png`,
      alt: "B",
      mediaType: "image/png",
    });
  });

  it("writes exdates in the venue's offset", () => {
    const json = toEventJson(
      makeRecord({
        recurrence: {
          rrule: "FREQ=WEEKLY",
          exdates: [new Date("2026-12-08T18:00:00Z"), new Date("2026-07-07T17:00:00Z")],
        },
      }),
      CTX,
    );
    expect(json.recurrence).toEqual({
      rrule: "FREQ=WEEKLY",
      exdates: ["2026-12-08T19:00:00+01:00", "2026-07-07T19:00:00+02:00"],
    });
  });

  it("gives an occurrence its own start and end, and names it", () => {
    const occurrence = {
      start: new Date("2027-07-06T17:00:00Z"),
      end: new Date("2027-07-06T19:00:00Z"),
    };
    const json = toEventJson(makeRecord(), { ...CTX, group: REPAIR_GROUP }, occurrence);
    expect(json.beginsAt).toBe("2027-07-06T19:00:00+02:00");
    expect(json.endsAt).toBe("2027-07-06T21:00:00+02:00");
    expect(json.occurrence).toBe("2027-07-06T17:00:00.000Z");
    expect(json.group).toEqual(REPAIR_GROUP);
  });
});
