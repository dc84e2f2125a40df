/**
 * Conditional GETs and a small in-process cache of public responses. Public listings,
 * pages and feeds are the same for every anonymous visitor, so they are rendered once per
 * change (or per TTL, which bounds staleness when several processes share PostgreSQL).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Context } from "hono";
import type { Env } from "./env.ts";

/** A response body encoded once: bytes (not a string) so each request only copies them out. */
export interface Rendered {
  body: Buffer;
  type: string;
  etag: string;
  lastModified?: string;
  /** Gzip of `body`, made on the first request that accepts it. */
  gzip?: Buffer;
}

export function etagOf(body: string | Buffer): string {
  return `W/"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

const GZIP_MIN = 1400;

/** Answers 304 when the client holds the current version, otherwise the body with validators. */
export function conditional(c: Context<Env>, r: Rendered, cacheControl: string): Response {
  const headers: Record<string, string> = {
    "content-type": r.type,
    etag: r.etag,
    "cache-control": cacheControl,
    vary: "Accept, Accept-Encoding, Cookie, Authorization",
  };
  if (r.lastModified) headers["last-modified"] = r.lastModified;
  const inm = c.req.header("if-none-match");
  if (inm?.split(",").some((t) => t.trim() === r.etag || t.trim() === "*")) {
    return new Response(null, { status: 304, headers });
  }
  let body = r.body;
  if (r.body.length >= GZIP_MIN && /\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
    // Feeds compress about tenfold; calendar apps and browsers all accept gzip.
    r.gzip ??= gzipSync(r.body, { level: 6 });
    body = r.gzip;
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = String(body.length);
  return new Response(c.req.method === "HEAD" ? null : (body as Uint8Array<ArrayBuffer>), {
    status: 200,
    headers,
  });
}

export class ResponseCache {
  readonly #entries = new Map<string, { at: number; version: number; value: Rendered }>();
  readonly #ttlMs: number;
  readonly #max: number;
  /** Bumped on every write the server accepts; entries of older versions are stale. */
  version = 0;

  constructor(ttlMs = 10_000, max = 500) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  readonly #pending = new Map<string, Promise<Rendered>>();

  async get(key: string, render: () => Promise<Rendered>): Promise<Rendered> {
    const hit = this.#entries.get(key);
    const now = Date.now();
    if (hit && hit.version === this.version && now - hit.at < this.#ttlMs) return hit.value;
    // Concurrent misses for one key share a single rendering.
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const version = this.version;
    const promise = render().then((value) => {
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, { at: now, version, value });
      return value;
    });
    this.#pending.set(key, promise);
    try {
      return await promise;
    } finally {
      this.#pending.delete(key);
    }
  }

  invalidate(): void {
    this.version++;
  }
}

export function render(body: string, type: string, lastModified?: Date): Rendered {
  const bytes = Buffer.from(body, "utf8");
  return {
    body: bytes,
    type,
    etag: etagOf(bytes),
    ...(lastModified ? { lastModified: lastModified.toUTCString() } : {}),
  };
}
