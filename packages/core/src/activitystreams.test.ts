import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type ActivityStreamsContext,
  AS_PUBLIC,
  EVENT_CONTEXT,
  toActivityStreamsEvent,
} from "./activitystreams.ts";
import { makeEvent, ORIGIN } from "./test-helpers.ts";

const CTX: ActivityStreamsContext = {
  actor: `${ORIGIN}/ap/identities/idn_alice`,
  followers: `${ORIGIN}/ap/identities/idn_alice/followers`,
};

// A recorded Mobilizon payload (fixtures/ at the repository root).
const MOBILIZON_FIXTURE = new URL(
  "../../../fixtures/activitypub/mobilizon/mobilizon-post-activity.json",
  import.meta.url,
).pathname;

type Json = Record<string, unknown>;

describe("toActivityStreamsEvent: times", () => {
  it("keeps the venue's offset in startTime and endTime", () => {
    const as = toActivityStreamsEvent(makeEvent(), CTX);
    expect(as.startTime).toBe("2026-12-01T19:00:00+01:00");
    expect(as.endTime).toBe("2026-12-01T21:00:00+01:00");
    expect(as.startTime).not.toMatch(/Z$/);
    expect(as.timezone).toBe("Europe/Paris");
  });

  it("works for a negative offset and has no endTime without end", () => {
    const as = toActivityStreamsEvent(
      makeEvent({
        beginsAt: "2026-07-01T19:00:00-04:00",
        endsAt: null,
        timezone: "America/New_York",
      }),
      CTX,
    );
    expect(as.startTime).toBe("2026-07-01T19:00:00-04:00");
    expect(as.timezone).toBe("America/New_York");
    expect(as).not.toHaveProperty("endTime");
  });
});

describe("toActivityStreamsEvent: participation", () => {
  it("carries joinMode, and externalParticipationUrl for external events", () => {
    const as = toActivityStreamsEvent(
      makeEvent({ joinMode: "external", externalUrl: "https://tickets.example.org/repair" }),
      CTX,
    );
    expect(as.joinMode).toBe("external");
    expect(as.externalParticipationUrl).toBe("https://tickets.example.org/repair");
    expect(as.anonymousParticipationEnabled).toBe(false);
  });

  it.each([
    ["free", true],
    ["restricted", true],
    ["invite", false],
  ] as const)("joinMode %s: no external URL, anonymous participation %s", (joinMode, anonymous) => {
    const as = toActivityStreamsEvent(makeEvent({ joinMode }), CTX);
    expect(as.joinMode).toBe(joinMode);
    expect(as).not.toHaveProperty("externalParticipationUrl");
    expect(as.anonymousParticipationEnabled).toBe(anonymous);
  });

  it("gives capacities only when limited", () => {
    const limited = toActivityStreamsEvent(makeEvent({ capacity: 30, participantCount: 30 }), CTX);
    expect(limited).toMatchObject({
      maximumAttendeeCapacity: 30,
      remainingAttendeeCapacity: 0,
      participantCount: 30,
    });
    const open = toActivityStreamsEvent(makeEvent({ participantCount: 7 }), CTX);
    expect(open).not.toHaveProperty("maximumAttendeeCapacity");
    expect(open).not.toHaveProperty("remainingAttendeeCapacity");
    expect(open.participantCount).toBe(7);
  });
});

describe("toActivityStreamsEvent: location", () => {
  const place = {
    type: "Place",
    name: "La Halle",
    address: {
      type: "PostalAddress",
      streetAddress: "12 rue de la République",
      addressLocality: "Lyon",
      addressRegion: "Auvergne-Rhône-Alpes",
      postalCode: "69001",
      addressCountry: "France",
    },
    latitude: 45.7676,
    longitude: 4.8345,
  };

  it("is a Place for a physical event", () => {
    const as = toActivityStreamsEvent(makeEvent(), CTX);
    expect(as.location).toEqual(place);
    expect(as.isOnline).toBe(false);
  });

  it("is a VirtualLocation for an online event, marked isOnline", () => {
    const as = toActivityStreamsEvent(
      makeEvent({ address: null, onlineUrl: "https://meet.example.org/x" }),
      CTX,
    );
    expect(as.location).toEqual({ type: "VirtualLocation", url: "https://meet.example.org/x" });
    expect(as.isOnline).toBe(true);
  });

  it("is an array [Place, VirtualLocation] for a hybrid event", () => {
    const as = toActivityStreamsEvent(makeEvent({ onlineUrl: "https://meet.example.org/x" }), CTX);
    expect(as.location).toEqual([
      place,
      { type: "VirtualLocation", url: "https://meet.example.org/x" },
    ]);
    expect(as.isOnline).toBe(false);
  });

  it("is absent when there is neither", () => {
    expect(toActivityStreamsEvent(makeEvent({ address: null }), CTX)).not.toHaveProperty(
      "location",
    );
  });
});

describe("toActivityStreamsEvent: addressing", () => {
  it("addresses public events to as:Public, with followers in cc", () => {
    const as = toActivityStreamsEvent(makeEvent({ visibility: "public" }), CTX);
    expect(as.to).toEqual([AS_PUBLIC]);
    expect(as.cc).toEqual([CTX.followers]);
  });

  it("does not address unlisted events to as:Public at all", () => {
    const as = toActivityStreamsEvent(makeEvent({ visibility: "unlisted" }), CTX);
    expect(as.to).toEqual([CTX.followers]);
    expect(as.cc).toEqual([]);
    expect(JSON.stringify([as.to, as.cc])).not.toContain(AS_PUBLIC);
  });

  it("attributes group events to the group, keeping the organizer as actor", () => {
    const group = `${ORIGIN}/ap/groups/grp_repair`;
    const as = toActivityStreamsEvent(makeEvent(), { ...CTX, group });
    expect(as.attributedTo).toBe(group);
    expect(as.actor).toBe(CTX.actor);
    expect(toActivityStreamsEvent(makeEvent(), CTX).attributedTo).toBe(CTX.actor);
  });
});

describe("toActivityStreamsEvent: content", () => {
  it("has a summary with date, time, zone and place", () => {
    const summary = toActivityStreamsEvent(makeEvent(), CTX).summary as string;
    expect(summary).toContain("December 1, 2026");
    expect(summary).toContain("19:00");
    expect(summary).toContain("21:00");
    expect(summary).toContain("(Europe/Paris)");
    expect(summary).toContain("La Halle");
    expect(summary).toContain("Lyon");
  });

  it("gives the summary in the venue's zone even for far-away zones", () => {
    const summary = toActivityStreamsEvent(
      makeEvent({
        beginsAt: "2026-12-01T19:00:00+05:30",
        endsAt: null,
        timezone: "Asia/Kolkata",
        address: null,
        onlineUrl: "https://meet.example.org/k",
      }),
      CTX,
    ).summary as string;
    expect(summary).toContain("19:00");
    expect(summary).toContain("(Asia/Kolkata)");
    expect(summary).toContain("online");
  });

  it("flags cancelled events in the summary and status", () => {
    const as = toActivityStreamsEvent(makeEvent({ status: "cancelled" }), CTX);
    expect(as.summary).toMatch(/^CANCELLED · /);
    expect(as.status).toBe("CANCELLED");
    expect(toActivityStreamsEvent(makeEvent({ status: "postponed" }), CTX).status).toBe(
      "TENTATIVE",
    );
    expect(toActivityStreamsEvent(makeEvent({ status: "confirmed" }), CTX).status).toBe(
      "CONFIRMED",
    );
  });

  it("maps the rest of the event", () => {
    const e = makeEvent({
      banner: { url: `${ORIGIN}/media/t.jpg`, alt: "A toaster", mediaType: "image/jpeg" },
    });
    const as = toActivityStreamsEvent(e, CTX);
    expect(as).toMatchObject({
      "@context": EVENT_CONTEXT,
      id: e.url,
      type: "Event",
      url: e.url,
      name: "Repair café",
      content: e.description,
      mediaType: "text/html",
      category: "COMMUNITY",
      inLanguage: "fr",
      published: e.createdAt,
      updated: e.updatedAt,
    });
    expect(as.tag).toEqual([
      { type: "Hashtag", name: "#repair" },
      { type: "Hashtag", name: "#vélo" },
    ]);
    expect(as.attachment).toEqual([
      {
        type: "Document",
        mediaType: "image/jpeg",
        url: `${ORIGIN}/media/t.jpg`,
        name: "A toaster",
      },
    ]);
  });

  it("survives a JSON round trip unchanged", () => {
    const as = toActivityStreamsEvent(makeEvent({ onlineUrl: "https://meet.example.org/x" }), CTX);
    expect(JSON.parse(JSON.stringify(as))).toEqual(as);
  });
});

describe("toActivityStreamsEvent: shape of a Mobilizon event", () => {
  it("has every key Mobilizon's Event object has (but its internal ones)", () => {
    const activity = JSON.parse(readFileSync(MOBILIZON_FIXTURE, "utf8")) as Json;
    const theirs = activity.object as Json;
    expect(theirs.type).toBe("Event");
    const ours = toActivityStreamsEvent(
      makeEvent({
        banner: { url: `${ORIGIN}/media/t.jpg`, alt: "A toaster", mediaType: "image/jpeg" },
      }),
      CTX,
    );
    // uuid is Mobilizon's database id; inReplyTo is for comments, always null on events.
    const internal = new Set(["uuid", "inReplyTo"]);
    const missing = Object.keys(theirs).filter((k) => !internal.has(k) && !(k in ours));
    expect(missing).toEqual([]);

    // Location: same Place shape; Mobilizon's address id is an internal URL.
    const theirPlace = theirs.location as Json;
    const ourPlace = ours.location as Json;
    expect(ourPlace.type).toBe(theirPlace.type);
    expect(Object.keys(theirPlace).filter((k) => k !== "id" && !(k in ourPlace))).toEqual([]);
    expect(Object.keys(ourPlace.address as Json).sort()).toEqual(
      Object.keys(theirPlace.address as Json).sort(),
    );

    // Tags are objects with type and name, like Mobilizon's.
    for (const tag of ours.tag as Json[]) {
      for (const key of ["type", "name"]) expect(tag).toHaveProperty(key);
    }
    // Times are strings of the same RFC 3339 form.
    expect(Number.isNaN(Date.parse(theirs.startTime as string))).toBe(false);
    expect(Number.isNaN(Date.parse(ours.startTime as string))).toBe(false);
    // Same addressing convention for a public event.
    expect(ours.to).toEqual(theirs.to);
  });

  it("defines joinMode in its @context the way Mobilizon does", () => {
    const activity = JSON.parse(readFileSync(MOBILIZON_FIXTURE, "utf8")) as Json;
    const theirTerms = (activity["@context"] as unknown[]).find(
      (c) => typeof c === "object",
    ) as Json;
    const ourTerms = EVENT_CONTEXT.find((c) => typeof c === "object") as Json;
    expect(ourTerms.mz).toBe(theirTerms.mz);
    expect(ourTerms.sc).toBe(theirTerms.sc);
    expect(ourTerms.joinMode).toEqual(theirTerms.joinMode);
    expect(ourTerms.maximumAttendeeCapacity).toEqual(theirTerms.maximumAttendeeCapacity);
    expect(ourTerms.Hashtag).toEqual(theirTerms.Hashtag);
  });
});
