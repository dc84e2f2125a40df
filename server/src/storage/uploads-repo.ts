/** Uploaded media files (banners); bytes live under the data directory. */
import type { Kysely } from "kysely";
import type { Database, UploadsTable } from "./schema.ts";

export class UploadsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async insert(u: UploadsTable): Promise<void> {
    await this.#db.insertInto("uploads").values(u).execute();
  }
  async get(id: string): Promise<UploadsTable | null> {
    return (
      (await this.#db.selectFrom("uploads").selectAll().where("id", "=", id).executeTakeFirst()) ??
      null
    );
  }
  async byFile(file: string): Promise<UploadsTable | null> {
    return (
      (await this.#db
        .selectFrom("uploads")
        .selectAll()
        .where("file", "=", file)
        .executeTakeFirst()) ?? null
    );
  }
}
