/** The parts of Eleventy's untyped CommonJS/ESM packages this plugin and its tests use. */
declare module "@11ty/eleventy-fetch" {
  export class AssetCache {
    constructor(key: string, cacheDirectory?: string, options?: { duration?: string });
    isCacheValid(duration?: string): boolean;
    getCachedValue(): unknown;
    getCachedTimestamp(): number | undefined;
    get cachedObject(): { cachedAt?: number } | undefined;
    save(contents: unknown, type?: "json" | "text" | "buffer"): Promise<void>;
  }
}

declare module "@11ty/eleventy" {
  export default class Eleventy {
    constructor(
      input?: string,
      output?: string,
      options?: { configPath?: string; quietMode?: boolean; runMode?: "build" | "serve" | "watch" },
    );
    write(): Promise<unknown>;
  }
}
