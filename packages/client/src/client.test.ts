import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseRetryAfter } from "./errors.ts";
import { ApiError, EventailClient } from "./index.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base: string;
let seen: Seen[] = [];
let handler: Handler = (_req, res) => res.end();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen = [];
});

function json(res: ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, extra: object, headers = {}) {
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  res.end(JSON.stringify({ type: "about:blank", title: "Problem", status, ...extra }));
}

describe("reads", () => {
  it("lists events with every filter encoded in the query string", async () => {
    handler = (_req, res) => json(res, 200, { items: [{ id: "e1", title: "A" }], next: "c2" });
    const client = new EventailClient(`${base}/`);
    const page = await client.listEvents({
      from: new Date("2026-12-01T00:00:00Z"),
      to: "2026-12-31T00:00:00Z",
      group: "climate_lyon",
      tag: "repair",
      q: "café vélo",
      online: false,
      near: { lat: 45.76, lon: 4.83 },
      radius: 5,
      cursor: "abc",
      limit: 10,
      organizer: undefined,
    });
    expect(page).toEqual({ items: [{ id: "e1", title: "A" }], next: "c2" });
    const url = new URL(seen[0]!.url, base);
    expect(url.pathname).toBe("/api/v1/events");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-31T00:00:00Z",
      group: "climate_lyon",
      tag: "repair",
      q: "café vélo",
      online: "false",
      near: "45.76,4.83",
      radius: "5",
      cursor: "abc",
      limit: "10",
    });
    expect(seen[0]!.headers.accept).toBe("application/json");
    expect(seen[0]!.headers.cookie).toBeUndefined();
  });

  it("sends no query string without filters and keeps a base path prefix", async () => {
    handler = (_req, res) => json(res, 200, { items: [], next: null });
    await new EventailClient(`${base}/eventail`).listEvents();
    expect(seen[0]!.url).toBe("/eventail/api/v1/events");
  });

  it("gets one event and one group, encoding path segments", async () => {
    handler = (req, res) => json(res, 200, { path: req.url });
    const client = new EventailClient(base);
    expect(await client.getEvent("a/b c")).toEqual({ path: "/api/v1/events/a%2Fb%20c" });
    expect(await client.getGroup("@climate_lyon")).toEqual({ path: "/api/v1/groups/climate_lyon" });
  });

  it("never sends credentials", async () => {
    handler = (_req, res) => json(res, 200, {});
    const inits: RequestInit[] = [];
    const client = new EventailClient(base, {
      fetch: (input, init) => {
        inits.push(init ?? {});
        return fetch(input, init);
      },
    });
    await client.getEvent("x");
    await client.rsvp("x", { name: "Ana", email: "ana@example.org" });
    expect(inits.map((i) => i.credentials)).toEqual(["omit", "omit"]);
  });
});

describe("RSVP endpoints", () => {
  it("posts an RSVP as JSON and returns the result", async () => {
    handler = (_req, res) =>
      json(res, 202, { state: "awaiting_email", message: "check", remainingCapacity: 3 });
    const result = await new EventailClient(base).rsvp("ev 1", {
      name: "Ana",
      email: "ana@example.org",
      website: "",
      language: "fr",
    });
    expect(result.state).toBe("awaiting_email");
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url).toBe("/api/v1/events/ev%201/participations");
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen[0]!.body)).toEqual({
      name: "Ana",
      email: "ana@example.org",
      website: "",
      language: "fr",
    });
  });

  it("confirms, looks up, cancels and erases with tokens", async () => {
    handler = (req, res) => {
      if (req.url.endsWith("/erase")) {
        res.writeHead(204);
        res.end();
      } else json(res, 200, { state: req.url.split("/").pop(), token: JSON.parse(req.body).token });
    };
    const c = new EventailClient(base);
    expect(await c.confirm("t1")).toEqual({ state: "confirm", token: "t1" });
    expect(await c.lookup("t2")).toEqual({ state: "lookup", token: "t2" });
    expect(await c.cancel("t3")).toEqual({ state: "cancel", token: "t3" });
    expect(await c.erase("t4")).toBeUndefined();
    expect(seen.map((s) => s.url)).toEqual([
      "/api/v1/participations/confirm",
      "/api/v1/participations/lookup",
      "/api/v1/participations/cancel",
      "/api/v1/participations/erase",
    ]);
  });
});

describe("errors", () => {
  const c = () => new EventailClient(base);

  it("turns a 422 problem into ApiError with field errors", async () => {
    handler = (_req, res) =>
      problem(res, 422, {
        detail: "the request is not valid",
        errors: [{ path: "email", message: "must be an email address" }, { bogus: 1 }],
      });
    const err = await c()
      .rsvp("e", { name: "A", email: "nope" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.detail).toBe("the request is not valid");
    expect(e.message).toBe("the request is not valid");
    expect(e.title).toBe("Problem");
    expect(e.errors).toEqual([{ path: "email", message: "must be an email address" }]);
    expect(e.fieldError("email")).toBe("must be an email address");
    expect(e.fieldError("name")).toBeUndefined();
  });

  it("carries externalUrl of a 409 for external registration", async () => {
    handler = (_req, res) =>
      problem(res, 409, {
        detail: "registration is external",
        externalUrl: "https://tickets.example/1",
      });
    const e = (await c()
      .rsvp("e", { name: "A", email: "a@example.org" })
      .catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(409);
    expect(e.externalUrl).toBe("https://tickets.example/1");
  });

  it("reads Retry-After of a 429 in seconds or as a date", async () => {
    handler = (_req, res) => problem(res, 429, { detail: "too many" }, { "retry-after": "120" });
    const e = (await c()
      .rsvp("e", { name: "A", email: "a@example.org" })
      .catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBe(120);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("nonsense", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("handles a 410 for an expired token", async () => {
    handler = (_req, res) => problem(res, 410, { detail: "link expired or already used" });
    const e = (await c()
      .confirm("old")
      .catch((x: unknown) => x)) as ApiError;
    expect([e.status, e.detail]).toEqual([410, "link expired or already used"]);
  });

  it("survives a non-JSON error page from a proxy", async () => {
    handler = (_req, res) => {
      res.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
      res.end("<h1>502</h1>");
    };
    const e = (await c()
      .listEvents()
      .catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.detail, e.errors]).toEqual([502, "Bad Gateway", []]);
  });

  it("survives broken JSON in a problem", async () => {
    handler = (_req, res) => {
      res.writeHead(500, { "content-type": "application/problem+json" });
      res.end("{");
    };
    const e = (await c()
      .getGroup("g")
      .catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(500);
  });

  it("reports an unreachable server as status 0", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = (await new EventailClient(`http://127.0.0.1:${port}`)
      .listEvents()
      .catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
  });

  it("lets an abort through as an AbortError", async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 2_000);
    const controller = new AbortController();
    const pending = c().listEvents({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const e = await pending.catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(ApiError);
    expect((e as Error).name).toBe("AbortError");
  });
});

describe("functions", () => {
  it("call the same endpoints without a client object", async () => {
    const { listEvents, getEvent, getGroup, rsvp } = await import("./index.ts");
    handler = (req, res) => json(res, 200, { path: req.url });
    await listEvents(`${base}/`, { limit: 2 });
    await getEvent(base, "e1");
    await getGroup(new URL(base), "g");
    await rsvp(base, "e1", { name: "A", email: "a@example.org" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /api/v1/events?limit=2",
      "GET /api/v1/events/e1",
      "GET /api/v1/groups/g",
      "POST /api/v1/events/e1/participations",
    ]);
  });
});
