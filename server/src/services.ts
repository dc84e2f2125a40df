/** Wires storage to the domain services; one instance per running server. */
import { join } from "node:path";
import type { Config } from "./config.ts";
import { AccountService } from "./domain/accounts.ts";
import { CommentService } from "./domain/comments.ts";
import { EventService } from "./domain/events.ts";
import { GroupService, IdentityService } from "./domain/identities.ts";
import { Links } from "./domain/links.ts";
import { MediaStore } from "./domain/media.ts";
import { ParticipationService } from "./domain/participations.ts";
import { PasswordResets } from "./domain/password-reset.ts";
import { ProofOfWork } from "./domain/pow.ts";
import { ReportService } from "./domain/reports.ts";
import { Settings } from "./domain/settings.ts";
import { type FederationOptions, FederationService } from "./federation/service.ts";
import { Geocoder } from "./geocoder.ts";
import { ResponseCache } from "./http/cache.ts";
import { RateLimiter } from "./http/rate-limit.ts";
import type { Logger } from "./log.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { CommentsRepo } from "./storage/comments-repo.ts";
import { createRepos, openStore, type Repos, type Store } from "./storage/index.ts";
import { ReportsRepo } from "./storage/reports-repo.ts";

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
  participations: ParticipationService;
  comments: CommentService;
  mailer: Mailer;
  passwordResets: PasswordResets;
  reports: ReportService;
  limiter: RateLimiter;
  /** Address → coordinates through the configured provider; null when geocoding is off. */
  geocoder: Geocoder | null;
  pow: ProofOfWork;
  /** Rendered public responses, invalidated on every accepted write. */
  cache: ResponseCache;
  /** ActivityPub: actors, inbox, delivery queue, remote events. */
  federation: FederationService;
  close(): Promise<void>;
}

/** Version of the server, as announced in NodeInfo, /healthz and the User-Agent. */
export const SERVER_VERSION = "0.1.0";

export async function createServices(
  config: Config,
  log: Logger,
  opts: { print?: (text: string) => void; federation?: FederationOptions } = {},
): Promise<Services> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, "eventail.sqlite"),
  });
  const repos = createRepos(store.db, store.dialect);
  const links = new Links(config.origin);
  const settings = new Settings(repos);
  const identities = new IdentityService(repos);
  const events = new EventService(repos, links);
  const mailer = await createMailer(
    config.smtp,
    repos,
    log,
    opts.print ?? ((t) => process.stdout.write(t)),
  );
  const participations = new ParticipationService({
    repos,
    events,
    links,
    settings,
    mailer,
    log,
    embedOrigins: config.embedOrigins,
  });
  const cache = new ResponseCache();
  const commentsRepo = new CommentsRepo(store.db);
  const accounts = new AccountService(repos, identities, settings);
  const reports = new ReportService(
    new ReportsRepo(store.db),
    repos,
    commentsRepo,
    accounts,
    links,
  );
  const comments = new CommentService(commentsRepo, events, links, (id) =>
    repos.actors.identity(id),
  );
  const federation = new FederationService(
    {
      config,
      log,
      store,
      repos,
      links,
      settings,
      events,
      participations,
      comments,
      reports,
      cache,
      version: SERVER_VERSION,
    },
    { allowPrivateAddress: config.demoLoopbackFederation, ...opts.federation },
  );
  events.hooks.onChange = (change) => federation.eventChanged(change);
  events.hooks.remoteRefs = (list) => federation.remoteRefs(list);
  participations.hooks.remoteRsvp = (event, identity) => federation.remoteRsvp(event, identity);
  participations.hooks.remoteAnswer = (p, state) => federation.remoteAnswer(p, state);
  comments.hooks.published = (c, e, author) => federation.commentPublished(c, e, author);
  comments.hooks.deleted = (c, e, author) => federation.commentDeleted(c, e, author);
  comments.hooks.limitedHost = (host) => federation.instances.limited(host);
  reports.hooks.remoteActorOf = (target) => federation.remoteActorOf(target);
  reports.hooks.suspendRemote = (actor, reason) => federation.suspendActor(actor, reason);
  reports.hooks.forward = (report, actor) => federation.forwardReport(report, actor);
  // Logged by eventChanged; the next edit of the event sends its state again.
  comments.hooks.policyChanged = (e) =>
    federation.eventChanged({ kind: "updated", before: e, after: e }).catch(() => {});
  federation.start();
  return {
    config,
    log,
    store,
    repos,
    links,
    settings,
    accounts,
    reports,
    passwordResets: new PasswordResets(repos, mailer, settings, config.origin),
    identities,
    groups: new GroupService(repos),
    events,
    participations,
    comments,
    mailer,
    limiter: new RateLimiter(),
    geocoder: config.geocoderUrl
      ? new Geocoder({
          url: config.geocoderUrl,
          userAgent: `Eventail/${SERVER_VERSION} (+${config.origin})`,
        })
      : null,
    pow: new ProofOfWork(config.rsvpPow),
    media: new MediaStore(repos, join(config.dataDir, "media"), config.maxUploadBytes),
    cache,
    federation,
    close: async () => {
      await federation.stop();
      // Let queued emails go out (bounded: a dead SMTP server must not block shutdown).
      await Promise.race([mailer.idle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      mailer.close();
      await store.close();
    },
  };
}
