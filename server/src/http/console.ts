/**
 * Serves the organizer and admin console (`widgets/dist/console`, built by
 * `npm run build -w @eventail/widgets`) at /console: one HTML shell, its stylesheet and
 * scripts, all from this origin. The policy allows nothing else: no inline script or style,
 * no third-party request; the API calls go to this same origin with the session cookie,
 * where the CSRF origin check of auth.ts applies.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hono } from "hono";
import type { Env } from "./env.ts";
import { defaultWidgetsDir } from "./widgets.ts";

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

export function defaultConsoleDir(): string {
  return join(defaultWidgetsDir(), "..", "console");
}

export function consoleRoutes(app: Hono<Env>, dir = defaultConsoleDir()): void {
  const missing = () =>
    new Response("the console is not built: run `npm run build`", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });

  const shell = async () => {
    let html: Buffer;
    try {
      html = await readFile(join(dir, "index.html"));
    } catch {
      return missing();
    }
    return new Response(new Uint8Array(html), {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        "content-security-policy": CONSOLE_CSP,
        "cross-origin-opener-policy": "same-origin",
        "x-frame-options": "DENY",
      },
    });
  };
  app.get("/console", shell);
  app.get("/console/", shell);

  app.get("/console/:file", async (c) => {
    const file = c.req.param("file");
    const m = /^[A-Za-z0-9_-]{1,100}\.(js|css)$/.exec(file);
    if (!m) return c.notFound();
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, file));
    } catch {
      return existsSync(dir) ? c.notFound() : missing();
    }
    const hashed = /-[A-Za-z0-9]{6,}\.js$/.test(file);
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": TYPES[m[1]!]!,
        "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
        "content-security-policy": CONSOLE_CSP,
      },
    });
  });
}
