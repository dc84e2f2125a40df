/**
 * Cross-origin rules. Public reads: any site (`*`, never with credentials). RSVPs: only the
 * origins the instance or the event's group allowed (embeds on the organization's sites).
 * Token actions from email links: any origin, since the token itself is the authorization.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "./env.ts";
import { problemResponse } from "./problem.ts";

const RSVP = /^\/api\/v1\/events\/([a-z0-9]{1,40})\/participations$/;
const TOKEN_ACTIONS = new Set([
  "/api/v1/participations/confirm",
  "/api/v1/participations/lookup",
  "/api/v1/participations/cancel",
  "/api/v1/participations/erase",
]);

async function rsvpOriginAllowed(
  c: Context<Env>,
  eventId: string,
  origin: string,
): Promise<boolean> {
  const s = c.get("services");
  const event = await s.repos.events.get(eventId);
  if (!event) return true; // The route answers 404 itself.
  return (await s.participations.allowedOrigins(event.groupId)).has(origin);
}

export function cors(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    const path = c.req.path;
    const rsvp = RSVP.exec(path);
    const crossSiteWrite = rsvp !== null || TOKEN_ACTIONS.has(path);
    let allowOrigin: string | null = null;
    if (crossSiteWrite && origin) {
      const ok = rsvp ? await rsvpOriginAllowed(c, rsvp[1]!, origin) : true;
      if (ok) allowOrigin = origin;
      else if (c.req.method === "POST")
        return problemResponse(
          403,
          `this site (${origin}) is not allowed to embed RSVP forms for this event`,
          undefined,
          path,
        );
    }
    if (c.req.method === "OPTIONS") {
      const headers: Record<string, string> = { "access-control-max-age": "600", vary: "Origin" };
      if (allowOrigin) {
        headers["access-control-allow-origin"] = allowOrigin;
        headers["access-control-allow-methods"] = "POST";
        headers["access-control-allow-headers"] = "content-type";
      } else if (!crossSiteWrite) {
        headers["access-control-allow-origin"] = "*";
        headers["access-control-allow-methods"] = "GET, HEAD";
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (allowOrigin) {
      c.res.headers.set("access-control-allow-origin", allowOrigin);
      c.res.headers.append("vary", "Origin");
      c.res.headers.set("access-control-expose-headers", "retry-after");
    } else if ((c.req.method === "GET" || c.req.method === "HEAD") && !c.get("account")) {
      c.res.headers.set("access-control-allow-origin", "*");
    }
  };
}
