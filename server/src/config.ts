/**
 * Configuration: one table of settings, each readable from an environment variable or the
 * CLI flag of the same name (flags win). The README's configuration table mirrors OPTIONS.
 */
import { resolve } from "node:path";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  origin: string;
  demo: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Largest JSON request body, bytes. */
  maxBodyBytes: number;
  /** Largest uploaded image, bytes. */
  maxUploadBytes: number;
}

export interface OptionSpec {
  key: keyof Config;
  env: string;
  flag: string;
  description: string;
  default: string;
}

export const OPTIONS: OptionSpec[] = [
  {
    key: "port",
    env: "PORT",
    flag: "--port",
    description: "TCP port to listen on",
    default: "8080",
  },
  {
    key: "host",
    env: "HOST",
    flag: "--host",
    description: "Address to bind",
    default: "127.0.0.1",
  },
  {
    key: "dataDir",
    env: "EVENTAIL_DATA",
    flag: "--data",
    description: "Directory for the SQLite file and uploads",
    default: "./data",
  },
  {
    key: "databaseUrl",
    env: "DATABASE_URL",
    flag: "--database-url",
    description: "A postgres:// URL selects PostgreSQL instead of SQLite",
    default: "(SQLite)",
  },
  {
    key: "origin",
    env: "EVENTAIL_ORIGIN",
    flag: "--origin",
    description: "Public base URL used in links, feeds and federation",
    default: "http://localhost:PORT",
  },
  {
    key: "demo",
    env: "EVENTAIL_DEMO",
    flag: "--demo",
    description: "Seed an empty database with demo data",
    default: "false",
  },
  {
    key: "logLevel",
    env: "LOG_LEVEL",
    flag: "--log-level",
    description: "debug, info, warn, error or silent",
    default: "info",
  },
  {
    key: "maxBodyBytes",
    env: "EVENTAIL_MAX_BODY",
    flag: "--max-body",
    description: "Largest JSON request body in bytes",
    default: "262144",
  },
  {
    key: "maxUploadBytes",
    env: "EVENTAIL_MAX_UPLOAD",
    flag: "--max-upload",
    description: "Largest uploaded image in bytes",
    default: "5242880",
  },
];

export class ConfigError extends Error {}

function positiveInt(name: string, raw: string, max = 2 ** 31): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > max)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Builds the configuration from flags (already parsed to name → value) and the environment. */
export function loadConfig(
  flags: Record<string, string | boolean>,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const pick = (o: OptionSpec): string | undefined => {
    const f = flags[o.flag.slice(2)];
    if (f !== undefined) return String(f);
    return env[o.env] || undefined;
  };
  const get = (key: keyof Config) => pick(OPTIONS.find((o) => o.key === key)!);
  const port = positiveInt("PORT", get("port") ?? "8080", 65535);
  const host = get("host") ?? "127.0.0.1";
  const logLevel = (get("logLevel") ?? "info") as Config["logLevel"];
  if (!["debug", "info", "warn", "error", "silent"].includes(logLevel))
    throw new ConfigError(
      `LOG_LEVEL must be debug, info, warn, error or silent, got "${logLevel}"`,
    );
  const databaseUrl = get("databaseUrl");
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError("DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");
  const origin = (get("origin") ?? `http://localhost:${port}`).replace(/\/+$/, "");
  try {
    const u = new URL(origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(`EVENTAIL_ORIGIN must be an http(s) URL, got "${origin}"`);
  }
  const demo = get("demo");
  return {
    port,
    host,
    dataDir: resolve(get("dataDir") ?? "./data"),
    databaseUrl,
    origin,
    demo: demo === "true" || demo === "1",
    logLevel,
    maxBodyBytes: positiveInt("EVENTAIL_MAX_BODY", get("maxBodyBytes") ?? "262144"),
    maxUploadBytes: positiveInt("EVENTAIL_MAX_UPLOAD", get("maxUploadBytes") ?? "5242880"),
  };
}
