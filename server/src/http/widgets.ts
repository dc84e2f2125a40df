/**
 * Serves the standalone widget bundle (`widgets/dist/cdn`) under /widgets/, so an
 * organization's site embeds with one <script> from its own instance: no CDN, no third party.
 * Hashed chunk names are immutable; the loader and manifest keep a short cache.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Hono } from "hono";
import type { Env } from "./env.ts";

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
};

/** The server package's root, whether running from src/ or from the dist/ bundle. */
function serverRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "@eventail/server")
      return dir;
  }
  return from;
}

export function defaultWidgetsDir(): string {
  return join(serverRoot(import.meta.dirname), "..", "widgets", "dist", "cdn");
}

export function widgetRoutes(app: Hono<Env>, dir = defaultWidgetsDir()): void {
  app.get("/widgets/:file", async (c) => {
    const file = c.req.param("file");
    const m = /^[A-Za-z0-9_.-]{1,100}\.(js|json|map)$/.exec(file);
    if (!m || file.includes("..")) return c.notFound();
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, file));
    } catch {
      return c.text(
        existsSync(dir) ? "no such widget file" : "widgets are not built: run `npm run build`",
        404,
      );
    }
    const hashed = /-[A-Za-z0-9_-]{8,}\.(js|map)$/.test(file);
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": TYPES[m[1]!]!,
        "cache-control": hashed ? "public, max-age=31536000, immutable" : "public, max-age=300",
        "access-control-allow-origin": "*",
        // Other sites load these scripts: allow it explicitly.
        "cross-origin-resource-policy": "cross-origin",
      },
    });
  });
}
