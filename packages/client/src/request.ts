/** One call to the API, shared by the reads (client.ts) and the RSVP calls (rsvp.ts). */
import { ApiError, errorFromResponse } from "./errors.ts";

export interface RequestOptions {
  signal?: AbortSignal;
  /** Another fetch (tests, Eleventy's cached fetch); defaults to the global one. */
  fetch?: typeof fetch;
}

/** A server's base URL: "https://events.example.org" (a path prefix is kept). */
export type Base = string | URL;

const isAbort = (e: unknown) => (e as { name?: string } | null)?.name === "AbortError";

/**
 * One call to the API: JSON in and out, never with cookies, problems thrown as ApiError,
 * aborts rethrown as they are (so Lit's Task can ignore them).
 */
export async function request<T>(
  base: Base,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${String(base).replace(/\/+$/, "")}${path}`, {
      method,
      credentials: "omit",
      // Counts and RSVP states change with every visitor: revalidate (a 304 when nothing
      // changed) rather than show a copy the browser kept for up to 30 s.
      cache: "no-cache",
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({ status: 0, detail: "the server could not be reached", cause: e });
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({ status: 0, detail: "the server's answer is not JSON", cause: e });
  }
}
