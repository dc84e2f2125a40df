/**
 * The delivery queue across SIGKILLs: a server process whose group has followers on ten
 * simulated instances (127.0.0.2 … 127.0.0.11, one port, a slow shared inbox each) publishes
 * events while it is killed at random moments and restarted on the same data. At the end the
 * queue must drain with every acknowledged event's Create at every instance (nothing lost),
 * one activity per event (no re-publication), and few HTTP-level duplicates: delivery is
 * at-least-once, so a POST that reached the peer but whose queue row was not yet deleted
 * when the process died is sent again. With one delivery at a time per host, that is at
 * most one duplicate per kill per host.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import { openStore, type Store } from "../src/storage/index.ts";
import { createPgDatabase, type DialectName, dialects, dropPgDatabase } from "./helpers.ts";

const SERVER = join(import.meta.dirname, "delivery-crash-server.ts");
const KILLS = Number(process.env.DELIVERY_CRASH_KILLS ?? 10);
const HOSTS = 10;
const FOLLOWERS_PER_HOST = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

function start(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SERVER], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((res, rej) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("ready")) res(child);
    });
    child.stderr!.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("exit", (code) => rej(new Error(`server exited (${code}) before starting: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  // A killed child has signalCode set and exitCode null; 'exit' may already have fired.
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.on("exit", () => r()),
  );
}

interface Post {
  host: string;
  path: string;
  signed: boolean;
  activityId: string;
  type: string;
  objectId: string;
}

/**
 * The followers' instances: one HTTP server per loopback address on a shared port. Actor
 * documents on GET; POSTs to the shared inbox recorded when their body has arrived, then
 * answered after 20–300 ms, so deliveries are in flight when the sender dies.
 */
class Receiver {
  readonly posts: Post[] = [];
  /** POSTs recorded but not yet answered. */
  open = 0;
  port = 0;
  readonly #servers: Server[] = [];

  host(i: number): string {
    return `127.0.0.${i + 2}`;
  }
  origin(i: number): string {
    return `http://${this.host(i)}:${this.port}`;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const host = req.headers.host ?? "";
        const path = (req.url ?? "/").split("?")[0]!;
        if (req.method === "POST") {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString());
          } catch {}
          const object = json.object as { id?: unknown } | undefined;
          this.posts.push({
            host,
            path,
            signed: typeof req.headers.signature === "string",
            activityId: String(json.id ?? ""),
            type: String(json.type ?? ""),
            objectId: String(object?.id ?? ""),
          });
          this.open++;
          setTimeout(
            () => {
              this.open--;
              if (!res.destroyed) res.writeHead(202).end();
            },
            20 + Math.random() * 280,
          );
          return;
        }
        const m = /^\/users\/(u\d+)$/.exec(path);
        if (!m) return void res.writeHead(404).end();
        const id = `http://${host}${path}`;
        res.writeHead(200, { "content-type": "application/activity+json" }).end(
          JSON.stringify({
            "@context": "https://www.w3.org/ns/activitystreams",
            id,
            type: "Person",
            preferredUsername: m[1],
            inbox: `${id}/inbox`,
            endpoints: { sharedInbox: `http://${host}/inbox` },
          }),
        );
      });
    };
    for (let i = 0; i < HOSTS; i++) {
      const server = createServer(handler);
      await new Promise<void>((ok, fail) => {
        server.once("error", fail);
        server.listen(this.port, this.host(i), () => ok());
      });
      if (i === 0) this.port = (server.address() as AddressInfo).port;
      this.#servers.push(server);
    }
  }

  async close(): Promise<void> {
    for (const s of this.#servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
}

async function queued(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom("fedify_queue")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("queue", "in", ["outbox", "fanout"])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each(dialects)("delivery queue across SIGKILLs on %s", (dialect: DialectName) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  it(`delivers every acknowledged event's Create to every follower instance across ${KILLS} kills`, async () => {
    const data = await mkdtemp(join(tmpdir(), "eventail-delivery-crash-"));
    cleanup.push(() => rm(data, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (dialect === "postgres") {
      const db = await createPgDatabase();
      databaseUrl = db.url;
      cleanup.push(() => dropPgDatabase(db.name));
    }
    const receiver = new Receiver();
    await receiver.start();
    cleanup.push(() => receiver.close());
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      LOG_LEVEL: "error",
      EVENTAIL_DATA: data,
      EVENTAIL_ORIGIN: origin,
      PORT: String(port),
      // One delivery at a time per instance: the bound on duplicates below follows from it.
      EVENTAIL_FEDERATION_HOST_CONCURRENCY: "1",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };

    // The organizer, their group and its followers, written before the first start.
    const setup = await createServices(loadConfig({}, env), createLogger("silent"), {
      federation: { startQueue: false },
      print: () => {},
    });
    let token: string;
    let groupId: string;
    try {
      const { account, identity } = await setup.accounts.create({
        email: "organizer@crash.test",
        password: "delivery-crash-1",
        handle: "organizer",
        name: "Organizer",
        role: "user",
        state: "active",
      });
      const group = await setup.groups.create(identity, { handle: "climate", name: "Climate" });
      groupId = group.id;
      token = (await setup.accounts.createToken(account.id, "crash")).token;
      for (let h = 0; h < HOSTS; h++)
        for (let f = 0; f < FOLLOWERS_PER_HOST; f++) {
          const o = receiver.origin(h);
          await setup.federation.repo.addFollower({
            actor: group.handle,
            follower: `${o}/users/u${f}`,
            follow_id: `${o}/follows/${f}`,
            inbox: `${o}/users/u${f}/inbox`,
            shared_inbox: `${o}/inbox`,
            host: `${receiver.host(h)}:${receiver.port}`,
          });
        }
    } finally {
      await setup.close();
    }

    /** Event URL → id, for events whose creation was answered 201. */
    const acknowledged = new Map<string, string>();
    let inFlightAtKills = 0;
    for (let round = 0; round <= KILLS; round++) {
      const server = await start(env);
      if (round === KILLS) {
        // The last start: no kill, only waiting for the queue to drain (below).
        cleanup.push(async () => {
          server.kill("SIGKILL");
          await exited(server);
        });
        break;
      }
      let alive = true;
      const publisher = async () => {
        for (let i = 0; alive; i++) {
          try {
            const res = await fetch(`${origin}/api/v1/events`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
              body: JSON.stringify({
                title: `Delivery ${round}.${i}`,
                beginsAt: new Date(Date.now() + 86_400_000).toISOString(),
                timezone: "UTC",
                groupId,
              }),
            });
            if (res.status !== 201) throw new Error(`event creation answered ${res.status}`);
            const event = (await res.json()) as { id: string; url: string };
            acknowledged.set(event.url, event.id);
            await sleep(30 + Math.random() * 120);
          } catch (err) {
            if (alive) throw err;
            return; // the server died mid-request: that event was not acknowledged
          }
        }
      };
      const publishing = publisher();
      await sleep(300 + Math.random() * 1200);
      inFlightAtKills += receiver.open;
      server.kill("SIGKILL");
      alive = false;
      await publishing;
      await exited(server);
    }

    // Wait until the queue is empty and every expected Create has arrived.
    const store = await openStore({
      databaseUrl,
      sqlitePath: join(data, "eventail.sqlite"),
    });
    cleanup.push(() => store.close());
    const creates = () => receiver.posts.filter((p) => p.type === "Create");
    const missing = () => {
      const seen = new Set(creates().map((p) => `${p.host} ${p.objectId}`));
      const out: string[] = [];
      for (const url of acknowledged.keys())
        for (let h = 0; h < HOSTS; h++) {
          const key = `${receiver.host(h)}:${receiver.port} ${url}`;
          if (!seen.has(key)) out.push(key);
        }
      return out;
    };
    const drainStarted = Date.now();
    while ((await queued(store)) > 0 || receiver.open > 0 || missing().length > 0) {
      if (Date.now() - drainStarted > 30_000)
        throw new Error(
          `not drained after 30 s: ${await queued(store)} queued, ${missing().length} missing, e.g. ${missing().slice(0, 3).join(", ")}`,
        );
      await sleep(100);
    }
    const drainMs = Date.now() - drainStarted;

    // Nothing lost: every acknowledged event's Create reached every instance's shared inbox.
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILLS);
    expect(missing()).toEqual([]);
    for (const p of receiver.posts) {
      expect(p.path).toBe("/inbox");
      expect(p.signed).toBe(true);
    }
    // One activity per event: a redelivery repeats the same activity, never a new Create.
    const activityOf = new Map<string, Set<string>>();
    for (const p of creates()) {
      const ids = activityOf.get(p.objectId) ?? new Set();
      ids.add(p.activityId);
      activityOf.set(p.objectId, ids);
    }
    for (const [url, ids] of activityOf) expect([...ids], url).toHaveLength(1);
    // Creates of events that were never acknowledged: their request was cut by a kill after
    // the event was committed. They must at least be real events.
    const extra = [...activityOf.keys()].filter((url) => !acknowledged.has(url));
    for (const url of extra) {
      const row = await store.db
        .selectFrom("events")
        .select("id")
        .where("id", "=", url.split("/").pop()!)
        .executeTakeFirst();
      expect(row, `${url} was delivered but does not exist`).toBeDefined();
    }
    // How many instances each cut-off event reached: its Create is enqueued one inbox at a
    // time after the commit, so a kill in between leaves it on some instances only.
    const reach = extra.map(
      (url) =>
        new Set(
          creates()
            .filter((p) => p.objectId === url)
            .map((p) => p.host),
        ).size,
    );
    // Receiver-side dedup by (instance, activity id) leaves exactly one Create per
    // acknowledged event and instance; the rest are HTTP-level duplicates (redeliveries of
    // the same activity), at most one per kill per instance.
    const unique = new Set(receiver.posts.map((p) => `${p.host} ${p.activityId}`));
    const expected = new Set(
      creates()
        .filter((p) => acknowledged.has(p.objectId))
        .map((p) => `${p.host} ${p.activityId}`),
    );
    expect(expected.size).toBe(acknowledged.size * HOSTS);
    const duplicates = receiver.posts.length - unique.size;
    for (let h = 0; h < HOSTS; h++) {
      const host = `${receiver.host(h)}:${receiver.port}`;
      const here = receiver.posts.filter((p) => p.host === host);
      const dups = here.length - new Set(here.map((p) => p.activityId)).size;
      expect(dups, `duplicates at ${host}`).toBeLessThanOrEqual(KILLS);
    }
    // The kills did land while deliveries were in flight.
    expect(inFlightAtKills).toBeGreaterThan(0);
    console.log(
      `delivery crash (${dialect}): ${KILLS} SIGKILLs survived; ${acknowledged.size} acknowledged events × ${HOSTS} instances = ${expected.size} deliveries expected, all received; ${receiver.posts.length} POSTs in all (${unique.size} distinct, ${extra.length} events cut off by a kill but committed, reaching ${reach.join("/") || "-"} of ${HOSTS} instances), ${duplicates} duplicates; ${inFlightAtKills} deliveries in flight at the kills; drained ${drainMs} ms after the last restart`,
    );
  }, 120_000);
});
