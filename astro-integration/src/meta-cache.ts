/** The conditional-request cache kept in an Astro loader's `meta` store (persisted between builds). */
import { type CachedResponse, parseCachedResponse, type SourceCache } from "@eventail/sources";

export interface MetaStoreLike {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function metaCache(meta: MetaStoreLike): SourceCache {
  return {
    get: (key) => parseCachedResponse(meta.get(`eventail:${key}`)),
    set: (key, value: CachedResponse) => meta.set(`eventail:${key}`, JSON.stringify(value)),
  };
}
