/**
 * `npm run verify:lib` (after `npm run build`): checks that the npm package is publishable.
 * - `npm pack --dry-run`: what would be published;
 * - every module of dist/lib has its declaration file, imports only relative files that are
 *   in the package or Lit (its one dependency): no `.ts` source, no workspace package;
 * - the declarations type-check on their own (strict, lib checks on);
 * - the built ESM loads in Node without a DOM (nothing registered, nothing thrown), and
 *   registers every element where a DOM shim provides HTMLElement and customElements.
 * Exits non-zero on the first problem.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
const problems: string[] = [];

const packed = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
  }),
) as { files: { path: string }[]; size: number; unpackedSize: number }[];
const files = new Set(packed[0]!.files.map((f) => f.path));
const js = [...files].filter((f) => f.startsWith("dist/lib/") && f.endsWith(".js"));
if (!js.length) problems.push("no dist/lib/*.js in the package: run npm run build first");
for (const f of files)
  if (f.endsWith(".ts") && !f.endsWith(".d.ts")) problems.push(`TypeScript source packed: ${f}`);

const deps = Object.keys(pkg.dependencies ?? {});
for (const file of js) {
  if (!files.has(file.replace(/\.js$/, ".d.ts"))) problems.push(`${file}: no .d.ts`);
  const code = readFileSync(join(ROOT, file), "utf8");
  const specs = [
    ...code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1]!);
  for (const spec of specs) {
    if (spec.startsWith(".")) {
      const target = normalize(join(dirname(file), spec));
      if (!target.endsWith(".js") || !files.has(target))
        problems.push(`${file}: imports ${spec}, which is not a packed .js file`);
    } else if (!deps.some((d) => spec === d || spec.startsWith(`${d}/`)))
      problems.push(`${file}: imports ${spec}, not a dependency`);
  }
}

if (!problems.length) {
  // The declarations alone, strictly, lib checks on: they resolve without any workspace package.
  try {
    execFileSync(
      process.execPath,
      [
        resolve(ROOT, "../node_modules/typescript/bin/tsc"),
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "false",
        "--module",
        "nodenext",
        "--target",
        "es2022",
        "--lib",
        "es2022,dom,dom.iterable",
        join(ROOT, "dist/lib/index.d.ts"),
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
  } catch (e) {
    problems.push(`dist/lib declarations do not type-check:\n${(e as { stdout?: string }).stdout}`);
  }
  const entry = pathToFileURL(join(ROOT, "dist/lib/index.js")).href;
  try {
    execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(entry)})`],
      {
        encoding: "utf8",
        stdio: "pipe",
      },
    );
  } catch (e) {
    problems.push(
      `dist/lib does not load in Node without a DOM:\n${(e as { stderr?: string }).stderr}`,
    );
  }
  // What a server-rendering framework provides: Lit's own DOM shim.
  const shim = await import("@lit-labs/ssr-dom-shim");
  Object.assign(globalThis, { HTMLElement: shim.HTMLElement, customElements: shim.customElements });
  const lib = (await import(entry)) as Record<string, unknown>;
  for (const name of ["ev-event-list", "ev-calendar", "ev-event", "ev-rsvp", "ev-group"])
    if (!customElements.get(name)) problems.push(`${name} is not registered by dist/lib/index.js`);
  if (typeof lib.EvEventList !== "function") problems.push("EvEventList is not exported");
}

if (problems.length) {
  console.error(`verify-lib: ${problems.length} problem(s)\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(
  `verify-lib: ok: ${files.size} files (${js.length} modules with declarations), ` +
    `${(packed[0]!.size / 1024).toFixed(1)} KB packed; runtime imports: relative or ${deps.join(", ")}; loads in Node`,
);
