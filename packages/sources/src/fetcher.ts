/**
 * Conditional requests for one source run. Every response is remembered in the cache with
 * its validators; the next run sends `If-None-Match` / `If-Modified-Since` and a 304 hands
 * back the remembered body without downloading it again. Run `offline`, the fetcher answers
 * only from the cache: that is how a source that is down falls back to its last good data.
 */
import type { SourceCache } from "./cache.ts";
import { SourceError } from "./errors.ts";
import { FetchFailure, type NetworkOptions, safeFetch } from "./safe-fetch.ts";

export interface FetchStats {
  /** Requests answered with a new body. */
  downloaded: number;
  /** Requests answered 304, or with the very body already cached. */
  unchanged: number;
  /** Requests answered from the cache without asking (offline run). */
  fromCache: number;
}

export class SourceFetcher {
  readonly source: string;
  readonly offline: boolean;
  readonly stats: FetchStats = { downloaded: 0, unchanged: 0, fromCache: 0 };
  /** Oldest `storedAt` among cached answers used offline. */
  oldestCached: string | null = null;
  readonly #cache: SourceCache;
  readonly #network: NetworkOptions;

  constructor(source: string, cache: SourceCache, network: NetworkOptions, offline = false) {
    this.source = source;
    this.#cache = cache;
    this.#network = network;
    this.offline = offline;
  }

  /** GET with validators; answers the body (fresh or remembered). */
  async get(url: string, accept: string): Promise<string> {
    return this.#request(`GET ${url} ${accept}`, url, { accept }, undefined, true);
  }

  async getJson(url: string, accept = "application/json"): Promise<unknown> {
    return this.#parse(await this.get(url, accept), url);
  }

  /**
   * POST a JSON body (GraphQL). POST responses carry no validators worth sending back, so it
   * is never conditional; `cacheKey` names it stably across runs (variables such as "now"
   * change every build) so the offline fallback still finds it.
   */
  async postJson(url: string, payload: unknown, cacheKey: string): Promise<unknown> {
    const body = JSON.stringify(payload);
    const text = await this.#request(
      `POST ${url} ${cacheKey}`,
      url,
      { accept: "application/json", "content-type": "application/json" },
      body,
      false,
    );
    return this.#parse(text, url);
  }

  #parse(text: string, url: string): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new SourceError("the response is not JSON", {
        source: this.source,
        kind: "invalid",
        url,
        cause: e,
      });
    }
  }

  async #request(
    key: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    conditional: boolean,
  ): Promise<string> {
    const cached = await this.#cache.get(key);
    if (this.offline) {
      if (!cached)
        throw new SourceError(`nothing cached for ${url}`, {
          source: this.source,
          kind: "unavailable",
          url,
        });
      this.stats.fromCache++;
      if (!this.oldestCached || cached.storedAt < this.oldestCached)
        this.oldestCached = cached.storedAt;
      return cached.data;
    }
    const validators: Record<string, string> = {};
    if (conditional && cached?.etag) validators["if-none-match"] = cached.etag;
    if (conditional && cached?.lastModified) validators["if-modified-since"] = cached.lastModified;
    let res: Awaited<ReturnType<typeof safeFetch>>;
    try {
      res = await safeFetch(url, {
        ...this.#network,
        method: body === undefined ? "GET" : "POST",
        headers: { ...headers, ...validators },
        ...(body !== undefined ? { body } : {}),
      });
    } catch (e) {
      const refused = e instanceof FetchFailure && e.refused;
      throw new SourceError(`${url}: ${(e as Error).message}`, {
        source: this.source,
        kind: refused ? "refused" : "unavailable",
        url,
        cause: e,
      });
    }
    if (res.status === 304 && cached) {
      this.stats.unchanged++;
      return cached.data;
    }
    if (res.status < 200 || res.status >= 300)
      throw new SourceError(`${url} answered HTTP ${res.status}`, {
        source: this.source,
        kind: "unavailable",
        url,
      });
    if (cached?.data === res.body) this.stats.unchanged++;
    else this.stats.downloaded++;
    const header = (name: string) => {
      const v = res.headers[name];
      return typeof v === "string" ? v : undefined;
    };
    const etag = header("etag");
    const lastModified = header("last-modified");
    await this.#cache.set(key, {
      data: res.body,
      storedAt: new Date().toISOString(),
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    });
    return res.body;
  }
}
