/**
 * @eventail/eleventy-plugin. Register with
 * `eleventyConfig.addPlugin(eventail, { sources: [...] })` (Eleventy requires the default export).
 */
import { type EleventyConfigLike, type EventailPluginOptions, eventailPlugin } from "./plugin.ts";

export {
  activityPubSource,
  eventailSource,
  gancioSource,
  icalSource,
  mobilizonSource,
  type SiteEvent,
  SourceError,
} from "@eventail/sources";
export {
  type EleventyConfigLike,
  type EventailData,
  type EventailPluginOptions,
  eventailPlugin,
} from "./plugin.ts";

export default function eventail(
  eleventyConfig: EleventyConfigLike,
  options: EventailPluginOptions,
): void {
  eventailPlugin(eleventyConfig, options);
}
