/**
 * The instance under soak (a child process of bench/soak.ts): SQLite in a temporary data
 * directory, SMTP to the driver's sink, loopback peers allowed (the driver plays a remote
 * instance on 127.0.0.2). Seeds a group with 40 events, then prints
 * `ready <origin> <event ids>` and, every 5 s, `heap <bytes>` (after a full GC) for the driver.
 *
 * Usage: node bench/soak-server.ts <data dir> <smtp port>
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "../server/src/app.ts";
import { loadConfig } from "../server/src/config.ts";
import { createLogger } from "../server/src/log.ts";
import { createServices } from "../server/src/services.ts";

const [dir, smtpPort] = process.argv.slice(2);
if (!dir || !smtpPort) throw new Error("usage: soak-server.ts <data dir> <smtp port>");

const server = createServer();
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const services = await createServices(
  loadConfig(
    {},
    {
      EVENTAIL_DATA: dir,
      EVENTAIL_ORIGIN: origin,
      EVENTAIL_EMBED_ORIGINS: "http://site.soak",
      EVENTAIL_RSVP_LIMIT: "0",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: smtpPort,
      SMTP_FROM: "Eventail <noreply@soak.test>",
    },
  ),
  createLogger("error"),
  { federation: { allowPrivateAddress: true, pollMs: 200 } },
);
server.on("request", getRequestListener(createApp(services).app.fetch));

const { identity } = await services.accounts.create({
  email: "soak@example.test",
  password: "soak-password-2026",
  handle: "organizer",
  name: "Organizer",
  role: "user",
  state: "active",
});
const group = await services.groups.create(identity, { handle: "climate", name: "Climate" });
const ids: string[] = [];
for (let i = 0; i < 40; i++) {
  const e = await services.events.create(identity, {
    title: `Soak event ${i}`,
    description: "<p>Repair café, <strong>bring</strong> your bike.</p>",
    beginsAt: new Date(Date.now() + (i + 2) * 86_400_000),
    endsAt: new Date(Date.now() + (i + 2) * 86_400_000 + 7_200_000),
    timezone: "Europe/Paris",
    groupId: group.id,
    capacity: 100_000,
  } as never);
  ids.push(e.id);
}
console.log(`ready ${origin} ${ids.join(",")}`);
// Live heap after a full collection (the driver starts us with --expose-gc): what is really
// retained, not garbage V8 has not collected yet.
const gc = (globalThis as { gc?: () => void }).gc;
setInterval(() => {
  gc?.();
  console.log(`heap ${process.memoryUsage().heapUsed}`);
}, 5000).unref();
process.on("SIGTERM", async () => {
  await services.close();
  process.exit(0);
});
