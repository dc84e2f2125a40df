/**
 * The whole demo on loopback: the demo instance (seeded), a second instance whose relay
 * follows the first, and the three example sites of the fictional organization (Astro,
 * Eleventy, plain HTML) built against the first instance and served on their own origins.
 * `npm run demo` runs it (demo/run.ts); the end-to-end test starts it on free ports.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { join, resolve } from "node:path";
import { type StaticServer, serveStatic } from "./static-server.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
const SITES = join(ROOT, "demo/sites");
const NODE = existsSync(join(ROOT, "node_modules/.bin/node"))
  ? join(ROOT, "node_modules/.bin/node")
  : process.execPath;

/** The seeded demo organizer (server/src/demo/seed.ts) and the second instance's admin. */
export const FIRST_LOGIN = {
  email: "organizer@demo.eventail.test",
  password: "demo-organizer-2026",
};
export const SECOND_LOGIN = { email: "noor@second.demo.test", password: "demo-second-2026" };

export interface DemoPorts {
  first: number;
  second: number;
  astro: number;
  eleventy: number;
  html: number;
}
export const DEFAULT_PORTS: DemoPorts = {
  first: 8080,
  second: 8090,
  astro: 4321,
  eleventy: 4322,
  html: 4323,
};

export interface DemoOptions {
  /** Where both instances keep their data and the sites are built. */
  dataDir: string;
  /** 0: any free port (tests). */
  ports?: Partial<DemoPorts>;
  /** Progress lines; default: stdout. */
  log?: (line: string) => void;
  /** Build the widget bundle even if one is there (tests: the code under test, not a stale copy). */
  rebuildWidgets?: boolean;
}

export interface Demo {
  first: string;
  second: string;
  sites: { astro: string; eleventy: string; html: string };
  stop(): Promise<void>;
}

const origin = (port: number) => `http://127.0.0.1:${port}`;

/** Runs a command to completion; its output is shown only when it fails. */
function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(NODE, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? ok(out) : fail(new Error(`${args.join(" ")} exited with ${code}:\n${out}`)),
    );
  });
}

async function waitUntilUp(url: string, child: ChildProcess, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not answer ${url} within ${ms / 1000} s`);
}

/** A free loopback port (the OS's choice; another process may still take it first). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createNetServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/**
 * `eventail serve` as a child process; stderr passes through so failures are visible.
 * Port 0: a free port, tried again with another if something takes it before the server
 * binds (tests run in parallel on one machine).
 */
async function startInstance(
  name: string,
  wanted: number,
  dataDir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = wanted || (await freePort());
    const child = spawn(
      NODE,
      [
        "server/src/cli.ts",
        "serve",
        "--demo",
        "--demo-loopback-federation",
        "--port",
        String(port),
        "--origin",
        origin(port),
        "--data",
        dataDir,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    try {
      await waitUntilUp(`${origin(port)}/healthz`, child, `the ${name} instance`);
      return { child, url: origin(port) };
    } catch (err) {
      if (child.exitCode === null) child.kill("SIGKILL");
      if (wanted || attempt >= 5) throw err;
    }
  }
}

/** A bearer token of an account, through the session API as the console would. */
async function tokenFor(server: string, login: { email: string; password: string }) {
  const session = await fetch(`${server}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  });
  if (!session.ok) throw new Error(`could not sign in to ${server}: ${session.status}`);
  const cookie = session.headers.get("set-cookie")?.split(";")[0] ?? "";
  const res = await fetch(`${server}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: server },
    body: JSON.stringify({ name: "demo" }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!token) throw new Error(`no API token from ${server} (${res.status})`);
  return token;
}

/** The widgets' standalone bundle, manifest and console, which the instance serves. */
export async function ensureWidgetsBuilt(
  log: (line: string) => void,
  rebuild = false,
): Promise<void> {
  const dist = join(ROOT, "widgets/dist");
  const built =
    existsSync(join(dist, "cdn/eventail.js")) &&
    existsSync(join(dist, "console")) &&
    existsSync(join(dist, "custom-elements.json"));
  if (built && !rebuild) return;
  log("· building the widgets…");
  const widgets = join(ROOT, "widgets");
  const rollup = join(ROOT, "node_modules/rollup/dist/bin/rollup");
  await run([rollup, "-c", "rollup.config.js"], widgets);
  await run([rollup, "-c", "rollup.console.config.js"], widgets);
  await run(
    [
      join(ROOT, "node_modules/@custom-elements-manifest/analyzer/cem.js"),
      "analyze",
      "--config",
      "custom-elements-manifest.config.js",
    ],
    widgets,
  );
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const ports = { ...DEFAULT_PORTS, ...opts.ports };
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const out = join(opts.dataDir, "sites");
  let first = origin(ports.first);
  let second = origin(ports.second);
  const sites = { astro: "", eleventy: "", html: "" };
  const children: ChildProcess[] = [];
  const servers: StaticServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }),
    );
  };
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    log(`· ${what}…`);
    const value = await fn();
    log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  };

  try {
    // The sites' servers first: their origins go into the instance's embed settings and the
    // builds; they serve the files once built.
    for (const name of ["astro", "eleventy", "html"] as const) {
      const server = await serveStatic(join(out, name), ports[name]);
      servers.push(server);
      sites[name] = server.url;
    }
    await ensureWidgetsBuilt(log, opts.rebuildWidgets);
    await mkdir(opts.dataDir, { recursive: true });
    const firstData = join(opts.dataDir, "first");
    const secondData = join(opts.dataDir, "second");
    await step("starting the demo instance", async () => {
      const started = await startInstance("demo", ports.first, firstData, {
        // The three sites embed RSVP forms.
        EVENTAIL_EMBED_ORIGINS: Object.values(sites).join(","),
      });
      children.push(started.child);
      first = started.url;
    });

    await step("starting the second instance", async () => {
      if (!existsSync(join(secondData, "eventail.sqlite"))) {
        // Its own admin, and no demo data: what it shows comes from the first instance.
        await run(
          [
            "server/src/cli.ts",
            "user",
            "create",
            "--data",
            secondData,
            "--email",
            SECOND_LOGIN.email,
            "--password",
            SECOND_LOGIN.password,
            "--handle",
            "noor",
            "--name",
            "Noor Haddad",
            "--role",
            "admin",
          ],
          ROOT,
        );
      }
      const started = await startInstance("second", ports.second, secondData, {});
      children.push(started.child);
      second = started.url;
    });

    await step(
      "the second instance follows the first (ActivityPub, signed, on loopback)",
      async () => {
        const token = await tokenFor(second, SECOND_LOGIN);
        const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        await fetch(`${second}/api/v1/admin/settings`, {
          method: "PATCH",
          headers: auth,
          body: JSON.stringify({
            name: "Second demo instance",
            description: "Follows the demo instance: its events show up here.",
          }),
        });
        const following = await fetch(`${second}/api/v1/federation/follows?as=relay`, {
          headers: auth,
        });
        const { items } = (await following.json()) as { items: { target: string }[] };
        if (!items.some((i) => i.target === `${first}/@relay`)) {
          const res = await fetch(`${second}/api/v1/federation/follows`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ target: `${first}/@relay`, as: "relay" }),
          });
          if (res.status !== 202)
            throw new Error(`follow answered ${res.status}: ${await res.text()}`);
        }
      },
    );

    const siteEnv = (site: string) => ({
      EVENTAIL_DEMO_SERVER: first,
      EVENTAIL_DEMO_SITE: `${site}/`,
    });
    await step("building the Astro site", () =>
      run([join(ROOT, "node_modules/astro/bin/astro.mjs"), "build"], join(SITES, "astro"), {
        ...siteEnv(sites.astro),
        ASTRO_TELEMETRY_DISABLED: "1",
        ASTRO_OUT_DIR: join(out, "astro"),
        ASTRO_CACHE_DIR: join(opts.dataDir, "astro-cache"),
      }),
    );
    await step("building the Eleventy site", () =>
      run(
        [join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs"), `--output=${join(out, "eleventy")}`],
        join(SITES, "eleventy"),
        { ...siteEnv(sites.eleventy), ELEVENTY_CACHE_DIR: join(opts.dataDir, "eleventy-cache") },
      ),
    );
    await step("writing the plain HTML site", async () => {
      const dir = join(out, "html");
      await rm(dir, { recursive: true, force: true });
      await cp(join(SITES, "html"), dir, { recursive: true });
      for (const page of ["index.html", "event.html"]) {
        const file = join(dir, page);
        await writeFile(file, (await readFile(file, "utf8")).replaceAll("EVENTAIL_SERVER", first));
      }
    });

    await step("waiting for the first instance's events on the second", async () => {
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        const page = (await (await fetch(`${second}/api/v1/events?limit=5`)).json()) as {
          items: { remote?: unknown }[];
        };
        if (page.items.some((e) => e.remote)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error("the second instance shows none of the first one's events after 60 s");
    });
    return { first, second, sites, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
