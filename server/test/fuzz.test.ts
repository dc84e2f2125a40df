/**
 * Property-based fuzzing of every API route (enumerated from the route registry, so a new
 * route is fuzzed without anyone remembering to) and of the ActivityPub inbox, on both
 * databases: no 5xx, no hang, API errors as problem+json, memory bounded.
 */

import { EVENT_CONTEXT } from "@eventail/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../src/app.ts";
import { createFedEnv, RemoteStub, type StubActor } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";
import { fromSchema, hostileString, hostileValue, toBody } from "./json-schema-arbitrary.ts";

/** Cases per database: 2 × (API + inbox) ≥ 10,000 per `npm test`. */
const API_RUNS = Number(process.env.FUZZ_RUNS ?? 6000);
const INBOX_RUNS = Math.ceil(API_RUNS / 4);
const TIMEOUT_MS = 5000;

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTIVITY_TYPES = [
  "Create",
  "Update",
  "Delete",
  "Follow",
  "Accept",
  "Reject",
  "Undo",
  "Join",
  "Leave",
  "Announce",
  "Like",
  "Flag",
  "Invite",
  "Add",
  "Remove",
  "Move",
  "Block",
  "TentativeAccept",
];
const OBJECT_TYPES = [
  "Event",
  "Note",
  "Article",
  "Person",
  "Group",
  "Tombstone",
  "Place",
  "Question",
];

let cases = 0;
/** Answers by status, printed at the end: shows how deep the cases got. */
const statuses = new Map<number, number>();
const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

function within<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms: ${what}`)), TIMEOUT_MS),
    ),
  ]);
}

/** Percent-encodes; a lone surrogate becomes the invalid UTF-8 bytes it would be. */
function encodePathPart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\s\S]/g, (ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return "%ED%A0%80";
      }
    });
  }
}

function jsonSchema(schema: z.ZodType | undefined): Record<string, unknown> | undefined {
  return schema
    ? (z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>)
    : undefined;
}

describe.each(dialects)("fuzzing on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let admin: TestUser;
  let user: TestUser;
  let victim: TestUser;
  let remote: StubActor;
  const pool: Record<string, string[]> = {};

  beforeAll(async () => {
    t = await createFedEnv(dialect, { EVENTAIL_RSVP_LIMIT: "0", EVENTAIL_LOGIN_LIMIT: "0" });
    stub = await RemoteStub.start();
    remote = await stub.actor("fuzzer");
    admin = await t.user({ role: "admin" });
    user = await t.user();
    victim = await t.user();
    const event = await t.event(user, {
      title: "Fuzzed event",
      beginsAt: inDays(9),
      timezone: "Europe/Paris",
      capacity: 5,
    });
    const group = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: "fuzzgroup", name: "Fuzz" },
      user.auth(),
    );
    expect(group.status).toBe(201);
    // Real values for path parameters (never the fuzzing callers' own token or account).
    pool.id = [event.id, victim.accountId, victim.identity.id];
    pool.handle = [user.identity.handle, "fuzzgroup", victim.identity.handle];
    pool.host = ["127.0.0.1", "mastodon.example"];
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it(`answers ${API_RUNS} generated API requests without a 5xx`, async () => {
    const { api } = createApp(t.services);
    const routes = api.routes.map((r) => ({
      method: r.method.toUpperCase(),
      path: r.path,
      params: [...r.path.matchAll(/:([A-Za-z_]+)(\{[^}]*\})?/g)].map((m) => m[1]!),
      body: jsonSchema(r.body),
      query: jsonSchema(r.query),
    }));
    expect(routes.length).toBeGreaterThan(30);

    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.tuple(
          ...route.params.map((name) =>
            fc.oneof(
              fc.constantFrom(...(pool[name] ?? ["x"])),
              fc.string({ maxLength: 40 }),
              hostileString,
            ),
          ),
        ),
        query: route.query ? fromSchema(route.query) : fc.constant(undefined),
        body: route.body
          ? fc.oneof(
              { weight: 8, arbitrary: fromSchema(route.body).map(toBody) },
              { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, // not JSON at all
              { weight: 1, arbitrary: hostileValue.map(toBody) },
            )
          : fc.constant(undefined),
        caller: fc.constantFrom("anonymous", "admin", "user", "revoked"),
        contentType: fc.constantFrom("application/json", "application/json", "text/plain", ""),
      }),
    );

    const heapBefore = process.memoryUsage().heapUsed;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        cases++;
        let i = 0;
        const path = r.route.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, () =>
          encodePathPart(String(r.params[i++])),
        );
        const qs =
          r.query && typeof r.query === "object"
            ? new URLSearchParams(
                Object.entries(r.query as Record<string, unknown>).map(([k, v]) => [
                  k,
                  typeof v === "string" ? v : (JSON.stringify(v) ?? ""),
                ]),
              ).toString()
            : "";
        const headers: Record<string, string> =
          r.caller === "admin"
            ? admin.auth()
            : r.caller === "user"
              ? user.auth()
              : r.caller === "revoked"
                ? { authorization: "Bearer evt_revoked0000000000000000000000" }
                : {};
        if (r.body !== undefined && r.contentType) headers["content-type"] = r.contentType;
        const what = `${r.route.method} ${path}${qs ? `?${qs}` : ""} ${r.caller} ${String(r.body).slice(0, 300)}`;
        const res = await within(
          t.request(`${path}${qs ? `?${qs}` : ""}`, {
            method: r.route.method,
            headers,
            ...(r.body !== undefined && r.route.method !== "GET" ? { body: r.body as string } : {}),
          }),
          what,
        );
        count(res.status);
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${res.status} for ${what}\n${text.slice(0, 500)}`);
        if (res.status >= 400 && !path.endsWith(".csv"))
          expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: API_RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    const growth = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    expect(growth, `heap grew ${growth.toFixed(0)} MiB`).toBeLessThan(300);
    // Still serving.
    expect((await t.request("/healthz")).status).toBe(200);
  }, 300_000);

  it(`answers ${INBOX_RUNS} generated inbox activities, signed and unsigned, without a 5xx`, async () => {
    const id = () =>
      fc.oneof(
        fc.constantFrom(
          remote.id,
          `${stub.origin}/objects/${Math.random()}`,
          `${ORIGIN}/events/x`,
          PUBLIC,
        ),
        fc.webUrl(),
        hostileString,
      );
    const object = fc.oneof(
      id(),
      fc.record(
        {
          id: id(),
          type: fc.oneof(fc.constantFrom(...OBJECT_TYPES), hostileString),
          name: fc.oneof(fc.string(), hostileString),
          content: fc.oneof(fc.string(), hostileString),
          startTime: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            hostileString,
          ),
          endTime: hostileString,
          timezone: hostileString,
          inReplyTo: id(),
          attributedTo: id(),
          location: hostileValue,
          to: fc.constantFrom([PUBLIC], PUBLIC, [], null),
          tag: hostileValue,
        },
        { requiredKeys: ["type"] },
      ),
      hostileValue,
    );
    const activity = fc.record(
      {
        "@context": fc.constantFrom(
          EVENT_CONTEXT,
          "https://www.w3.org/ns/activitystreams",
          null,
          42,
        ),
        id: fc.oneof(
          fc.constant(`${remote.id}/a/`).map((p) => p + Math.random()),
          id(),
        ),
        type: fc.oneof(fc.constantFrom(...ACTIVITY_TYPES), hostileString),
        actor: fc.oneof(fc.constant(remote.id), id(), hostileValue),
        object,
        to: fc.constantFrom([PUBLIC], []),
      },
      { requiredKeys: ["type", "actor"] },
    );
    // A well-formed signed activity gets through: the cases below reach the listeners.
    const sane = await stub.send(
      t,
      "/inbox",
      {
        "@context": EVENT_CONTEXT,
        id: `${remote.id}/follows/sane`,
        type: "Follow",
        actor: remote.id,
        object: `${ORIGIN}/@${user.identity.handle}`,
        to: [PUBLIC],
      },
      remote,
    );
    expect(sane.status, await sane.clone().text()).toBe(202);
    const inboxes = [
      "/inbox",
      `/@${user.identity.handle}/inbox`,
      "/@fuzzgroup/inbox",
      "/@relay/inbox",
    ];
    await fc.assert(
      fc.asyncProperty(
        activity,
        fc.constantFrom(...inboxes),
        fc.boolean(),
        async (a, path, signed) => {
          cases++;
          const what = `${signed ? "signed" : "unsigned"} ${path} ${toBody(a).slice(0, 300)}`;
          const res = await within(
            signed
              ? Promise.resolve(
                  t.app.request(
                    await stub.signed(`${ORIGIN}${path}`, JSON.parse(toBody(a)), remote),
                  ),
                )
              : t.request(path, {
                  method: "POST",
                  headers: { "content-type": "application/activity+json" },
                  body: toBody(a),
                }),
            what,
          );
          count(res.status);
          if (res.status >= 500)
            throw new Error(`${res.status} for ${what}\n${(await res.text()).slice(0, 500)}`);
        },
      ),
      { numRuns: INBOX_RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    expect((await t.request("/healthz")).status).toBe(200);
  }, 300_000);
});

afterAll(() => {
  const by = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.log(`fuzzing: ${cases} cases; answers ${by.join(" ")}`);
});
