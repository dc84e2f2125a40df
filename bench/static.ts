/**
 * `npm run bench:static`: build time of an Astro site and an Eleventy site with 5,000 events
 * imported through the Eventail plugins (@eventail/astro, @eventail/eleventy-plugin) from a live
 * server on loopback, next to the same pages built from a local JSON file without the plugins,
 * measured in the same run: cold (no cache) and warm (the cache of the previous build kept, so
 * the plugin's conditional requests are answered 304). See bench/README.md.
 *
 * Environment:
 *   BENCH_QUICK=1        smoke run: 300 events, 1 repetition
 *   BENCH_EVENTS=5000    events seeded (and event pages per site)
 *   BENCH_REPEATS=3      repetitions (medians are reported)
 *   BENCH_TOOLS=astro,eleventy
 *   BENCH_KEEP_DATA=1    keep the temporary directory (data, JSON file, outputs, build logs)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import type { EventJson } from "@eventail/core";
import {
  eventailSource,
  groupsOf,
  loadSource,
  MemoryCache,
  type SiteEvent,
  type SourceRef,
  siteEvents,
} from "@eventail/sources";
import { generateEvents } from "./dataset.ts";
import {
  type Child,
  childEnv,
  freePort,
  killAllNow,
  startNode,
  stopAll,
  waitForOutput,
} from "./processes.ts";
import { seed } from "./seed.ts";

const BENCH = import.meta.dirname;
const ROOT = resolve(BENCH, "..");
const FIXTURES = join(BENCH, "static", "fixtures");

// ------------------------------------------------------------------ settings

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

type Tool = "astro" | "eleventy";
type Variant = "plugin" | "json";
type Phase = "cold" | "warm";

const QUICK = process.env.BENCH_QUICK === "1";
const SETTINGS = {
  quick: QUICK,
  events: numberFromEnv("BENCH_EVENTS", QUICK ? 300 : 5000),
  repeats: numberFromEnv("BENCH_REPEATS", QUICK ? 1 : 3),
  tools: (process.env.BENCH_TOOLS ?? "astro,eleventy")
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is Tool => s === "astro" || s === "eleventy"),
  keepData: process.env.BENCH_KEEP_DATA === "1",
} as const;

const SOURCE_NAME = "bench";
/** TTL of the server's response cache of public answers (server/src/http/cache.ts). */
const SERVER_CACHE_MS = 10_000;
const TOOL_LABEL: Record<Tool, string> = { astro: "Astro", eleventy: "Eleventy" };
const VARIANT_LABEL: Record<Variant, string> = { plugin: "plugin", json: "local JSON" };

// ------------------------------------------------------------------ output helpers

const startedAt = Date.now();
/** Temporary directory of this run, removed at the end. */
let workDir: string | null = null;

function log(message: string): void {
  const s = Math.floor((Date.now() - startedAt) / 1000);
  const stamp = `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  process.stdout.write(`[${stamp}] ${message}\n`);
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || Number.isNaN(n)
    ? "-"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const secs = (ms: number, digits = 1) => fmt(ms / 1000, digits);

function table(headers: string[], rows: string[][], right: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

// ------------------------------------------------------------------ counting proxy

/**
 * A pass-through HTTP proxy in front of the Eventail server: every request of the builds goes
 * through it, so the benchmark can say how many were answered 200 (downloaded) or 304 (the
 * plugin's conditional request, nothing downloaded) and how many bytes crossed the wire.
 */
interface Traffic {
  requests: number;
  status: Record<string, number>;
  /** Response body bytes as sent by the server (gzip when the client asked for it). */
  bytes: number;
}

class CountingProxy {
  readonly #target: number;
  readonly #server: Server;
  traffic: Traffic = { requests: 0, status: {}, bytes: 0 };
  port = 0;
  /** performance.now() of the last answer that went through. */
  lastAnswerAt = 0;

  constructor(targetPort: number) {
    this.#target = targetPort;
    this.#server = createServer((req, res) => {
      const upstream = httpRequest(
        {
          host: "127.0.0.1",
          port: this.#target,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          const t = this.traffic;
          t.requests++;
          this.lastAnswerAt = performance.now();
          const code = String(up.statusCode ?? 0);
          t.status[code] = (t.status[code] ?? 0) + 1;
          up.on("data", (c: Buffer) => {
            t.bytes += c.length;
          });
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", (err) => {
        this.traffic.requests++;
        this.traffic.status.error = (this.traffic.status.error ?? 0) + 1;
        if (!res.headersSent) res.writeHead(502);
        res.end(String(err));
      });
      req.pipe(upstream);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.#server.listen(0, "127.0.0.1", r));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  /** The traffic since the last call. */
  take(): Traffic {
    const t = this.traffic;
    this.traffic = { requests: 0, status: {}, bytes: 0 };
    return t;
  }

  /**
   * Waits until the server's response cache (10 s, server/src/http/cache.ts) has let go of
   * what was last asked, so that every measured source load makes the server render its
   * listing pages again, as it would for builds minutes apart.
   */
  async serverCacheExpired(): Promise<void> {
    const wait = SERVER_CACHE_MS + 500 - (performance.now() - this.lastAnswerAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(() => r()));
  }
}

const trafficText = (t: Traffic) =>
  t.requests === 0
    ? "no requests"
    : `${Object.entries(t.status)
        .map(([code, n]) => `${n}×${code}`)
        .join(" ")} (${fmt(t.bytes / 1024)} KiB)`;

// ------------------------------------------------------------------ process CPU time

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

async function statFields(pid: number | "self"): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // `fields[0]` is field 3 of proc_pid_stat(5).
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** User + system CPU time of a process so far, in ms (utime + stime). */
async function cpuMs(pid: number): Promise<number> {
  const f = await statFields(pid);
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/**
 * User + system CPU time of this process's children that have ended and been waited for,
 * their own waited-for children included (cutime + cstime), in ms. A build is the only child
 * that ends while it runs, so the difference across it is the build's CPU time.
 */
async function endedChildrenCpuMs(): Promise<number> {
  const f = await statFields("self");
  return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK;
}

// ------------------------------------------------------------------ the sites

interface Site {
  tool: Tool;
  variant: Variant;
  fixture: string;
  outDir: string;
  cacheDir: string;
}

const ASTRO_BIN = join(ROOT, "node_modules/astro/bin/astro.mjs");
const ELEVENTY_BIN = join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs");

function version(pkg: string): string {
  return (
    JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
}

/** What a build leaves next to the fixture's sources (regenerated by each cold build). */
async function cleanFixture(site: Site): Promise<void> {
  if (site.tool !== "astro") return;
  await rm(join(site.fixture, ".astro"), { recursive: true, force: true });
  await rm(join(site.fixture, "node_modules"), { recursive: true, force: true });
}

/**
 * The tools' own timings, read from their output: Astro's content sync ("[types] Generated"),
 * static page generation and total; Eleventy's total ("Wrote N files in X seconds").
 */
const TIMINGS: Record<Tool, Record<string, RegExp>> = {
  astro: {
    syncMs: /\[types\] Generated ([\d.]+)(ms|s)\b/,
    pagesMs: /generating static routes[\s\S]*?✓ Completed in ([\d.]+)(ms|s)\b/,
    toolTotalMs: /page\(s\) built in ([\d.]+)(ms|s)\b/,
  },
  eleventy: {
    toolTotalMs: /Wrote \d+ files? in ([\d.]+) (seconds)/,
  },
};

function toolTimings(tool: Tool, output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, re] of Object.entries(TIMINGS[tool])) {
    const m = re.exec(output);
    if (m) out[name] = Math.round(Number(m[1]) * (m[2] === "ms" ? 1 : 1000));
  }
  return out;
}

interface Build {
  tool: Tool;
  variant: Variant;
  phase: Phase;
  rep: number;
  wallMs: number;
  /** The tool's own timings (ms): `toolTotalMs`, and for Astro `syncMs` and `pagesMs`. */
  timings: Record<string, number>;
  /** What the plugin's source said ("fetched, 5000 events", "unchanged, 5000 events"). */
  sourceStatus: string | null;
  traffic: Traffic;
  serverCpuMs: number;
  /** CPU time (user + system) of the build's process tree. */
  buildCpuMs: number;
  /** 1-minute load average when the build started. */
  loadAvg1: number;
  output: OutputCheck;
}

interface OutputCheck {
  eventPages: number;
  htmlPages: number;
  icsEvents: number;
  jsonLdOk: number;
  /** sha256 over every .html and .ics file (path and content). */
  digest: string;
  files: Map<string, string>;
}

async function runBuild(
  site: Site,
  phase: Phase,
  rep: number,
  ctx: { server: Child; proxy: CountingProxy; origin: string; eventsJson: string; logs: string },
): Promise<Build> {
  await rm(site.outDir, { recursive: true, force: true });
  if (phase === "cold") {
    await rm(site.cacheDir, { recursive: true, force: true });
    await cleanFixture(site);
  }
  const env = childEnv({
    ASTRO_TELEMETRY_DISABLED: "1",
    BENCH_SERVER: ctx.origin,
    BENCH_EVENTS_JSON: ctx.eventsJson,
    BENCH_OUT_DIR: site.outDir,
    BENCH_CACHE_DIR: site.cacheDir,
  });
  const args =
    site.tool === "astro"
      ? [ASTRO_BIN, "build", "--root", site.fixture]
      : [
          ELEVENTY_BIN,
          "--input=.",
          `--output=${site.outDir}`,
          `--config=${join(site.fixture, "eleventy.config.js")}`,
          "--quiet",
        ];
  // The previous build's files go to disk now, not during this build.
  execFileSync("sync");
  if (site.variant === "plugin") await ctx.proxy.serverCacheExpired();
  ctx.proxy.take();
  const cpu0 = await cpuMs(ctx.server.pid);
  const children0 = await endedChildrenCpuMs();
  const loadAvg1 = os.loadavg()[0]!;
  const t0 = performance.now();
  const child = startNode(`${site.tool} build (${site.variant}, ${phase})`, args, {
    cwd: site.fixture,
    env,
  });
  let all = "";
  const onData = (chunk: Buffer) => {
    all += chunk.toString();
  };
  child.proc.stdout!.on("data", onData);
  child.proc.stderr!.on("data", onData);
  const code = await child.exited;
  const wallMs = performance.now() - t0;
  const serverCpuMs = (await cpuMs(ctx.server.pid)) - cpu0;
  const buildCpuMs = (await endedChildrenCpuMs()) - children0;
  const traffic = ctx.proxy.take();
  await writeFile(join(ctx.logs, `${site.tool}-${site.variant}-${phase}-${rep}.log`), all);
  if (code !== 0)
    throw new Error(
      `${site.tool} build of ${site.variant} (${phase}) failed (${code}):\n${all.slice(-6000)}`,
    );
  const status = new RegExp(`${SOURCE_NAME}: (\\w+, \\d+ events)`).exec(all);
  return {
    tool: site.tool,
    variant: site.variant,
    phase,
    rep,
    wallMs,
    timings: toolTimings(site.tool, all),
    sourceStatus: status ? status[1]! : null,
    traffic,
    serverCpuMs,
    buildCpuMs,
    loadAvg1,
    output: await inspect(site.outDir),
  };
}

async function inspect(outDir: string): Promise<OutputCheck> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && /\.(html|ics)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name).slice(outDir.length + 1))
    .sort();
  const files = new Map<string, string>();
  const all = createHash("sha256");
  let eventPages = 0;
  let jsonLdOk = 0;
  let icsEvents = -1;
  for (const path of paths) {
    const body = await readFile(join(outDir, path));
    const hash = createHash("sha256").update(body).digest("hex");
    files.set(path, hash);
    all.update(`${path}\n${hash}\n`);
    if (/^events\/[^/]+\/index\.html$/.test(path)) {
      eventPages++;
      const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(body.toString());
      try {
        const ld = m ? (JSON.parse(m[1]!) as { "@type"?: string; name?: string }) : null;
        if (ld?.["@type"] === "Event" && ld.name) jsonLdOk++;
      } catch {
        // counted as not ok
      }
    }
    if (path === "events.ics")
      icsEvents = body.toString().match(/^BEGIN:VEVENT\r?$/gm)?.length ?? 0;
  }
  return {
    eventPages,
    htmlPages: paths.filter((p) => p.endsWith(".html")).length,
    icsEvents,
    jsonLdOk,
    digest: all.digest("hex"),
    files,
  };
}

// ------------------------------------------------------------------ the data

/** The public listing as a client reads it: 100 a page, following `next`. */
async function fetchListing(origin: string): Promise<{ events: EventJson[]; pages: number }> {
  const events: EventJson[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url = new URL("/api/v1/events", origin);
    url.searchParams.set("limit", "100");
    if (cursor) url.searchParams.set("cursor", cursor);
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
    const body = (await res.json()) as { items: EventJson[]; next: string | null };
    events.push(...body.items);
    cursor = body.next;
    pages++;
  } while (cursor);
  return { events, pages };
}

interface SourceLoad {
  rep: number;
  coldMs: number;
  coldClientCpuMs: number;
  coldServerCpuMs: number;
  coldTraffic: Traffic;
  warmMs: number;
  warmClientCpuMs: number;
  warmServerCpuMs: number;
  warmTraffic: Traffic;
  events: number;
}

/**
 * The plugins' data step alone, in this process: `loadSource(eventailSource)` + `siteEvents`,
 * once with an empty cache and once more with the cache it filled (conditional requests).
 */
async function measureSourceLoad(
  origin: string,
  server: Child,
  proxy: CountingProxy,
  rep: number,
): Promise<{ sample: SourceLoad; events: SiteEvent[] }> {
  const source = eventailSource({
    name: SOURCE_NAME,
    server: origin,
    allowPrivateNetwork: true,
    required: true,
  });
  const ref: SourceRef = { name: source.name, kind: source.kind, origin: source.origin };
  const cache = new MemoryCache();
  const once = async () => {
    await proxy.serverCacheExpired();
    proxy.take();
    const cpu0 = process.cpuUsage();
    const server0 = await cpuMs(server.pid);
    const t0 = performance.now();
    const result = await loadSource(source, { cache });
    const events = siteEvents([{ events: result.events, source: ref }]);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      ms,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: (await cpuMs(server.pid)) - server0,
      traffic: proxy.take(),
      status: result.status,
      events,
    };
  };
  const cold = await once();
  const warm = await once();
  if (cold.status !== "fetched" || warm.status !== "unchanged")
    throw new Error(
      `source load: expected fetched then unchanged, got ${cold.status}, ${warm.status}`,
    );
  return {
    sample: {
      rep,
      coldMs: cold.ms,
      coldClientCpuMs: cold.clientCpuMs,
      coldServerCpuMs: cold.serverCpuMs,
      coldTraffic: cold.traffic,
      warmMs: warm.ms,
      warmClientCpuMs: warm.clientCpuMs,
      warmServerCpuMs: warm.serverCpuMs,
      warmTraffic: warm.traffic,
      events: warm.events.length,
    },
    events: warm.events,
  };
}

// ------------------------------------------------------------------ main

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

async function main(): Promise<number> {
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemMb: Math.round(os.totalmem() / 1048576),
    freeMemMb: Math.round(os.freemem() / 1048576),
    loadAvg: os.loadavg(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    astro: version("astro"),
    eleventy: version("@11ty/eleventy"),
    eleventyFetch: version("@11ty/eleventy-fetch"),
  };
  let git: { commit: string; dirty: boolean } | null = null;
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT }).toString().trim();
    const dirty =
      execFileSync(
        "git",
        ["status", "--porcelain", "--", "server", "packages", "astro-integration", "bench/static"],
        { cwd: ROOT },
      )
        .toString()
        .trim() !== "";
    git = { commit, dirty };
  } catch {
    // not a git checkout
  }
  if (SETTINGS.tools.length === 0) throw new Error("BENCH_TOOLS names no known tool");
  log(
    `Eventail static-site benchmark: ${machine.cpus} CPU (${machine.cpuModel}), ${fmt(machine.totalMemMb)} MB RAM, Node ${machine.node}, load ${machine.loadAvg.map((l) => l.toFixed(2)).join(" ")}`,
  );
  log(
    `${fmt(SETTINGS.events)} events; ${SETTINGS.tools.map((t) => `${TOOL_LABEL[t]} ${machine[t]}`).join(", ")}; ${SETTINGS.repeats} repetition(s) of cold + warm builds, plugin and local JSON${SETTINGS.quick ? " (QUICK smoke mode)" : ""}`,
  );

  const work = await mkdtemp(join(os.tmpdir(), "eventail-bench-static-"));
  workDir = work;
  const logs = join(work, "logs");
  await mkdir(logs);
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail: string) => {
    checks.push({ what, ok, detail });
    if (!ok) log(`  FAIL ${what}: ${detail}`);
  };
  const builds: Build[] = [];
  const sourceLoads: SourceLoad[] = [];
  let proxy: CountingProxy | null = null;
  let expected = { events: 0, groups: 0, htmlPages: 0 };
  let listingPages = 0;
  let seedReport: Awaited<ReturnType<typeof seed>> | null = null;

  const sites: Site[] = SETTINGS.tools.flatMap((tool) =>
    (["plugin", "json"] as const).map((variant) => ({
      tool,
      variant,
      fixture: join(FIXTURES, `${tool}-${variant}`),
      outDir: join(work, `${tool}-${variant}`, "out"),
      cacheDir: join(work, `${tool}-${variant}`, "cache"),
    })),
  );

  try {
    // 1. Data: a server data directory seeded through the REST API, then the server.
    const dataDir = join(work, "data");
    await mkdir(dataDir);
    // Recurring events would be expanded by the listing into one item (and page) per
    // occurrence; the benchmark wants exactly one page per event.
    const events = generateEvents(SETTINGS.events, new Date()).map((e) => {
      const { recurrence: _, ...input } = e.input;
      return { ...e, input };
    });
    log(`Seeding ${fmt(SETTINGS.events)} events into ${dataDir} (CLI admin, then REST API)…`);
    seedReport = await seed({
      root: ROOT,
      dataDir,
      port: await freePort(),
      events,
      progress: (done, total) => {
        if (total >= 2000 && done % 1000 === 0) log(`  ${fmt(done)}/${fmt(total)} events`);
      },
    });
    log(
      `  seeded ${fmt(seedReport.events)} events and ${seedReport.groups} groups in ${secs(seedReport.apiMs)} s`,
    );
    const port = await freePort();
    const server = startNode(
      "eventail",
      ["server/src/cli.ts", "serve", "--port", String(port), "--data", dataDir],
      { cwd: ROOT, env: childEnv({ LOG_LEVEL: "warn" }) },
    );
    await waitForOutput(server, /is running/);
    proxy = new CountingProxy(port);
    await proxy.listen();
    const origin = `http://127.0.0.1:${proxy.port}`;
    log(
      `Server on port ${port} (node server/src/cli.ts serve), reached through a counting proxy at ${origin}`,
    );

    // 2. The local JSON file: the listing as fetched, as the pages need it (slug, source).
    const t0 = performance.now();
    const listing = await fetchListing(origin);
    listingPages = listing.pages;
    const ref: SourceRef = { name: SOURCE_NAME, kind: "eventail", origin };
    const local = siteEvents([{ events: listing.events, source: ref }]);
    const eventsJson = join(work, "events.json");
    const jsonText = JSON.stringify(local);
    await writeFile(eventsJson, jsonText);
    proxy.take();
    log(
      `Wrote ${eventsJson}: ${fmt(local.length)} events from ${listing.pages} listing pages, ${fmt(jsonText.length / 1048576, 1)} MB, in ${secs(performance.now() - t0, 2)} s`,
    );
    const groups = groupsOf(local).size;
    expected = { events: SETTINGS.events, groups, htmlPages: SETTINGS.events + 2 + groups };
    check(
      "listing",
      listing.events.length === SETTINGS.events && local.length === SETTINGS.events,
      `${listing.events.length} items in the listing, ${local.length} site events, ${SETTINGS.events} seeded`,
    );

    // 3. The plugins' data step alone (no site generator), for the breakdown.
    log("Source load in this process (eventailSource + siteEvents), cold then warm (304)…");
    for (let rep = 1; rep <= SETTINGS.repeats; rep++) {
      const { sample, events: loaded } = await measureSourceLoad(origin, server, proxy, rep);
      sourceLoads.push(sample);
      log(
        `  rep ${rep}: cold ${secs(sample.coldMs, 2)} s (client CPU ${secs(sample.coldClientCpuMs, 2)} s, server CPU ${secs(sample.coldServerCpuMs, 2)} s, ${trafficText(sample.coldTraffic)}); warm ${secs(sample.warmMs, 2)} s (client CPU ${secs(sample.warmClientCpuMs, 2)} s, server CPU ${secs(sample.warmServerCpuMs, 2)} s, ${trafficText(sample.warmTraffic)})`,
      );
      if (rep === 1)
        check(
          "plugin data = local JSON",
          JSON.stringify(loaded) === jsonText,
          "what loadSource(eventailSource) + siteEvents give is byte for byte the JSON file",
        );
    }

    // 4. Builds. Per repetition and tool: both sites cold, then both warm (each warm build
    // reuses the cache of its own site's cold build), plugin first on odd repetitions and
    // local JSON first on even ones, so that neither variant always follows the other and a
    // slow drift of the machine hits both alike.
    const total = SETTINGS.repeats * sites.length * 2;
    let done = 0;
    const reference = new Map<
      Tool,
      { variant: Variant; phase: Phase; files: Map<string, string> }
    >();
    const buildStarted = performance.now();
    for (let rep = 1; rep <= SETTINGS.repeats; rep++) {
      for (const tool of SETTINGS.tools) {
        const order: Variant[] = rep % 2 ? ["plugin", "json"] : ["json", "plugin"];
        const steps = (["cold", "warm"] as const).flatMap((phase) =>
          order.map((variant) => ({ phase, variant })),
        );
        for (const { phase, variant } of steps) {
          const site = sites.find((s) => s.tool === tool && s.variant === variant)!;
          const b = await runBuild(site, phase, rep, {
            server,
            proxy,
            origin,
            eventsJson,
            logs,
          });
          builds.push(b);
          done++;
          const o = b.output;
          const label = `${TOOL_LABEL[tool]} ${VARIANT_LABEL[variant]} ${phase}`;
          const t = b.timings;
          const marks =
            tool === "astro"
              ? ` (astro: sync ${secs(t.syncMs ?? Number.NaN)} s, pages ${secs(t.pagesMs ?? Number.NaN)} s, total ${secs(t.toolTotalMs ?? Number.NaN)} s)`
              : ` (eleventy: ${secs(t.toolTotalMs ?? Number.NaN)} s)`;
          log(
            `  rep ${rep}/${SETTINGS.repeats}  ${label.padEnd(26)} ${secs(b.wallMs).padStart(6)} s  ${fmt(o.eventPages)} event pages + ${o.htmlPages - o.eventPages} pages, ${o.icsEvents} VEVENT${marks}; build CPU ${secs(b.buildCpuMs)} s, server CPU ${secs(b.serverCpuMs, 2)} s, load ${b.loadAvg1.toFixed(2)}; source: ${b.sourceStatus ?? "-"}, ${trafficText(b.traffic)}  [${done}/${total}]`,
          );

          // Correctness of this build.
          const where = `${label}, rep ${rep}`;
          check(
            `pages (${where})`,
            o.eventPages === expected.events &&
              o.htmlPages === expected.htmlPages &&
              o.icsEvents === expected.events &&
              o.jsonLdOk === expected.events,
            `${o.eventPages} event pages (want ${expected.events}), ${o.htmlPages} HTML pages (want ${expected.htmlPages}: + home, list, ${expected.groups} groups), ${o.icsEvents} VEVENT, ${o.jsonLdOk} pages with Event JSON-LD`,
          );
          if (variant === "plugin") {
            const want = phase === "cold" ? "fetched" : "unchanged";
            const codes = Object.keys(b.traffic.status);
            const wantCode = phase === "cold" ? "200" : "304";
            check(
              `source requests (${where})`,
              b.sourceStatus === `${want}, ${expected.events} events` &&
                b.traffic.requests === listingPages &&
                codes.length === 1 &&
                codes[0] === wantCode,
              `source "${b.sourceStatus}", ${trafficText(b.traffic)}; want ${listingPages}×${wantCode}`,
            );
          } else {
            check(`no requests (${where})`, b.traffic.requests === 0, trafficText(b.traffic));
          }
          const first = reference.get(tool);
          if (!first) reference.set(tool, { variant, phase, files: o.files });
          else {
            const diff = [...new Set([...first.files.keys(), ...o.files.keys()])].find(
              (p) => first.files.get(p) !== o.files.get(p),
            );
            check(
              `same output (${where})`,
              diff === undefined,
              diff === undefined
                ? `identical to ${first.variant} ${first.phase}`
                : `differs from ${first.variant} ${first.phase} at ${diff}`,
            );
          }
          // Only the digest is kept.
          o.files = new Map();
        }
      }
      if (rep === 1 && SETTINGS.repeats > 1) {
        const per = (performance.now() - buildStarted) / 60_000;
        log(`  about ${fmt(per * (SETTINGS.repeats - 1), 1)} min of builds left`);
      }
    }
  } finally {
    await stopAll();
    await proxy?.close();
    for (const site of sites) await cleanFixture(site);
    if (!SETTINGS.keepData) await rm(work, { recursive: true, force: true });
    else log(`Kept ${work} (data, events.json, outputs, build logs)`);
    workDir = null;
  }

  // 5. Report.
  const pick = (tool: Tool, variant: Variant, phase: Phase) =>
    builds.filter((b) => b.tool === tool && b.variant === variant && b.phase === phase);
  const rows: string[][] = [];
  const breakdown: string[][] = [];
  const cpuRatios: string[] = [];
  const results: Record<string, unknown>[] = [];
  for (const tool of SETTINGS.tools) {
    const med = (variant: Variant, phase: Phase) =>
      median(pick(tool, variant, phase).map((b) => b.wallMs));
    const medCpu = (variant: Variant, phase: Phase) =>
      median(pick(tool, variant, phase).map((b) => b.buildCpuMs));
    cpuRatios.push(
      `${TOOL_LABEL[tool]} cold ${fmt(medCpu("plugin", "cold") / medCpu("json", "cold"), 2)}×, warm ${fmt(medCpu("plugin", "warm") / medCpu("json", "warm"), 2)}×`,
    );
    for (const variant of ["plugin", "json"] as const) {
      const cold = pick(tool, variant, "cold");
      const warm = pick(tool, variant, "warm");
      const range = (bs: Build[]) =>
        bs.length > 1
          ? `${secs(Math.min(...bs.map((b) => b.wallMs)))}–${secs(Math.max(...bs.map((b) => b.wallMs)))}`
          : "-";
      const pages = cold[0]?.output;
      const ratio = (phase: Phase) =>
        variant === "plugin" ? `${fmt(med("plugin", phase) / med("json", phase), 2)}×` : "-";
      rows.push([
        TOOL_LABEL[tool],
        VARIANT_LABEL[variant],
        pages
          ? `${fmt(pages.htmlPages)} (${fmt(pages.eventPages)} + ${pages.htmlPages - pages.eventPages})`
          : "-",
        secs(med(variant, "cold")),
        range(cold),
        secs(med(variant, "warm")),
        range(warm),
        ratio("cold"),
        ratio("warm"),
      ]);
      const timing = (bs: Build[], name: string) =>
        median(bs.flatMap((b) => (b.timings[name] === undefined ? [] : [b.timings[name]])));
      for (const [phase, bs] of [
        ["cold", cold],
        ["warm", warm],
      ] as const) {
        const wall = median(bs.map((b) => b.wallMs));
        const total = timing(bs, "toolTotalMs");
        const before = median(
          bs.flatMap((b) =>
            b.timings.toolTotalMs === undefined ? [] : [b.wallMs - b.timings.toolTotalMs],
          ),
        );
        breakdown.push([
          TOOL_LABEL[tool],
          VARIANT_LABEL[variant],
          phase,
          secs(wall),
          secs(before),
          tool === "astro" ? secs(timing(bs, "syncMs")) : "-",
          tool === "astro" ? secs(timing(bs, "pagesMs")) : "-",
          secs(total),
          secs(median(bs.map((b) => b.buildCpuMs))),
          secs(median(bs.map((b) => b.serverCpuMs))),
          bs[0] ? trafficText(bs[0].traffic) : "-",
        ]);
      }
      results.push({
        tool,
        variant,
        pages: pages
          ? { html: pages.htmlPages, events: pages.eventPages, ics: pages.icsEvents }
          : null,
        coldMedianMs: med(variant, "cold"),
        warmMedianMs: med(variant, "warm"),
        ratioToJson:
          variant === "plugin"
            ? {
                cold: med("plugin", "cold") / med("json", "cold"),
                warm: med("plugin", "warm") / med("json", "warm"),
              }
            : null,
        toolTimingsMedianMs: {
          cold: Object.fromEntries(
            Object.keys(TIMINGS[tool]).map((name) => [name, timing(cold, name)]),
          ),
          warm: Object.fromEntries(
            Object.keys(TIMINGS[tool]).map((name) => [name, timing(warm, name)]),
          ),
        },
        serverCpuMedianMs: {
          cold: median(cold.map((b) => b.serverCpuMs)),
          warm: median(warm.map((b) => b.serverCpuMs)),
        },
        buildCpuMedianMs: { cold: medCpu(variant, "cold"), warm: medCpu(variant, "warm") },
        cpuRatioToJson:
          variant === "plugin"
            ? {
                cold: medCpu("plugin", "cold") / medCpu("json", "cold"),
                warm: medCpu("plugin", "warm") / medCpu("json", "warm"),
              }
            : null,
      });
    }
  }

  const src = {
    coldMs: median(sourceLoads.map((s) => s.coldMs)),
    coldClientCpuMs: median(sourceLoads.map((s) => s.coldClientCpuMs)),
    coldServerCpuMs: median(sourceLoads.map((s) => s.coldServerCpuMs)),
    warmMs: median(sourceLoads.map((s) => s.warmMs)),
    warmClientCpuMs: median(sourceLoads.map((s) => s.warmClientCpuMs)),
    warmServerCpuMs: median(sourceLoads.map((s) => s.warmServerCpuMs)),
  };
  const failed = checks.filter((c) => !c.ok);

  const output = [
    "",
    `Static-site builds with ${fmt(SETTINGS.events)} events: wall time of the build command (fresh Node process), median of ${SETTINGS.repeats}; ratio = plugin median ÷ local JSON median`,
    "",
    table(
      [
        "Tool",
        "Variant",
        "Pages (events + other)",
        "Cold s",
        "range",
        "Warm s",
        "range",
        "Cold ÷ JSON",
        "Warm ÷ JSON",
      ],
      rows,
      [false, false, true, true, true, true, true, true, true],
    ),
    "",
    `Cold: no output, no cache (Astro: cacheDir with the data store and loader meta deleted, .astro/ deleted; Eleventy: eleventy-fetch cache deleted). Warm: the cache of the cold build kept, output deleted. Before each plugin build the server's 10 s response cache has expired, so the server renders its listing pages every time.`,
    "Where the time goes (medians, s): 'before' = wall time minus the tool's own total (Node start, loading the config and the plugins' modules); Astro's 'sync' = content layer sync ('[types] Generated', loaders included), 'pages' = static page generation; build CPU = user + system CPU time of the build's processes; server CPU = the Eventail server's CPU time during the build; requests = the source requests of the build, counted by the proxy.",
    "",
    table(
      [
        "Tool",
        "Variant",
        "Phase",
        "Wall",
        "before",
        "sync",
        "pages",
        "tool total",
        "build CPU",
        "server CPU",
        "requests",
      ],
      breakdown,
      [false, false, false, true, true, true, true, true, true, true, false],
    ),
    "",
    `Build CPU time, plugin ÷ local JSON (medians; less sensitive than wall time to other load on the machine): ${cpuRatios.join("; ")}.`,
    `Source load alone, in this process (loadSource(eventailSource) + siteEvents, median of ${sourceLoads.length}): cold ${secs(src.coldMs, 2)} s (client CPU ${secs(src.coldClientCpuMs, 2)} s, server CPU ${secs(src.coldServerCpuMs, 2)} s), warm/304 ${secs(src.warmMs, 2)} s (client CPU ${secs(src.warmClientCpuMs, 2)} s, server CPU ${secs(src.warmServerCpuMs, 2)} s).`,
    `Checks: ${checks.length - failed.length}/${checks.length} passed${failed.length ? ` (failed: ${failed.map((c) => c.what).join("; ")})` : ""}.`,
    `Machine: ${machine.cpus} CPU, Node ${machine.node}, Astro ${machine.astro}, Eleventy ${machine.eleventy}; 1-min load average ${machine.loadAvg[0]!.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end, median ${median(builds.map((b) => b.loadAvg1)).toFixed(2)} at the builds' starts (a build alone makes about 1). The server runs on the same machine: its CPU time is part of the plugin builds' wall time.`,
    "",
  ].join("\n");
  process.stdout.write(output);

  const json = {
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: { ...machine, loadAvgAtEnd: os.loadavg() },
    git,
    settings: SETTINGS,
    seed: seedReport,
    listingPages,
    expected,
    checks,
    results,
    sourceLoad: { median: src, samples: sourceLoads },
    builds: builds.map(({ output: o, ...b }) => ({
      ...b,
      wallMs: Math.round(b.wallMs),
      serverCpuMs: Math.round(b.serverCpuMs),
      buildCpuMs: Math.round(b.buildCpuMs),
      output: {
        eventPages: o.eventPages,
        htmlPages: o.htmlPages,
        icsEvents: o.icsEvents,
        jsonLdOk: o.jsonLdOk,
        digest: o.digest,
      },
    })),
    table: output,
  };
  const dir = join(BENCH, "results");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "static.json"), `${JSON.stringify(json, null, 2)}\n`);
  log("Wrote bench/results/static.json");
  return failed.length ? 1 : 0;
}

// ------------------------------------------------------------------ lifecycle

function cleanFixturesNow(): void {
  for (const name of ["astro-plugin", "astro-json"]) {
    rmSync(join(FIXTURES, name, ".astro"), { recursive: true, force: true });
    rmSync(join(FIXTURES, name, "node_modules"), { recursive: true, force: true });
  }
}

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the server and the builds…\n`);
    stopAll().finally(() => {
      cleanFixturesNow();
      if (workDir && !SETTINGS.keepData) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    process.stderr.write(`bench:static: ${(err as Error)?.stack ?? String(err)}\n`);
    await stopAll();
    cleanFixturesNow();
    if (workDir && !SETTINGS.keepData) rmSync(workDir, { recursive: true, force: true });
    process.exit(1);
  },
);
