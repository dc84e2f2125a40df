// custom-elements.json from the elements' JSDoc (@attr, @csspart, @cssproperty, @fires, @slot).
export default {
  globs: ["src/*/element.ts", "src/shared/base.ts"],
  exclude: ["src/**/*.test.ts"],
  outdir: "dist",
  litelement: true,
};
