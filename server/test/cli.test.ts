/** The `eventail` command line, run as a real child process with Node's type stripping. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import { createPlace, dialects, type TestPlace } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = "server/src/cli.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function childEnv(place: TestPlace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key === "DATABASE_URL" ||
      key === "PORT" ||
      key === "HOST" ||
      key === "NODE_OPTIONS" ||
      key.startsWith("EVENTAIL_") ||
      key.startsWith("VITEST")
    )
      delete env[key];
  }
  return {
    ...env,
    EVENTAIL_DATA: place.dataDir,
    ...(place.databaseUrl ? { DATABASE_URL: place.databaseUrl } : {}),
    ...extra,
  };
}

function run(place: TestPlace, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: childEnv(place, extra),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // Generous: a loaded CI machine starts Node slowly; this only guards against a hang.
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const noStack = (r: Run) => {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error:|node:internal/);
};

// Each case starts Node processes one after another (about 1.5 s each on an idle machine):
// on a shared, loaded machine the default 20 s is not enough, and a timeout is no finding.
describe.each(dialects)("CLI on %s", { timeout: 240_000 }, (dialect) => {
  let place: TestPlace;
  beforeAll(async () => {
    place = await createPlace(dialect);
  });
  afterAll(async () => {
    await place?.dispose();
  });

  it("creates, lists and promotes users; migrate then has nothing to do", async () => {
    const created = await run(place, [
      "user",
      "create",
      "--email",
      "Admin@Example.test",
      "--handle",
      "first_admin",
      "--name",
      "First Admin",
      "--role",
      "admin",
    ]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created admin admin@example\.test \(id [a-z0-9]{16}\)/);
    expect(created.stdout).toContain("@first_admin");
    // No --password: one is generated and shown once.
    expect(created.stdout).toMatch(/password: \S{12,}/);

    const second = await run(place, [
      "user",
      "create",
      "--email=writer@example.test",
      "--handle=writer",
      "--name",
      "Writer",
      "--password=a long=enough=password",
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/created user writer@example\.test/);
    expect(second.stdout).not.toMatch(/password:/);

    const listed = await run(place, ["user", "list"]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^[a-z0-9]{16}\s+admin\s+active\s+admin@example\.test$/);
    expect(lines[1]).toMatch(/^[a-z0-9]{16}\s+user\s+active\s+writer@example\.test$/);

    const promoted = await run(place, ["user", "set-role", "writer@example.test", "moderator"]);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toBe("writer@example.test is now moderator\n");
    const byId = lines[0]!.split(/\s+/)[0]!;
    const demoted = await run(place, ["user", "set-role", byId, "user"]);
    expect(demoted.code).toBe(0);
    expect(demoted.stdout).toBe("admin@example.test is now user\n");
    const relisted = await run(place, ["user", "list"]);
    expect(relisted.stdout).toMatch(/\s+moderator\s+active\s+writer@example\.test/);
    expect(relisted.stdout).toMatch(/\s+user\s+active\s+admin@example\.test/);

    // The accounts work: the password keeps every "=" after the first.
    const services = await createServices(place.config(), createLogger("silent"));
    try {
      const writer = await services.accounts.authenticate(
        "writer@example.test",
        "a long=enough=password",
      );
      expect(writer.role).toBe("moderator");
      expect((await services.identities.listOwned(writer.id)).map((i) => i.handle)).toEqual([
        "writer",
      ]);
    } finally {
      await services.close();
    }

    const migrated = await run(place, ["migrate"]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^nothing to do: schema at version \d+\n$/);

    const dup = await run(place, [
      "user",
      "create",
      "--email",
      "writer@example.test",
      "--handle",
      "writer2",
      "--name",
      "Dup",
    ]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^eventail: an account with this email exists/);
    noStack(dup);
  });

  it("refuses bad flags and arguments with a clear message and no stack trace", async () => {
    type Case = [string[], RegExp, Record<string, string>?];
    // Refused before any database is opened: the same on both dialects, so run once.
    const beforeDatabase: Case[] = [
      [["user", "create", "--email"], /--email needs a value/],
      [["launch"], /unknown command "launch"/],
      [["serve", "--port", "nope"], /PORT must be a positive integer, got "nope"/],
      [["serve", "--port", "70000"], /PORT must be a positive integer/],
      [["serve", "--prot", "9000"], /unknown option --prot/],
      [["user", "list", "--verbose"], /unknown option --verbose/],
      [["migrate", "--log-level", "chatty"], /LOG_LEVEL must be/],
      [["migrate", "--database-url", "mysql://x"], /DATABASE_URL must be a postgres:\/\/ URL/],
      [["serve"], /EVENTAIL_ORIGIN must be an http\(s\) URL/, { EVENTAIL_ORIGIN: "ftp://x" }],
    ];
    const cases: Case[] = [
      ...(dialect === "sqlite" ? beforeDatabase : []),
      [["user", "create", "--email", "x@example.test", "--name", "X"], /--handle is required/],
      [
        ["user", "create", "--email", "not-an-email", "--handle", "x", "--name", "X"],
        /invalid email[\s\S]*email: must be an email address/,
      ],
      [
        [
          "user",
          "create",
          "--email",
          "p@example.test",
          "--handle",
          "p",
          "--name",
          "P",
          "--password",
          "short",
        ],
        /weak password[\s\S]*password:/,
      ],
      [
        [
          "user",
          "create",
          "--email",
          "r@example.test",
          "--handle",
          "r",
          "--name",
          "R",
          "--role",
          "king",
        ],
        /role must be one of user, moderator, admin/,
      ],
      [
        ["user", "create", "--email", "h@example.test", "--handle", "Bad Handle", "--name", "H"],
        /invalid handle/,
      ],
      [["user", "set-role", "nobody@example.test", "admin"], /account not found/],
      [["user", "set-role", "writer@example.test", "superuser"], /role must be one of/],
      [["user", "set-role"], /usage: eventail user set-role/],
      [["user", "frobnicate"], /usage: eventail user create\|list\|set-role/],
    ];
    // A few at a time: each run starts a Node process.
    const results: Run[] = [];
    for (let i = 0; i < cases.length; i += 6)
      results.push(
        ...(await Promise.all(cases.slice(i, i + 6).map(([args, , env]) => run(place, args, env)))),
      );
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      const label = args.join(" ");
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toMatch(message);
      expect(r.stderr.startsWith("eventail: "), label).toBe(true);
      noStack(r);
    });
  });

  it("serves, prints its URLs and answers /healthz", async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [CLI, "serve", "--port", String(port)], {
      cwd: ROOT,
      env: childEnv(place, { EVENTAIL_ORIGIN: "http://events.test", LOG_LEVEL: "warn" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    try {
      let out = "";
      let err = "";
      child.stderr!.on("data", (d) => {
        err += d;
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`serve did not start: ${out} ${err}`)),
          15_000,
        );
        child.stdout!.on("data", (d) => {
          out += d;
          if (out.includes("Press Ctrl+C")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`serve exited with ${code}: ${err}`));
        });
      });
      expect(out).toContain(`(${dialect}: `);
      expect(out).toContain("http://events.test/api/v1/events");
      expect(out).toContain("http://events.test/api/v1/openapi.json");
      expect(out).toContain("http://events.test/events.ics");
      expect(out).toContain(`http://127.0.0.1:${port}/healthz`);
      if (place.databaseUrl) expect(out).not.toContain(new URL(place.databaseUrl).password || "\0");

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", database: dialect });
      const events = await fetch(`http://127.0.0.1:${port}/api/v1/events`);
      expect(events.status).toBe(200);
      expect((await events.json()).items).toEqual([]);

      // A second server on the same port explains itself.
      const clash = await run(place, ["serve", "--port", String(port)]);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(new RegExp(`port ${port} is already in use`));
      noStack(clash);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
