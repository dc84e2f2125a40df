import { defineConfig } from "vitest/config";

/** The console's journeys in Chromium against a real server (`npm run test:console`). */
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ["test/console/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
