/**
 * The benchmark's yardstick: the smallest possible Hono app on @hono/node-server, answering
 * one fixed small JSON body. Whatever Eventail does on top of this (routing, middleware,
 * database, rendering) shows as the gap between its figures and this one's.
 *
 * Usage: node bench/reference-server.ts <port>
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const port = Number(process.argv[2] ?? 0);
const app = new Hono();
const body = { status: "ok", items: [{ id: "ref", title: "Reference" }] };
app.get("/", (c) => c.json(body));

const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`reference server is running on http://127.0.0.1:${info.port}/\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
