// The Eleventy example site of the demo's fictional organization: its repair-café network,
// in French. `npm run demo` builds it against the demo instance (EVENTAIL_DEMO_SERVER).
import eventail, { eventailSource } from "@eventail/eleventy-plugin";

const server = process.env.EVENTAIL_DEMO_SERVER ?? "http://127.0.0.1:8080";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(eventail, {
    server,
    sources: [eventailSource({ server, group: "climate_lyon", allowPrivateNetwork: true })],
    cacheDirectory: process.env.ELEVENTY_CACHE_DIR ?? ".cache",
    duration: "0s",
    calendar: { name: "Ateliers de réparation" },
    siteUrl: process.env.EVENTAIL_DEMO_SITE ?? "http://127.0.0.1:4322/",
    layout: "base.njk",
    locale: "fr",
  });
}

export const config = { dir: { includes: "_includes" } };
