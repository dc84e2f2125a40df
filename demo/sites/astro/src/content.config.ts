import { defineCollection } from "astro:content";
import { eventailSource, eventsLoader } from "@eventail/astro";

const server = process.env.EVENTAIL_DEMO_SERVER ?? "http://127.0.0.1:8080";

export const collections = {
  // The group's events, imported at build time; each gets a page with the live RSVP form.
  events: defineCollection({
    loader: eventsLoader({
      source: eventailSource({ server, group: "climate_lyon", allowPrivateNetwork: true }),
    }),
  }),
};
