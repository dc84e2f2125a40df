export { AccountsRepo, type AccountWithHash, type TokenRow } from "./accounts-repo.ts";
export { ActorsRepo, type GroupRole } from "./actors-repo.ts";
export { type Dialect, openStore, redactUrl, type Store, type StoreOptions } from "./db.ts";
export { type EventQuery, EventsRepo } from "./events-repo.ts";
export { MIGRATIONS, migrate } from "./migrations.ts";
export {
  type ParticipationRow,
  ParticipationsRepo,
  type StateCounts,
} from "./participations-repo.ts";
export type { Database } from "./schema.ts";
export { UploadsRepo } from "./uploads-repo.ts";

import type { Kysely } from "kysely";
import { AccountsRepo } from "./accounts-repo.ts";
import { ActorsRepo } from "./actors-repo.ts";
import type { Dialect } from "./db.ts";
import { EventsRepo } from "./events-repo.ts";
import { ParticipationsRepo } from "./participations-repo.ts";
import type { Database } from "./schema.ts";
import { UploadsRepo } from "./uploads-repo.ts";

export interface Repos {
  accounts: AccountsRepo;
  actors: ActorsRepo;
  events: EventsRepo;
  uploads: UploadsRepo;
  participations: ParticipationsRepo;
  dialect: Dialect;
  /** Runs `fn` in one transaction, with repositories bound to it. Not reentrant. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
}

export function createRepos(db: Kysely<Database>, dialect: Dialect): Repos {
  return {
    dialect,
    participations: new ParticipationsRepo(db, dialect),
    accounts: new AccountsRepo(db),
    actors: new ActorsRepo(db),
    events: new EventsRepo(db),
    uploads: new UploadsRepo(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(createRepos(trx, dialect))),
  };
}
