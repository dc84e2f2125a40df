/**
 * The publication record: which server event each site slug became, and a hash of what was
 * last sent. Kept in the site's repository (commit it): the server has no field for an outside
 * key, and tags would show the key publicly and federate it as a hashtag.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface PublishedEvent {
  id: string;
  /** SHA-256 of the last body sent: unchanged files cause no request (and no SEQUENCE bump). */
  hash: string;
}

export interface PublishState {
  version: 1;
  /** Per server origin, slug → server event. */
  servers: Record<string, Record<string, PublishedEvent>>;
}

export async function readState(path: string): Promise<PublishState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, servers: {} };
    throw e;
  }
  const parsed = JSON.parse(text) as PublishState;
  if (parsed.version !== 1 || typeof parsed.servers !== "object")
    throw new Error(`${path} is not an Eventail publication record (version 1)`);
  return parsed;
}

export async function writeState(path: string, state: PublishState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Slugs sorted: the file changes only where the publication did, which keeps diffs small.
  const servers = Object.fromEntries(
    Object.entries(state.servers).map(([origin, events]) => [
      origin,
      Object.fromEntries(Object.entries(events).sort(([a], [b]) => a.localeCompare(b))),
    ]),
  );
  await writeFile(`${path}.tmp`, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}
