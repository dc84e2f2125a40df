/**
 * Federation test harness: an Eventail instance whose Fedify may reach loopback (the
 * test-only `allowPrivateAddress`), and a stub remote server on 127.0.0.1 that publishes
 * actors with real keys, records what it receives, and signs what it sends.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EVENT_CONTEXT } from "@eventail/core";
import { exportSpki, generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import { createPlace, type DialectName, ORIGIN, type TestEnv, wrap } from "./helpers.ts";

export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
let activitySeq = 0;

/** A public activity of a stub actor, with a fresh id (an inbox ignores a repeated one). */
export const activity = (type: string, actor: StubActor, object: unknown, extra: object = {}) => ({
  "@context": EVENT_CONTEXT,
  id: `${actor.id}/activities/${++activitySeq}`,
  type,
  actor: actor.id,
  to: [PUBLIC],
  object,
  ...extra,
});

/** A public event on the stub instance, published by `by`. */
export const remoteEvent = (stub: RemoteStub, by: StubActor, slug: string) => ({
  id: `${stub.origin}/events/${slug}`,
  type: "Event",
  name: `Remote ${slug}`,
  startTime: "2031-05-06T19:00:00+02:00",
  timezone: "Europe/Paris",
  attributedTo: by.id,
  to: [PUBLIC],
  updated: new Date().toISOString(),
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  check: () => T | Promise<T>,
  what = "condition",
  ms = 10_000,
): Promise<Exclude<T, false | null | undefined | 0 | "">> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, false | null | undefined | 0 | "">;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** An instance with loopback allowed (tests only) and fast queue polling. */
export async function createFedEnv(
  dialect: DialectName,
  env: Record<string, string> = {},
): Promise<TestEnv> {
  const place = await createPlace(dialect);
  try {
    const services = await createServices(place.config(env), createLogger("silent"), {
      federation: { allowPrivateAddress: true, pollMs: 100 },
    });
    return wrap(place, services);
  } catch (err) {
    await place.dispose();
    throw err;
  }
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test-side view of arbitrary JSON
  json: any;
}

export interface StubActor {
  id: string;
  keyId: string;
  inbox: string;
  privateKey: CryptoKey;
  document: Record<string, unknown>;
}

/** A fake remote instance: actors, inboxes, arbitrary documents. */
export class RemoteStub {
  readonly received: Received[] = [];
  readonly documents = new Map<string, { status?: number; body?: unknown; location?: string }>();
  readonly actors = new Map<string, StubActor>();
  #server: Server;
  origin = "";

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<RemoteStub> {
    const server = createServer();
    const stub = new RemoteStub(server);
    server.on("request", (req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const path = req.url ?? "/";
        if (req.method === "POST") {
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {}
          stub.received.push({ path, headers: req.headers, body, json });
          res.writeHead(202).end();
          return;
        }
        const doc = stub.documents.get(path.split("?")[0]!);
        if (!doc) return void res.writeHead(404).end();
        if (doc.location)
          return void res.writeHead(doc.status ?? 302, { location: doc.location }).end();
        res
          .writeHead(doc.status ?? 200, { "content-type": "application/activity+json" })
          .end(doc.body === undefined ? "" : JSON.stringify(doc.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    stub.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return stub;
  }

  /** Publishes an actor (Person by default) with a fresh RSA key. */
  async actor(
    name: string,
    type = "Person",
    extra: Record<string, unknown> = {},
  ): Promise<StubActor> {
    const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const id = `${this.origin}/users/${name}`;
    const document = {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id,
      type,
      preferredUsername: name,
      name: `Remote ${name}`,
      url: `${this.origin}/@${name}`,
      inbox: `${id}/inbox`,
      outbox: `${id}/outbox`,
      followers: `${id}/followers`,
      endpoints: { sharedInbox: `${this.origin}/inbox` },
      publicKey: {
        id: `${id}#main-key`,
        owner: id,
        publicKeyPem: await exportSpki(keys.publicKey),
      },
      ...extra,
    };
    this.documents.set(`/users/${name}`, { body: document });
    const actor = {
      id,
      keyId: `${id}#main-key`,
      inbox: `${id}/inbox`,
      privateKey: keys.privateKey,
      document,
    };
    this.actors.set(name, actor);
    return actor;
  }

  /** A signed POST of `activity` to `url` (draft-cavage, as Mastodon and Mobilizon sign). */
  async signed(
    url: string,
    activity: unknown,
    as: StubActor,
    opts: { at?: Date; body?: string; key?: StubActor } = {},
  ): Promise<Request> {
    const body = JSON.stringify(activity);
    const request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
      body,
    });
    const key = opts.key ?? as;
    const signed = await signRequest(request, key.privateKey, new URL(key.keyId), {
      spec: "draft-cavage-http-signatures-12",
      ...(opts.at
        ? { currentTime: Temporal.Instant.fromEpochMilliseconds(opts.at.getTime()) }
        : {}),
    });
    if (opts.body === undefined) return signed;
    // Same signature headers, different body: a tampered request.
    return new Request(url, { method: "POST", headers: signed.headers, body: opts.body });
  }

  /** Posts to an in-process instance. */
  async send(
    env: TestEnv,
    path: string,
    activity: unknown,
    as: StubActor,
    opts: { at?: Date; body?: string; key?: StubActor } = {},
  ): Promise<Response> {
    return env.app.request(await this.signed(`${ORIGIN}${path}`, activity, as, opts));
  }

  inboxed(type?: string): Received[] {
    return this.received.filter((r) => !type || r.json?.type === type);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }
}

/** A full instance on a loopback port, origin http://127.0.0.1:PORT, reachable by others. */
export interface LiveInstance extends TestEnv {
  origin: string;
  stop(): Promise<void>;
}

export async function startInstance(dialect: DialectName): Promise<LiveInstance> {
  const { getRequestListener } = await import("@hono/node-server");
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const place = await createPlace(dialect);
  const services = await createServices(
    place.config({ EVENTAIL_ORIGIN: origin }),
    createLogger("silent"),
    { federation: { allowPrivateAddress: true, pollMs: 100 } },
  );
  const t = wrap(place, services);
  server.on("request", getRequestListener(t.app.fetch));
  const request = async (path: string, init?: RequestInit) =>
    t.app.request(path.startsWith("http") ? path : `${origin}${path}`, init);
  return {
    ...t,
    origin,
    request,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    },
  };
}
