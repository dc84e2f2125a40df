/**
 * Reads a folder of Markdown event files: front matter (YAML, timestamps kept as text so
 * offsets survive) and the body rendered to HTML with markdown-it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import yaml from "js-yaml";
import MarkdownIt from "markdown-it";
import { type ParsedEvent, toCreateBody } from "./front-matter.ts";

export interface EventFile {
  /** The site's key for the event: the file's path without extension, or `slug:`. */
  slug: string;
  /** Path relative to the folder, for messages. */
  file: string;
  /** `publish: false` in the front matter. */
  skip: boolean;
  event: ParsedEvent;
}

const markdown = new MarkdownIt({ html: true, linkify: true });
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function parseEventFile(text: string, file: string): EventFile {
  const match = FRONT_MATTER.exec(text);
  const fallbackSlug = file
    .replace(/\.(md|markdown)$/i, "")
    .split(sep)
    .join("/");
  if (!match)
    return {
      slug: fallbackSlug,
      file,
      skip: false,
      event: {
        ok: false,
        issues: [{ path: "(front matter)", message: "the file has no front matter" }],
      },
    };
  let data: unknown;
  try {
    data = yaml.load(match[1]!, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    return {
      slug: fallbackSlug,
      file,
      skip: false,
      event: {
        ok: false,
        issues: [{ path: "(front matter)", message: (e as Error).message.split("\n")[0]! }],
      },
    };
  }
  const record = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const slug = typeof record.slug === "string" && record.slug ? record.slug : fallbackSlug;
  return {
    slug,
    file,
    skip: record.publish === false,
    event: toCreateBody(record, markdown.render(text.slice(match[0].length))),
  };
}

/** Every `.md` file under `dir`, sorted by path so plans read the same on every machine. */
export async function readEventFiles(dir: string): Promise<EventFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Promise.all(
    files.map(async (path) => parseEventFile(await readFile(path, "utf8"), relative(dir, path))),
  );
}
