import { executeServerCommand } from "@web/test-runner-commands";

/** Emulates the browser's own time zone (undefined: back to the machine's). */
export const emulateTimezone = (timezone?: string): Promise<unknown> =>
  executeServerCommand("emulate-timezone", { timezone });
