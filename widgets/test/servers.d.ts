/** Types of servers.js for the Node-side tests (the console's browser journeys). */
export function startEventail(
  extraEnv?: Record<string, string>,
): Promise<{ url: string; close(): Promise<void> }>;
export function startMailSink(): Promise<{
  port: number;
  mails: { to: string; text: string }[];
  close(): Promise<void>;
}>;
export function eventailServers(): unknown;
