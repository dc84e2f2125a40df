/**
 * `npm run bench:soak`: a bounded soak of mixed traffic at a steady rate on loopback —
 * listings, event pages, iCalendar and Atom feeds, RSVPs (emails to a real SMTP sink) and
 * signed ActivityPub inbox deliveries (answered with signed Accepts to the simulated remote) —
 * against one server process. Every 10 s: requests, errors, p50/p99 latency, the server's RSS
 * and heap. The verdict compares memory in the last third of the run with the middle third.
 *
 * Environment: SOAK_SECONDS (300), SOAK_RATE (requests per second, 100).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import { exportSpki, generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { SMTPServer } from "smtp-server";
import { type Child, childEnv, rssMb, startNode, stop, waitForOutput } from "./processes.ts";

const ROOT = resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const RATE = Number(process.env.SOAK_RATE ?? 100);
const INTERVAL_S = Math.min(10, Math.max(1, Math.floor(SECONDS / 6)));
const MAX_IN_FLIGHT = 500;

const log = (msg: string) => process.stdout.write(`[bench:soak] ${msg}\n`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);

type Kind = "listing" | "page" | "ical" | "atom" | "rsvp" | "inbox";
/** The mix, out of 20 requests. */
const MIX: Kind[] = [
  ...Array<Kind>(9).fill("listing"),
  ...Array<Kind>(3).fill("page"),
  ...Array<Kind>(2).fill("ical"),
  "atom",
  ...Array<Kind>(3).fill("rsvp"),
  ...Array<Kind>(2).fill("inbox"),
];

async function main() {
  const dir = await mkdtemp(join(os.tmpdir(), "eventail-soak-"));
  let mails = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData: (stream, _s, done) => {
      stream.resume();
      stream.on("end", () => {
        mails++;
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  // The simulated remote instance: one actor with a key, an inbox that takes the Accepts.
  let accepts = 0;
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const remote = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST") {
        accepts++;
        return void res.writeHead(202).end();
      }
      if (req.url?.startsWith("/users/fan")) {
        res
          .writeHead(200, { "content-type": "application/activity+json" })
          .end(JSON.stringify(actorDoc));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => remote.listen(0, "127.0.0.2", () => r()));
  const remoteOrigin = `http://127.0.0.2:${(remote.address() as AddressInfo).port}`;
  const actorId = `${remoteOrigin}/users/fan`;
  const actorDoc = {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: actorId,
    type: "Person",
    preferredUsername: "fan",
    inbox: `${actorId}/inbox`,
    endpoints: { sharedInbox: `${remoteOrigin}/inbox` },
    publicKey: {
      id: `${actorId}#main-key`,
      owner: actorId,
      publicKeyPem: await exportSpki(keys.publicKey),
    },
  };

  const child: Child = startNode("soak server", ["bench/soak-server.ts", dir, String(smtpPort)], {
    cwd: ROOT,
    env: childEnv(),
    nodeArgs: ["--expose-gc"],
  });
  let origin = "";
  let events: string[] = [];
  let heap = 0;
  child.proc.stdout!.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      const ready = /^ready (\S+) (\S+)/.exec(line);
      if (ready) {
        origin = ready[1]!;
        events = ready[2]!.split(",");
      }
      const h = /^heap (\d+)/.exec(line);
      if (h) heap = Number(h[1]);
    }
  });
  await waitForOutput(child, /^ready /m, 120_000);
  log(
    `server ${origin} (pid ${child.pid}); ${RATE} req/s for ${SECONDS} s; samples every ${INTERVAL_S} s`,
  );

  let seq = 0;
  const request = async (kind: Kind): Promise<Response> => {
    const event = events[seq % events.length]!;
    seq++;
    switch (kind) {
      case "listing":
        return fetch(`${origin}/api/v1/events?limit=20${seq % 3 === 0 ? "&q=soak" : ""}`);
      case "page":
        return fetch(`${origin}/events/${event}`, { headers: { accept: "text/html" } });
      case "ical":
        return fetch(seq % 2 ? `${origin}/events.ics` : `${origin}/events/${event}.ics`);
      case "atom":
        return fetch(`${origin}/events.atom`);
      case "rsvp":
        return fetch(`${origin}/api/v1/events/${event}/participations`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://site.soak" },
          body: JSON.stringify({ name: `Visitor ${seq}`, email: `v${seq}@example.test` }),
        });
      case "inbox": {
        const body = JSON.stringify({
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${actorId}/follows/${seq}`,
          type: "Follow",
          actor: actorId,
          object: `${origin}/@climate`,
        });
        const signed = await signRequest(
          new Request(`${origin}/inbox`, {
            method: "POST",
            headers: { "content-type": "application/activity+json" },
            body,
          }),
          keys.privateKey,
          new URL(`${actorId}#main-key`),
          { spec: "draft-cavage-http-signatures-12" },
        );
        return fetch(signed);
      }
    }
  };

  interface Sample {
    t: number;
    requests: number;
    errors: number;
    p50: number;
    p99: number;
    rssMb: number;
    heapMb: number;
    inFlight: number;
  }
  const samples: Sample[] = [];
  let latencies: number[] = [];
  let errors = 0;
  let done = 0;
  let inFlight = 0;
  let dropped = 0;
  const byKind = new Map<string, number>();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let nextSample = started + INTERVAL_S * 1000;
  let issued = 0;
  while (performance.now() < deadline) {
    // Open loop: requests go out on schedule whether or not earlier ones have answered.
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    while (issued < due) {
      const kind = MIX[issued % MIX.length]!;
      issued++;
      if (inFlight >= MAX_IN_FLIGHT) {
        dropped++;
        continue;
      }
      inFlight++;
      const t0 = performance.now();
      request(kind)
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status >= 400) {
            errors++;
            byKind.set(`${kind} ${res.status}`, (byKind.get(`${kind} ${res.status}`) ?? 0) + 1);
          }
        })
        .catch(() => {
          errors++;
          byKind.set(`${kind} network`, (byKind.get(`${kind} network`) ?? 0) + 1);
        })
        .finally(() => {
          inFlight--;
          done++;
          latencies.push(performance.now() - t0);
        });
    }
    if (performance.now() >= nextSample) {
      nextSample += INTERVAL_S * 1000;
      const s: Sample = {
        t: Math.round((performance.now() - started) / 1000),
        requests: latencies.length,
        errors,
        p50: median(latencies),
        p99: quantile(latencies, 0.99),
        rssMb: await rssMb(child.pid),
        heapMb: heap / 2 ** 20,
        inFlight,
      };
      samples.push(s);
      log(
        `t=${String(s.t).padStart(4)} s  ${s.requests} req  ${s.errors} err  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  RSS ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(0)} MB  in flight ${s.inFlight}`,
      );
      latencies = [];
      errors = 0;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  await stop(child);
  smtp.close();
  remote.close();
  await rm(dir, { recursive: true, force: true });

  const third = Math.max(1, Math.floor(samples.length / 3));
  const middle = samples.slice(third, 2 * third);
  const last = samples.slice(-third);
  const rssMiddle = median(middle.map((s) => s.rssMb));
  const rssLast = median(last.map((s) => s.rssMb));
  const heapMiddle = median(middle.map((s) => s.heapMb));
  const heapLast = median(last.map((s) => s.heapMb));
  // Retained memory decides: RSS also holds what V8 keeps reserved after a peak.
  const growth = (heapLast - heapMiddle) / heapMiddle;
  const rssGrowth = (rssLast - rssMiddle) / rssMiddle;
  const totalErrors = samples.reduce((a, s) => a + s.errors, 0);
  const totalRequests = samples.reduce((a, s) => a + s.requests, 0);
  const verdict = growth > 0.2 ? "GROWING" : "bounded";
  const rows: [string, string][] = [
    ["duration / target rate", `${SECONDS} s at ${RATE} req/s`],
    ["requests answered", `${done} (${dropped} not sent: over ${MAX_IN_FLIGHT} in flight)`],
    [
      "error rate",
      `${((totalErrors / Math.max(1, totalRequests)) * 100).toFixed(2)} % (${totalErrors})`,
    ],
    ["p50 latency (median of intervals)", `${median(samples.map((s) => s.p50)).toFixed(1)} ms`],
    ["p99 latency (worst interval)", `${Math.max(...samples.map((s) => s.p99)).toFixed(1)} ms`],
    [
      "RSS middle third → last third",
      `${rssMiddle.toFixed(0)} → ${rssLast.toFixed(0)} MB (${(rssGrowth * 100).toFixed(1)} %)`,
    ],
    [
      "live heap after GC, middle → last third",
      `${heapMiddle.toFixed(0)} → ${heapLast.toFixed(0)} MB`,
    ],
    ["peak RSS", `${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB`],
    ["emails received / Accepts received", `${mails} / ${accepts}`],
    ["memory verdict", verdict],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log("");
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  if (byKind.size) console.log(`errors by kind: ${JSON.stringify(Object.fromEntries(byKind))}`);
  await mkdir(join(ROOT, "bench/results"), { recursive: true });
  const out = join(ROOT, "bench/results/soak.json");
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, rate: RATE, summary: Object.fromEntries(rows), errorsByKind: Object.fromEntries(byKind), samples }, null, 2)}\n`,
  );
  log(`wrote ${out}`);
  if (verdict === "GROWING") process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
