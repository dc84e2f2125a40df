/**
 * Publishing as the site plugins configure it: options from the site's config, the token and
 * dry-run switch from the environment, a warning (not a failure) when there is no token.
 */
import { type PublishLogger, type PublishReport, publishEvents } from "./publish.ts";

export interface SitePublishOptions {
  /** Folder of Markdown event files, relative to the project root. */
  dir: string;
  /** Eventail server to publish to. Default: the plugin's `server`. */
  server?: string;
  /** API token. Default: the EVENTAIL_TOKEN environment variable. */
  token?: string;
  /** Id of the acting identity, when the token's account has several. */
  identity?: string;
  /** Publication record, relative to the root; commit it. Default ".eventail/published.json". */
  stateFile?: string;
  /** Print the plan, send nothing. Default: EVENTAIL_DRY_RUN=1. */
  dryRun?: boolean;
}

export interface SiteContext {
  /** The plugin's `server`, used when `publish.server` is not set. */
  server: string | undefined;
  /** Resolves a path relative to the project root. */
  resolve(path: string): string;
  logger: PublishLogger;
}

/** Publishes, or returns null (with a warning) when no token is set and it is not a dry run. */
export async function publishSiteEvents(
  options: SitePublishOptions,
  site: SiteContext,
): Promise<PublishReport | null> {
  const server = options.server ?? site.server;
  if (!server) throw new Error("eventail: publishing needs `server`");
  const token = options.token ?? process.env.EVENTAIL_TOKEN;
  const dryRun = options.dryRun ?? process.env.EVENTAIL_DRY_RUN === "1";
  if (!token && !dryRun) {
    site.logger.warn("no API token (EVENTAIL_TOKEN): site events are not published in this build");
    return null;
  }
  return publishEvents({
    server,
    ...(token ? { token } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    dir: site.resolve(options.dir),
    stateFile: site.resolve(options.stateFile ?? ".eventail/published.json"),
    dryRun,
    logger: site.logger,
  });
}
