/**
 * The file holding every element at once, relative to the loader: set by the standalone
 * build (rollup.config.js); unset in the npm build and in development, where the loader
 * always loads elements one by one.
 */
export const allFile: string | undefined = undefined;
