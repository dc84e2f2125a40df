/** Instance settings, stored in the database and editable by admins. */
import type { RegistrationMode } from "@eventail/core";
import type { Repos } from "../storage/index.ts";

export interface InstanceSettings {
  name: string;
  description: string;
  registration: RegistrationMode;
}

export const DEFAULT_SETTINGS: InstanceSettings = {
  name: "Eventail",
  description: "Community events, on your site and on the fediverse.",
  registration: "approval",
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

  async update(patch: Partial<InstanceSettings>): Promise<InstanceSettings> {
    const next = { ...(await this.get()), ...patch };
    await this.#repos.accounts.setSetting("instance", next);
    this.#cache = next;
    return next;
  }
}
