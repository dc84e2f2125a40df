/**
 * Key pairs of local actors, kept in the database as JWK: an RSA key (HTTP Signatures, the
 * one Mastodon and Mobilizon verify) and an Ed25519 key (Object Integrity Proofs). Made on
 * first use, so existing identities and groups get keys without a migration step.
 */
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.ts";

export class ActorKeys {
  readonly #db: Kysely<Database>;
  readonly #cache = new Map<string, Promise<CryptoKeyPair[]>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** [RSA, Ed25519] of the actor `identifier` (a handle or "relay"). */
  pairs(identifier: string): Promise<CryptoKeyPair[]> {
    let p = this.#cache.get(identifier);
    if (!p) {
      p = this.#load(identifier);
      this.#cache.set(identifier, p);
      p.catch(() => this.#cache.delete(identifier));
      if (this.#cache.size > 1000) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return p;
  }

  /** Forgets an actor's keys (its identity or group was deleted). */
  async remove(identifier: string): Promise<void> {
    this.#cache.delete(identifier);
    await this.#db.deleteFrom("actor_keys").where("actor", "=", identifier).execute();
  }

  async #load(identifier: string): Promise<CryptoKeyPair[]> {
    let row = await this.#row(identifier);
    if (!row) {
      const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const ed = await generateCryptoKeyPair("Ed25519");
      await this.#db
        .insertInto("actor_keys")
        .values({
          actor: identifier,
          rsa_public: JSON.stringify(await exportJwk(rsa.publicKey)),
          rsa_private: JSON.stringify(await exportJwk(rsa.privateKey)),
          ed25519_public: JSON.stringify(await exportJwk(ed.publicKey)),
          ed25519_private: JSON.stringify(await exportJwk(ed.privateKey)),
          created_at: Date.now(),
        })
        // Two processes racing: the first insert wins and both use its keys.
        .onConflict((oc) => oc.column("actor").doNothing())
        .execute();
      row = await this.#row(identifier);
      if (!row) throw new Error(`keys of ${identifier} could not be stored`);
    }
    const jwk = (text: string) => JSON.parse(text) as JsonWebKey;
    return [
      {
        publicKey: await importJwk(jwk(row.rsa_public), "public"),
        privateKey: await importJwk(jwk(row.rsa_private), "private"),
      },
      {
        publicKey: await importJwk(jwk(row.ed25519_public), "public"),
        privateKey: await importJwk(jwk(row.ed25519_private), "private"),
      },
    ];
  }

  #row(identifier: string) {
    return this.#db
      .selectFrom("actor_keys")
      .selectAll()
      .where("actor", "=", identifier)
      .executeTakeFirst();
  }
}
