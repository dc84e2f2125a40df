/**
 * The standalone bundle (dist/cdn): Lit included, one entry per element plus the lazy
 * loader, shared code in common chunks, content-hashed names (cache forever), and
 * manifest.json with the SRI hash of every file. `eventail.js` is an unhashed copy of the
 * loader for a stable URL (serve it with a short cache).
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import { transform } from "esbuild";
import { rollup } from "rollup";

const OUT = "dist/cdn";

/** TypeScript to JavaScript (the sources only use erasable syntax). */
const typescript = () => ({
  name: "typescript",
  async transform(code, id) {
    if (!id.endsWith(".ts")) return null;
    const out = await transform(code, {
      loader: "ts",
      target: "es2022",
      sourcefile: id,
      sourcemap: true,
    });
    return { code: out.code, map: out.map };
  },
});

/** Every text part of an html`…` template, found with the parser (never by pattern). */
function htmlQuasis(ast) {
  const found = [];
  const visit = (node) => {
    if (!node || typeof node.type !== "string") return;
    if (
      node.type === "TaggedTemplateExpression" &&
      node.tag.type === "Identifier" &&
      node.tag.name === "html"
    )
      found.push(...node.quasi.quasis);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(ast);
  return found;
}

/**
 * A static css`…` block without comments and optional spaces, leading zeros (`0.75em` is
 * `.75em`) and spaces around `/` and `*` (`calc(a * .5)`, `16 / 9`); quoted strings
 * (`content: " — "`) are left as written.
 */
function minifyCss(body) {
  return body
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split(/("[^"]*"|'[^']*')/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\s+/g, " ")
            .replace(/\s*([{};,>/])\s*/g, "$1")
            .replace(/:\s+/g, ":")
            .replace(/;}/g, "}")
            .replace(/([\s:(,/*-])0\.(\d)/g, "$1.$2")
            .replace(/([\d)])\s*\*\s*([\d.(v])/g, "$1*$2"),
    )
    .join("")
    .trim();
}

/**
 * Lit ships templates and styles as written; their indentation is most of their weight.
 * In html`…` a run of whitespace holding a line break becomes one space (HTML collapses
 * it anyway: no <pre> here); static css`…` blocks lose comments and optional spaces.
 */
const minifyTemplates = () => ({
  name: "minify-templates",
  transform(code, id) {
    if (!id.includes("/widgets/src/")) return null;
    let out = code;
    const quasis = htmlQuasis(this.parse(code)).sort((a, b) => b.start - a.start);
    for (const q of quasis) {
      // A quasi sits between "`" or "}" and "`" or "${": check before editing.
      if (!"`}".includes(out[q.start - 1]) || !"`$".includes(out[q.end]))
        this.error(`template positions do not match the source in ${id}`);
      const raw = out.slice(q.start, q.end);
      out = out.slice(0, q.start) + raw.replace(/\s*\n\s*/g, " ") + out.slice(q.end);
    }
    out = out.replace(/\bcss`([^`$\\]*)`/g, (_m, body) => `css\`${minifyCss(body)}\``);
    return out === code ? null : { code: out, map: null };
  },
});

/**
 * Browser builds under the "production" condition. Lit's default export condition already
 * is its production build (minified, no dev warnings); "development" must never be listed.
 */
const resolve = () => nodeResolve({ browser: true, exportConditions: ["production"] });

/** Fails the build if a development build (lit's `development/` files) was bundled. */
const productionOnly = () => ({
  name: "production-only",
  moduleParsed(info) {
    if (/[\\/]node_modules[\\/].*[\\/]development[\\/]/.test(info.id))
      this.error(`development build bundled: ${info.id}`);
  },
});

/**
 * The modules the event list really uses (after tree-shaking), found by a first build of
 * the list alone. They make the "shared" chunk: the list, the lightest and most embedded
 * element, then costs exactly two files, and every other element reuses that chunk. Rollup
 * places the remaining modules by which elements import them (the RSVP calls, the date
 * grid, the sanitizer…). A graph walk would not do: the client's index re-exports all.
 */
async function listModules() {
  const build = await rollup({
    input: "src/event-list/element.ts",
    plugins: [typescript(), resolve(), productionOnly()],
  });
  const { output } = await build.generate({ format: "es", inlineDynamicImports: true });
  await build.close();
  return new Set(
    Object.entries(output[0].modules)
      .filter(([, m]) => m.renderedLength > 0)
      .map(([id]) => id),
  );
}

/**
 * Every element in one file (src/index.ts, nothing shared), for pages holding four kinds
 * of elements or more: built first, its content-hashed name is given to the loader through
 * src/all-file.ts, and it is written beside the other files.
 */
const allInOne = () => {
  let file;
  return {
    name: "all-in-one",
    async buildStart() {
      const build = await rollup({ input: "src/index.ts", plugins: bundlePlugins() });
      const { output } = await build.generate({ format: "es" });
      await build.close();
      const code = output[0].code;
      const hash = BigInt(`0x${createHash("sha256").update(code).digest("hex").slice(0, 12)}`)
        .toString(36)
        .padStart(8, "0")
        .slice(0, 8);
      file = { fileName: `all-${hash}.js`, code };
    },
    load(id) {
      if (id.endsWith("/src/all-file.ts"))
        return `export const allFile = ${JSON.stringify(`./${file.fileName}`)};`;
      return null;
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: file.fileName, source: file.code });
    },
  };
};

const sha384 = (source) => `sha384-${createHash("sha384").update(source).digest("base64")}`;

/**
 * manifest.json: { file: sha384 }; elements.json: { loader, all: the all-in-one file,
 * elements: { element: entry file } }; eventail.js.
 */
const manifest = () => ({
  name: "manifest",
  buildStart() {
    rmSync(OUT, { recursive: true, force: true });
  },
  generateBundle(_options, bundle) {
    const loader = Object.values(bundle).find(
      (f) => f.type === "chunk" && f.isEntry && f.name === "eventail",
    );
    this.emitFile({ type: "asset", fileName: "eventail.js", source: loader.code });
    const hashes = { "eventail.js": sha384(loader.code) };
    const elements = {};
    const all = Object.keys(bundle).find((name) => name.startsWith("all-"));
    for (const file of Object.values(bundle)) {
      if (file.type === "asset" && file.fileName.startsWith("all-"))
        hashes[file.fileName] = sha384(file.source);
      if (file.type !== "chunk") continue;
      hashes[file.fileName] = sha384(file.code);
      if (file.isEntry && file.name !== "eventail") elements[`ev-${file.name}`] = file.fileName;
    }
    const sorted = Object.fromEntries(
      Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)),
    );
    this.emitFile({
      type: "asset",
      fileName: "manifest.json",
      source: `${JSON.stringify(sorted, null, 2)}\n`,
    });
    this.emitFile({
      type: "asset",
      fileName: "elements.json",
      source: `${JSON.stringify({ loader: loader.fileName, all, elements }, null, 2)}\n`,
    });
  },
});

/**
 * Everything but the output: TypeScript, template minifying, production resolution and
 * terser. The bench reuses it to tell where the event list's bytes are.
 */
export const bundlePlugins = () => [
  typescript(),
  minifyTemplates(),
  resolve(),
  productionOnly(),
  terser({
    module: true,
    ecma: 2022,
    compress: { passes: 2 },
    format: { comments: false },
  }),
];

const shared = await listModules();

export default {
  input: {
    eventail: "src/eventail.ts",
    "event-list": "src/event-list/element.ts",
    calendar: "src/calendar/element.ts",
    event: "src/event/element.ts",
    rsvp: "src/rsvp/element.ts",
    group: "src/group/element.ts",
  },
  // The list's entry may export what the other elements import from it (one file, no facade).
  preserveEntrySignatures: "allow-extension",
  output: {
    dir: OUT,
    format: "es",
    entryFileNames: "[name]-[hash].js",
    chunkFileNames: "[name]-[hash].js",
    manualChunks: (id) => (shared.has(id) ? "event-list" : undefined),
    hashCharacters: "base36",
  },
  plugins: [allInOne(), ...bundlePlugins(), manifest()],
};
