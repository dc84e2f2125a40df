/** The widgets' theme tokens (a plain stylesheet string, see shared/styles.ts) as a Lit style. */
import { unsafeCSS } from "lit";
import { base } from "../shared/styles.ts";

export const themeStyles = unsafeCSS(base);
