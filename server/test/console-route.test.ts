/** /console: the shell and its files under the console's policy; nothing else from that dir. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP, consoleRoutes } from "../src/http/console.ts";
import type { Env } from "../src/http/env.ts";

const dir = mkdtempSync(join(tmpdir(), "eventail-console-"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>c</title>");
writeFileSync(join(dir, "console.js"), "export {};");
writeFileSync(join(dir, "chunk-abc123xy.js"), "export {};");
writeFileSync(join(dir, "console.css"), "body{}");
writeFileSync(join(dir, "secret.txt"), "no");
mkdirSync(join(dir, "sub"));
const app = new Hono<Env>();
consoleRoutes(app, dir);
const missing = new Hono<Env>();
consoleRoutes(missing, join(dir, "nope"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("console route", () => {
  it("serves the shell at /console and /console/ with the strict policy", async () => {
    for (const path of ["/console", "/console/"]) {
      const r = await app.request(path);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(r.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
      expect(r.headers.get("cache-control")).toBe("no-cache");
      expect(await r.text()).toContain("<title>c</title>");
    }
    expect(CONSOLE_CSP).not.toMatch(/unsafe|\*|https?:/);
  });

  it("serves scripts and the stylesheet, hashed chunks immutable", async () => {
    const js = await app.request("/console/console.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("no-cache");
    const chunk = await app.request("/console/chunk-abc123xy.js");
    expect(chunk.headers.get("cache-control")).toContain("immutable");
    const css = await app.request("/console/console.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("serves nothing else", async () => {
    for (const path of [
      "/console/secret.txt",
      "/console/..%2Fsecret.txt",
      "/console/sub",
      "/console/nothere.js",
      "/console/index.html",
    ])
      expect((await app.request(path)).status, path).toBe(404);
  });

  it("says when the console is not built", async () => {
    const r = await missing.request("/console");
    expect(r.status).toBe(404);
    expect(await r.text()).toContain("not built");
  });
});
