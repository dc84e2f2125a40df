/**
 * RFC 9457 problem details: every API error leaves through here, once mapped from the
 * domain's typed errors. Unknown errors become a 500 without internals.
 */
import { DomainError, type DomainErrorKind, type FieldIssue } from "@eventail/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { Logger } from "../log.ts";

const STATUS: Record<DomainErrorKind, number> = {
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  504: "Gateway Timeout",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldIssue[];
}

export function problemResponse(
  status: number,
  detail: string,
  errors?: FieldIssue[],
  instance?: string,
): Response {
  const body: Problem = {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...(errors?.length ? { errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

export function zodIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  const path = (...parts: (string | number | symbol)[]) =>
    [prefix, ...parts.map(String)].filter(Boolean).join(".");
  // An unknown field is named by its own path, one issue per field, so clients can point at it.
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ path: path(...i.path, key), message: "unknown field" }))
      : [{ path: path(...i.path), message: i.message }],
  );
}

export function errorHandler(log: Logger) {
  return (err: Error, c: Context): Response => {
    const instance = new URL(c.req.url).pathname;
    if (err instanceof DomainError) {
      // Pages and feeds answer people and calendar apps, not API clients.
      if (!instance.startsWith("/api/") && err.kind === "not_found") return notFoundPage();
      return problemResponse(STATUS[err.kind], err.message, err.issues, instance);
    }
    if (err instanceof z.ZodError)
      return problemResponse(422, "the request is not valid", zodIssues(err), instance);
    if (err instanceof HTTPException) {
      const status = err.status;
      return problemResponse(status, err.message || TITLES[status] || "error", undefined, instance);
    }
    log.error("unhandled error", {
      path: instance,
      method: c.req.method,
      error: String(err?.stack ?? err),
    });
    return problemResponse(
      500,
      "something went wrong on our side; it has been logged",
      undefined,
      instance,
    );
  };
}

export function notFoundPage(): Response {
  return new Response(
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title><h1>Not found</h1><p>This page does not exist, or is not public.</p><p><a href="/">Upcoming events</a></p></html>',
    { status: 404, headers: { "content-type": "text/html; charset=utf-8" } },
  );
}
