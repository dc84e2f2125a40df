/**
 * `eventail` command line: serve, migrate, user create|list|set-role.
 * Every flag has an environment variable of the same meaning (see config.ts / README).
 */
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { DomainError, ROLES, type Role } from "@eventail/core";
import { serve } from "@hono/node-server";
import { createApp, VERSION } from "./app.ts";
import { backupTo, restoreFrom } from "./backup.ts";
import { type Config, ConfigError, loadConfig, OPTIONS } from "./config.ts";
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from "./demo/seed.ts";
import { createLogger } from "./log.ts";
import { createServices } from "./services.ts";
import { migrate, openStore } from "./storage/index.ts";

const USAGE = `eventail ${VERSION}: a federated event server

Usage:
  eventail serve [--port N] [--host ADDR] [--data DIR] [--database-url URL] [--origin URL] [--demo]
  eventail migrate
  eventail backup <new-directory>          (SQLite: online, while the server runs)
  eventail restore <backup-directory> [--force]
  eventail user create --email E --handle H --name N [--password P] [--role user|moderator|admin]
  eventail user list
  eventail user set-role <email|id> <user|moderator|admin>

Options (each also read from an environment variable):
${OPTIONS.map((o) => `  ${o.flag.padEnd(16)} ${o.env.padEnd(20)} ${o.description} (default ${o.default})`).join("\n")}
`;

const BOOLEAN_FLAGS = new Set(["demo", "demo-loopback-federation", "help", "force"]);
/** Every flag some command reads; anything else is a typo that must not pass silently. */
const KNOWN_FLAGS = new Set([
  ...OPTIONS.map((o) => o.flag.slice(2)),
  ...BOOLEAN_FLAGS,
  "email",
  "handle",
  "name",
  "password",
  "role",
]);

export function parseArgs(argv: string[]): {
  positional: string[];
  flags: Record<string, string | boolean>;
} {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h") flags.help = true;
    else if (a.startsWith("--")) {
      // Split at the first "=" only: values such as URLs and passwords may contain more.
      const eq = a.indexOf("=");
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      const inline = eq === -1 ? undefined : a.slice(eq + 1);
      if (!KNOWN_FLAGS.has(name))
        throw new ConfigError(`unknown option --${name} (try eventail --help)`);
      if (inline !== undefined) flags[name] = inline;
      else if (BOOLEAN_FLAGS.has(name)) flags[name] = true;
      else {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--"))
          throw new ConfigError(`--${name} needs a value`);
        flags[name] = value;
        i++;
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

async function serveCommand(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const services = await createServices(config, log);
  let demoNote = "";
  if (config.demo) {
    const { seeded } = await seedDemo(services);
    demoNote = seeded ? "seeded demo data" : "demo data already present";
  }
  const { app } = createApp(services);
  // Erase participants' personal data some days after their event: at start, then hourly.
  const purge = () =>
    Promise.all([
      services.participations.purge(config.purgeDays),
      services.reports.purge(config.purgeDays),
    ]).then(
      ([n, r]) =>
        (n > 0 || r > 0) &&
        log.info("purged personal data", { participations: n, reporterEmails: r }),
      (err) => log.error("purge failed", { error: String(err) }),
    );
  void purge();
  setInterval(purge, 3_600_000).unref();
  if (services.mailer.kind === "outbox" && !config.demo)
    log.warn("no SMTP server configured (SMTP_HOST): participants will not receive emails");
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const local = `http://${info.address.includes(":") ? `[${info.address}]` : info.address}:${info.port}`;
    const lines = [
      "",
      `  Eventail ${VERSION} is running (${services.store.dialect}: ${services.store.location})`,
      "",
      `  Instance      ${config.origin}/`,
      `  API           ${config.origin}/api/v1/events   (OpenAPI: ${config.origin}/api/v1/openapi.json)`,
      `  Feeds         ${config.origin}/events.ics   ${config.origin}/events.atom`,
      `  Console       ${config.origin}/console   (organizers and admins)`,
      `  Health        ${local}/healthz`,
      `  Playground    ${config.origin}/playground   (try the widgets, copy a snippet)`,
    ];
    if (config.demo) {
      lines.push(
        `  Demo group    ${config.origin}/@climate_lyon`,
        `  Dev outbox    ${config.origin}/dev/outbox   (emails the demo would send)`,
        `  Demo login    ${DEMO_EMAIL} / ${DEMO_PASSWORD}   (${demoNote})`,
      );
    }
    lines.push("", "  Press Ctrl+C to stop.", "");
    process.stdout.write(`${lines.join("\n")}\n`);
  });
  server.on("error", (err: NodeJS.ErrnoException) => {
    process.stderr.write(
      err.code === "EADDRINUSE"
        ? `eventail: port ${config.port} is already in use; choose another with --port or PORT\n`
        : `eventail: ${err.message}\n`,
    );
    process.exit(1);
  });
  const stop = () => {
    server.close();
    services.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function withServices<T>(
  config: Config,
  fn: (s: Awaited<ReturnType<typeof createServices>>) => Promise<T>,
) {
  const services = await createServices(config, createLogger("warn"));
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

function requireFlag(flags: Record<string, string | boolean>, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !v) throw new ConfigError(`--${name} is required`);
  return v;
}

function parseRole(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value))
    throw new ConfigError(`role must be one of ${ROLES.join(", ")}`);
  return value as Role;
}

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, sub, ...rest] = positional;
  if (flags.help || !command || command === "help") {
    process.stdout.write(USAGE);
    return command || flags.help ? 0 : 1;
  }
  const config = loadConfig(flags);
  switch (command) {
    case "serve":
      await serveCommand(config);
      return -1; // keeps running
    case "migrate": {
      const store = await openStore(
        { databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, "eventail.sqlite") },
        { runMigrations: false },
      );
      try {
        const r = await migrate(store.db, store.dialect);
        process.stdout.write(
          r.applied.length
            ? `${r.applied.map((m) => `applied ${m.version}: ${m.name}`).join("\n")}\nschema at version ${r.current}\n`
            : `nothing to do: schema at version ${r.current}\n`,
        );
      } finally {
        await store.close();
      }
      return 0;
    }
    case "backup":
    case "restore": {
      if (config.databaseUrl)
        throw new ConfigError(
          "with PostgreSQL, back up with pg_dump and restore with pg_restore (see docs/self-hosting.md); copy the data directory's media/ too",
        );
      if (!sub) throw new ConfigError(`usage: eventail ${command} <directory>`);
      const dir = resolve(sub);
      if (command === "backup") {
        const r = await backupTo(config.dataDir, dir, (msg) => process.stdout.write(`  ${msg}\r`));
        process.stdout.write(
          `\nbacked up ${(r.bytes / 1024).toFixed(0)} KiB of database and ${r.mediaFiles} media files to ${dir} in ${r.ms} ms\n`,
        );
      } else {
        const r = await restoreFrom(dir, config.dataDir, { force: flags.force === true });
        process.stdout.write(
          `restored ${dir} into ${config.dataDir} (${r.mediaFiles} media files)\n`,
        );
      }
      return 0;
    }
    case "user":
      return withServices(config, async (s) => {
        if (sub === "create") {
          const generated = typeof flags.password !== "string";
          const password = generated
            ? randomBytes(12).toString("base64url")
            : (flags.password as string);
          const { account, identity } = await s.accounts.create({
            email: requireFlag(flags, "email"),
            handle: requireFlag(flags, "handle"),
            name: requireFlag(flags, "name"),
            password,
            role: parseRole((flags.role as string | undefined) ?? "user"),
            state: "active",
          });
          process.stdout.write(
            `created ${account.role} ${account.email} (id ${account.id}) with identity @${identity.handle}\n` +
              (generated ? `password: ${password}\n` : ""),
          );
          return 0;
        }
        if (sub === "list") {
          const accounts = await s.accounts.list();
          for (const a of accounts)
            process.stdout.write(`${a.id}  ${a.role.padEnd(9)} ${a.state.padEnd(9)} ${a.email}\n`);
          if (accounts.length === 0)
            process.stdout.write(
              "no accounts yet: eventail user create --email … --handle … --name …\n",
            );
          return 0;
        }
        if (sub === "set-role") {
          const [who, role] = rest;
          if (!who) throw new ConfigError("usage: eventail user set-role <email|id> <role>");
          const account = await s.accounts.update((await s.accounts.find(who)).id, {
            role: parseRole(role),
          });
          process.stdout.write(`${account.email} is now ${account.role}\n`);
          return 0;
        }
        throw new ConfigError("usage: eventail user create|list|set-role");
      });
    default:
      throw new ConfigError(`unknown command "${command}" (try eventail --help)`);
  }
}

function explain(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof DomainError)
    return [err.message, ...err.issues.map((i) => `  ${i.path}: ${i.message}`)].join("\n");
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ECONNREFUSED")
    return `cannot reach the database (${e.message}); is PostgreSQL running?`;
  return String(e?.stack ?? e);
}

/** Runs the CLI and exits with its status (except `serve`, which keeps running). */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err) => {
      process.stderr.write(`eventail: ${explain(err)}\n`);
      process.exit(1);
    },
  );
}

if (import.meta.main) run(process.argv.slice(2));
