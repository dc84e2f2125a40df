/**
 * Hostile input at the HTTP boundary, on both databases: each case a clear 4xx problem+json
 * that names what is wrong, and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEnv,
  type DialectName,
  dialects,
  inDays,
  problem,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("hostile input on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let u: TestUser;

  beforeAll(async () => {
    t = await createEnv(dialect);
    u = await t.user();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const valid = { title: "Picnic", beginsAt: inDays(7), timezone: "Europe/Paris" };
  const raw = (body: BodyInit, contentType = "application/json") =>
    t.request("/api/v1/events", {
      method: "POST",
      headers: { ...u.auth(), "content-type": contentType },
      body,
    });
  const count = async () =>
    (await (await t.request(`/api/v1/events?organizer=${u.identity.handle}`)).json()).items
      ?.length ?? 0;

  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    [
      "deeply nested JSON",
      () => raw(`${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      400,
      /nests deeper/,
    ],
    [
      "deeply nested object in a field",
      () => raw(`{"title":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}}`),
      400,
      /nests deeper/,
    ],
    [
      "oversized body",
      () => raw(JSON.stringify({ ...valid, description: "x".repeat(2_000_000) })),
      413,
      /too large/,
    ],
    [
      "invalid UTF-8",
      () => raw(new Uint8Array([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
      400,
      /not valid UTF-8/,
    ],
    ["truncated JSON", () => raw('{"title": "Picnic", "beginsAt":'), 400, /not valid JSON/],
    [
      "huge number",
      () =>
        raw(JSON.stringify({ ...valid, capacity: 1 }).replace(/"capacity":1/, '"capacity":1e309')),
      422,
      /capacity/,
    ],
    [
      "number past 2^53",
      () => raw(JSON.stringify({ ...valid, capacity: 1 }).replace(/1}$/, "18446744073709551616}")),
      422,
      /capacity/,
    ],
    ["negative capacity", () => raw(JSON.stringify({ ...valid, capacity: -5 })), 422, /capacity/],
    [
      "date out of range",
      () => raw(JSON.stringify({ ...valid, beginsAt: "+275760-09-14T00:00:00Z" })),
      422,
      /beginsAt/,
    ],
    [
      "impossible date",
      () => raw(JSON.stringify({ ...valid, beginsAt: "2026-02-30T25:61:00Z" })),
      422,
      /beginsAt/,
    ],
    [
      "year zero",
      () => raw(JSON.stringify({ ...valid, beginsAt: "0000-01-01T00:00:00Z" })),
      422,
      /beginsAt/,
    ],
    [
      "time zone that does not exist",
      () => raw(JSON.stringify({ ...valid, timezone: "Europe/Atlantis" })),
      422,
      /timezone/,
    ],
    [
      "offset instead of a zone",
      () => raw(JSON.stringify({ ...valid, timezone: "+02:00" })),
      422,
      /timezone/,
    ],
    [
      "NUL byte in a string",
      () => raw(JSON.stringify({ ...valid, title: "Pic\u0000nic" })),
      422,
      /title/,
    ],
    [
      "overlong title",
      () => raw(JSON.stringify({ ...valid, title: "x".repeat(10_000) })),
      422,
      /title/,
    ],
    ["wrong type", () => raw(JSON.stringify({ ...valid, title: ["Picnic"] })), 422, /title/],
    ["unknown field", () => raw(JSON.stringify({ ...valid, isAdmin: true })), 422, /isAdmin/],
    [
      "prototype pollution",
      () =>
        raw(
          '{"title":"P","beginsAt":"2030-01-01T10:00:00Z","timezone":"UTC","__proto__":{"admin":true}}',
        ),
      422,
      /__proto__/,
    ],
    [
      "form-encoded body",
      () => raw("title=Picnic", "application/x-www-form-urlencoded"),
      415,
      /application\/json/,
    ],
    [
      "no content type",
      () =>
        t.request("/api/v1/events", {
          method: "POST",
          headers: u.auth(),
          body: JSON.stringify(valid),
        }),
      415,
      /application\/json/,
    ],
    [
      "lone surrogate",
      () => raw('{"title":"\\ud800","beginsAt":"2030-01-01T10:00:00Z","timezone":"UTC"}'),
      422,
      /title/,
    ],
  ];

  it.each(cases)(
    "answers %s with a clear 4xx and stores nothing",
    async (_name, send, status, detail) => {
      const before = await count();
      const res = await send();
      const text = await res.clone().text();
      expect(res.status, text.slice(0, 300)).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const p = await problem(res);
      expect(`${p.detail ?? ""} ${JSON.stringify(p.errors ?? [])}`).toMatch(detail);
      expect(await count()).toBe(before);
    },
  );

  it("answers hostile query strings and paths with 4xx", async () => {
    for (const path of [
      "/api/v1/events?limit=1e309",
      "/api/v1/events?limit=-1",
      "/api/v1/events?from=+275760-09-14T00:00:00Z",
      "/api/v1/events?near=91,181",
      "/api/v1/events?cursor=%FF%FE",
      `/api/v1/events?q=${"x".repeat(5000)}`,
      "/api/v1/events/%FF",
      `/api/v1/events/${"a".repeat(5000)}`,
      "/@%00",
      "/events/%E0%A4%A.ics",
    ]) {
      const res = await t.request(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
