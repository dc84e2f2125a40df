/**
 * "Follow from your fediverse account": the visitor's own instance is found by WebFinger
 * (RFC 7033) and its OStatus subscribe template (Mastodon's `authorize_interaction`, and
 * most others) opens on that instance with the group's handle. Nothing is fetched until
 * the visitor asks, and only from the instance they named.
 */
import { safeUrl } from "../shared/url.ts";

export const SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";

/** Where WebFinger lives for `host`; tests point it at a loopback server. */
export type WebfingerUrl = (host: string, resource: string) => string;

export const webfingerUrl: WebfingerUrl = (host, resource) =>
  `https://${host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;

/** "@ana@social.example", "ana@social.example" or "https://social.example/@ana". */
export function parseHandle(input: string): { user: string; host: string } | null {
  const s = input.trim();
  const url = /^https?:\/\/([^/\s]+)\/@([^/\s@]+)\/?$/i.exec(s);
  if (url) return { user: url[2]!, host: url[1]!.toLowerCase() };
  const acct = /^@?([^@\s/]+)@([a-z0-9.-]+\.[a-z0-9-]+|localhost|\[?[0-9a-f:.]+\]?)(:\d+)?$/i.exec(
    s,
  );
  return acct ? { user: acct[1]!, host: (acct[2]! + (acct[3] ?? "")).toLowerCase() } : null;
}

interface Jrd {
  links?: { rel?: string; template?: string }[];
}

/**
 * The URL that asks the visitor's instance to follow `target` ("group@events.example.org"),
 * or null when their instance announces no subscribe template.
 */
export async function subscribeUrl(
  handle: { user: string; host: string },
  target: string,
  where: WebfingerUrl = webfingerUrl,
  signal?: AbortSignal,
): Promise<string | null> {
  const res = await fetch(where(handle.host, `acct:${handle.user}@${handle.host}`), {
    credentials: "omit",
    headers: { accept: "application/jrd+json, application/json" },
    signal: signal ?? null,
  });
  if (!res.ok) return null;
  const jrd = (await res.json()) as Jrd;
  const template = jrd.links?.find(
    (l) => l.rel === SUBSCRIBE_REL && typeof l.template === "string",
  )?.template;
  if (!template?.includes("{uri}")) return null;
  return safeUrl(template.replace("{uri}", encodeURIComponent(target))) ?? null;
}
