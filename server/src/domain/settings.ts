/** Instance settings, stored in the database and editable by admins. */
import { randomBytes } from "node:crypto";
import type { RegistrationMode } from "@eventail/core";
import type { Repos } from "../storage/index.ts";

export interface InstanceSettings {
  name: string;
  description: string;
  registration: RegistrationMode;
  /** Origins allowed to embed RSVP forms for every event of the instance. */
  embedOrigins: string[];
  /** The instance's rules, plain text, shown publicly (home page, GET /api/v1/instance). */
  rules: string;
  /** How moderation works here (who decides, how to appeal), plain text, shown publicly. */
  moderationPolicy: string;
}

export const DEFAULT_SETTINGS: InstanceSettings = {
  name: "Eventail",
  description: "Community events, on your site and on the fediverse.",
  registration: "approval",
  embedOrigins: [],
  rules: "",
  moderationPolicy: "",
};

export class Settings {
  readonly #repos: Repos;
  #cache: InstanceSettings | null = null;

  constructor(repos: Repos) {
    this.#repos = repos;
  }

  async get(): Promise<InstanceSettings> {
    if (!this.#cache) {
      const stored = await this.#repos.accounts.getSetting<Partial<InstanceSettings>>("instance");
      this.#cache = { ...DEFAULT_SETTINGS, ...stored };
    }
    return this.#cache;
  }

  #secret: Promise<Buffer> | null = null;

  /** This instance's signing key (HMAC), made once and kept in the database. */
  secret(): Promise<Buffer> {
    this.#secret ??= (async () => {
      const stored = await this.#repos.accounts.getSetting<string>("signing_key");
      if (stored) return Buffer.from(stored, "base64url");
      const key = randomBytes(32);
      await this.#repos.accounts.setSetting("signing_key", key.toString("base64url"));
      // Two processes starting together: whichever wrote last wins; read it back.
      return Buffer.from(
        (await this.#repos.accounts.getSetting<string>("signing_key"))!,
        "base64url",
      );
    })();
    return this.#secret;
  }

  async update(patch: Partial<InstanceSettings>): Promise<InstanceSettings> {
    const next = { ...(await this.get()), ...patch };
    await this.#repos.accounts.setSetting("instance", next);
    this.#cache = next;
    return next;
  }
}
