/** Registration, sessions, API tokens, the instance description and its admin settings. */
import {
  ACCOUNT_STATES,
  DomainError,
  emailSchema,
  handleSchema,
  REGISTRATION_MODES,
  ROLES,
} from "@eventail/core";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { SESSION_DAYS } from "../../domain/accounts.ts";
import { requireAccount, requireRole, SESSION_COOKIE } from "../auth.ts";
import { clientAddress } from "../client-address.ts";
import type { Env } from "../env.ts";
import { limit, tooManyAttempts } from "../rate-limit.ts";
import type { Api } from "../route.ts";
import { accountJson, identityJson, tokenJson } from "./json.ts";

const VERSION = "0.1.0";
const LOGIN_WINDOW_MS = 15 * 60_000;

const waitFor = (c: Context<Env>, wait: number) => (wait > 0 ? tooManyAttempts(c, wait) : null);

/** "https://ngo.example.org" (scheme, host and port only). */
export const originSchema = z
  .url({ protocol: /^https?$/, error: "must be an origin such as https://ngo.example.org" })
  .transform((u) => new URL(u).origin);

export function accountRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/instance",
      summary: "Describe this instance",
      tag: "instance",
      responses: { 200: "Instance" },
    },
    async (c) => {
      const s = c.get("services");
      const settings = await s.settings.get();
      return c.json({
        name: settings.name,
        description: settings.description,
        origin: s.config.origin,
        registration: settings.registration,
        rules: settings.rules,
        moderationPolicy: settings.moderationPolicy,
        /** Whether GET /api/v1/geocode can answer (EVENTAIL_GEOCODER_URL is set). */
        geocoding: s.geocoder !== null,
        version: VERSION,
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/accounts",
      summary: "Register an account with its first public identity",
      tag: "accounts",
      body: z.strictObject({
        email: emailSchema,
        password: z.string().min(10, "must be at least 10 characters").max(200),
        handle: handleSchema,
        name: z.string().trim().min(1).max(100),
      }),
      responses: {
        201: "Registered (state active, or pending when the instance approves sign-ups)",
        403: "Registration closed",
        409: "Email or handle taken",
        422: "Invalid fields",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const { account, identity } = await s.accounts.register(body);
      return c.json({ account: accountJson(account), identity: identityJson(s, identity) }, 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/session",
      summary: "Sign in: sets the session cookie",
      tag: "accounts",
      body: z.strictObject({ email: z.string().max(254), password: z.string().max(200) }),
      responses: {
        200: "Signed in",
        401: "Wrong email or password",
        403: "Account pending or suspended",
        429: "Too many attempts (Retry-After)",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      // Password guessing: every attempt counts against the client address, failures
      // against the account, so one attacker cannot lock many people out nor try many
      // passwords on one.
      const max = s.config.loginLimit;
      const failures = `login-failed:${body.email.trim().toLowerCase()}`;
      const limited =
        limit(c, `login:${clientAddress(c, s.config.trustProxy)}`, max * 5, LOGIN_WINDOW_MS) ??
        waitFor(c, s.limiter.check(failures, max, LOGIN_WINDOW_MS));
      if (limited) return limited;
      let account: Awaited<ReturnType<typeof s.accounts.authenticate>>;
      try {
        account = await s.accounts.authenticate(body.email, body.password);
      } catch (err) {
        if (err instanceof DomainError && err.kind === "unauthenticated")
          s.limiter.hit(failures, max, LOGIN_WINDOW_MS);
        throw err;
      }
      const { token } = await s.accounts.openSession(account.id);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        secure: s.config.origin.startsWith("https:"),
        path: "/",
        maxAge: SESSION_DAYS * 86_400,
      });
      return c.json({ account: accountJson(account) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/session",
      summary: "Sign out",
      tag: "accounts",
      responses: { 204: "Signed out" },
    },
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await c.get("services").accounts.closeSession(token);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/password-resets",
      summary:
        "Ask for a password reset link by email (the same answer whether or not the address has an account)",
      tag: "accounts",
      body: z.strictObject({
        email: z.string().max(254),
        language: z.enum(["en", "fr"]).optional(),
      }),
      responses: { 202: "If the address has an account, a link is on its way", 429: "Too many" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const max = s.config.loginLimit;
      const limited =
        limit(c, `reset:${clientAddress(c, s.config.trustProxy)}`, max * 5, LOGIN_WINDOW_MS) ??
        limit(
          c,
          `reset-email:${body.email.trim().toLowerCase()}`,
          max > 0 ? 3 : 0,
          LOGIN_WINDOW_MS,
        );
      if (limited) return limited;
      await s.passwordResets.request(body.email, body.language ?? "en");
      return c.json({}, 202);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/password-resets/complete",
      summary: "Set a new password with the emailed link's token; signs out every session",
      tag: "accounts",
      body: z.strictObject({
        token: z.string().min(10).max(200),
        password: z.string().max(200),
      }),
      responses: { 204: "Password changed", 422: "Invalid, used or expired token; short password" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const limited = limit(
        c,
        `reset-complete:${clientAddress(c, s.config.trustProxy)}`,
        s.config.loginLimit * 5,
        LOGIN_WINDOW_MS,
      );
      if (limited) return limited;
      await s.passwordResets.complete(body.token, body.password);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/me",
      summary: "The signed-in account and its identities",
      tag: "accounts",
      auth: "account",
      responses: { 200: "Account", 401: "Not signed in" },
    },
    async (c) => {
      const s = c.get("services");
      const account = requireAccount(c);
      const identities = await s.identities.listOwned(account.id);
      return c.json({
        account: accountJson(account),
        identities: identities.map((i) => ({ ...identityJson(s, i) })),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/tokens",
      summary: "Create an API token (shown once)",
      tag: "accounts",
      auth: "account",
      body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
      responses: {
        201: "Token created; `token` is shown only in this answer",
        401: "Not signed in",
      },
    },
    async (c, { body }) => {
      const account = requireAccount(c);
      const { token, info } = await c.get("services").accounts.createToken(account.id, body.name);
      return c.json({ ...tokenJson(info), token }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/tokens",
      summary: "List your API tokens (never their secrets)",
      tag: "accounts",
      auth: "account",
      responses: { 200: "Tokens" },
    },
    async (c) => {
      const account = requireAccount(c);
      const tokens = await c.get("services").accounts.listTokens(account.id);
      return c.json({ items: tokens.map(tokenJson) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/tokens/:id",
      summary: "Revoke an API token",
      tag: "accounts",
      auth: "account",
      responses: { 204: "Revoked", 404: "No such live token" },
    },
    async (c) => {
      const account = requireAccount(c);
      await c.get("services").accounts.revokeToken(account.id, c.req.param("id")!);
      return c.body(null, 204);
    },
  );

  // ---------------------------------------------------------------- admin

  api.route(
    {
      method: "get",
      path: "/api/v1/admin/accounts",
      summary: "List or search accounts (admins), oldest first, a page at a time",
      tag: "admin",
      auth: "account",
      query: z.strictObject({
        q: z
          .string()
          .max(200)
          .default("")
          .describe("Part of an email, or of an identity's handle or name (any case)"),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      responses: {
        200: "{ items, next }: next is the offset of the next page, or null",
        403: "Not an admin",
      },
    },
    async (c, { query }) => {
      requireRole(c, "admin");
      const page = await c.get("services").accounts.search(query.q, query.limit, query.offset);
      c.header("cache-control", "private, no-store");
      return c.json({ items: page.items.map(accountJson), next: page.next });
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/admin/accounts/:id",
      summary: "Change an account's role or state (approve, suspend)",
      tag: "admin",
      auth: "account",
      body: z.strictObject({
        role: z.enum(ROLES).optional(),
        state: z.enum(ACCOUNT_STATES).optional(),
      }),
      responses: { 200: "Updated", 403: "Not an admin", 404: "No such account" },
    },
    async (c, { body }) => {
      requireRole(c, "admin");
      const account = await c.get("services").accounts.update(c.req.param("id")!, body);
      return c.json(accountJson(account));
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/admin/settings",
      summary: "Instance settings (admins)",
      tag: "admin",
      auth: "account",
      responses: { 200: "Settings", 403: "Not an admin" },
    },
    async (c) => {
      requireRole(c, "admin");
      return c.json(await c.get("services").settings.get());
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/admin/settings",
      summary: "Change instance settings (admins)",
      tag: "admin",
      auth: "account",
      body: z.strictObject({
        name: z.string().trim().min(1).max(100).optional(),
        description: z.string().trim().max(2000).optional(),
        registration: z.enum(REGISTRATION_MODES).optional(),
        embedOrigins: z.array(originSchema).max(100).optional(),
        rules: z.string().trim().max(10_000).optional().describe("Plain text, shown publicly"),
        moderationPolicy: z
          .string()
          .trim()
          .max(10_000)
          .optional()
          .describe("Plain text, shown publicly"),
      }),
      responses: { 200: "Updated", 403: "Not an admin" },
    },
    async (c, { body }) => {
      requireRole(c, "admin");
      return c.json(await c.get("services").settings.update(body));
    },
  );
}
