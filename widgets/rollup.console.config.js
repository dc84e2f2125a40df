/**
 * The console bundle (dist/console): the HTML shell, its stylesheet, `console.js` (stable
 * name, short cache) and content-hashed chunks. Served by the server at /console; Lit is
 * bundled, so the console makes no request outside its own server.
 */
import { readFileSync, rmSync } from "node:fs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import { transform } from "esbuild";

const OUT = "dist/console";

const typescript = () => ({
  name: "typescript",
  async transform(code, id) {
    if (!id.endsWith(".ts")) return null;
    const out = await transform(code, { loader: "ts", target: "es2022", sourcefile: id });
    return { code: out.code, map: null };
  },
});

/** The shell and its stylesheet, copied beside the script. */
const shell = () => ({
  name: "console-shell",
  buildStart() {
    rmSync(OUT, { recursive: true, force: true });
  },
  generateBundle() {
    for (const file of ["index.html", "console.css"])
      this.emitFile({
        type: "asset",
        fileName: file,
        source: readFileSync(`src/console/${file}`, "utf8"),
      });
  },
});

export default {
  input: { console: "src/console/app.ts" },
  output: {
    dir: OUT,
    format: "es",
    entryFileNames: "[name].js",
    chunkFileNames: "[name]-[hash].js",
    hashCharacters: "base36",
  },
  plugins: [
    typescript(),
    nodeResolve({ browser: true }),
    terser({ module: true, ecma: 2022, format: { comments: false } }),
    shell(),
  ],
};
