/**
 * Reporting from the public pages: each event, group and identity page links to a small
 * server-rendered form (`/report?event=ID` or `/report?actor=HANDLE`) that works without
 * JavaScript. A visitor picks a category, says what is wrong and may leave an email for the
 * moderators (never shown publicly; erased `purgeDays` after the report is resolved).
 *
 * Brakes, since anyone may post: the POST must come from our own origin (Origin, or
 * Sec-Fetch-Site when a browser sends no Origin), each client address may send
 * `EVENTAIL_REPORT_LIMIT` reports an hour, and a honeypot field catches naive bots (they
 * are thanked, nothing is stored). No proof of work: it would need JavaScript.
 */
import { DomainError, emailSchema, escapeXml as esc } from "@eventail/core";
import type { Context, Hono } from "hono";
import { REPORT_CATEGORIES, type ReportCategory } from "../domain/reports.ts";
import { clientAddress } from "./client-address.ts";
import type { Env } from "./env.ts";
import { layout } from "./pages.ts";

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const HOUR = 3_600_000;
const EVENT_ID = /^[A-Za-z0-9]{1,40}$/;
const HANDLE = /^[a-z0-9_]{1,30}$/;

const CATEGORY_LABELS: Record<ReportCategory, string> = {
  spam: "Spam or advertising",
  abuse: "Harassment, hate or violence",
  illegal: "Illegal content",
  other: "Something else",
};

type Kind = "event" | "identity" | "group";
interface Target {
  kind: Kind;
  id: string;
  label: string;
}
interface Values {
  category: string;
  reason: string;
  email: string;
}

async function page(
  c: Context<Env>,
  status: number,
  title: string,
  body: string,
): Promise<Response> {
  const s = c.get("services");
  const settings = await s.settings.get();
  return new Response(
    layout({
      title: `${title} · ${settings.name}`,
      site: settings.name,
      origin: s.config.origin,
      head: `<meta name="robots" content="noindex"><style>.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
form p{margin:.8rem 0} label{font-weight:600} textarea,input[type=email]{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.4em;margin-top:.2em}
fieldset{border:1px solid #8886;border-radius:.4rem} fieldset label{font-weight:400} button{font:inherit;padding:.6em 1.2em;border-radius:.4em;border:0;background:#3b5bdb;color:#fff}
.error{color:#a61e1e} @media (prefers-color-scheme:dark){.error{color:#ffa8a8}}</style>`,
      body: `<h1>${esc(title)}</h1>\n${body}`,
    }),
    {
      status,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": CSP,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
    },
  );
}

/** The target named by the query (`event=` or `actor=`), or null when it is malformed. */
async function targetOf(
  c: Context<Env>,
  event: unknown,
  actor: unknown,
): Promise<Target | null | "missing"> {
  const s = c.get("services");
  let kind: Kind;
  let id: string;
  if (typeof event === "string" && EVENT_ID.test(event)) {
    kind = "event";
    id = event;
  } else if (typeof actor === "string" && HANDLE.test(actor)) {
    kind = (await s.repos.actors.handleKind(actor)) === "group" ? "group" : "identity";
    id = actor;
  } else return null;
  try {
    return { kind, id, label: await s.reports.label(kind, id) };
  } catch (err) {
    if (err instanceof DomainError && err.kind === "not_found") return "missing";
    throw err;
  }
}

function form(target: Target, values: Values, errors: Record<string, string> = {}): string {
  const field = target.kind === "event" ? "event" : "actor";
  const error = (name: string) =>
    errors[name] ? `<span class="error" id="${name}-error">${esc(errors[name])}</span>` : "";
  const described = (name: string) => (errors[name] ? ` aria-describedby="${name}-error"` : "");
  const summary = Object.keys(errors).length
    ? `<div role="alert" class="error"><p>Please correct the fields below.</p></div>`
    : "";
  const radios = REPORT_CATEGORIES.map(
    (k) =>
      `<label><input type="radio" name="category" value="${k}"${values.category === k ? " checked" : ""} required> ${esc(CATEGORY_LABELS[k])}</label><br>`,
  ).join("\n");
  return `${summary}<form method="post" action="/report">
<input type="hidden" name="${field}" value="${esc(target.id)}">
<fieldset${described("category")}><legend>What is wrong?</legend>
${radios}
${error("category")}</fieldset>
<p><label for="reason">Details for the moderators</label>
<textarea id="reason" name="reason" rows="6" maxlength="2000" required${described("reason")}>${esc(values.reason)}</textarea>
${error("reason")}</p>
<p><label for="email">Your email (optional)</label>
<input id="email" name="email" type="email" maxlength="254" autocomplete="email" value="${esc(values.email)}"${described("email")}>
${error("email")}
<span class="meta">Only the moderators see it, if they need to ask you more. It is never shown publicly and is erased some time after the report is handled.</span></p>
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<p><button type="submit">Send the report</button></p>
</form>`;
}

function intro(target: Target): string {
  const what =
    target.kind === "event" ? "the event" : target.kind === "group" ? "the group" : "the profile";
  const href = target.kind === "event" ? `/events/${target.id}` : `/@${target.id}`;
  return `<p>You are reporting ${what} <a href="${esc(href)}">${esc(target.label)}</a> to the moderators of this instance. The organizers do not see who reports.</p>`;
}

/** Whether a form POST comes from a page of ours (no cross-site form can file reports). */
function sameOrigin(c: Context<Env>): boolean {
  const origin = c.req.header("origin");
  const own = new URL(c.req.url).origin;
  if (origin) return origin === own || origin === c.get("services").config.origin;
  const site = c.req.header("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

export function reportPageRoutes(app: Hono<Env>): void {
  app.get("/report", async (c) => {
    const target = await targetOf(c, c.req.query("event"), c.req.query("actor"));
    if (target === null)
      return page(c, 400, "Nothing to report", "<p>This link is incomplete.</p>");
    if (target === "missing")
      return page(c, 404, "Not found", "<p>There is nothing here to report.</p>");
    return page(
      c,
      200,
      `Report “${target.label}”`,
      intro(target) + form(target, { category: "", reason: "", email: "" }),
    );
  });

  app.post("/report", async (c) => {
    const s = c.get("services");
    if (!sameOrigin(c))
      return page(
        c,
        403,
        "Report refused",
        "<p>Reports are sent from this instance's own pages only.</p>",
      );
    const wait = s.limiter.hit(
      `report-ip:${clientAddress(c, s.config.trustProxy)}`,
      s.config.reportLimit,
      HOUR,
    );
    if (wait > 0) {
      const res = await page(
        c,
        429,
        "Too many reports",
        `<p>Too many reports from your connection: please try again in ${Math.ceil(wait / 60)} minute(s).</p>`,
      );
      res.headers.set("retry-after", String(wait));
      return res;
    }
    const body = await c.req.parseBody();
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    const target = await targetOf(c, body.event, body.actor);
    if (target === null)
      return page(c, 400, "Nothing to report", "<p>The form was incomplete.</p>");
    if (target === "missing")
      return page(c, 404, "Not found", "<p>There is nothing here to report.</p>");
    const thanks = () =>
      page(
        c,
        200,
        "Thank you",
        `<p>Your report reached the moderators of this instance.</p><p><a href="${esc(target.kind === "event" ? `/events/${target.id}` : `/@${target.id}`)}">Back</a></p>`,
      );
    // A bot filled the honeypot: thanked like anyone, nothing stored.
    if (str(body.website)) return thanks();

    const values: Values = {
      category: str(body.category),
      reason: str(body.reason).trim(),
      email: str(body.email).trim(),
    };
    const errors: Record<string, string> = {};
    if (!(REPORT_CATEGORIES as readonly string[]).includes(values.category))
      errors.category = "Choose what is wrong.";
    if (!values.reason) errors.reason = "Say what is wrong.";
    else if (values.reason.length > 2000) errors.reason = "At most 2000 characters.";
    let email: string | null = null;
    if (values.email) {
      const parsed = emailSchema.safeParse(values.email);
      if (parsed.success) email = parsed.data;
      else errors.email = "This is not an email address.";
    }
    if (Object.keys(errors).length)
      return page(c, 422, `Report “${target.label}”`, intro(target) + form(target, values, errors));
    await s.reports.reportPublic({
      kind: target.kind,
      id: target.id,
      category: values.category as ReportCategory,
      reason: values.reason,
      email,
    });
    return thanks();
  });
}
