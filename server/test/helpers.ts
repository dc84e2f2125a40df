/**
 * Test harness for the server: Services over a real database of either dialect, and small
 * helpers to call the Hono app in-process (no network).
 *
 * SQLite: a fresh file in a new temporary directory. PostgreSQL: a database of its own,
 * created on the server at EVENTAIL_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test)
 * and dropped afterwards. PostgreSQL is never skipped: when it cannot be reached, the suite
 * fails with a message saying so.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { Identity } from "@eventail/core";
import type { Hono } from "hono";
import pg from "pg";
import { createApp } from "../src/app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import { newId } from "../src/domain/secrets.ts";
import type { Env } from "../src/http/env.ts";
import { createLogger } from "../src/log.ts";
import { createServices, type Services } from "../src/services.ts";
import type { ParticipationRow } from "../src/storage/index.ts";

export type DialectName = "sqlite" | "postgres";
export const dialects: DialectName[] = ["sqlite", "postgres"];

export const ORIGIN = "http://events.test";
export const PG_ADMIN_URL =
  process.env.EVENTAIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new Error(
      `PostgreSQL is required by the server tests but ${redact(PG_ADMIN_URL)} cannot be reached ` +
        `(${(err as Error).message}). Start it (scripts/ensure-services.sh) or point ` +
        "EVENTAIL_TEST_PG_URL at a server where this user may CREATE DATABASE.",
    );
  }
  return client;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Creates an empty database for one test file and returns its URL. */
export async function createPgDatabase(): Promise<{ url: string; name: string }> {
  const name = `eventail_t_${randomBytes(6).toString("hex")}`;
  const client = await adminClient();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name}`);
        break;
      } catch (err) {
        // Concurrent CREATE DATABASE from template1 can collide; try again shortly.
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await client.end();
  }
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

export async function dropPgDatabase(name: string): Promise<void> {
  const client = await adminClient();
  try {
    // A closed pool's connections finish closing shortly after its end() resolves; give them
    // that moment (terminating them mid-close raises an error in the closed pool), then
    // terminate whatever is left.
    for (let i = 0; i < 40; i++) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
  } finally {
    await client.end();
  }
}

/** A place for one suite's data: a temp dir, and a database when PostgreSQL is asked for. */
export interface TestPlace {
  dialect: DialectName;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Config for this place; `env` adds or overrides environment variables. */
  config(env?: Record<string, string>): Config;
  dispose(): Promise<void>;
}

export async function createPlace(dialect: DialectName): Promise<TestPlace> {
  const dataDir = await mkdtemp(join(tmpdir(), "eventail-test-"));
  let db: { url: string; name: string } | undefined;
  if (dialect === "postgres") {
    try {
      db = await createPgDatabase();
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  return {
    dialect,
    dataDir,
    databaseUrl: db?.url,
    config: (env = {}) =>
      loadConfig(
        {},
        {
          EVENTAIL_DATA: dataDir,
          EVENTAIL_ORIGIN: ORIGIN,
          ...(db ? { DATABASE_URL: db.url } : {}),
          ...env,
        },
      ),
    dispose: async () => {
      if (db) await dropPgDatabase(db.name);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A user made directly through the services: active, with an API token. */
export interface TestUser {
  accountId: string;
  email: string;
  password: string;
  identity: Identity;
  token: string;
  /** Authorization header (plus Eventail-Identity when `as` is given to `auth`). */
  auth(as?: Identity | string): Record<string, string>;
}

export interface TestEnv {
  place: TestPlace;
  services: Services;
  app: Hono<Env>;
  /** `app.request` on a full URL of the test origin. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request: serializes `body`, sets the content type. */
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  user(opts?: { role?: "user" | "moderator" | "admin"; handle?: string }): Promise<TestUser>;
  /** Creates an event through the API and returns its JSON (fails the test on non-201). */
  event(user: TestUser, input: Record<string, unknown>, as?: Identity): Promise<EventJsonLike>;
  /** Uploads a 4×4 PNG as `user` (fails the test on non-201): its id and public URL. */
  upload(user: TestUser): Promise<{ id: string; url: string }>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: test-side view of the API's JSON
export type EventJsonLike = Record<string, any> & { id: string };

let counter = 0;
/** A short unique handle/email part for this process. */
export function unique(prefix = "u"): string {
  counter++;
  return `${prefix}${process.pid.toString(36)}${counter}${randomBytes(2).toString("hex")}`;
}

export async function createEnv(
  dialect: DialectName,
  env: Record<string, string> = {},
): Promise<TestEnv> {
  const place = await createPlace(dialect);
  let services: Services;
  try {
    services = await createServices(place.config(env), createLogger("silent"));
  } catch (err) {
    await place.dispose();
    throw err;
  }
  return wrap(place, services);
}

export function wrap(place: TestPlace, services: Services): TestEnv {
  const { app } = createApp(services);
  const request = async (path: string, init?: RequestInit) =>
    app.request(path.startsWith("http") ? path : `${ORIGIN}${path}`, init);
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    request(path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const t: TestEnv = {
    place,
    services,
    app,
    request,
    send,
    async user(opts = {}) {
      const handle = opts.handle ?? unique("h");
      const email = `${handle}@example.test`;
      const password = `pw-${randomBytes(8).toString("hex")}`;
      const { account, identity } = await services.accounts.create({
        email,
        password,
        handle,
        name: `Person ${handle}`,
        role: opts.role ?? "user",
        state: "active",
      });
      const { token } = await services.accounts.createToken(account.id, "tests");
      return {
        accountId: account.id,
        email,
        password,
        identity,
        token,
        auth: (as) => ({
          authorization: `Bearer ${token}`,
          ...(as ? { "eventail-identity": typeof as === "string" ? as : as.id } : {}),
        }),
      };
    },
    async event(user, input, as) {
      const res = await send("POST", "/api/v1/events", input, user.auth(as));
      const body = await res.json();
      if (res.status !== 201)
        throw new Error(`creating an event answered ${res.status}: ${JSON.stringify(body)}`);
      return body as EventJsonLike;
    },
    async upload(user) {
      const form = new FormData();
      form.append(
        "file",
        new Blob([new Uint8Array(tinyPng(4, 4))], { type: "image/png" }),
        "a.png",
      );
      const res = await request("/api/v1/media", {
        method: "POST",
        headers: user.auth(),
        body: form,
      });
      if (res.status !== 201)
        throw new Error(`uploading answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async close() {
      await services.close();
      await place.dispose();
    },
  };
  return t;
}

/** An instant `days` from now at a whole hour (UTC), as RFC 3339. */
export function inDays(days: number, hour = 18, minute = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString();
}

/** A valid truecolour PNG of `width` × `height` pixels. */
export function tinyPng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 40) & 255, (y * 80) & 255, 200], 1 + x * 3);
    rows.push(row);
  }
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(Buffer.concat(rows))),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** Reads a problem+json answer, checking its shape. */
export async function problem(res: Response): Promise<{
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json"))
    throw new Error(
      `expected application/problem+json, got "${type}" (${res.status}): ${await res.text()}`,
    );
  const body = await res.json();
  if (body.status !== res.status)
    throw new Error(`problem status ${body.status} differs from HTTP status ${res.status}`);
  return body;
}

/** A participation row with every column filled: tests override what they need. */
export function participationRow(
  over: Partial<ParticipationRow> & Pick<ParticipationRow, "eventId">,
): ParticipationRow {
  const now = new Date();
  return {
    id: newId(),
    kind: "anonymous",
    state: "confirmed",
    name: "Guest",
    email: `${unique("p")}@participants.test`,
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
    ...over,
  };
}
