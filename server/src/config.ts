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
  smtp: SmtpConfig | null;
  /** Origins (scheme://host[:port]) allowed to embed RSVP forms, besides those set in the database. */
  embedOrigins: string[];
  /**
   * How many reverse proxies in front of us to trust for X-Forwarded-For. 0 (default): the
   * header is ignored and the TCP peer is the client, so nobody can spoof their address.
   */
  trustProxy: number;
  /** Days after an event ends before its participants' personal data is erased. */
  purgeDays: number;
  /** Leading zero bits of the optional RSVP proof-of-work; 0 turns it off. */
  rsvpPow: number;
  /** RSVPs per client address per 10 minutes (50× that per event); 0 turns limits off. */
  rsvpLimit: number;
  /** Failed sign-ins per account per 15 minutes (5× that per client address); 0 turns it off. */
  loginLimit: number;
  reportLimit: number;
  /** Hours after which an ActivityPub delivery that keeps failing is abandoned. */
  federationGiveUpHours: number;
  /** ActivityPub deliveries running at once to one remote host. */
  federationHostConcurrency: number;
  /**
   * Which instances may federate: every one but those an admin blocked ("blocklist"), or
   * only those an admin allowed or limited ("allowlist").
   */
  federationMode: "blocklist" | "allowlist";
  /**
   * Demo only: ActivityPub may fetch from and deliver to loopback and private addresses, so
   * two instances on one machine federate (`npm run demo`). Refused without `demo`.
   */
  demoLoopbackFederation: boolean;
  /**
   * A Nominatim-compatible search endpoint (e.g. https://nominatim.openstreetmap.org/search)
   * the server asks for coordinates of an address; null (default): geocoding is off.
   */
  geocoderUrl: string | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
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
  {
    key: "smtp",
    env: "SMTP_HOST",
    flag: "--smtp-host",
    description: "SMTP server; unset: emails go to the dev outbox (/dev/outbox) and the console",
    default: "(outbox)",
  },
  {
    key: "smtp",
    env: "SMTP_PORT",
    flag: "--smtp-port",
    description: "SMTP port",
    default: "587 (465 with SMTP_SECURE)",
  },
  {
    key: "smtp",
    env: "SMTP_SECURE",
    flag: "--smtp-secure",
    description: "true: TLS from the start (port 465); false: STARTTLS when offered",
    default: "false",
  },
  {
    key: "smtp",
    env: "SMTP_USER",
    flag: "--smtp-user",
    description: "SMTP user name",
    default: "(none)",
  },
  {
    key: "smtp",
    env: "SMTP_PASSWORD",
    flag: "--smtp-password",
    description: "SMTP password",
    default: "(none)",
  },
  {
    key: "smtp",
    env: "SMTP_FROM",
    flag: "--smtp-from",
    description: "Sender address of emails",
    default: "Eventail <noreply@HOST>",
  },
  {
    key: "embedOrigins",
    env: "EVENTAIL_EMBED_ORIGINS",
    flag: "--embed-origins",
    description: "Comma-separated origins allowed to embed RSVP forms",
    default: "(none)",
  },
  {
    key: "trustProxy",
    env: "EVENTAIL_TRUST_PROXY",
    flag: "--trust-proxy",
    description: "Number of reverse proxies whose X-Forwarded-For is trusted",
    default: "0",
  },
  {
    key: "purgeDays",
    env: "EVENTAIL_PURGE_DAYS",
    flag: "--purge-days",
    description: "Days after an event before participants' data is erased",
    default: "30",
  },
  {
    key: "rsvpLimit",
    env: "EVENTAIL_RSVP_LIMIT",
    flag: "--rsvp-limit",
    description: "RSVPs per client address per 10 minutes (0 = no limit)",
    default: "20",
  },
  {
    key: "loginLimit",
    env: "EVENTAIL_LOGIN_LIMIT",
    flag: "--login-limit",
    description: "Failed sign-ins per account per 15 minutes (5× per client address; 0 = off)",
    default: "10",
  },
  {
    key: "reportLimit",
    env: "EVENTAIL_REPORT_LIMIT",
    flag: "--report-limit",
    description: "Reports from the public pages per client address per hour (0 = off)",
    default: "5",
  },
  {
    key: "rsvpPow",
    env: "EVENTAIL_RSVP_POW",
    flag: "--rsvp-pow",
    description: "Proof-of-work bits required on RSVPs (0 = off)",
    default: "0",
  },
  {
    key: "federationGiveUpHours",
    env: "EVENTAIL_FEDERATION_GIVE_UP",
    flag: "--federation-give-up",
    description: "Hours of failed retries after which an ActivityPub delivery is abandoned",
    default: "48",
  },
  {
    key: "federationHostConcurrency",
    env: "EVENTAIL_FEDERATION_HOST_CONCURRENCY",
    flag: "--federation-host-concurrency",
    description: "ActivityPub deliveries running at once to one remote host",
    default: "4",
  },
  {
    key: "federationMode",
    env: "EVENTAIL_FEDERATION_MODE",
    flag: "--federation-mode",
    description: "blocklist (all instances but blocked ones) or allowlist (only allowed ones)",
    default: "blocklist",
  },
  {
    key: "demoLoopbackFederation",
    env: "EVENTAIL_DEMO_LOOPBACK_FEDERATION",
    flag: "--demo-loopback-federation",
    description:
      "Demo only: let ActivityPub reach loopback/private addresses (two instances on one machine)",
    default: "false",
  },
  {
    key: "geocoderUrl",
    env: "EVENTAIL_GEOCODER_URL",
    flag: "--geocoder-url",
    description:
      "Nominatim-compatible search endpoint the server asks for an address's coordinates (unset = off)",
    default: "(off)",
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
  const byEnv = (name: string) => pick(OPTIONS.find((o) => o.env === name)!);
  const port = positiveInt("PORT", get("port") ?? "8080", 65535);
  const host = get("host") ?? "127.0.0.1";
  const federationMode = (get("federationMode") ?? "blocklist") as Config["federationMode"];
  if (federationMode !== "blocklist" && federationMode !== "allowlist")
    throw new ConfigError(
      `EVENTAIL_FEDERATION_MODE must be blocklist or allowlist, got "${federationMode}"`,
    );
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
  const isDemo = demo === "true" || demo === "1";
  const loopback = get("demoLoopbackFederation");
  const demoLoopbackFederation = loopback === "true" || loopback === "1";
  // It turns off the SSRF guard of every ActivityPub fetch: never on a real instance.
  if (demoLoopbackFederation && !isDemo)
    throw new ConfigError(
      "EVENTAIL_DEMO_LOOPBACK_FEDERATION turns off the SSRF guard and is only allowed with --demo",
    );
  const smtpHost = byEnv("SMTP_HOST");
  const secure = byEnv("SMTP_SECURE") === "true" || byEnv("SMTP_SECURE") === "1";
  const smtp: SmtpConfig | null = smtpHost
    ? {
        host: smtpHost,
        port: positiveInt("SMTP_PORT", byEnv("SMTP_PORT") ?? (secure ? "465" : "587"), 65535),
        secure,
        user: byEnv("SMTP_USER"),
        password: byEnv("SMTP_PASSWORD"),
        from: byEnv("SMTP_FROM") ?? `Eventail <noreply@${new URL(origin).hostname}>`,
      }
    : null;
  const embedOrigins = (get("embedOrigins") ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        const u = new URL(o);
        if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
        return u.origin;
      } catch {
        throw new ConfigError(`EVENTAIL_EMBED_ORIGINS: "${o}" is not an http(s) origin`);
      }
    });
  const nonNegative = (name: string, raw: string, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new ConfigError(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
    return n;
  };
  const geocoderUrl = get("geocoderUrl") ?? null;
  if (geocoderUrl !== null) {
    let ok = false;
    try {
      const u = new URL(geocoderUrl);
      ok = (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.hash;
    } catch {
      // reported below
    }
    if (!ok)
      throw new ConfigError(
        `EVENTAIL_GEOCODER_URL must be an http(s) URL without credentials, got "${geocoderUrl}"`,
      );
  }
  return {
    port,
    host,
    dataDir: resolve(get("dataDir") ?? "./data"),
    databaseUrl,
    origin,
    demo: isDemo,
    logLevel,
    maxBodyBytes: positiveInt("EVENTAIL_MAX_BODY", get("maxBodyBytes") ?? "262144"),
    maxUploadBytes: positiveInt("EVENTAIL_MAX_UPLOAD", get("maxUploadBytes") ?? "5242880"),
    smtp,
    embedOrigins,
    trustProxy: nonNegative("EVENTAIL_TRUST_PROXY", get("trustProxy") ?? "0", 10),
    purgeDays: nonNegative("EVENTAIL_PURGE_DAYS", get("purgeDays") ?? "30", 3650),
    rsvpPow: nonNegative("EVENTAIL_RSVP_POW", get("rsvpPow") ?? "0", 28),
    rsvpLimit: nonNegative("EVENTAIL_RSVP_LIMIT", get("rsvpLimit") ?? "20", 1_000_000),
    loginLimit: nonNegative("EVENTAIL_LOGIN_LIMIT", get("loginLimit") ?? "10", 1_000_000),
    reportLimit: nonNegative("EVENTAIL_REPORT_LIMIT", get("reportLimit") ?? "5", 1_000_000),
    federationGiveUpHours: positiveInt(
      "EVENTAIL_FEDERATION_GIVE_UP",
      get("federationGiveUpHours") ?? "48",
      24 * 365,
    ),
    federationHostConcurrency: positiveInt(
      "EVENTAIL_FEDERATION_HOST_CONCURRENCY",
      get("federationHostConcurrency") ?? "4",
      100,
    ),
    federationMode,
    demoLoopbackFederation,
    geocoderUrl,
  };
}
