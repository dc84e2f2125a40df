/**
 * `npm run bench:federation`: ActivityPub fan-out and inbox throughput, on loopback.
 *
 * Fan-out: one event published by a group with 10,000 followers spread over 200 simulated
 * instances (each its own loopback address, 127.0.0.2 … 127.0.0.201, with a shared inbox):
 * the wall time until every instance has its Create, the deliveries made, and signatures per
 * second compared with raw node:crypto RSA-SHA256 signing of the same body in the same run.
 * Every received request is verified afterwards (outside the timing) with Fedify's verifier.
 *
 * Inbox: signed Follow activities from 20 remote actors (keys fetched once, then cached)
 * posted by 20 concurrent senders over HTTP: verified activities handled per second.
 *
 * Environment: BENCH_REPEATS (3), BENCH_FOLLOWERS (10000), BENCH_INSTANCES (200),
 * BENCH_INBOX (1000 activities per run), BENCH_QUICK=1 (1 repeat, smaller sizes).
 */
import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import { exportSpki, generateCryptoKeyPair, signRequest, verifyRequest } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "../server/src/app.ts";
import { loadConfig } from "../server/src/config.ts";
import { createLogger } from "../server/src/log.ts";
import { createServices, type Services } from "../server/src/services.ts";

const ROOT = resolve(import.meta.dirname, "..");
const QUICK = process.env.BENCH_QUICK === "1";
const REPEATS = Number(process.env.BENCH_REPEATS ?? (QUICK ? 1 : 3));
const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? (QUICK ? 2000 : 10_000));
const INSTANCES = Math.min(Number(process.env.BENCH_INSTANCES ?? (QUICK ? 50 : 200)), 250);
const INBOX = Number(process.env.BENCH_INBOX ?? (QUICK ? 200 : 1000));
const SENDERS = 20;

const log = (msg: string) => process.stdout.write(`[bench:federation] ${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

interface Received {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** The simulated instances: one HTTP server per loopback address, all on one port. */
class RemoteInstances {
  readonly received: Received[] = [];
  readonly documents = new Map<string, unknown>();
  readonly #servers: Server[] = [];
  port = 0;
  #waiters: { count: number; resolve: () => void }[] = [];

  host(i: number): string {
    return `127.0.0.${i + 2}`;
  }
  origin(i: number): string {
    return `http://${this.host(i)}:${this.port}`;
  }

  async start(count: number): Promise<void> {
    const handler = (req: IncomingMessage, res: import("node:http").ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = `http://${req.headers.host}${req.url}`;
        if (req.method === "POST") {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(req.headers))
            if (typeof v === "string") headers[k] = v;
          this.received.push({
            url,
            method: "POST",
            headers,
            body: Buffer.concat(chunks).toString(),
          });
          res.writeHead(202).end();
          this.#wake();
          return;
        }
        const doc = this.documents.get(url.split("#")[0]!);
        if (!doc) return void res.writeHead(404).end();
        res
          .writeHead(200, { "content-type": "application/activity+json" })
          .end(JSON.stringify(doc));
      });
    };
    for (let i = 0; i < count; i++) {
      const server = createServer(handler);
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((ok, fail) => {
        server.once("error", fail);
        server.listen(this.port, this.host(i), () => ok());
      });
      if (i === 0) this.port = (server.address() as AddressInfo).port;
      this.#servers.push(server);
    }
  }

  until(count: number, timeoutMs = 600_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`received ${this.received.length} of ${count} deliveries`)),
        timeoutMs,
      );
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          ok();
        },
      });
    });
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (this.received.length < w.count) return true;
      w.resolve();
      return false;
    });
  }

  async close(): Promise<void> {
    for (const s of this.#servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
}

async function startInstance(
  dir: string,
): Promise<{ services: Services; origin: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig(
    {},
    { EVENTAIL_DATA: dir, EVENTAIL_ORIGIN: origin, EVENTAIL_LOG: "error" },
  );
  // Loopback peers are the simulated instances: allowed here as in the tests, never by default.
  const services = await createServices(config, createLogger("error"), {
    federation: { allowPrivateAddress: true, pollMs: 20 },
    print: () => {},
  });
  const { app } = createApp(services);
  server.on("request", getRequestListener(app.fetch));
  return { services, origin, server };
}

/** RSA-SHA256 signatures per second of `body` with raw node:crypto, for ~1.5 s. */
function rawSignaturesPerSecond(body: string): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const until = performance.now() + 1500;
  let n = 0;
  const started = performance.now();
  while (performance.now() < until) {
    createSign("sha256").update(body).sign(privateKey);
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

async function fanOut(run: number) {
  const dir = await mkdtemp(join(os.tmpdir(), "eventail-bench-fed-"));
  const remotes = new RemoteInstances();
  await remotes.start(INSTANCES);
  const { services, origin, server } = await startInstance(dir);
  try {
    const { account, identity } = await services.accounts.create({
      email: `bench${run}@example.test`,
      password: "bench-password-2026",
      handle: "organizer",
      name: "Organizer",
      role: "user",
      state: "active",
    });
    const group = await services.groups.create(identity, { handle: "climate", name: "Climate" });
    void account;
    // The group's followers (10,000 by default), spread evenly over the simulated instances.
    const repo = services.federation.repo;
    for (let i = 0; i < FOLLOWERS; i++) {
      const o = remotes.origin(i % INSTANCES);
      await repo.addFollower({
        actor: group.handle,
        follower: `${o}/users/u${i}`,
        follow_id: `${o}/follows/${i}`,
        inbox: `${o}/users/u${i}/inbox`,
        shared_inbox: `${o}/inbox`,
        host: `${remotes.host(i % INSTANCES)}:${remotes.port}`,
      });
    }
    remotes.received.length = 0;
    const started = performance.now();
    const event = await services.events.create(identity, {
      title: "Bike repair café",
      beginsAt: new Date(Date.now() + 10 * 86_400_000),
      timezone: "Europe/Paris",
      groupId: group.id,
    } as never);
    await remotes.until(INSTANCES);
    const wallMs = performance.now() - started;
    await services.federation.drained().catch(() => {});
    const deliveries = remotes.received.length;
    // Verify every delivery, outside the timing, with Fedify's own verifier.
    let verified = 0;
    const hosts = new Set<string>();
    // The instance's key is on loopback: a loader allowed to fetch it (this bench only).
    const fetchDoc = getDocumentLoader({ allowPrivateAddress: true });
    for (const r of remotes.received) {
      const key = await verifyRequest(
        new Request(r.url, { method: "POST", headers: r.headers, body: r.body }),
        {
          documentLoader: fetchDoc,
          contextLoader: fetchDoc,
        },
      );
      const json = JSON.parse(r.body);
      if (key && json.type === "Create" && json.object?.id?.endsWith(event.id)) verified++;
      hosts.add(new URL(r.url).host);
    }
    return {
      wallMs,
      deliveries,
      verified,
      instancesReached: hosts.size,
      body: remotes.received[0]?.body ?? "",
      origin,
    };
  } finally {
    await services.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await remotes.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function inboxThroughput() {
  const dir = await mkdtemp(join(os.tmpdir(), "eventail-bench-inbox-"));
  const remotes = new RemoteInstances();
  await remotes.start(4);
  const { services, origin, server } = await startInstance(dir);
  try {
    const { identity } = await services.accounts.create({
      email: "inbox@example.test",
      password: "bench-password-2026",
      handle: "organizer",
      name: "Organizer",
      role: "user",
      state: "active",
    });
    await services.groups.create(identity, { handle: "climate", name: "Climate" });
    const actors = [];
    for (let i = 0; i < SENDERS; i++) {
      const o = remotes.origin(i % 4);
      const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const id = `${o}/users/a${i}`;
      remotes.documents.set(id, {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id,
        type: "Person",
        preferredUsername: `a${i}`,
        inbox: `${id}/inbox`,
        endpoints: { sharedInbox: `${o}/inbox` },
        publicKey: {
          id: `${id}#main-key`,
          owner: id,
          publicKeyPem: await exportSpki(keys.publicKey),
        },
      });
      actors.push({ id, keyId: `${id}#main-key`, key: keys.privateKey });
    }
    // Sign first (the remote side's cost), then post: the timing is the instance's alone.
    const requests: Request[] = [];
    for (let n = 0; n < INBOX; n++) {
      const a = actors[n % SENDERS]!;
      const body = JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${a.id}/follows/${n}-${Date.now()}`,
        type: "Follow",
        actor: a.id,
        object: `${origin}/@climate`,
      });
      requests.push(
        await signRequest(
          new Request(`${origin}/inbox`, {
            method: "POST",
            headers: { "content-type": "application/activity+json" },
            body,
          }),
          a.key,
          new URL(a.keyId),
          { spec: "draft-cavage-http-signatures-12" },
        ),
      );
    }
    // Warm the key cache: one activity per actor.
    let next = 0;
    const statuses = new Map<number, number>();
    const post = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const res = await fetch(r);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: SENDERS }, post));
    const acceptedMs = performance.now() - started;
    await services.federation.drained(120_000).catch(() => {});
    const handledMs = performance.now() - started;
    const followers = await services.federation.repo.countFollowers("climate");
    return { acceptedMs, handledMs, statuses: Object.fromEntries(statuses), followers };
  } finally {
    await services.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await remotes.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  log(
    `fan-out: ${FOLLOWERS} followers over ${INSTANCES} instances; inbox: ${INBOX} activities; ${REPEATS} run(s)`,
  );
  const fan: Awaited<ReturnType<typeof fanOut>>[] = [];
  const raw: number[] = [];
  const inbox: Awaited<ReturnType<typeof inboxThroughput>>[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const f = await fanOut(i);
    fan.push(f);
    raw.push(rawSignaturesPerSecond(f.body));
    log(
      `run ${i + 1}: fan-out ${f.deliveries} deliveries to ${f.instancesReached} instances in ${f.wallMs.toFixed(0)} ms (${f.verified} verified); raw signing ${raw.at(-1)!.toFixed(0)}/s`,
    );
    const b = await inboxThroughput();
    inbox.push(b);
    log(
      `run ${i + 1}: inbox ${INBOX} signed Follows answered in ${b.acceptedMs.toFixed(0)} ms, handled in ${b.handledMs.toFixed(0)} ms; statuses ${JSON.stringify(b.statuses)}; followers ${b.followers}`,
    );
  }
  const wall = median(fan.map((f) => f.wallMs));
  const deliveries = median(fan.map((f) => f.deliveries));
  const sigPerSec = median(fan.map((f) => f.deliveries / (f.wallMs / 1000)));
  const rawPerSec = median(raw);
  const inboxPerSec = median(inbox.map((b) => INBOX / (b.handledMs / 1000)));
  const acceptPerSec = median(inbox.map((b) => INBOX / (b.acceptedMs / 1000)));
  const rows = [
    [
      `fan-out wall time (${FOLLOWERS.toLocaleString("en")} followers, ${INSTANCES} instances, shared inboxes)`,
      `${wall.toFixed(0)} ms`,
    ],
    [
      "deliveries made (one per instance)",
      `${deliveries} to ${median(fan.map((f) => f.instancesReached))} instances`,
    ],
    [
      "deliveries verified (Fedify verifier, after the run)",
      `${median(fan.map((f) => f.verified))}`,
    ],
    ["signed deliveries per second", sigPerSec.toFixed(0)],
    ["raw node:crypto RSA-SHA256 signatures per second", rawPerSec.toFixed(0)],
    ["delivery rate ÷ raw signing rate", `${((sigPerSec / rawPerSec) * 100).toFixed(1)} %`],
    ["inbox: signed activities answered per second", acceptPerSec.toFixed(0)],
    ["inbox: verified activities handled per second", inboxPerSec.toFixed(0)],
  ];
  const w = Math.max(...rows.map((r) => r[0]!.length));
  console.log(`\n${"measure".padEnd(w)}  median of ${REPEATS}`);
  for (const [k, v] of rows) console.log(`${k!.padEnd(w)}  ${v}`);
  await mkdir(join(ROOT, "bench/results"), { recursive: true });
  const out = join(ROOT, "bench/results/federation.json");
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), followers: FOLLOWERS, instances: INSTANCES, inboxActivities: INBOX, repeats: REPEATS, medians: Object.fromEntries(rows), runs: { fan: fan.map(({ body: _b, ...f }) => f), raw, inbox } }, null, 2)}\n`,
  );
  log(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
