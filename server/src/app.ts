/**
 * The HTTP application: small Web-standard handlers composed in Hono. Everything that
 * decides anything lives in domain/; this file only wires middleware and routes.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { federationRoutes } from "./federation/api.ts";
import { federationMiddleware } from "./federation/middleware.ts";
import { accountRoutes } from "./http/api/accounts.ts";
import { actorRoutes } from "./http/api/actors.ts";
import { adminMailRoutes } from "./http/api/admin-mail.ts";
import { commentRoutes } from "./http/api/comments.ts";
import { eventRoutes } from "./http/api/events.ts";
import { geocodeRoutes } from "./http/api/geocode.ts";
import { mediaRoutes } from "./http/api/media.ts";
import { participationRoutes } from "./http/api/participations.ts";
import { reportRoutes } from "./http/api/reports.ts";
import { authenticate } from "./http/auth.ts";
import { consoleRoutes } from "./http/console.ts";
import { cors } from "./http/cors.ts";
import type { Env } from "./http/env.ts";
import { feedRoutes } from "./http/feeds.ts";
import { pageRoutes } from "./http/pages.ts";
import { playgroundRoutes } from "./http/playground.ts";
import { errorHandler, notFoundPage, problemResponse } from "./http/problem.ts";
import { reportPageRoutes } from "./http/report-pages.ts";
import { Api } from "./http/route.ts";
import { rsvpPageRoutes } from "./http/rsvp-pages.ts";
import { widgetRoutes } from "./http/widgets.ts";
import { SERVER_VERSION, type Services } from "./services.ts";

export const VERSION = SERVER_VERSION;

export function createApp(services: Services): { app: Hono<Env>; api: Api } {
  const app = new Hono<Env>();
  const { config, log } = services;

  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("services", services);
    await next();
    const h = c.res.headers;
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "strict-origin-when-cross-origin");
    if (!h.has("content-security-policy"))
      h.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    log.debug("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  // No id, handle or file name contains U+0000, and PostgreSQL text cannot hold it: answer
  // 404 here rather than let the database refuse the query (a 500).
  app.use("*", async (c, next) => {
    if (!/\0|%00/i.test(c.req.path)) return next();
    return c.req.path.startsWith("/api/")
      ? problemResponse(404, "no such resource", undefined, c.req.path.replace(/\0/g, "%00"))
      : notFoundPage();
  });

  app.use("*", cors());

  // ActivityPub (Fedify): WebFinger, NodeInfo, inboxes, and JSON at the pages' URLs.
  app.use("*", federationMiddleware());

  // Body limits, made once; reads carry no body, so they skip the wrapper entirely.
  const uploadLimit = bodyLimit({ maxSize: config.maxUploadBytes + 64 * 1024, onError: tooLarge });
  const jsonLimit = bodyLimit({ maxSize: config.maxBodyBytes, onError: tooLarge });
  app.use("/api/*", (c, next) => {
    const m = c.req.method;
    if (m === "GET" || m === "HEAD" || m === "OPTIONS") return next();
    return (c.req.path === "/api/v1/media" ? uploadLimit : jsonLimit)(c, next);
  });
  app.use("/api/*", authenticate());
  app.use("/events/*", authenticate());

  // Any accepted write may change what public pages show.
  app.use("*", async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.res.status < 400)
      services.cache.invalidate();
  });

  app.get("/healthz", async (c) => {
    try {
      await services.repos.events.count();
      return c.json({ status: "ok", version: VERSION, database: services.store.dialect });
    } catch {
      return c.json({ status: "error", database: services.store.dialect }, 503);
    }
  });

  const api = new Api(app);
  accountRoutes(api);
  actorRoutes(api);
  eventRoutes(api);
  mediaRoutes(api);
  geocodeRoutes(api);
  participationRoutes(api);
  federationRoutes(api);
  commentRoutes(api);
  reportRoutes(api);
  adminMailRoutes(api);

  let openapi: string | null = null;
  app.get("/api/v1/openapi.json", (c) => {
    openapi ??= JSON.stringify(
      api.openapi({
        title: "Eventail API",
        version: VERSION,
        description:
          "Publish community events, read them as JSON, iCalendar, Atom and ActivityPub. Errors are RFC 9457 problem+json.",
        server: `${config.origin}`,
      }),
    );
    return c.body(openapi, 200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, max-age=3600",
    });
  });

  feedRoutes(app);
  pageRoutes(app);
  rsvpPageRoutes(app);
  reportPageRoutes(app);
  widgetRoutes(app);
  playgroundRoutes(app);
  consoleRoutes(app);

  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? problemResponse(404, `no route ${c.req.method} ${c.req.path}`, undefined, c.req.path)
      : notFoundPage(),
  );
  app.onError(errorHandler(log));
  return { app, api };
}

function tooLarge(): Response {
  return problemResponse(413, "the request body is too large");
}
