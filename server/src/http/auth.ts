/**
 * Who is calling: a bearer API token (scripts, static-site plugins) or the console's
 * session cookie. Cookie-authenticated writes must come from our own origin (CSRF).
 */
import { type Account, DomainError, type Identity } from "@eventail/core";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Env } from "./env.ts";
import { problemResponse } from "./problem.ts";

export const SESSION_COOKIE = "eventail_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function authenticate(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const { accounts, config } = c.get("services");
    c.set("account", null);
    c.set("authKind", null);
    const header = c.req.header("authorization");
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const account = m ? await accounts.resolve(m[1]!, "token") : null;
      if (!account)
        return problemResponse(
          401,
          "the bearer token is invalid, revoked or malformed",
          undefined,
          c.req.path,
        );
      c.set("account", account);
      c.set("authKind", "token");
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie && cookie.length < 200) {
      const account = await accounts.resolve(cookie, "session");
      if (account) {
        if (!SAFE.has(c.req.method)) {
          const origin = c.req.header("origin");
          const own = new URL(c.req.url).origin;
          const fetchSite = c.req.header("sec-fetch-site");
          const sameOrigin = origin
            ? origin === own || origin === config.origin
            : fetchSite === "same-origin";
          if (!sameOrigin)
            return problemResponse(
              403,
              "cross-site request refused: use an API token from other origins",
              undefined,
              c.req.path,
            );
        }
        c.set("account", account);
        c.set("authKind", "session");
      }
    }
    return next();
  };
}

export function requireAccount(c: Context<Env>): Account {
  const account = c.get("account");
  if (!account) throw new DomainError("unauthenticated", "sign in or send an API token");
  return account;
}

/**
 * The identity that acts for this request: the `Eventail-Identity` header, or the account's
 * only identity when it has just one.
 */
export async function actingIdentity(c: Context<Env>): Promise<Identity> {
  const account = requireAccount(c);
  const { identities } = c.get("services");
  const chosen = c.req.header("eventail-identity");
  if (chosen) return identities.owned(account.id, chosen);
  const all = await identities.listOwned(account.id);
  if (all.length === 1) return all[0]!;
  throw new DomainError("validation", "this account has several identities: say which one acts", [
    { path: "Eventail-Identity", message: "header required: the id of the acting identity" },
  ]);
}

export function requireRole(c: Context<Env>, ...roles: Account["role"][]): Account {
  const account = requireAccount(c);
  if (!roles.includes(account.role))
    throw new DomainError("forbidden", "this needs an instance administrator");
  return account;
}
