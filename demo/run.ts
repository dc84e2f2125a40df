/**
 * `npm run demo`: both instances and the three example sites on loopback, then every URL a
 * newcomer needs. Data lives in .demo/ (delete it to start over). Ports: DEMO_PORTS, e.g.
 * "8080,8090,4321,4322,4323" (first instance, second instance, Astro, Eleventy, HTML).
 */
import { join } from "node:path";
import {
  DEFAULT_PORTS,
  type DemoPorts,
  FIRST_LOGIN,
  ROOT,
  SECOND_LOGIN,
  startDemo,
} from "./lib/demo.ts";

function ports(): DemoPorts {
  const given = process.env.DEMO_PORTS?.split(",").map(Number);
  if (!given) return DEFAULT_PORTS;
  if (given.length !== 5 || given.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new Error(
      `DEMO_PORTS must be five ports separated by commas, got "${process.env.DEMO_PORTS}"`,
    );
  const [first, second, astro, eleventy, html] = given as [number, number, number, number, number];
  return { first, second, astro, eleventy, html };
}

try {
  const demo = await startDemo({ dataDir: join(ROOT, ".demo"), ports: ports() });
  const lines = [
    "",
    "  The Eventail demo is running.",
    "",
    `  Demo instance       ${demo.first}/`,
    `    console           ${demo.first}/console   (organize events, approve RSVPs, run the instance)`,
    `    widget playground ${demo.first}/playground`,
    `    dev outbox        ${demo.first}/dev/outbox   (the emails it would send: confirm RSVPs here)`,
    `    login             ${FIRST_LOGIN.email} / ${FIRST_LOGIN.password}`,
    `  Second instance     ${demo.second}/   (follows the first: its events appear here)`,
    `    login             ${SECOND_LOGIN.email} / ${SECOND_LOGIN.password}`,
    "",
    "  Example sites of Climate Action Lyon:",
    `    Astro             ${demo.sites.astro}/`,
    `    Eleventy          ${demo.sites.eleventy}/`,
    `    plain HTML        ${demo.sites.html}/`,
    "",
    "  Press Ctrl+C to stop. Data is kept in .demo/ (delete it to start over).",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = () => {
    demo.stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (err) {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
