/**
 * Conditional GETs and a small in-process cache of public responses. Public listings,
 * pages and feeds are the same for every anonymous visitor, so they are rendered once per
 * change (or per TTL, which bounds staleness when several processes share PostgreSQL).
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { Env } from "./env.ts";

export interface Rendered {
  body: string;
  type: string;
  etag: string;
  lastModified?: string;
}

export function etagOf(body: string): string {
  return `W/"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

/** Answers 304 when the client holds the current version, otherwise the body with validators. */
export function conditional(c: Context<Env>, r: Rendered, cacheControl: string): Response {
  const headers: Record<string, string> = {
    "content-type": r.type,
    etag: r.etag,
    "cache-control": cacheControl,
    vary: "Accept, Cookie, Authorization",
  };
  if (r.lastModified) headers["last-modified"] = r.lastModified;
  const inm = c.req.header("if-none-match");
  if (inm?.split(",").some((t) => t.trim() === r.etag || t.trim() === "*")) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(c.req.method === "HEAD" ? null : r.body, { status: 200, headers });
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

  async get(key: string, render: () => Promise<Rendered>): Promise<Rendered> {
    const hit = this.#entries.get(key);
    const now = Date.now();
    if (hit && hit.version === this.version && now - hit.at < this.#ttlMs) return hit.value;
    const version = this.version;
    const value = await render();
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { at: now, version, value });
    return value;
  }

  invalidate(): void {
    this.version++;
  }
}

export function render(body: string, type: string, lastModified?: Date): Rendered {
  return {
    body,
    type,
    etag: etagOf(body),
    ...(lastModified ? { lastModified: lastModified.toUTCString() } : {}),
  };
}
