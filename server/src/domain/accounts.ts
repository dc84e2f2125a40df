/**
 * Accounts: registration under the instance's mode, login sessions and API tokens.
 * An account is private; only its identities are public.
 */
import {
  type Account,
  conflict,
  DomainError,
  emailSchema,
  forbidden,
  type Identity,
  invalid,
  notFound,
  type RegistrationMode,
  type Role,
} from "@eventail/core";
import type { Repos, TokenRow } from "../storage/index.ts";
import type { IdentityService } from "./identities.ts";
import {
  DUMMY_HASH,
  hashPassword,
  hashSecret,
  newId,
  newSecret,
  verifyPassword,
} from "./secrets.ts";
import type { Settings } from "./settings.ts";

export const SESSION_DAYS = 30;
export const MIN_PASSWORD = 10;

export interface RegisterInput {
  email: string;
  password: string;
  handle: string;
  name: string;
}

export class AccountService {
  readonly #repos: Repos;
  readonly #identities: IdentityService;
  readonly #settings: Settings;

  constructor(repos: Repos, identities: IdentityService, settings: Settings) {
    this.#repos = repos;
    this.#identities = identities;
    this.#settings = settings;
  }

  /** Self-service sign-up, following the instance's registration mode. */
  async register(input: RegisterInput): Promise<{ account: Account; identity: Identity }> {
    const mode: RegistrationMode = (await this.#settings.get()).registration;
    if (mode === "closed") throw forbidden("registration is closed on this instance");
    return this.create({
      ...input,
      role: "user",
      state: mode === "approval" ? "pending" : "active",
    });
  }

  /** Creates an account with its first identity (CLI and registration). */
  async create(
    input: RegisterInput & { role: Role; state: Account["state"] },
  ): Promise<{ account: Account; identity: Identity }> {
    const email = emailSchema.safeParse(input.email);
    if (!email.success)
      throw invalid("invalid email", [{ path: "email", message: "must be an email address" }]);
    checkPassword(input.password);
    if (await this.#repos.accounts.byEmail(email.data)) {
      throw conflict("an account with this email exists", [
        { path: "email", message: "is already registered" },
      ]);
    }
    const account = {
      id: newId(),
      email: email.data,
      role: input.role,
      state: input.state,
      createdAt: new Date(),
      passwordHash: await hashPassword(input.password),
    };
    return this.#repos.transaction(async (tx) => {
      await tx.accounts.insert(account);
      const identity = await this.#identities.createIn(tx, account.id, {
        handle: input.handle,
        name: input.name,
        bio: "",
      });
      const { passwordHash: _, ...pub } = account;
      return { account: pub, identity };
    });
  }

  /** Checks credentials; the same error and about the same time whatever failed. */
  async authenticate(emailInput: string, password: string): Promise<Account> {
    const account = await this.#repos.accounts.byEmail(emailInput.trim().toLowerCase());
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new DomainError("unauthenticated", "wrong email or password");
    if (account.state === "pending")
      throw forbidden("this account awaits approval by an administrator");
    if (account.state === "suspended") throw forbidden("this account is suspended");
    const { passwordHash: _, ...pub } = account;
    return pub;
  }

  async openSession(accountId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecret("evs");
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await this.#repos.accounts.insertSession(hashSecret(token), accountId, expiresAt.getTime());
    return { token, expiresAt };
  }

  async closeSession(token: string): Promise<void> {
    await this.#repos.accounts.deleteSession(hashSecret(token));
  }

  /** The active account behind a session cookie or bearer token, or null. */
  async resolve(secret: string, kind: "session" | "token"): Promise<Account | null> {
    const hash = hashSecret(secret);
    const id =
      kind === "session"
        ? await this.#repos.accounts.sessionAccount(hash, Date.now())
        : await this.#repos.accounts.tokenAccount(hash);
    if (!id) return null;
    const account = await this.#repos.accounts.byId(id);
    if (account?.state !== "active") return null;
    const { passwordHash: _, ...pub } = account;
    return pub;
  }

  async createToken(accountId: string, name: string): Promise<{ token: string; info: TokenRow }> {
    const token = newSecret("evt");
    const id = newId();
    await this.#repos.accounts.insertToken({ id, accountId, name, tokenHash: hashSecret(token) });
    return { token, info: { id, name, createdAt: new Date(), lastUsedAt: null, revokedAt: null } };
  }

  listTokens(accountId: string): Promise<TokenRow[]> {
    return this.#repos.accounts.listTokens(accountId);
  }

  async revokeToken(accountId: string, id: string): Promise<void> {
    if (!(await this.#repos.accounts.revokeToken(accountId, id))) throw notFound("token");
  }

  async list(): Promise<Account[]> {
    return (await this.#repos.accounts.list()).map(({ passwordHash: _, ...a }) => a);
  }

  /** Admins' search: email, identity handle or name containing `q`; one page more than asked
   * tells whether a next page exists. */
  async search(
    q: string,
    limit: number,
    offset: number,
  ): Promise<{ items: Account[]; next: number | null }> {
    const rows = await this.#repos.accounts.search(q, limit + 1, offset);
    return {
      items: rows.slice(0, limit).map(({ passwordHash: _, ...a }) => a),
      next: rows.length > limit ? offset + limit : null,
    };
  }

  /** Finds an account by id or email (CLI convenience). */
  async find(idOrEmail: string): Promise<Account> {
    const a = idOrEmail.includes("@")
      ? await this.#repos.accounts.byEmail(idOrEmail.toLowerCase())
      : await this.#repos.accounts.byId(idOrEmail);
    if (!a) throw notFound("account");
    const { passwordHash: _, ...pub } = a;
    return pub;
  }

  async update(id: string, patch: { role?: Role; state?: Account["state"] }): Promise<Account> {
    await this.find(id);
    await this.#repos.accounts.setRoleState(id, patch);
    return this.find(id);
  }
}

export function checkPassword(password: string): void {
  if (typeof password !== "string" || password.length < MIN_PASSWORD || password.length > 200) {
    throw invalid("weak password", [
      { path: "password", message: `must be between ${MIN_PASSWORD} and 200 characters` },
    ]);
  }
}
