/**
 * Outbound HTTP for sources, with the guards a build-time fetch of someone else's URL needs:
 * http(s) only, a deadline, a body size limit (after decompression), and no private or
 * loopback addresses unless `allowPrivateNetwork` is set. The address check runs inside the
 * socket's DNS lookup, so a name cannot resolve to a public address when checked and to a
 * private one when connected (DNS rebinding); every redirect hop is checked again.
 */
import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { isPrivateAddress } from "./network-policy.ts";

export interface NetworkOptions {
  /** Allow loopback and private addresses (tests, intranet calendars). Default false. */
  allowPrivateNetwork?: boolean;
  /** Whole-request deadline in milliseconds, redirects included. Default 15 s. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes after decompression. Default 5 MB. */
  maxBytes?: number;
}

export interface SafeRequest extends NetworkOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface SafeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Final URL after redirects. */
  url: string;
}

/** Why a request never left or was cut short; `refused` ones are not worth retrying. */
export class FetchFailure extends Error {
  readonly refused: boolean;
  constructor(message: string, refused: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = "FetchFailure";
    this.refused = refused;
  }
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad || list.length === 0) {
        const refusal = new FetchFailure(
          `${hostname} resolves to a private or loopback address (${bad?.address ?? "none"}); set allowPrivateNetwork to allow it`,
          true,
        ) as Error as NodeJS.ErrnoException;
        return callback(refusal, "");
      }
      if (options.all) return callback(null, list);
      const first = list[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchFailure(`not a URL: ${raw}`, true);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new FetchFailure(`only http and https URLs are fetched, not ${url.protocol}`, true);
  if (url.username || url.password)
    throw new FetchFailure("URLs with credentials are not fetched", true);
  // Literal IPs skip DNS, so the lookup hook never sees them: check them here.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !allowPrivate && isPrivateAddress(host))
    throw new FetchFailure(
      `${host} is a private or loopback address; set allowPrivateNetwork to allow it`,
      true,
    );
  return url;
}

function decoded(res: IncomingMessage): Readable {
  switch (String(res.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return res.pipe(createGunzip());
    case "deflate":
      return res.pipe(createInflate());
    case "br":
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

function once(url: URL, req: SafeRequest, deadline: AbortSignal): Promise<SafeResponse> {
  const allowPrivate = req.allowPrivateNetwork ?? false;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method ?? "GET",
        headers: {
          "accept-encoding": "gzip, deflate, br",
          "user-agent": "Eventail-sources/0.1 (+static site import)",
          ...req.headers,
          ...(req.body !== undefined ? { "content-length": Buffer.byteLength(req.body) } : {}),
        },
        lookup: guardedLookup(allowPrivate) as never,
        signal: deadline,
      },
      (res) => {
        const declared = Number(res.headers["content-length"] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return reject(
            new FetchFailure(`response of ${declared} bytes exceeds ${maxBytes}`, true),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const body = decoded(res);
        body.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            body.destroy();
            res.destroy();
            reject(new FetchFailure(`response exceeds ${maxBytes} bytes`, true));
            return;
          }
          chunks.push(chunk);
        });
        body.on("error", (e) => reject(new FetchFailure(e.message, false, e)));
        body.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            url: url.href,
          }),
        );
      },
    );
    r.on("error", (e) => {
      const refusal = e instanceof FetchFailure ? e : (e.cause as unknown);
      if (refusal instanceof FetchFailure) return reject(refusal);
      if (deadline.aborted)
        return reject(new FetchFailure(`no answer within the time limit`, false, e));
      reject(new FetchFailure(e.message, false, e));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** One request with the guards above; follows up to 5 redirects, re-checking each target. */
export async function safeFetch(rawUrl: string, req: SafeRequest = {}): Promise<SafeResponse> {
  const allowPrivate = req.allowPrivateNetwork ?? false;
  const deadline = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let url = checkUrl(rawUrl, allowPrivate);
  let current = req;
  for (let hop = 0; ; hop++) {
    const res = await once(url, current, deadline);
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
    if (hop >= MAX_REDIRECTS) throw new FetchFailure(`more than ${MAX_REDIRECTS} redirects`, true);
    url = checkUrl(new URL(String(location), url).href, allowPrivate);
    // 303, and 301/302 after a POST, continue as GET without a body (what browsers do).
    if (res.status === 303 || (current.method === "POST" && res.status <= 302)) {
      const { body: _body, ...rest } = current;
      current = { ...rest, method: "GET" };
    }
  }
}
