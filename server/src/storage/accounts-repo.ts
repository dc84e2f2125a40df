/** Accounts, sessions, API tokens and instance settings. */
import type { Account, AccountState, Role } from "@eventail/core";
import { type Kysely, sql } from "kysely";
import type { AccountsTable, Database } from "./schema.ts";

export interface AccountWithHash extends Account {
  passwordHash: string;
}

function fromRow(r: AccountsTable): AccountWithHash {
  return {
    id: r.id,
    email: r.email,
    role: r.role as Role,
    state: r.state as AccountState,
    createdAt: new Date(r.created_at),
    passwordHash: r.password_hash,
  };
}

export interface TokenRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class AccountsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(a: AccountWithHash): Promise<void> {
    await this.#db
      .insertInto("accounts")
      .values({
        id: a.id,
        email: a.email,
        password_hash: a.passwordHash,
        role: a.role,
        state: a.state,
        created_at: a.createdAt.getTime(),
      })
      .execute();
  }

  async byEmail(email: string): Promise<AccountWithHash | null> {
    const r = await this.#db
      .selectFrom("accounts")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async byId(id: string): Promise<AccountWithHash | null> {
    const r = await this.#db
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async list(): Promise<AccountWithHash[]> {
    const rows = await this.#db.selectFrom("accounts").selectAll().orderBy("created_at").execute();
    return rows.map(fromRow);
  }

  /**
   * Accounts whose email, or one of whose identities' handle or name, contains `q`
   * (case-insensitive; every account without `q`), oldest first, `limit` from `offset`.
   */
  async search(q: string, limit: number, offset: number): Promise<AccountWithHash[]> {
    let query = this.#db.selectFrom("accounts").selectAll("accounts");
    const needle = q.trim().toLowerCase();
    if (needle) {
      const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const like = (column: string) =>
        sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      query = query.where((eb) =>
        eb.or([
          like("accounts.email"),
          eb.exists(
            eb
              .selectFrom("identities")
              .select("identities.id")
              .whereRef("identities.account_id", "=", "accounts.id")
              .where((e) => e.or([like("identities.handle"), like("identities.name")])),
          ),
        ]),
      );
    }
    const rows = await query
      .orderBy("accounts.created_at")
      .orderBy("accounts.id")
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    const r = await this.#db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setRoleState(id: string, patch: { role?: Role; state?: AccountState }): Promise<void> {
    if (!Object.keys(patch).length) return;
    await this.#db.updateTable("accounts").set(patch).where("id", "=", id).execute();
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.#db
      .updateTable("accounts")
      .set({ password_hash: hash })
      .where("id", "=", id)
      .execute();
  }

  // ------------------------------------------------------------ sessions

  async insertSession(tokenHash: string, accountId: string, expiresAt: number): Promise<void> {
    await this.#db
      .insertInto("sessions")
      .values({
        token_hash: tokenHash,
        account_id: accountId,
        created_at: Date.now(),
        expires_at: expiresAt,
      })
      .execute();
  }

  async sessionAccount(tokenHash: string, now: number): Promise<string | null> {
    const r = await this.#db
      .selectFrom("sessions")
      .select("account_id")
      .where("token_hash", "=", tokenHash)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return r?.account_id ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
  }

  /** Signs the account out everywhere (after a password reset). */
  async deleteSessionsOf(accountId: string): Promise<void> {
    await this.#db.deleteFrom("sessions").where("account_id", "=", accountId).execute();
  }

  // ------------------------------------------------------------ password resets

  async insertReset(tokenHash: string, accountId: string, expiresAt: number): Promise<void> {
    await this.#db
      .insertInto("password_resets")
      .values({
        token_hash: tokenHash,
        account_id: accountId,
        expires_at: expiresAt,
        created_at: Date.now(),
      })
      .execute();
  }

  /**
   * Uses a reset link: its account when the link is live, deleting it in the same statement's
   * transaction, so two concurrent uses cannot both succeed. Null when unknown or expired.
   */
  async takeReset(tokenHash: string, now: number): Promise<string | null> {
    const row = await this.#db
      .selectFrom("password_resets")
      .select(["account_id", "expires_at"])
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    const deleted = await this.#db
      .deleteFrom("password_resets")
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1 || row.expires_at <= now) return null;
    return row.account_id;
  }

  async deleteResetsOf(accountId: string): Promise<void> {
    await this.#db.deleteFrom("password_resets").where("account_id", "=", accountId).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.#db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
  }

  // ------------------------------------------------------------ API tokens

  async insertToken(t: {
    id: string;
    accountId: string;
    name: string;
    tokenHash: string;
  }): Promise<void> {
    await this.#db
      .insertInto("api_tokens")
      .values({
        id: t.id,
        account_id: t.accountId,
        name: t.name,
        token_hash: t.tokenHash,
        created_at: Date.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
  }

  /** Account of a live (unrevoked) token; records its use. */
  async tokenAccount(tokenHash: string): Promise<string | null> {
    const r = await this.#db
      .selectFrom("api_tokens")
      .select(["id", "account_id", "last_used_at"])
      .where("token_hash", "=", tokenHash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!r) return null;
    // Coarse (one write a minute at most) so a busy script does not turn reads into writes.
    const now = Date.now();
    if (!r.last_used_at || now - r.last_used_at > 60_000) {
      await this.#db
        .updateTable("api_tokens")
        .set({ last_used_at: now })
        .where("id", "=", r.id)
        .execute();
    }
    return r.account_id;
  }

  async listTokens(accountId: string): Promise<TokenRow[]> {
    const rows = await this.#db
      .selectFrom("api_tokens")
      .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: new Date(r.created_at),
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
      revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    }));
  }

  async revokeToken(accountId: string, id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable("api_tokens")
      .set({ revoked_at: Date.now() })
      .where("id", "=", id)
      .where("account_id", "=", accountId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // ------------------------------------------------------------ settings

  async getSetting<T>(key: string): Promise<T | undefined> {
    const r = await this.#db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", key)
      .executeTakeFirst();
    return r ? (JSON.parse(r.value) as T) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.#db
      .insertInto("settings")
      .values({ key, value: json })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
      .execute();
  }
}
