/**
 * Running a source: fetch online; when the source is down, answer from the cache with a
 * warning; fail only when nothing is cached and the source is required.
 */
import type { EventJson } from "@eventail/core";
import type { SourceCache } from "./cache.ts";
import { MemoryCache } from "./cache.ts";
import { SourceError } from "./errors.ts";
import { SourceFetcher } from "./fetcher.ts";
import type { NetworkOptions } from "./safe-fetch.ts";

export type SourceKind = "eventail" | "mobilizon" | "gancio" | "ical" | "activitypub";

/** What an adapter gets to do its work. */
export interface SourceRun {
  fetcher: SourceFetcher;
  /** Non-fatal problems (a detail page missing, an event skipped). */
  warn(message: string): void;
  now: Date;
}

export interface SourceOptions extends NetworkOptions {
  /** Name used in logs, errors and cache keys. Default: the kind and the host. */
  name?: string;
  /** Fail the build when the source is down and nothing is cached. Default false. */
  required?: boolean;
  /**
   * What to do with an event that does not have the expected shape: "fail" (default) stops
   * with an error naming the event and the field; "skip" leaves it out with a warning.
   */
  onInvalidEvent?: "fail" | "skip";
}

export interface EventSource {
  readonly name: string;
  readonly kind: SourceKind;
  /** Base URL of the server (Eventail, Mobilizon, Gancio) or the feed/actor URL. */
  readonly origin: string;
  readonly options: SourceOptions;
  load(run: SourceRun): Promise<EventJson[]>;
}

export type LoadStatus =
  /** At least one response had new content. */
  | "fetched"
  /** Every response was a 304 or identical to the cached one. */
  | "unchanged"
  /** The source was down; these are the cached events of an earlier run. */
  | "stale"
  /** The source was down and nothing was cached (only for sources that are not required). */
  | "failed";

export interface LoadResult {
  source: string;
  kind: SourceKind;
  status: LoadStatus;
  events: EventJson[];
  warnings: string[];
}

export interface LoadOptions {
  cache?: SourceCache;
  /** Called for each warning as it happens (the result also lists them). */
  onWarning?: (message: string) => void;
  now?: Date;
}

export async function loadSource(source: EventSource, opts: LoadOptions = {}): Promise<LoadResult> {
  const cache = opts.cache ?? new MemoryCache();
  const warnings: string[] = [];
  const warn = (message: string) => {
    const line = `${source.name}: ${message}`;
    warnings.push(line);
    opts.onWarning?.(line);
  };
  const now = opts.now ?? new Date();
  const result = (status: LoadStatus, events: EventJson[]): LoadResult => ({
    source: source.name,
    kind: source.kind,
    status,
    events,
    warnings,
  });

  const online = new SourceFetcher(source.name, cache, source.options);
  try {
    const events = await source.load({ fetcher: online, warn, now });
    return result(online.stats.downloaded > 0 ? "fetched" : "unchanged", events);
  } catch (e) {
    if (!(e instanceof SourceError) || e.kind !== "unavailable") throw e;
    const offline = new SourceFetcher(source.name, cache, source.options, true);
    try {
      const events = await source.load({ fetcher: offline, warn: () => {}, now });
      warn(`${e.message}; using the data cached on ${offline.oldestCached ?? "an earlier run"}`);
      return result("stale", events);
    } catch (cachedError) {
      if (!(cachedError instanceof SourceError) || cachedError.kind !== "unavailable")
        throw cachedError;
      if (source.options.required)
        throw new SourceError(`${e.message}; nothing is cached and the source is required`, {
          source: source.name,
          kind: "unavailable",
          cause: e,
          ...(e.url ? { url: e.url } : {}),
        });
      warn(`${e.message}; nothing is cached, so it gives no events`);
      return result("failed", []);
    }
  }
}

/** One line for build logs: how many sources were fetched, unchanged, down or failed. */
export function loadSummary(
  results: ReadonlyArray<Pick<LoadResult, "status">>,
  events: number,
): string {
  const count = (s: LoadStatus) => results.filter((r) => r.status === s).length;
  return `${events} events: ${count("fetched")} sources fetched, ${count("unchanged")} unchanged (cached), ${count("stale")} down (cached data used), ${count("failed")} failed`;
}
