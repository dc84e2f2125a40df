import { describe, expect, it } from "vitest";
import { parseEventFile } from "./event-files.ts";
import { toCreateBody } from "./front-matter.ts";

describe("event files", () => {
  it("reads front matter with offsets intact and renders the body", () => {
    const file = parseEventFile(
      `---
title: Repair café
beginsAt: 2027-03-14T14:00:00+01:00
endsAt: 2027-03-14T18:00:00+01:00
timezone: Europe/Paris
category: community
tags: [repair, Vélo Lyon]
address: { venue: Maison des Passages, locality: Lyon, country: FR }
group: climate_lyon
layout: event.njk
---
Bring **broken** things.<script>alert(1)</script>
`,
      "2027/repair-cafe.md",
    );
    expect(file.slug).toBe("2027/repair-cafe");
    expect(file.event).toEqual({
      ok: true,
      group: "climate_lyon",
      body: expect.objectContaining({
        title: "Repair café",
        beginsAt: "2027-03-14T14:00:00+01:00",
        endsAt: "2027-03-14T18:00:00+01:00",
        category: "COMMUNITY",
        tags: ["repair", "vélo-lyon"],
        description: "<p>Bring <strong>broken</strong> things.</p>",
        address: { venue: "Maison des Passages", locality: "Lyon", country: "FR" },
      }),
    });
  });

  it("takes bare dates for all-day events, and Date objects from other YAML parsers", () => {
    const fromText = toCreateBody(
      {
        title: "Fair",
        beginsAt: "2026-12-24",
        endsAt: "2026-12-26",
        timezone: "America/Toronto",
        allDay: true,
      },
      "",
    );
    expect(fromText).toMatchObject({
      ok: true,
      body: { beginsAt: "2026-12-24T00:00:00-05:00", endsAt: "2026-12-26T00:00:00-05:00" },
    });
    const fromDates = toCreateBody(
      {
        title: "Fair",
        beginsAt: new Date("2026-12-24T00:00:00Z"),
        endsAt: new Date("2026-12-26T00:00:00Z"),
        timezone: "America/Toronto",
        allDay: true,
      },
      "",
    );
    expect(fromDates).toEqual(fromText);
    const timed = toCreateBody(
      { title: "Talk", beginsAt: new Date("2027-01-10T18:00:00Z"), timezone: "Europe/Paris" },
      "",
    );
    expect(timed).toMatchObject({ ok: true, body: { beginsAt: "2027-01-10T18:00:00.000Z" } });
  });

  it("names the field of invalid front matter", () => {
    expect(
      toCreateBody({ beginsAt: "2027-01-01T10:00:00Z", timezone: "Europe/Paris" }, ""),
    ).toEqual({
      ok: false,
      issues: [{ path: "title", message: expect.any(String) }],
    });
    expect(
      toCreateBody({ title: "X", beginsAt: "2027-01-01T10:00:00Z", timezone: "Paris" }, ""),
    ).toMatchObject({
      ok: false,
      issues: [{ path: "timezone", message: expect.stringMatching(/IANA/) }],
    });
    expect(
      toCreateBody(
        {
          title: "X",
          beginsAt: "2027-01-01T10:00:00Z",
          endsAt: "2027-01-01T09:00:00Z",
          timezone: "UTC",
        },
        "",
      ),
    ).toMatchObject({ ok: false, issues: [{ path: "endsAt", message: "must be after beginsAt" }] });
    expect(parseEventFile("no front matter", "x.md").event).toMatchObject({ ok: false });
  });
});
