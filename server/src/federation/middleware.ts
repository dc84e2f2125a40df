/**
 * Fedify in Hono (no @fedify/hono on this registry): a small middleware in front of the
 * routes. ActivityPub JSON is served at the same URLs as the HTML pages (`/@handle`,
 * `/events/:id`) by content negotiation; browsers keep getting HTML. Inbox bodies are read
 * once with a size limit (413 beyond it) before Fedify sees them.
 */
import type { MiddlewareHandler } from "hono";
import type { Env } from "../http/env.ts";
import { problemResponse } from "../http/problem.ts";
import { idOf } from "./inbound.ts";
import { actorKey, type InstancePolicies } from "./instances.ts";
import { eventResponse, noteResponse, outboxResponse } from "./outbox.ts";

const INBOX = /^\/(?:inbox|@[a-z0-9_]{1,30}\/inbox)$/;
const OUTBOX = /^\/@([a-z0-9_]{1,30})\/outbox$/;
const NEGOTIATED =
  /^\/(?:@[a-z0-9_]{1,30}(?:\/(?:followers|following|outbox))?|(?:events|comments)\/[A-Za-z0-9]{1,40})$/;
const EVENT = /^\/events\/([A-Za-z0-9]{1,40})$/;
const COMMENT = /^\/comments\/([A-Za-z0-9]{1,40})$/;
const OBJECT = /^\/(?:@[a-z0-9_]{1,30}|events\/[A-Za-z0-9]{1,40})$/;

/** Whether the client asks for ActivityPub JSON rather than HTML. */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return /application\/activity\+json|application\/ld\+json/i.test(accept);
}

async function readLimited(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) return null;
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export function federationMiddleware(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const path = c.req.path;
    const method = c.req.method;
    const read = method === "GET" || method === "HEAD";
    const negotiated = read && NEGOTIATED.test(path);
    const inbox = method === "POST" && INBOX.test(path);
    const wellKnown =
      read &&
      (path.startsWith("/.well-known/webfinger") ||
        path.startsWith("/.well-known/nodeinfo") ||
        path === "/nodeinfo/2.1");
    const apRead = negotiated && wantsActivityJson(c.req.header("accept"));
    if (!inbox && !wellKnown && !apRead) {
      await next();
      // The same URL answers HTML or JSON: caches must keep them apart.
      if (negotiated) c.res.headers.append("vary", "Accept");
      return;
    }

    const s = c.get("services");
    const outbox = apRead ? OUTBOX.exec(path) : null;
    if (outbox) return outboxResponse(c, outbox[1]!);
    // Served here, not by Fedify's object dispatcher: a typed Event re-serializes (an
    // array location with a VirtualLocation, for one, loses every extension field).
    const event = apRead ? EVENT.exec(path) : null;
    if (event) return eventResponse(c, event[1]!);
    const comment = apRead ? COMMENT.exec(path) : null;
    if (comment) return noteResponse(c, comment[1]!);

    let request = c.req.raw;
    if (inbox) {
      const body = await readLimited(request, s.config.maxBodyBytes);
      if (body === null) return problemResponse(413, "the request body is too large");
      const refused = await refusedSender(s.federation.instances, request.headers, body);
      if (refused) return problemResponse(403, `this instance does not federate with ${refused}`);
      request = new Request(request.url, { method: "POST", headers: request.headers, body });
    }
    let fallThrough = false;
    let res: Response;
    try {
      res = await s.federation.federation.fetch(request, {
        contextData: undefined,
        onNotFound: () => {
          fallThrough = true;
          return new Response(null, { status: 404 });
        },
        onNotAcceptable: () => {
          fallThrough = true;
          return new Response(null, { status: 406 });
        },
      });
    } catch (err) {
      // Fedify throws on some malformed payloads (an embedded key that is no valid PEM):
      // the sender's mistake, not ours.
      if (!inbox) throw err;
      s.log.warn("inbox: refused, unparseable activity", { error: String(err).slice(0, 200) });
      return problemResponse(400, "the activity could not be parsed");
    }
    if (!fallThrough) return withVary(res, negotiated);
    // An ActivityPub client asked for an actor or event we do not serve as such (unknown,
    // private, or a remote event's local copy): no HTML page in its place.
    if (apRead && OBJECT.test(path)) return problemResponse(404, "no such ActivityPub object");
    return next();
  };
}

/**
 * The host of a blocked (or, in allowlist mode, not allowed) instance that this inbox POST
 * comes from, named by its signing key or its actor; null when it may be heard. Checked
 * before Fedify fetches any key, so a refused instance costs us no request.
 */
async function refusedSender(
  instances: InstancePolicies,
  headers: Headers,
  body: Uint8Array,
): Promise<string | null> {
  await instances.ready();
  const urls: string[] = [];
  const sig = headers.get("signature") ?? "";
  const cavage = /keyId="([^"]+)"/i.exec(sig);
  if (cavage) urls.push(cavage[1]!);
  const input = headers.get("signature-input") ?? "";
  for (const m of input.matchAll(/keyid="([^"]+)"/gi)) urls.push(m[1]!);
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    const actor = idOf(json?.actor);
    if (actor) urls.push(actor);
  } catch {
    // Not JSON: Fedify answers it.
  }
  for (const u of urls) {
    // A remote actor suspended by our moderators: refused like a blocked instance.
    if (instances.actorSuspended(u)) return actorKey(u) ?? u;
    let host: string;
    try {
      host = new URL(u).host;
    } catch {
      continue;
    }
    if (instances.refused(host)) return host;
  }
  return null;
}

function withVary(res: Response, negotiated: boolean): Response {
  if (!negotiated) return res;
  const out = new Response(res.body, res);
  out.headers.append("vary", "Accept");
  return out;
}
