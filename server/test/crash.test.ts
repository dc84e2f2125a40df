/**
 * Crash durability: a server process taking event writes and RSVPs is killed with SIGKILL at
 * random moments, 20 times, and restarted. Every write it acknowledged must be there
 * afterwards, whole (an event with all its tags; a participation in a valid state).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { PARTICIPATION_STATES } from "@eventail/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import { createPgDatabase, type DialectName, dialects, dropPgDatabase } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "server/src/cli.ts");
const run = promisify(execFile);
const KILLS = Number(process.env.CRASH_KILLS ?? 20);

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function start(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((res, rej) => {
    let out = "";
    const onData = (c: Buffer) => {
      out += c;
      if (out.includes("is running")) res(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("exit", (code) => rej(new Error(`server exited (${code}) before starting: ${out}`)));
  });
}

describe.each(dialects)("crash durability on %s", (dialect: DialectName) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  it(`keeps every acknowledged write across ${KILLS} SIGKILLs`, async () => {
    const data = await mkdtemp(join(tmpdir(), "eventail-crash-"));
    cleanup.push(() => rm(data, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (dialect === "postgres") {
      const db = await createPgDatabase();
      databaseUrl = db.url;
      cleanup.push(() => dropPgDatabase(db.name));
    }
    const env = {
      ...process.env,
      LOG_LEVEL: "error",
      EVENTAIL_DATA: data,
      EVENTAIL_RSVP_LIMIT: "0",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    await run(
      process.execPath,
      [
        CLI,
        "user",
        "create",
        "--email",
        "c@crash.test",
        "--handle",
        "crash_admin",
        "--name",
        "C",
        "--password",
        "crash-password-1",
        "--role",
        "admin",
      ],
      { env },
    );
    for (let i = 0; i < 3; i++) {
      await run(
        process.execPath,
        [
          CLI,
          "user",
          "create",
          "--email",
          `v${i}@crash.test`,
          "--handle",
          `crash_v${i}`,
          "--name",
          `V${i}`,
          "--password",
          "crash-password-1",
        ],
        { env },
      );
    }

    const acknowledged = {
      events: new Map<string, string[]>(),
      rsvps: [] as { eventId: string; who: number }[],
    };
    let tokens: string[] = [];
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const tokenFor = async (email: string) => {
      const login = await fetch(`${origin}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "crash-password-1" }),
      });
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const res = await fetch(`${origin}/api/v1/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin },
        body: JSON.stringify({ name: "crash" }),
      });
      return (await res.json()).token as string;
    };

    for (let round = 0; round < KILLS; round++) {
      const t0 = Date.now();
      const server = await start(env, port);
      if (process.env.CRASH_DEBUG) console.log(`round ${round}: started in ${Date.now() - t0} ms`);
      if (tokens.length === 0)
        tokens = await Promise.all(
          ["c@crash.test", "v0@crash.test", "v1@crash.test", "v2@crash.test"].map(tokenFor),
        );
      const [admin, ...people] = tokens;
      // Writers run until the kill; only answers that came back count as acknowledged.
      let alive = true;
      const writer = async (w: number) => {
        for (let i = 0; alive; i++) {
          try {
            const tags = [`r${round}`, `w${w}`, `n${i}`];
            const res = await fetch(`${origin}/api/v1/events`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
              body: JSON.stringify({
                title: `Crash ${round}.${w}.${i}`,
                beginsAt: new Date(Date.now() + 86_400_000).toISOString(),
                timezone: "UTC",
                tags,
                capacity: 2,
              }),
            });
            if (res.status !== 201) continue;
            const { id } = await res.json();
            acknowledged.events.set(id, tags);
            const who = (w + i) % people.length;
            const rsvp = await fetch(`${origin}/api/v1/events/${id}/participations`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                authorization: `Bearer ${people[who]}`,
              },
              body: "{}",
            });
            if (rsvp.ok) acknowledged.rsvps.push({ eventId: id, who });
          } catch {
            return; // the server died mid-request: that write was not acknowledged
          }
        }
      };
      const dbg = (m: string) => process.env.CRASH_DEBUG && console.log(`round ${round}: ${m}`);
      dbg(`tokens ready, ${acknowledged.events.size} events so far`);
      const writers = [0, 1, 2].map(writer);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 500));
      server.kill("SIGKILL");
      alive = false;
      dbg("killed");
      await Promise.all(writers);
      dbg("writers stopped");
      // A killed child has signalCode set and exitCode null; 'exit' may already have fired.
      await new Promise<void>((r) =>
        server.exitCode !== null || server.signalCode !== null ? r() : server.on("exit", () => r()),
      );
    }

    // After the last kill: open the data directly and check every acknowledged write, whole.
    const services = await createServices(loadConfig({}, env), createLogger("silent"));
    try {
      expect(acknowledged.events.size).toBeGreaterThan(KILLS);
      console.log(
        `crash durability (${dialect}): ${KILLS} SIGKILLs, ${acknowledged.events.size} acknowledged events and ${acknowledged.rsvps.length} RSVPs checked`,
      );
      for (const [id, tags] of acknowledged.events) {
        const event = await services.repos.events.get(id);
        expect(event, `event ${id} was acknowledged`).not.toBeNull();
        expect(event!.tags).toEqual(tags);
        const tagRows = await services.store.db
          .selectFrom("event_tags")
          .select("tag")
          .where("event_id", "=", id)
          .execute();
        expect(tagRows.map((r) => r.tag).sort()).toEqual([...tags].sort());
      }
      for (const { eventId } of acknowledged.rsvps) {
        const rows = await services.repos.participations.list(eventId);
        expect(rows.length, `RSVP to ${eventId} was acknowledged`).toBeGreaterThan(0);
        for (const p of rows) expect(PARTICIPATION_STATES).toContain(p.state);
        const counts = await services.repos.participations.counts(eventId);
        expect(counts.confirmed).toBeLessThanOrEqual(2);
      }
    } finally {
      await services.close();
    }
  }, 240_000);
});
