/**
 * `eventail backup` / `eventail restore` for the embedded SQLite database and uploads.
 * The backup is online: SQLite's backup API copies a consistent snapshot while the server
 * keeps writing (WAL lets it read alongside). PostgreSQL instances use pg_dump instead
 * (docs/self-hosting.md).
 */
import { cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync, backup as sqliteBackup } from "node:sqlite";

export const DB_FILE = "eventail.sqlite";

export interface BackupReport {
  database: string;
  bytes: number;
  mediaFiles: number;
  ms: number;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Copies the live database and the uploaded media of `dataDir` into the new directory `dest`. */
export async function backupTo(
  dataDir: string,
  dest: string,
  progress: (msg: string) => void = () => {},
): Promise<BackupReport> {
  const started = Date.now();
  const source = join(dataDir, DB_FILE);
  if (!(await exists(source))) throw new Error(`no database at ${source}`);
  if (await exists(dest)) {
    const entries = await readdir(dest);
    if (entries.length > 0) throw new Error(`${dest} is not empty: choose a new directory`);
  }
  await mkdir(dest, { recursive: true });
  // Write under a temporary name and rename at the end: a backup is either whole or absent.
  const partial = join(dest, `${DB_FILE}.partial`);
  const db = new DatabaseSync(source, { readOnly: true, timeout: 10_000 });
  try {
    await sqliteBackup(db, partial, {
      rate: 256,
      progress: ({ totalPages, remainingPages }) =>
        progress(`database: ${totalPages - remainingPages}/${totalPages} pages`),
    });
  } finally {
    db.close();
  }
  await rename(partial, join(dest, DB_FILE));
  let mediaFiles = 0;
  const media = join(dataDir, "media");
  if (await exists(media)) {
    await cp(media, join(dest, "media"), { recursive: true, errorOnExist: true, force: false });
    mediaFiles = (await readdir(media)).length;
    progress(`media: ${mediaFiles} files`);
  }
  const bytes = (await stat(join(dest, DB_FILE))).size;
  return { database: join(dest, DB_FILE), bytes, mediaFiles, ms: Date.now() - started };
}

/** Restores a backup directory into `dataDir`; refuses to overwrite unless `force`. */
export async function restoreFrom(
  src: string,
  dataDir: string,
  opts: { force?: boolean } = {},
): Promise<{ mediaFiles: number }> {
  const file = join(src, DB_FILE);
  if (!(await exists(file)))
    throw new Error(`${src} holds no ${DB_FILE}: is it an eventail backup?`);
  // Refuse a damaged copy before touching anything.
  const check = new DatabaseSync(file, { readOnly: true });
  try {
    const row = check.prepare("PRAGMA integrity_check").get() as { integrity_check: string };
    if (row.integrity_check !== "ok")
      throw new Error(`the backup is damaged: ${row.integrity_check}`);
  } finally {
    check.close();
  }
  const target = join(dataDir, DB_FILE);
  if ((await exists(target)) && !opts.force)
    throw new Error(`${target} exists: stop the server and pass --force to replace it`);
  await mkdir(dataDir, { recursive: true });
  for (const suffix of ["-wal", "-shm"]) await rm(`${target}${suffix}`, { force: true });
  await cp(file, `${target}.restoring`);
  await rename(`${target}.restoring`, target);
  let mediaFiles = 0;
  if (await exists(join(src, "media"))) {
    await cp(join(src, "media"), join(dataDir, "media"), { recursive: true, force: true });
    mediaFiles = (await readdir(join(src, "media"))).length;
  }
  return { mediaFiles };
}
