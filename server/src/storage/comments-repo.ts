/** Comments on events (local and remote Notes) and each event's comment policy. */
import type { Kysely } from "kysely";
import type { CommentsTable, Database } from "./schema.ts";

export type CommentRow = CommentsTable;

export class CommentsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(row: CommentRow): Promise<boolean> {
    const r = await this.#db
      .insertInto("comments")
      .values(row)
      .onConflict((oc) => oc.column("ap_id").doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<CommentRow | undefined> {
    return this.#db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async byApId(apId: string): Promise<CommentRow | undefined> {
    return this.#db.selectFrom("comments").selectAll().where("ap_id", "=", apId).executeTakeFirst();
  }

  /** An event's comments in one state, oldest first, keyset on (created_at, id). */
  async list(
    eventId: string,
    state: string,
    limit: number,
    after?: { at: number; id: string },
  ): Promise<CommentRow[]> {
    let q = this.#db
      .selectFrom("comments")
      .selectAll()
      .where("event_id", "=", eventId)
      .where("state", "=", state);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb("created_at", ">", after.at),
          eb.and([eb("created_at", "=", after.at), eb("id", ">", after.id)]),
        ]),
      );
    return q.orderBy("created_at").orderBy("id").limit(limit).execute();
  }

  async count(eventId: string, state: string): Promise<number> {
    const r = await this.#db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "=", eventId)
      .where("state", "=", state)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async update(id: string, patch: Partial<Pick<CommentRow, "content" | "state">>): Promise<void> {
    await this.#db
      .updateTable("comments")
      .set({ ...patch, updated_at: Date.now() })
      .where("id", "=", id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom("comments").where("id", "=", id).execute();
  }

  /** Drops every comment from `host` (an instance blocked with purge). */
  async deleteFromHost(host: string): Promise<number> {
    const r = await this.#db.deleteFrom("comments").where("host", "=", host).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async countFromHost(host: string): Promise<number> {
    const r = await this.#db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("host", "=", host)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async policy(eventId: string): Promise<string | null> {
    const r = await this.#db
      .selectFrom("event_comment_policies")
      .select("policy")
      .where("event_id", "=", eventId)
      .executeTakeFirst();
    return r?.policy ?? null;
  }

  async setPolicy(eventId: string, policy: string): Promise<void> {
    await this.#db
      .insertInto("event_comment_policies")
      .values({ event_id: eventId, policy })
      .onConflict((oc) => oc.column("event_id").doUpdateSet({ policy }))
      .execute();
  }
}
