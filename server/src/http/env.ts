import type { Account } from "@eventail/core";
import type { Services } from "../services.ts";

/** Hono context variables set by the middleware in app.ts. */
export interface Env {
  Variables: {
    services: Services;
    /** The signed-in account (session cookie or bearer token), or null. */
    account: Account | null;
    authKind: "session" | "token" | null;
  };
}
