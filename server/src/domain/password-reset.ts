/**
 * Password reset by email: a single-use link valid for an hour, to the console's reset
 * screen (the secret travels in the URL's fragment, never sent to the server by browsers nor
 * written in its logs). Asking never tells whether the address has an account.
 */
import { invalid } from "@eventail/core";
import type { Mailer } from "../mail/mailer.ts";
import type { Lang } from "../mail/templates.ts";
import { passwordResetMail } from "../mail/templates.ts";
import type { Repos } from "../storage/index.ts";
import { MIN_PASSWORD } from "./accounts.ts";
import { hashPassword, hashSecret, newSecret } from "./secrets.ts";
import type { Settings } from "./settings.ts";

export const RESET_TTL_MS = 60 * 60_000;

export class PasswordResets {
  readonly #repos: Repos;
  readonly #mailer: Mailer;
  readonly #settings: Settings;
  readonly #origin: string;

  constructor(repos: Repos, mailer: Mailer, settings: Settings, origin: string) {
    this.#repos = repos;
    this.#mailer = mailer;
    this.#settings = settings;
    this.#origin = origin;
  }

  /** Emails a reset link when `email` has an account that is not suspended; silent otherwise. */
  async request(email: string, lang: Lang, now = Date.now()): Promise<void> {
    const account = await this.#repos.accounts.byEmail(email.trim().toLowerCase());
    if (!account || account.state === "suspended") return;
    const token = newSecret("evr");
    await this.#repos.accounts.insertReset(hashSecret(token), account.id, now + RESET_TTL_MS);
    const { name } = await this.#settings.get();
    await this.#mailer.send({
      to: account.email,
      ...passwordResetMail({
        lang,
        instance: name,
        url: `${this.#origin}/console#/reset/${token}`,
      }),
    });
  }

  /** Sets the new password from a live link, then signs the account out of every session. */
  async complete(token: string, password: string, now = Date.now()): Promise<void> {
    if (password.length < MIN_PASSWORD)
      throw invalid("the password is too short", [
        { path: "password", message: `must be at least ${MIN_PASSWORD} characters` },
      ]);
    const accountId = await this.#repos.accounts.takeReset(hashSecret(token), now);
    if (!accountId)
      throw invalid("this reset link is invalid, used or expired", [
        { path: "token", message: "ask for a new link" },
      ]);
    await this.#repos.accounts.setPasswordHash(accountId, await hashPassword(password));
    await this.#repos.accounts.deleteResetsOf(accountId);
    await this.#repos.accounts.deleteSessionsOf(accountId);
  }
}
