/**
 * Where email links land when the RSVP form was not embedded on an allowed site: a small
 * server page. GET only shows a button; the action happens on POST, so mail scanners that
 * prefetch links cannot confirm or cancel on the visitor's behalf.
 */
import { escapeXml as esc } from "@eventail/core";
import type { Hono } from "hono";
import type { Env } from "./env.ts";

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(title: string, body: string): Response {
  return new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.6em 1.2em;border-radius:.4em;border:0;background:#3b5bdb;color:#fff}</style><h1>${esc(title)}</h1>${body}</html>`,
    {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": CSP,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
    },
  );
}

export function rsvpPageRoutes(app: Hono<Env>): void {
  app.get("/rsvp", (c) => {
    const action = c.req.query("ev-action");
    const token = c.req.query("ev-token") ?? "";
    const event = c.req.query("event") ?? "";
    if ((action !== "confirm" && action !== "cancel") || !token)
      return page("Nothing to do", "<p>This link is incomplete.</p>");
    const label = action === "confirm" ? "Confirm my registration" : "Cancel my registration";
    return page(
      label,
      `<form method="post" action="/rsvp"><input type="hidden" name="action" value="${esc(action)}"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="event" value="${esc(event)}"><button type="submit">${esc(label)}</button></form>`,
    );
  });

  app.post("/rsvp", async (c) => {
    const s = c.get("services");
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token : "";
    const event =
      typeof form.event === "string" && /^[a-z0-9]{1,40}$/.test(form.event) ? form.event : null;
    const back = event ? `<p><a href="/events/${esc(event)}">Back to the event</a></p>` : "";
    try {
      const result =
        form.action === "cancel"
          ? await s.participations.cancel(token)
          : await s.participations.confirm(token);
      return page(
        result.state === "cancelled" ? "Registration cancelled" : "Thank you",
        `<p>${esc(result.message)}</p>${back}`,
      );
    } catch (err) {
      c.status(410);
      return page("This link no longer works", `<p>${esc((err as Error).message)}.</p>${back}`);
    }
  });

  // Development outbox: only on the demo instance without SMTP (it shows participants' emails).
  app.get("/dev/outbox", async (c) => {
    const s = c.get("services");
    if (s.mailer.kind !== "outbox" || !s.config.demo) return c.notFound();
    const mails = await s.repos.participations.outbox(50);
    const items = mails
      .map(
        (m) =>
          `<article><h2>${esc(m.subject)}</h2><p><small>To ${esc(m.recipient)} · ${new Date(m.created_at).toISOString()}</small></p><pre style="white-space:pre-wrap">${linkify(m.text)}</pre></article><hr>`,
      )
      .join("");
    return page(
      "Development outbox",
      `<p>Emails the server would have sent (no SMTP configured). Newest first.</p>${items || "<p>Empty.</p>"}`,
    );
  });
}

function linkify(text: string): string {
  return esc(text).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);
}
