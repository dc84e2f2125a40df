/**
 * The real client address, for rate limits. X-Forwarded-For is only believed for as many
 * hops as the admin says proxies sit in front of us; otherwise anyone could claim any
 * address by sending the header (a peer's rate limit was bypassed exactly so).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { Env } from "./env.ts";

export function clientAddress(c: Context<Env>, trustProxy: number): string {
  let peer = "unknown";
  try {
    peer = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // Not running on Node's HTTP server (in-process tests): no peer to read.
  }
  if (trustProxy <= 0) return peer;
  const chain = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Each trusted proxy appended the address it saw; the one added by the outermost
  // trusted proxy is `trustProxy` entries from the end.
  return chain[chain.length - trustProxy] ?? peer;
}
