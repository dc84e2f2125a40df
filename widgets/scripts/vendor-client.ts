/**
 * Part of `npm run build:lib`: makes dist/lib publishable. The widgets import the shared
 * client from the workspace (`@eventail/client`, TypeScript sources); a published package
 * cannot, so its few modules are compiled into dist/lib/client/ and every import of
 * `@eventail/client…` in dist/lib (JavaScript and declarations) is rewritten to them. Lit
 * stays the only runtime dependency.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { transform } from "esbuild";

const HERE = import.meta.dirname;
const LIB = resolve(HERE, "../dist/lib");
const OUT = join(LIB, "client");
const CLIENT = resolve(HERE, "../../packages/client/src");

/** Subpath of @eventail/client → vendored module (see packages/client/package.json). */
const SUBPATHS: Record<string, string> = {
  "@eventail/client": "index.js",
  "@eventail/client/events": "client.js",
  "@eventail/client/rsvp": "rsvp.js",
  "@eventail/client/errors": "errors.js",
  "@eventail/core": "json.js",
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

// JavaScript: each module on its own (unbundled, as the rest of dist/lib).
const sources = readdirSync(CLIENT).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
for (const file of sources) {
  const out = await transform(readFileSync(join(CLIENT, file), "utf8"), {
    loader: "ts",
    format: "esm",
    target: "es2022",
    sourcefile: file,
  });
  const code = out.code.replace(/(from\s*"\.\/[\w-]+)\.ts"/g, '$1.js"');
  writeFileSync(join(OUT, file.replace(/\.ts$/, ".js")), code);
}

// Declarations, with tsc (the client's types come from @eventail/core's JSON shapes).
execFileSync(
  process.execPath,
  [
    resolve(HERE, "../../node_modules/typescript/bin/tsc"),
    "-p",
    resolve(HERE, "../tsconfig.client.json"),
  ],
  { stdio: "inherit" },
);

// The JSON shapes the client's types come from, so that the package does not need
// @eventail/core (zod, luxon…) for its types: core's json.ts holds interfaces only; the
// unions it imports are written out from core's own constant lists.
const CORE = resolve(HERE, "../../packages/core/src");
const model = await import(join(CORE, "model.ts"));
const categories = await import(join(CORE, "categories.ts"));
const union = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(" | ");
// The declarations-only modules of core the client's types come from.
const json = ["json.ts", "report-json.ts"]
  .map((f) => readFileSync(join(CORE, f), "utf8").replace(/^import type [^;]+;\n/gm, ""))
  .join("\n");
if (/^(import|const|function|let|class)\b/m.test(json))
  throw new Error("core's json types are no longer declarations only: update vendor-client.ts");
writeFileSync(
  join(OUT, "json.d.ts"),
  `${[
    `export type Category = ${union(categories.CATEGORIES)};`,
    `export type Visibility = ${union(model.VISIBILITIES)};`,
    `export type EventStatus = ${union(model.EVENT_STATUSES)};`,
    `export type JoinMode = ${union(model.JOIN_MODES)};`,
    `export type ParticipationState = ${union(model.PARTICIPATION_STATES)};`,
  ].join("\n")}\n${json}`,
);
writeFileSync(join(OUT, "json.js"), "export {};\n");

/** Every .js and .d.ts under dist/lib, the vendored client included. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(js|d\.ts)$/.test(f) ? [p] : [];
  });
}

for (const file of files(LIB)) {
  const text = readFileSync(file, "utf8");
  const next = text.replace(/(["'])(@eventail\/(?:client|core)(?:\/[\w-]+)?)\1/g, (_m, q, spec) => {
    const target = SUBPATHS[spec];
    if (!target) throw new Error(`${file}: no vendored module for ${spec}`);
    let rel = relative(dirname(file), join(OUT, target));
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `${q}${rel}${q}`;
  });
  if (next !== text) writeFileSync(file, next);
}
console.log(`vendor-client: ${sources.length} modules in ${relative(process.cwd(), OUT)}`);
