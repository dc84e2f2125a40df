import { executeServerCommand } from "@web/test-runner-commands";

/** Emulates the browser's own time zone (undefined: back to the machine's). */
export const emulateTimezone = (timezone?: string): Promise<unknown> =>
  executeServerCommand("emulate-timezone", { timezone });

/** The newest email the real Eventail server sent to `to` (decoded text), or null. */
export const readMail = (to: string): Promise<string | null> =>
  executeServerCommand("read-mail", { to }) as Promise<string | null>;
