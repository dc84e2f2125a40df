// The Astro example site of the demo's fictional organization, Climate Action Lyon.
// `npm run demo` builds it against the demo instance (EVENTAIL_DEMO_SERVER).
import { eventail } from "@eventail/astro";
import { defineConfig } from "astro/config";

const server = process.env.EVENTAIL_DEMO_SERVER ?? "http://127.0.0.1:8080";

export default defineConfig({
  site: process.env.EVENTAIL_DEMO_SITE ?? "http://127.0.0.1:4321",
  outDir: process.env.ASTRO_OUT_DIR ?? "./dist",
  cacheDir: process.env.ASTRO_CACHE_DIR ?? "./node_modules/.astro",
  integrations: [
    eventail({
      server,
      layout: "./src/layouts/Site.astro",
      calendar: { name: "Climate Action Lyon" },
    }),
  ],
});
