/** Reports to the instance's moderators, from our accounts or from other instances' Flags. */
import type { Kysely } from "kysely";
import type { Database, ReportsTable } from "./schema.ts";

export type ReportRow = ReportsTable;

export class ReportsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** False when a report with the same activity id is already stored (a repeated Flag). */
  async insert(row: ReportRow): Promise<boolean> {
    if (row.activity_id) {
      const seen = await this.#db
        .selectFrom("reports")
        .select("id")
        .where("activity_id", "=", row.activity_id)
        .executeTakeFirst();
      if (seen) return false;
    }
    const r = await this.#db
      .insertInto("reports")
      .values(row)
      .onConflict((oc) => oc.column("activity_id").doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<ReportRow | undefined> {
    return this.#db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Newest first; `state` narrows to open or resolved ones. */
  async list(state: "open" | "resolved" | undefined, limit = 200): Promise<ReportRow[]> {
    let q = this.#db.selectFrom("reports").selectAll();
    if (state) q = q.where("state", "=", state);
    return q.orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
  }

  /** Erases one report's reporter email; false when it had none (or no such report). */
  async eraseReporterEmail(id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable("reports")
      .set({ reporter_email: null })
      .where("id", "=", id)
      .where("reporter_email", "is not", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async eraseReporterEmails(resolvedBefore: number): Promise<number> {
    const r = await this.#db
      .updateTable("reports")
      .set({ reporter_email: null })
      .where("reporter_email", "is not", null)
      .where("state", "=", "resolved")
      .where("resolved_at", "<", resolvedBefore)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async forwarded(id: string, host: string, at: number): Promise<void> {
    await this.#db
      .updateTable("reports")
      .set({ forwarded_to: host, forwarded_at: at })
      .where("id", "=", id)
      .execute();
  }

  async resolve(id: string, by: string, resolution: string, at: number): Promise<void> {
    await this.#db
      .updateTable("reports")
      .set({ state: "resolved", resolved_by: by, resolution, resolved_at: at })
      .where("id", "=", id)
      .execute();
  }
}
