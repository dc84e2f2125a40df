/**
 * Test-only server process for delivery-crash.test.ts: `eventail serve` as far as the API and
 * the federation queue go, but with Fedify allowed to deliver to loopback peers (the
 * test-only `allowPrivateAddress`, unreachable from the environment or the CLI), fast polling
 * and a short lease so a killed process's deliveries come back within the test's time.
 *
 * Environment: as `eventail serve` (EVENTAIL_DATA, DATABASE_URL, EVENTAIL_ORIGIN, PORT…),
 * plus DELIVERY_CRASH_LEASE_MS. Prints "ready" once listening.
 */
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { createServices } from "../src/services.ts";

const config = loadConfig({}, process.env);
const services = await createServices(config, createLogger("error"), {
  federation: {
    allowPrivateAddress: true,
    pollMs: 50,
    leaseMs: Number(process.env.DELIVERY_CRASH_LEASE_MS ?? 1000),
  },
  print: () => {},
});
const { app } = createApp(services);
const server = createServer(getRequestListener(app.fetch));
server.listen(config.port, "127.0.0.1", () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => {
  server.close();
  services.close().finally(() => process.exit(0));
});
