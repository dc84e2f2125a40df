/**
 * Bundles the server into server/dist for running: one module graph instead of ~800 files
 * (much less memory per process) and no type stripping at run time. Heavy libraries that
 * are imported lazily (src/lazy.ts) land in chunks of their own and load on first use.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: { eventail: "src/cli.ts" },
  platform: "node",
  external: ["pg-native"],
  output: {
    dir: "dist",
    format: "esm",
    entryFileNames: "[name].mjs",
    chunkFileNames: "chunks/[name]-[hash].mjs",
    sourcemap: true,
  },
});
