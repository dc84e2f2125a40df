import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  attendanceMode,
  type CreateEventInput,
  checkEventRules,
  createEventSchema,
  isPubliclyListed,
  normalizeTag,
  participationInputSchema,
  updateEventSchema,
  withEventDefaults,
} from "./model.ts";
import { makeRecord } from "./test-helpers.ts";

const minimal = {
  title: "Repair café",
  beginsAt: "2026-12-01T19:00:00+01:00",
  timezone: "Europe/Paris",
};

const full = {
  ...minimal,
  description: "<p>Bring a toaster.</p>",
  endsAt: "2026-12-01T21:00:00+01:00",
  allDay: false,
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
  onlineUrl: "https://meet.example.org/repair",
  category: "COMMUNITY",
  tags: ["repair", "#Vélo Lyon"],
  language: "fr-FR",
  banner: { uploadId: "abc123def456", alt: "A toaster on a workbench" },
  visibility: "unlisted",
  status: "confirmed",
  draft: false,
  publishAt: "2026-11-01T08:00:00Z",
  joinMode: "external",
  externalUrl: "https://tickets.example.org/repair",
  capacity: 40,
  groupId: "grp_repair",
  recurrence: { rrule: "FREQ=WEEKLY;BYDAY=TU", exdates: ["2026-12-08T19:00:00+01:00"] },
};

/** The issues of a failed parse, as "path: code" strings. */
function issues(
  schema: z.ZodType,
  input: unknown,
): { path: string; code: string; message: string }[] {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected a failure, got ${JSON.stringify(r.data)}`);
  return r.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message }));
}

/** Distinct paths of the issues (a malformed date-time also fails the range refinement). */
const paths = (schema: z.ZodType, input: unknown) => [
  ...new Set(issues(schema, input).map((i) => i.path)),
];

describe("createEventSchema", () => {
  it("accepts a minimal event", () => {
    expect(createEventSchema.parse(minimal)).toEqual(minimal);
  });

  it("accepts a complete event and normalizes its tags", () => {
    const out = createEventSchema.parse(full);
    expect(out.tags).toEqual(["repair", "vélo-lyon"]);
    expect(out.address?.latitude).toBe(45.7676);
    expect(out.recurrence?.exdates).toEqual(["2026-12-08T19:00:00+01:00"]);
  });

  it("trims the title and refuses a blank one", () => {
    expect(createEventSchema.parse({ ...minimal, title: "  Repair café  " }).title).toBe(
      "Repair café",
    );
    expect(issues(createEventSchema, { ...minimal, title: "   " })).toEqual([
      { path: "title", code: "too_small", message: "is required" },
    ]);
  });

  it("requires title, beginsAt and timezone", () => {
    expect(paths(createEventSchema, {}).sort()).toEqual(["beginsAt", "timezone", "title"]);
  });

  it.each(["Nope/Zone", "", "Europe/Pariss", "+01:00", "GMT+1 "])(
    "refuses the time zone %j",
    (tz) => {
      expect(paths(createEventSchema, { ...minimal, timezone: tz })).toEqual(["timezone"]);
    },
  );

  it.each([
    ["beginsAt", "1969-12-31T23:59:59Z"],
    ["beginsAt", "2200-01-01T00:00:00Z"],
    ["endsAt", "1960-06-01T10:00:00Z"],
    ["publishAt", "2300-01-01T00:00:00Z"],
  ])("refuses %s = %s outside 1970–2200", (field, value) => {
    expect(issues(createEventSchema, { ...minimal, [field]: value })).toEqual([
      { path: field, code: "custom", message: "must be between 1970 and 2200" },
    ]);
  });

  it("bounds the instant, not the text", () => {
    // Written as year 2200 but 2199-12-31T23:30Z.
    expect(
      createEventSchema.safeParse({ ...minimal, beginsAt: "2200-01-01T00:30:00+01:00" }).success,
    ).toBe(true);
    // Written as year 1970 but 1969-12-31T23:00Z.
    expect(paths(createEventSchema, { ...minimal, beginsAt: "1970-01-01T00:00:00+01:00" })).toEqual(
      ["beginsAt"],
    );
  });

  it("accepts the bounds themselves", () => {
    expect(
      createEventSchema.safeParse({ ...minimal, beginsAt: "1970-01-01T00:00:00Z" }).success,
    ).toBe(true);
    expect(
      createEventSchema.safeParse({ ...minimal, beginsAt: "2199-12-31T23:59:59.999Z" }).success,
    ).toBe(true);
  });

  it.each(["2026-12-01T19:00:00", "2026-12-01", "1 Dec 2026 19:00", "2026-12-01T19:00:00+0100"])(
    "refuses the date-time %j (RFC 3339 with an offset only)",
    (value) => {
      expect(paths(createEventSchema, { ...minimal, beginsAt: value })).toEqual(["beginsAt"]);
    },
  );

  it("refuses latitude without longitude, and the reverse, on address.latitude", () => {
    expect(
      issues(createEventSchema, { ...minimal, address: { venue: "X", latitude: 45.7 } }),
    ).toEqual([
      { path: "address.latitude", code: "custom", message: "give latitude and longitude together" },
    ]);
    expect(paths(createEventSchema, { ...minimal, address: { longitude: 4.8 } })).toEqual([
      "address.latitude",
    ]);
  });

  it("refuses coordinates out of range", () => {
    expect(
      paths(createEventSchema, { ...minimal, address: { latitude: 91, longitude: 0 } }),
    ).toEqual(["address.latitude"]);
    expect(
      paths(createEventSchema, { ...minimal, address: { latitude: 0, longitude: -180.5 } }),
    ).toEqual(["address.longitude"]);
  });

  it("is strict: unknown keys are refused, at the top level and inside objects", () => {
    const top = issues(createEventSchema, { ...minimal, organizerId: "someone_else" });
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ path: "", code: "unrecognized_keys" });
    expect(top[0]!.message).toContain("organizerId");
    expect(
      issues(createEventSchema, { ...minimal, address: { venue: "X", geom: "POINT(0 0)" } })[0],
    ).toMatchObject({ path: "address", code: "unrecognized_keys" });
    expect(
      issues(createEventSchema, {
        ...minimal,
        recurrence: { rrule: "FREQ=WEEKLY", rdates: [] },
      })[0],
    ).toMatchObject({ path: "recurrence", code: "unrecognized_keys" });
    expect(
      issues(createEventSchema, {
        ...minimal,
        banner: { uploadId: "abc123def456", alt: "x", url: "https://x" },
      })[0],
    ).toMatchObject({ path: "banner", code: "unrecognized_keys" });
  });

  it.each([
    ["onlineUrl", "javascript:alert(1)"],
    ["onlineUrl", "ftp://files.example.org/x"],
    ["onlineUrl", "not a url"],
    ["externalUrl", "data:text/html,<script>alert(1)</script>"],
  ])("refuses %s = %j", (field, value) => {
    expect(paths(createEventSchema, { ...minimal, [field]: value })).toEqual([field]);
  });

  it.each([
    ["category", "meeting"],
    ["category", "CONCERTS"],
    ["visibility", "secret"],
    ["status", "done"],
    ["joinMode", "open"],
    ["capacity", -1],
    ["capacity", 2.5],
    ["language", "French"],
    ["allDay", "yes"],
    ["tags", ["ok", "---"]],
    ["tags", Array.from({ length: 21 }, (_, i) => `t${i}`)],
    ["title", "x".repeat(201)],
  ])("refuses %s = %j", (field, value) => {
    const p = paths(createEventSchema, { ...minimal, [field]: value });
    expect(p.length).toBeGreaterThan(0);
    for (const path of p) expect(path.split(".")[0]).toBe(field);
  });

  it("refuses a sub-daily recurrence on recurrence.rrule", () => {
    expect(paths(createEventSchema, { ...minimal, recurrence: { rrule: "FREQ=HOURLY" } })).toEqual([
      "recurrence.rrule",
    ]);
    expect(
      paths(createEventSchema, {
        ...minimal,
        recurrence: { rrule: "FREQ=DAILY", exdates: ["yesterday"] },
      }),
    ).toEqual(["recurrence.exdates.0"]);
  });

  it("refuses a banner without alt text", () => {
    expect(
      paths(createEventSchema, { ...minimal, banner: { uploadId: "abc123def456", alt: "  " } }),
    ).toEqual(["banner.alt"]);
  });
});

describe("updateEventSchema", () => {
  it("accepts an empty patch and partial patches", () => {
    expect(updateEventSchema.parse({})).toEqual({});
    expect(updateEventSchema.parse({ endsAt: null, status: "cancelled" })).toEqual({
      endsAt: null,
      status: "cancelled",
    });
  });

  it("validates the fields it is given", () => {
    expect(paths(updateEventSchema, { timezone: "Nope/Zone" })).toEqual(["timezone"]);
    expect(paths(updateEventSchema, { beginsAt: "2201-01-01T00:00:00Z" })).toEqual(["beginsAt"]);
    expect(paths(updateEventSchema, { address: { latitude: 1 } })).toEqual(["address.latitude"]);
  });

  it("is strict too", () => {
    expect(issues(updateEventSchema, { sequence: 99 })[0]).toMatchObject({
      code: "unrecognized_keys",
    });
    expect(issues(updateEventSchema, { id: "evt_other" })[0]).toMatchObject({
      code: "unrecognized_keys",
    });
  });

  it("does not fill defaults into a patch", () => {
    expect(Object.keys(updateEventSchema.parse({ title: "New" }))).toEqual(["title"]);
  });
});

describe("withEventDefaults and checkEventRules", () => {
  const input = createEventSchema.parse(minimal) as CreateEventInput;

  it("fills the defaults without overriding given fields", () => {
    const e = withEventDefaults({ ...input, visibility: "unlisted" });
    expect(e).toMatchObject({
      title: "Repair café",
      endsAt: null,
      allDay: false,
      category: "MEETING",
      tags: [],
      language: "en",
      visibility: "unlisted",
      status: "confirmed",
      joinMode: "free",
      capacity: 0,
      recurrence: null,
    });
  });

  it("finds nothing wrong with a good event", () => {
    expect(checkEventRules(withEventDefaults(createEventSchema.parse(full)))).toEqual([]);
    expect(checkEventRules(withEventDefaults(input))).toEqual([]);
  });

  it("reports endsAt before or at beginsAt", () => {
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2026-12-01T18:00:00+01:00" })),
    ).toEqual([{ path: "endsAt", message: "must be after beginsAt" }]);
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2026-12-01T18:00:00Z" })).map(
        (i) => i.path,
      ),
    ).toEqual(["endsAt"]);
  });

  it("compares instants, not strings", () => {
    // "19:30+02:00" sorts after "19:00+01:00" as text but is 17:30Z, before 18:00Z.
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2026-12-01T19:30:00+02:00" })).map(
        (i) => i.path,
      ),
    ).toEqual(["endsAt"]);
    // "18:30Z" sorts before "19:00+01:00" as text but is after 18:00Z.
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2026-12-01T18:30:00Z" })),
    ).toEqual([]);
  });

  it("limits an event to a year", () => {
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2027-12-03T19:00:00+01:00" })),
    ).toEqual([{ path: "endsAt", message: "an event may last at most a year" }]);
    expect(
      checkEventRules(withEventDefaults({ ...input, endsAt: "2027-11-30T19:00:00+01:00" })),
    ).toEqual([]);
  });

  it("requires externalUrl when joinMode is external", () => {
    expect(checkEventRules(withEventDefaults({ ...input, joinMode: "external" }))).toEqual([
      { path: "externalUrl", message: "is required when joinMode is external" },
    ]);
    expect(
      checkEventRules(
        withEventDefaults({
          ...input,
          joinMode: "external",
          externalUrl: "https://tickets.example.org/x",
        }),
      ),
    ).toEqual([]);
  });

  it("checks a patch merged onto the stored event", () => {
    const stored = withEventDefaults({ ...input, endsAt: "2026-12-01T21:00:00+01:00" });
    const patch = updateEventSchema.parse({ beginsAt: "2026-12-01T22:00:00+01:00" });
    expect(checkEventRules({ ...stored, ...patch }).map((i) => i.path)).toEqual(["endsAt"]);
  });
});

describe("normalizeTag", () => {
  it.each([
    ["#Vélo Lyon", "vélo-lyon"],
    ["##Climate   Action", "climate-action"],
    ["  Repair Café  ", "repair-café"],
    ["C++ & Rust!", "c-rust"],
    ["snake_case-and-dash", "snake_case-and-dash"],
    ["ÉTÉ2026", "été2026"],
    ["日本語", "日本語"],
    ["---", ""],
    ["#", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeTag(input)).toBe(expected);
  });

  it("composes accents (NFC), so both spellings make the same tag", () => {
    const decomposed = "Cafe\u0301";
    expect(normalizeTag(decomposed)).toBe("caf\u00e9");
    expect(normalizeTag(decomposed)).toBe(normalizeTag("Caf\u00e9"));
  });

  it("keeps at most 50 characters", () => {
    expect(normalizeTag("a".repeat(80))).toHaveLength(50);
  });

  it("is idempotent", () => {
    for (const t of ["#Vélo Lyon", "C++ & Rust!", "  Repair Café  "]) {
      expect(normalizeTag(normalizeTag(t))).toBe(normalizeTag(t));
    }
  });
});

describe("participationInputSchema", () => {
  it("lowercases the email and refuses unknown keys", () => {
    expect(participationInputSchema.parse({ name: " Bob ", email: "Bob@Example.ORG" })).toEqual({
      name: "Bob",
      email: "bob@example.org",
    });
    expect(
      participationInputSchema.safeParse({ name: "Bob", email: "bob@example.org", admin: true })
        .success,
    ).toBe(false);
    expect(paths(participationInputSchema, { name: "Bob", email: "not-an-email" })).toEqual([
      "email",
    ]);
  });
});

describe("attendanceMode and isPubliclyListed", () => {
  it("derives the attendance mode", () => {
    expect(attendanceMode({ address: { locality: "Lyon" }, onlineUrl: null })).toBe("offline");
    expect(attendanceMode({ address: null, onlineUrl: "https://meet.example.org" })).toBe("online");
    expect(
      attendanceMode({ address: { locality: "Lyon" }, onlineUrl: "https://meet.example.org" }),
    ).toBe("mixed");
    expect(attendanceMode({ address: null, onlineUrl: null })).toBe("offline");
  });

  it("lists only public, published events whose publishAt has passed", () => {
    const now = new Date("2026-11-15T00:00:00Z");
    expect(isPubliclyListed(makeRecord(), now)).toBe(true);
    expect(isPubliclyListed(makeRecord({ visibility: "unlisted" }), now)).toBe(false);
    expect(isPubliclyListed(makeRecord({ visibility: "private" }), now)).toBe(false);
    expect(isPubliclyListed(makeRecord({ draft: true }), now)).toBe(false);
    expect(isPubliclyListed(makeRecord({ publishAt: new Date("2026-11-20T00:00:00Z") }), now)).toBe(
      false,
    );
    expect(isPubliclyListed(makeRecord({ publishAt: new Date("2026-11-15T00:00:00Z") }), now)).toBe(
      true,
    );
  });
});
