/** Adds the widgets script to every HTML page that holds an `ev-` element (dev and build). */

import { config } from "virtual:eventail/config";
import { insertWidgetsScript } from "@eventail/sources";
import type { MiddlewareHandler } from "astro";

export const onRequest: MiddlewareHandler = async (_context, next) => {
  const response = await next();
  const script = config.widgetsScript;
  if (!script || !response.headers.get("content-type")?.includes("text/html")) return response;
  const html = await response.text();
  return new Response(insertWidgetsScript(html, script), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};
