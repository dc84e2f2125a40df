/**
 * Where conditional-request validators and the last good response of each request are kept
 * between builds. Plugins plug their own store in (Astro's loader meta store, Eleventy's
 * AssetCache); the two here serve tests and plain scripts.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface CachedResponse {
  etag?: string;
  lastModified?: string;
  /** The response body as received. */
  data: string;
  /** When it was received (ISO), shown in "using cached data" warnings. */
  storedAt: string;
}

export interface SourceCache {
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse): void | Promise<void>;
}

export class MemoryCache implements SourceCache {
  readonly entries = new Map<string, CachedResponse>();
  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: CachedResponse): void {
    this.entries.set(key, value);
  }
}

/** One JSON file per request under `dir`, named by a hash of the key. */
export class FileCache implements SourceCache {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  #file(key: string): string {
    return join(this.dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  }
  async get(key: string): Promise<CachedResponse | undefined> {
    try {
      return parseCachedResponse(await readFile(this.#file(key), "utf8"));
    } catch {
      return undefined;
    }
  }
  async set(key: string, value: CachedResponse): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.#file(key);
    // Write then rename, so a build killed mid-write never leaves half a cache entry.
    await writeFile(`${file}.tmp`, JSON.stringify(value));
    await rename(`${file}.tmp`, file);
  }
}

/** Reads a cache entry serialized by any store; anything unexpected counts as a miss. */
export function parseCachedResponse(text: string | undefined): CachedResponse | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<CachedResponse>;
    if (typeof v.data !== "string" || typeof v.storedAt !== "string") return undefined;
    return {
      data: v.data,
      storedAt: v.storedAt,
      ...(typeof v.etag === "string" ? { etag: v.etag } : {}),
      ...(typeof v.lastModified === "string" ? { lastModified: v.lastModified } : {}),
    };
  } catch {
    return undefined;
  }
}
