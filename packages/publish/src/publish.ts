/**
 * Publishing a site's Markdown events to an Eventail server: a plan (create, update, delete,
 * unchanged) from the files and the publication record, then the requests. Idempotent: an
 * unchanged file sends nothing, a changed one one PATCH, a removed one one DELETE; running it
 * twice changes nothing the second time. `dryRun` prints the plan and sends nothing.
 */
import { createHash } from "node:crypto";
import type { CreateEventInput } from "@eventail/core";
import { type EventFile, readEventFiles } from "./event-files.ts";
import { ServerApi } from "./server-api.ts";
import { type PublishState, readState, writeState } from "./state.ts";

export interface PublishLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PublishOptions {
  /** Base URL of the Eventail server. */
  server: string;
  /** API token (`POST /api/v1/tokens`); not needed for a dry run. */
  token?: string;
  /** Id of the acting identity, when the token's account has several. */
  identity?: string;
  /** Folder of Markdown event files. */
  dir: string;
  /** Publication record (commit it with the site), e.g. ".eventail/published.json". */
  stateFile: string;
  dryRun?: boolean;
  logger?: PublishLogger;
}

export type PlanAction = "create" | "update" | "delete" | "unchanged";

export interface PlanItem {
  action: PlanAction;
  slug: string;
  file?: string;
  /** Server id, for updates and deletes. */
  id?: string;
}

export interface PublishReport {
  dryRun: boolean;
  plan: PlanItem[];
  counts: Record<"created" | "updated" | "deleted" | "unchanged" | "failed", number>;
}

/** Invalid files or failed requests; the message lists every one of them. */
export class PublishError extends Error {
  readonly problems: string[];
  constructor(summary: string, problems: string[]) {
    super(`${summary}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PublishError";
    this.problems = problems;
  }
}

const consoleLogger: PublishLogger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

interface Ready {
  slug: string;
  file: string;
  body: CreateEventInput;
  group: string | null;
  hash: string;
}

function hashOf(body: CreateEventInput, group: string | null): string {
  return createHash("sha256").update(JSON.stringify({ body, group })).digest("hex");
}

export function planPublication(
  ready: Ready[],
  published: PublishState["servers"][string],
): PlanItem[] {
  const plan: PlanItem[] = [];
  const local = new Set(ready.map((r) => r.slug));
  for (const r of ready) {
    const known = published[r.slug];
    if (!known) plan.push({ action: "create", slug: r.slug, file: r.file });
    else
      plan.push({
        action: known.hash === r.hash ? "unchanged" : "update",
        slug: r.slug,
        file: r.file,
        id: known.id,
      });
  }
  for (const [slug, known] of Object.entries(published))
    if (!local.has(slug)) plan.push({ action: "delete", slug, id: known.id });
  return plan;
}

export async function publishEvents(opts: PublishOptions): Promise<PublishReport> {
  const log = opts.logger ?? consoleLogger;
  const dryRun = opts.dryRun ?? false;
  const origin = new URL(opts.server).origin;
  const files = await readEventFiles(opts.dir);

  const invalid = files.filter((f): f is EventFile & { event: { ok: false } } => !f.event.ok);
  const problems = invalid.flatMap((f) =>
    f.event.issues.map((i) => `${f.file}: ${i.path}: ${i.message}`),
  );
  const slugs = new Map<string, string>();
  for (const f of files) {
    const other = slugs.get(f.slug);
    if (other) problems.push(`${f.file}: slug "${f.slug}" is also used by ${other}`);
    slugs.set(f.slug, f.file);
  }
  if (problems.length) throw new PublishError(`invalid event files in ${opts.dir}`, problems);

  const ready: Ready[] = files.flatMap((f) =>
    f.event.ok && !f.skip
      ? [
          {
            slug: f.slug,
            file: f.file,
            body: f.event.body,
            group: f.event.group,
            hash: hashOf(f.event.body, f.event.group),
          },
        ]
      : [],
  );
  const state = await readState(opts.stateFile);
  const published = { ...(state.servers[origin] ?? {}) };
  const plan = planPublication(ready, published);
  const counts = { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0 };
  const summary = (verb: string) =>
    `${verb} ${plan.filter((p) => p.action === "create").length} to create, ${plan.filter((p) => p.action === "update").length} to update, ${plan.filter((p) => p.action === "delete").length} to delete, ${plan.filter((p) => p.action === "unchanged").length} unchanged (${origin})`;

  if (dryRun) {
    log.info(summary("dry run:"));
    for (const p of plan)
      if (p.action !== "unchanged")
        log.info(
          `  would ${p.action} ${p.slug}${p.file ? ` (${p.file})` : ""}${p.id ? ` [${p.id}]` : ""}`,
        );
    counts.unchanged = plan.filter((p) => p.action === "unchanged").length;
    return { dryRun, plan, counts };
  }
  if (!opts.token)
    throw new PublishError("cannot publish", [
      "no API token: set `token` (e.g. from the EVENTAIL_TOKEN environment variable) or use a dry run",
    ]);

  log.info(summary("publishing:"));
  const api = new ServerApi({
    server: opts.server,
    token: opts.token,
    ...(opts.identity ? { identity: opts.identity } : {}),
  });
  const bySlug = new Map(ready.map((r) => [r.slug, r]));
  const failures: string[] = [];
  const withGroup = async (r: Ready) =>
    r.group ? { ...r.body, groupId: await api.groupId(r.group) } : { ...r.body, groupId: null };
  try {
    for (const p of plan) {
      const r = bySlug.get(p.slug);
      try {
        if (p.action === "unchanged") counts.unchanged++;
        else if (p.action === "create" && r) {
          const created = await api.create(await withGroup(r));
          published[p.slug] = { id: created.id, hash: r.hash };
          counts.created++;
          log.info(`  created ${p.slug} → ${created.url}`);
        } else if (p.action === "update" && r && p.id) {
          try {
            await api.update(p.id, await withGroup(r));
            log.info(`  updated ${p.slug} [${p.id}]`);
          } catch (e) {
            // Deleted on the server meanwhile: the file still wants it, so it comes back.
            if ((e as { status?: number }).status !== 404) throw e;
            const created = await api.create(await withGroup(r));
            published[p.slug] = { id: created.id, hash: r.hash };
            log.warn(`  ${p.slug} was gone from the server; created again → ${created.url}`);
          }
          published[p.slug] = { id: published[p.slug]?.id ?? p.id, hash: r.hash };
          counts.updated++;
        } else if (p.action === "delete" && p.id) {
          await api.delete(p.id).catch((e: { status?: number }) => {
            if (e.status !== 404) throw e;
          });
          delete published[p.slug];
          counts.deleted++;
          log.info(`  deleted ${p.slug} [${p.id}]`);
        }
      } catch (e) {
        counts.failed++;
        const message = `${p.action} ${p.slug}${p.file ? ` (${p.file})` : ""}: ${(e as Error).message}`;
        failures.push(message);
        log.error(`  failed to ${message}`);
      }
    }
  } finally {
    // Progress is recorded even when some requests failed, so a rerun does not duplicate.
    state.servers[origin] = published;
    await writeState(opts.stateFile, state);
  }
  log.info(
    `published: ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted, ${counts.unchanged} unchanged, ${counts.failed} failed`,
  );
  if (failures.length)
    throw new PublishError(`${failures.length} event(s) not published`, failures);
  return { dryRun, plan, counts };
}
