/** Wires storage to the domain services; one instance per running server. */
import { join } from "node:path";
import type { Config } from "./config.ts";
import { AccountService } from "./domain/accounts.ts";
import { EventService } from "./domain/events.ts";
import { GroupService, IdentityService } from "./domain/identities.ts";
import { Links } from "./domain/links.ts";
import { MediaStore } from "./domain/media.ts";
import { Settings } from "./domain/settings.ts";
import { ResponseCache } from "./http/cache.ts";
import type { Logger } from "./log.ts";
import { createRepos, openStore, type Repos, type Store } from "./storage/index.ts";

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  repos: Repos;
  links: Links;
  settings: Settings;
  accounts: AccountService;
  identities: IdentityService;
  groups: GroupService;
  events: EventService;
  media: MediaStore;
  /** Rendered public responses, invalidated on every accepted write. */
  cache: ResponseCache;
  close(): Promise<void>;
}

export async function createServices(config: Config, log: Logger): Promise<Services> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, "eventail.sqlite"),
  });
  const repos = createRepos(store.db);
  const links = new Links(config.origin);
  const settings = new Settings(repos);
  const identities = new IdentityService(repos);
  return {
    config,
    log,
    store,
    repos,
    links,
    settings,
    accounts: new AccountService(repos, identities, settings),
    identities,
    groups: new GroupService(repos),
    events: new EventService(repos, links),
    media: new MediaStore(repos, join(config.dataDir, "media"), config.maxUploadBytes),
    cache: new ResponseCache(),
    close: () => store.close(),
  };
}
