import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventJson } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startEventail } from "../../sources/test/live-server.ts";
import { PublishError, type PublishLogger, publishEvents } from "./publish.ts";

let live: LiveServer;
let site: string;
beforeAll(async () => {
  live = await startEventail();
  site = await mkdtemp(join(tmpdir(), "eventail-publish-"));
  await mkdir(join(site, "events"));
});
afterAll(async () => {
  await live?.stop();
  await rm(site, { recursive: true, force: true });
});

const write = (name: string, title: string, extra = "") =>
  writeFile(
    join(site, "events", name),
    `---\ntitle: ${title}\nbeginsAt: 2027-03-14T14:00:00+01:00\nendsAt: 2027-03-14T18:00:00+01:00\ntimezone: Europe/Paris\ntags: [site-published]\n${extra}---\nWritten on the site.\n`,
  );

function capture(): PublishLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
}

async function onServer(): Promise<EventJson[]> {
  const res = await fetch(`${live.origin}/api/v1/events?tag=site-published&limit=100`);
  return ((await res.json()) as { items: EventJson[] }).items;
}

describe("publishing Markdown events to a live server", () => {
  it("creates, leaves unchanged, updates and deletes, idempotently; dry runs send nothing", async () => {
    const options = {
      server: live.origin,
      token: live.token,
      dir: join(site, "events"),
      stateFile: join(site, ".eventail", "published.json"),
    };
    await write("repair-cafe.md", "Repair café");
    await write("bike-ride.md", "Bike ride", "group: climate_lyon\n");

    const dry = capture();
    const plan = await publishEvents({ ...options, token: undefined, dryRun: true, logger: dry });
    expect(plan.plan.map((p) => `${p.action} ${p.slug}`)).toEqual([
      "create bike-ride",
      "create repair-cafe",
    ]);
    expect(dry.lines[0]).toMatch(/^dry run: 2 to create, 0 to update, 0 to delete/);
    expect(await onServer()).toHaveLength(0);

    const first = await publishEvents({ ...options, logger: capture() });
    expect(first.counts).toMatchObject({ created: 2, failed: 0 });
    const created = await onServer();
    expect(created.map((e) => e.title).sort()).toEqual(["Bike ride", "Repair café"]);
    expect(created.find((e) => e.title === "Bike ride")!.group?.handle).toMatch(/^climate_lyon/);
    const record = JSON.parse(await readFile(options.stateFile, "utf8"));
    expect(Object.keys(record.servers[new URL(live.origin).origin])).toEqual([
      "bike-ride",
      "repair-cafe",
    ]);

    const again = await publishEvents({ ...options, logger: capture() });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await onServer()).toHaveLength(2);

    await write("repair-cafe.md", "Repair café (new room)");
    await rm(join(site, "events", "bike-ride.md"));
    const log = capture();
    const changed = await publishEvents({ ...options, logger: log });
    expect(changed.counts).toMatchObject({ updated: 1, deleted: 1, unchanged: 0 });
    const after = await onServer();
    expect(after.map((e) => e.title)).toEqual(["Repair café (new room)"]);
    expect(after[0]!.sequence).toBe(1);
    expect(log.lines.at(-1)).toBe(
      "published: 0 created, 1 updated, 1 deleted, 0 unchanged, 0 failed",
    );
  });

  it("reports every invalid file with its field before sending anything", async () => {
    const dir = join(site, "broken");
    await mkdir(dir);
    await writeFile(
      join(dir, "a.md"),
      "---\ntitle: A\nbeginsAt: tomorrow\ntimezone: Europe/Paris\n---\n",
    );
    await writeFile(
      join(dir, "b.md"),
      "---\nbeginsAt: 2027-01-01T10:00:00Z\ntimezone: Mars/Olympus\n---\n",
    );
    const error = await publishEvents({
      server: live.origin,
      token: live.token,
      dir,
      stateFile: join(site, "broken.json"),
      logger: capture(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).problems).toEqual([
      expect.stringMatching(/^a\.md: beginsAt: must be an RFC 3339 date-time/),
      "b.md: title: is required",
    ]);
  });

  it("turns server refusals into per-event failures and keeps the progress", async () => {
    const dir = join(site, "refused");
    await mkdir(dir);
    await write("../refused/ok.md", "Fine event");
    await writeFile(
      join(dir, "ghost-group.md"),
      "---\ntitle: Ghost\nbeginsAt: 2027-01-01T10:00:00Z\ntimezone: UTC\ngroup: no_such_group\n---\n",
    );
    const stateFile = join(site, "refused.json");
    const error = await publishEvents({
      server: live.origin,
      token: live.token,
      dir,
      stateFile,
      logger: capture(),
    }).catch((e: unknown) => e);
    expect((error as PublishError).problems).toEqual([
      expect.stringMatching(
        /^create ghost-group \(ghost-group\.md\): GET \/api\/v1\/groups\/no_such_group: 404/,
      ),
    ]);
    const record = JSON.parse(await readFile(stateFile, "utf8"));
    expect(Object.keys(Object.values(record.servers)[0] as object)).toEqual(["ok"]);
  });
});
