/**
 * Fills a fresh data directory the way a real instance fills up: an admin created with the
 * CLI (`eventail user create`), then everything else through the REST API: sign-in (session
 * cookie), an API token, groups, and the events, sent a few at a time.
 */
import { randomBytes } from "node:crypto";
import { type EventSeed, GROUPS } from "./dataset.ts";
import { childEnv, runNode, startNode, stop, waitForOutput } from "./processes.ts";

export const ADMIN = {
  email: "bench-admin@bench.eventail.test",
  handle: "bench_admin",
  name: "Bench Admin",
};

export interface SeedReport {
  events: number;
  groups: number;
  /** Wall time of the API part (sign-in, token, groups, events), ms. */
  apiMs: number;
  /** Events created per second through POST /api/v1/events. */
  eventsPerSecond: number;
}

async function call(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
  expected: number,
): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status !== expected) {
    throw new Error(
      `${init.method ?? "POST"} ${path}: expected ${expected}, got ${res.status}: ${(await res.text()).slice(0, 500)}`,
    );
  }
  return res;
}

/**
 * Seeds `dataDir` with `events` through a temporary server on `port`, stopped afterwards
 * so that the measured servers start from a clean process.
 */
export async function seed(opts: {
  root: string;
  dataDir: string;
  port: number;
  events: EventSeed[];
  concurrency?: number;
  progress?: (done: number, total: number) => void;
}): Promise<SeedReport> {
  const { root, dataDir, port, events } = opts;
  const env = childEnv({ LOG_LEVEL: "warn" });
  const password = randomBytes(18).toString("base64url");
  await runNode(
    "eventail user create",
    [
      "server/src/cli.ts",
      "user",
      "create",
      "--email",
      ADMIN.email,
      "--handle",
      ADMIN.handle,
      "--name",
      ADMIN.name,
      "--password",
      password,
      "--role",
      "admin",
      "--data",
      dataDir,
    ],
    { cwd: root, env },
  );

  const server = startNode(
    "eventail (seeding)",
    ["server/src/cli.ts", "serve", "--port", String(port), "--data", dataDir],
    { cwd: root, env },
  );
  try {
    await waitForOutput(server, /is running/);
    const base = `http://127.0.0.1:${port}`;
    const origin = `http://localhost:${port}`;
    const started = performance.now();

    // Sign in (session cookie), then trade the session for an API token.
    const login = await call(
      base,
      "/api/v1/session",
      { body: { email: ADMIN.email, password } },
      200,
    );
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const tokenRes = await call(
      base,
      "/api/v1/tokens",
      { headers: { cookie, origin }, body: { name: "benchmark seeding" } },
      201,
    );
    const { token } = (await tokenRes.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };

    const groupIds: string[] = [];
    for (const g of GROUPS) {
      const res = await call(
        base,
        "/api/v1/groups",
        { headers: auth, body: { handle: g.handle, name: g.name, description: g.description } },
        201,
      );
      groupIds.push(((await res.json()) as { id: string }).id);
    }

    // Events, `concurrency` requests in flight.
    let next = 0;
    let done = 0;
    const eventsStarted = performance.now();
    const worker = async () => {
      while (next < events.length) {
        const e = events[next++]!;
        const body = { ...e.input, ...(e.group === null ? {} : { groupId: groupIds[e.group] }) };
        const res = await call(base, "/api/v1/events", { headers: auth, body }, 201);
        await res.arrayBuffer();
        done++;
        if (done % 500 === 0 || done === events.length) opts.progress?.(done, events.length);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    const ended = performance.now();
    return {
      events: events.length,
      groups: groupIds.length,
      apiMs: Math.round(ended - started),
      eventsPerSecond: Math.round(events.length / ((ended - eventsStarted) / 1000)),
    };
  } finally {
    await stop(server);
  }
}
