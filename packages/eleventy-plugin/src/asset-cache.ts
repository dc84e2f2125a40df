/**
 * Eleventy's own fetch cache (@11ty/eleventy-fetch's AssetCache in `.cache/`) as the store of
 * conditional-request validators and last good responses, and of whole source results for the
 * `duration` during which a source is not asked again (as eleventy-fetch's `duration`).
 */
import { AssetCache } from "@11ty/eleventy-fetch";
import type { EventJson } from "@eventail/core";
import { type CachedResponse, parseCachedResponse, type SourceCache } from "@eventail/sources";

/**
 * eleventy-fetch 5.1.3 remembers "file does not exist" for the life of the process, even after
 * saving it, so a second build in the same process (watch mode, tests) would never read what
 * the first one wrote. Values written in this process are therefore also kept here.
 */
const writtenThisProcess = new Map<string, { value: unknown; at: number }>();

function read(directory: string, key: string, duration?: string): unknown {
  const mine = writtenThisProcess.get(`${directory}\n${key}`);
  if (mine) {
    if (duration === undefined || Date.now() - mine.at < durationMs(duration)) return mine.value;
    return undefined;
  }
  const asset = new AssetCache(key, directory);
  if (duration === undefined ? !asset.cachedObject : !asset.isCacheValid(duration))
    return undefined;
  return asset.getCachedValue();
}

async function write(directory: string, key: string, value: unknown): Promise<void> {
  writtenThisProcess.set(`${directory}\n${key}`, { value, at: Date.now() });
  await new AssetCache(key, directory).save(value, "json");
}

/** "30s", "15m", "2h", "1d", "1w" in milliseconds (eleventy-fetch's duration format). */
function durationMs(duration: string): number {
  const m = /^(\d+)\s*([smhdwy])$/.exec(duration.trim());
  if (!m) return 0;
  const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 }[m[2] as "s"];
  return Number(m[1]) * unit;
}

export function assetCache(directory: string): SourceCache {
  return {
    get: (key) => parseCachedResponse(JSON.stringify(read(directory, `eventail:${key}`) ?? null)),
    set: (key, value: CachedResponse) => write(directory, `eventail:${key}`, value),
  };
}

/** Events of a source fetched less than `duration` ago ("1h", "1d"; "0s": always ask). */
export function recentEvents(
  directory: string,
  source: string,
  duration: string,
): EventJson[] | null {
  if (durationMs(duration) === 0) return null;
  return (
    (read(directory, `eventail-events:${source}`, duration) as EventJson[] | undefined) ?? null
  );
}

export function rememberEvents(
  directory: string,
  source: string,
  events: EventJson[],
): Promise<void> {
  return write(directory, `eventail-events:${source}`, events);
}
