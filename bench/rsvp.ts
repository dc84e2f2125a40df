/**
 * `npm run bench:rsvp`: RSVP submissions and email confirmations per second with 200
 * concurrent clients, on SQLite and on PostgreSQL, plus the oversell check: 1,000 people
 * confirming at once for a 50-seat event must leave exactly 50 confirmed.
 *
 * The server runs as a child process with a real SMTP sink (smtp-server) in this process:
 * confirmation tokens are read back from the emails, as a visitor would.
 *
 * Environment: BENCH_DURATION (seconds per submission run, default 5), BENCH_REPEATS (3),
 * BENCH_CONNECTIONS (200), BENCH_QUICK=1 (1 short run).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import autocannon, { type Options, type Result } from "autocannon";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import {
  childEnv,
  freePort,
  killAllNow,
  runNode,
  startNode,
  stop,
  stopAll,
  waitForOutput,
} from "./processes.ts";

const ROOT = resolve(import.meta.dirname, "..");
const QUICK = process.env.BENCH_QUICK === "1";
const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 2 : 5));
const REPEATS = Number(process.env.BENCH_REPEATS ?? (QUICK ? 1 : 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const PG_ADMIN = process.env.EVENTAIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SITE = "http://site.bench";

const log = (msg: string) => process.stdout.write(`[bench:rsvp] ${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

/** Collects confirmation tokens from the emails the server sends. */
class Sink {
  readonly tokens: string[] = [];
  received = 0;
  readonly #server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData: (stream, _session, done) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const text = Buffer.concat(chunks)
          .toString("latin1")
          .replace(/=\r?\n/g, "")
          .replace(/=3D/g, "=");
        const m = /ev-action=confirm&(?:amp;)?ev-token=(evc_[A-Za-z0-9_-]+)/.exec(text);
        if (m) this.tokens.push(m[1]!);
        this.received++;
        done();
      });
    },
  });
  port = 0;
  async start() {
    await new Promise<void>((r) => this.#server.listen(0, "127.0.0.1", r));
    this.port = (this.#server.server.address() as AddressInfo).port;
  }
  take(): string[] {
    return this.tokens.splice(0);
  }
  async waitFor(count: number, timeoutMs = 600_000) {
    const until = Date.now() + timeoutMs;
    while (this.received < count) {
      if (Date.now() > until) throw new Error(`SMTP sink got ${this.received} of ${count} emails`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  stop() {
    return new Promise<void>((r) => this.#server.close(() => r()));
  }
}

async function pgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `eventail_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
        name,
      ]);
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

interface Row {
  dialect: string;
  submitRps: number;
  submitP99: number;
  confirmRps: number;
  confirmP99: number;
  errors: number;
  confirmed: number;
  oversell: number;
}

async function run(opts: Options): Promise<Result> {
  return await autocannon(opts);
}

async function benchDialect(dialect: "sqlite" | "postgres"): Promise<Row> {
  const dataDir = await mkdtemp(join(os.tmpdir(), "eventail-bench-rsvp-"));
  const db = dialect === "postgres" ? await pgDatabase() : null;
  const sink = new Sink();
  await sink.start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = childEnv({
    LOG_LEVEL: "warn",
    EVENTAIL_DATA: dataDir,
    EVENTAIL_ORIGIN: base,
    EVENTAIL_RSVP_LIMIT: "0",
    EVENTAIL_EMBED_ORIGINS: SITE,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(sink.port),
    ...(db ? { DATABASE_URL: db.url } : {}),
  });
  const password = randomBytes(12).toString("base64url");
  await runNode(
    "user create",
    [
      "server/src/cli.ts",
      "user",
      "create",
      "--email",
      "rsvp@bench.test",
      "--handle",
      "rsvp_bench",
      "--name",
      "Bench",
      "--password",
      password,
    ],
    { cwd: ROOT, env },
  );
  const server = startNode(
    `eventail (${dialect})`,
    ["server/src/cli.ts", "serve", "--port", String(port)],
    { cwd: ROOT, env },
  );
  try {
    await waitForOutput(server, /is running/);
    const login = await fetch(`${base}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "rsvp@bench.test", password }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const tokenRes = await fetch(`${base}/api/v1/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: base },
      body: JSON.stringify({ name: "bench" }),
    });
    const auth = {
      authorization: `Bearer ${(await tokenRes.json()).token}`,
      "content-type": "application/json",
    };
    const newEvent = async (capacity: number) => {
      const begins = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const res = await fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          title: `RSVP bench ${capacity}`,
          beginsAt: begins,
          timezone: "Europe/Paris",
          capacity,
        }),
      });
      return (await res.json()).id as string;
    };

    let sequence = 0;
    const submitRuns: Result[] = [];
    const confirmRuns: Result[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const eventId = await newEvent(0);
      const before = sink.received;
      log(
        `${dialect}: run ${r + 1}/${REPEATS}: submitting for ${DURATION}s with ${CONNECTIONS} clients`,
      );
      const submit = await run({
        url: base,
        connections: CONNECTIONS,
        duration: DURATION,
        requests: [
          {
            method: "POST",
            path: `/api/v1/events/${eventId}/participations`,
            headers: { "content-type": "application/json", origin: SITE },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({
                name: "Bench visitor",
                email: `v${sequence++}@bench.test`,
                returnUrl: `${SITE}/agenda`,
              }),
            }),
          },
        ],
      });
      submitRuns.push(submit);
      log(
        `${dialect}: submit: ${submit["2xx"]} ok, ${submit.non2xx} non-2xx, ${submit.errors} errors, ${submit.timeouts} timeouts, status ${JSON.stringify(submit.statusCodeStats)}`,
      );
      await sink.waitFor(before + submit["2xx"]);
      const tokens = sink.take();
      log(`${dialect}: run ${r + 1}/${REPEATS}: confirming ${tokens.length} registrations`);
      let next = 0;
      const confirm = await run({
        url: base,
        connections: CONNECTIONS,
        amount: tokens.length,
        requests: [
          {
            method: "POST",
            path: "/api/v1/participations/confirm",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ token: tokens[next++ % tokens.length] }),
            }),
          },
        ],
      });
      confirmRuns.push(confirm);
    }

    // Oversell: 1,000 visitors, 50 seats, everyone clicks their link at once.
    log(`${dialect}: oversell check: 1000 confirmations at once for 50 seats`);
    const small = await newEvent(50);
    const before = sink.received;
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          fetch(`${base}/api/v1/events/${small}/participations`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: SITE },
            body: JSON.stringify({ name: "Crowd", email: `crowd${i + k}@bench.test` }),
          }),
        ),
      );
    }
    await sink.waitFor(before + 1000);
    const crowd = sink.take();
    let n = 0;
    await run({
      url: base,
      connections: CONNECTIONS,
      amount: crowd.length,
      requests: [
        {
          method: "POST",
          path: "/api/v1/participations/confirm",
          headers: { "content-type": "application/json" },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ token: crowd[n++] }) }),
        },
      ],
    });
    const counts = (
      await (await fetch(`${base}/api/v1/events/${small}/participants`, { headers: auth })).json()
    ).counts;
    const errors = [...submitRuns, ...confirmRuns].reduce((a, r) => a + r.non2xx + r.errors, 0);
    return {
      dialect,
      submitRps: median(submitRuns.map((r) => r.requests.average)),
      submitP99: median(submitRuns.map((r) => r.latency.p99)),
      confirmRps: median(confirmRuns.map((r) => r.requests.average)),
      confirmP99: median(confirmRuns.map((r) => r.latency.p99)),
      errors,
      confirmed: counts.confirmed,
      oversell: Math.max(0, counts.confirmed - 50),
    };
  } finally {
    await stop(server);
    await sink.stop();
    await db?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  process.on("SIGINT", () => {
    killAllNow();
    process.exit(130);
  });
  log(
    `${CONNECTIONS} concurrent clients, ${REPEATS} × ${DURATION}s submission runs per database; medians reported`,
  );
  const rows: Row[] = [];
  for (const dialect of ["sqlite", "postgres"] as const) rows.push(await benchDialect(dialect));
  const table = [
    "| database | RSVP submissions/s | p99 ms | confirmations/s | p99 ms | non-2xx | confirmed of 50 | oversell |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.dialect} | ${r.submitRps.toFixed(0)} | ${r.submitP99} | ${r.confirmRps.toFixed(0)} | ${r.confirmP99} | ${r.errors} | ${r.confirmed} | ${r.oversell} |`,
    ),
  ].join("\n");
  process.stdout.write(`\n${table}\n\n`);
  await mkdir(join(ROOT, "bench/results"), { recursive: true });
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memory: os.totalmem(), node: process.version },
    settings: { connections: CONNECTIONS, duration: DURATION, repeats: REPEATS },
    rows,
  };
  await writeFile(join(ROOT, "bench/results/rsvp.json"), `${JSON.stringify(out, null, 2)}\n`);
  log("wrote bench/results/rsvp.json");
  if (rows.some((r) => r.oversell > 0)) {
    process.stderr.write("OVERSOLD: more confirmed participants than seats\n");
    process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
