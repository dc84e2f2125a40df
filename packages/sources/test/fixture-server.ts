/**
 * A real HTTP server on 127.0.0.1 (port 0) answering with recorded responses, for source
 * tests without fetch mocks. It speaks ETag/Last-Modified like the real servers, counts
 * requests, and can be switched "down" (503) to test the cache fallback.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/** The recorded payloads in fixtures/ at the repository root (see its README). */
export const SHARED_FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
export const LOCAL_FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export const readShared = (path: string) => readFileSync(`${SHARED_FIXTURES}${path}`, "utf8");
export const readLocal = (path: string) => readFileSync(`${LOCAL_FIXTURES}${path}`, "utf8");

export interface Reply {
  status?: number;
  type?: string;
  body: string;
  /** Send an ETag (default true) and a Last-Modified (default false). */
  etag?: boolean;
  lastModified?: string;
}

export type Route = (req: IncomingMessage, body: string, origin: string) => Reply | undefined;

export interface FixtureServer {
  origin: string;
  /** Requests seen, as "METHOD path?query" plus their status. */
  log: Array<{ request: string; status: number }>;
  down: boolean;
  close(): Promise<void>;
}

export async function startFixtureServer(route: Route): Promise<FixtureServer> {
  let origin = "";
  const state: FixtureServer = {
    origin: "",
    log: [],
    down: false,
    close: () => new Promise((res) => server.close(() => res())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = `${req.method} ${req.url}`;
      const answer = (status: number, headers: Record<string, string>, body = "") => {
        state.log.push({ request, status });
        res.writeHead(status, headers).end(body);
      };
      if (state.down) return answer(503, { "content-type": "text/plain" }, "down for maintenance");
      const reply = route(req, Buffer.concat(chunks).toString("utf8"), origin);
      if (!reply) return answer(404, { "content-type": "text/plain" }, "not found");
      const headers: Record<string, string> = { "content-type": reply.type ?? "application/json" };
      if (reply.etag !== false)
        headers.etag = `W/"${createHash("sha1").update(reply.body).digest("hex")}"`;
      if (reply.lastModified) headers["last-modified"] = reply.lastModified;
      const fresh =
        (headers.etag && req.headers["if-none-match"] === headers.etag) ||
        (!headers.etag &&
          reply.lastModified &&
          req.headers["if-modified-since"] === reply.lastModified);
      if (fresh && (reply.status ?? 200) === 200) return answer(304, headers);
      answer(reply.status ?? 200, headers, reply.body);
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.origin = origin;
  return state;
}

/** Gancio 1.21.0 as recorded in fixtures/gancio, host rewritten to this server. */
export function gancioRoutes(overrides: Record<string, string> = {}): Route {
  return (req, _body, origin) => {
    const url = new URL(req.url ?? "/", origin);
    const file = (name: string) =>
      (overrides[name] ?? readShared(`gancio/${name}`)).replaceAll(
        "https://gancio.example",
        origin,
      );
    if (url.pathname === "/.well-known/nodeinfo") return { body: file("well-known-nodeinfo.json") };
    if (url.pathname === "/.well-known/nodeinfo/2.1")
      return { body: file("well-known-nodeinfo_2.1.json") };
    if (url.pathname === "/api/events") {
      const tags = url.searchParams.get("tags");
      return {
        body: file(tags === "music" ? "api-events_tags-music.json" : "api-events.json"),
        lastModified: "Sat, 28 Nov 2026 11:11:09 GMT",
      };
    }
    const detail = /^\/api\/event\/detail\/([^/]+)$/.exec(url.pathname);
    if (detail) {
      try {
        return { body: file(`api-event-detail_${decodeURIComponent(detail[1]!)}.json`) };
      } catch {
        return undefined;
      }
    }
    if (url.pathname === "/feed/ics") return { type: "text/calendar", body: file("feed-ics.ics") };
    if (url.pathname === "/federation/u/relay")
      return { type: "application/activity+json", body: file("ap-actor_relay.json") };
    if (url.pathname === "/federation/u/relay/outbox")
      return {
        type: "application/activity+json",
        body: file(
          url.searchParams.get("page") === "1"
            ? "ap-outbox_relay_page-1.json"
            : "ap-outbox_relay.json",
        ),
      };
    return undefined;
  };
}

/** Mobilizon's GraphQL endpoint answering the example responses of fixtures/mobilizon-graphql. */
export function mobilizonRoutes(): Route {
  const dir = "mobilizon-graphql/";
  return (req, body) => {
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== "/api")
      return undefined;
    const { operationName, variables } = JSON.parse(body) as {
      operationName?: string;
      variables: Record<string, unknown>;
    };
    if (operationName === "FetchEvents")
      return {
        body: readShared(`${dir}a_upcoming-events__FetchEvents.response.example.json`),
        etag: false,
      };
    if (operationName === "FetchGroupEvents") {
      if (variables.name !== "lanterna_torino")
        return {
          etag: false,
          body: JSON.stringify({
            data: { group: null },
            errors: [{ message: "Group not found", path: ["group"] }],
          }),
        };
      return {
        body: readShared(`${dir}b_group-events__FetchGroupEvents.response.example.json`),
        etag: false,
      };
    }
    if (operationName === "FetchEvent") {
      const fixture = readShared(`${dir}c_event-by-uuid__FetchEvent.response.example.json`);
      if (fixture.includes(String(variables.uuid))) return { body: fixture, etag: false };
      return {
        etag: false,
        body: JSON.stringify({ data: { event: null }, errors: [{ message: "Event not found" }] }),
      };
    }
    return { status: 400, body: JSON.stringify({ errors: [{ message: "unknown operation" }] }) };
  };
}
