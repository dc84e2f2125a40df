/**
 * The widget playground (/playground): pick an element, set its attributes and theme
 * properties, see it live, copy the snippet. Built from the widgets' own custom-elements
 * manifest, so every documented attribute and CSS property appears without a second list.
 *
 * The page works as a plain GET form (the server renders preview and snippet); a small
 * inline script, allowed by its hash, only re-submits on change and copies the snippet.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { escapeXml as esc, widgetElementHtml, widgetSnippet } from "@eventail/core";
import type { Hono } from "hono";
import type { Env } from "./env.ts";
import { layout } from "./pages.ts";
import { defaultWidgetsDir } from "./widgets.ts";

interface AttributeSpec {
  name: string;
  description: string;
  /** "string", "number", "boolean", or the choices of a union of string literals. */
  type: "string" | "number" | "boolean" | string[];
}

interface PropertySpec {
  name: string;
  description: string;
  default: string;
}

export interface ElementSpec {
  tag: string;
  summary: string;
  attributes: AttributeSpec[];
  properties: PropertySpec[];
}

/** Attributes the playground fills in itself rather than offering as fields. */
const FIXED = new Set(["src"]);

function attributeType(text: string | undefined): AttributeSpec["type"] {
  const t = (text ?? "string").replace(/\s/g, "");
  if (t === "boolean" || t === "number") return t;
  const choices = t.split("|");
  if (choices.length > 1 && choices.every((c) => /^"[^"]*"$/.test(c)))
    return choices.map((c) => c.slice(1, -1));
  return "string";
}

/** The elements of a custom-elements manifest (schema 1.0), in the order it lists them. */
export function elementSpecs(manifest: unknown): ElementSpec[] {
  // biome-ignore lint/suspicious/noExplicitAny: the manifest is read defensively field by field
  const modules: any[] = (manifest as { modules?: unknown[] })?.modules ?? [];
  const specs: ElementSpec[] = [];
  for (const mod of modules)
    for (const d of mod?.declarations ?? []) {
      if (typeof d?.tagName !== "string" || !d.tagName.startsWith("ev-")) continue;
      specs.push({
        tag: d.tagName,
        summary: String(d.summary ?? d.description ?? "").split("\n")[0] ?? "",
        attributes: (d.attributes ?? [])
          .filter((a: { name?: unknown }) => typeof a.name === "string" && !FIXED.has(a.name))
          .map((a: { name: string; description?: string; type?: { text?: string } }) => ({
            name: a.name,
            description: a.description ?? "",
            type: attributeType(a.type?.text),
          })),
        properties: (d.cssProperties ?? [])
          .filter((p: { name?: unknown }) => typeof p.name === "string")
          .map((p: { name: string; description?: string; default?: string }) => ({
            name: p.name,
            description: p.description ?? "",
            default: p.default ?? "",
          })),
      });
    }
  return specs.sort((a, b) => ORDER.indexOf(a.tag) - ORDER.indexOf(b.tag));
}
const ORDER = ["ev-event-list", "ev-calendar", "ev-event", "ev-rsvp", "ev-group"];

/** Reads a build's manifest once; null while the widgets are not built (tried again later). */
const specsCache = new Map<string, Promise<ElementSpec[] | null>>();
function loadSpecs(dir: string): Promise<ElementSpec[] | null> {
  let specs = specsCache.get(dir);
  if (!specs) {
    specs = readFile(join(dir, "..", "custom-elements.json"), "utf8").then(
      (text) => elementSpecs(JSON.parse(text)),
      () => {
        specsCache.delete(dir);
        return null;
      },
    );
    specsCache.set(dir, specs);
  }
  return specs;
}

/** Re-submits the form when a field changes; copies the snippet. Allowed by its hash. */
const SCRIPT = `const f=document.getElementById("pg");
f.addEventListener("change",()=>f.requestSubmit());
document.getElementById("copy").addEventListener("click",async(e)=>{
const t=document.getElementById("snippet").textContent;
try{await navigator.clipboard.writeText(t);e.target.textContent="Copied"}
catch{getSelection().selectAllChildren(document.getElementById("snippet"));e.target.textContent="Press Ctrl+C"}});`;
const SCRIPT_HASH = `sha256-${createHash("sha256").update(SCRIPT).digest("base64")}`;
/** The preview runs the widgets from this origin and reads the API from it; nothing else. */
const CSP = `default-src 'none'; script-src 'self' '${SCRIPT_HASH}'; connect-src 'self'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

const STYLE = `<style>
form.pg{display:grid;gap:1rem} fieldset{border:1px solid #8884;border-radius:.5rem;display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.4rem .8rem;align-items:center}
fieldset legend{font-weight:600} fieldset small{grid-column:2;color:#777;margin-top:-.3rem}
input,select{font:inherit;padding:.2rem .4rem;max-width:100%} input[type=color]{padding:0;width:3rem;height:2rem}
.preview{border:2px dashed #8886;border-radius:.5rem;padding:1rem;margin:1rem 0;overflow:auto}
pre{background:#8881;padding:1rem;border-radius:.5rem;overflow:auto;white-space:pre-wrap}
</style>`;

function field(id: string, label: string, input: string, help: string): string {
  return `<label for="${esc(id)}">${esc(label)}</label>${input}${help ? `<small>${esc(help)}</small>` : ""}`;
}

function attributeInput(a: AttributeSpec, value: string | undefined): string {
  const id = `a-${a.name}`;
  const name = `a.${a.name}`;
  if (a.type === "boolean")
    return `<input type="checkbox" id="${id}" name="${name}" value="1"${value ? " checked" : ""}>`;
  if (Array.isArray(a.type))
    return `<select id="${id}" name="${name}"><option value="">(default)</option>${a.type
      .map((c) => `<option${c === value ? " selected" : ""}>${esc(c)}</option>`)
      .join("")}</select>`;
  return `<input id="${id}" name="${name}" ${a.type === "number" ? 'type="number"' : 'type="text"'} value="${esc(value ?? "")}" maxlength="200">`;
}

const HEX = /^#[0-9a-f]{6}$/i;

/** The light-scheme colour of a default such as "#0a57c2 / #7fb2ff" or "#fff", as #rrggbb. */
export function defaultColour(value: string): string | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})\b/i.exec(value.trim());
  if (!m) return null;
  const hex = m[1]!;
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex}`.toLowerCase();
}

function propertyInput(p: PropertySpec, value: string | undefined): string {
  const id = `p-${p.name}`;
  const name = `p.${p.name}`;
  // A colour picker when the default is a colour; text otherwise.
  const colour = defaultColour(p.default);
  if (colour)
    return `<input type="color" id="${id}" name="${name}" value="${esc(value && HEX.test(value) ? value : colour)}">`;
  return `<input id="${id}" name="${name}" type="text" value="${esc(value ?? "")}" placeholder="${esc(p.default)}" maxlength="200">`;
}

export function playgroundRoutes(app: Hono<Env>, dir = defaultWidgetsDir()): void {
  app.get("/playground", async (c) => {
    const s = c.get("services");
    const origin = s.config.origin;
    const settings = await s.settings.get();
    const specs = await loadSpecs(dir);
    const page = (body: string) => {
      const res = c.html(
        layout({
          title: `Widget playground · ${settings.name}`,
          site: settings.name,
          origin,
          head: STYLE,
          body,
        }),
      );
      res.headers.set("content-security-policy", CSP);
      res.headers.set("cache-control", "no-store");
      return res;
    };
    if (!specs?.length)
      return page(
        `<h1>Widget playground</h1><p>The widgets are not built yet: run <code>npm run build</code> at the repository root, then reload.</p>`,
      );

    const query = new URL(c.req.url).searchParams;
    const spec = specs.find((e) => e.tag === query.get("element")) ?? specs[0]!;
    // The form carries the element it was built for: switching elements starts from defaults.
    const submitted = query.get("for") === spec.tag;
    // Sensible first values: this instance's first group and next public event.
    const defaults: Record<string, string> = {};
    const upcoming = await s.events.toJson((await s.events.list({ limit: 1 })).items);
    if (upcoming[0]) defaults["event-id"] = upcoming[0].id;
    const group = upcoming[0]?.group?.handle ?? "";
    if (group && !group.includes("@")) defaults.handle = group;
    if (spec.tag === "ev-event-list") defaults.limit = "3";

    const attributes: Record<string, string | boolean> = { src: origin };
    for (const a of spec.attributes) {
      const given = query.get(`a.${a.name}`);
      const value = submitted ? (given ?? "") : (defaults[a.name] ?? "");
      if (a.type === "boolean") attributes[a.name] = value === "1";
      else if (!Array.isArray(a.type) || a.type.includes(value))
        attributes[a.name] = value.slice(0, 200);
    }
    const properties: Record<string, string> = {};
    for (const p of spec.properties) {
      const given = query.get(`p.${p.name}`)?.slice(0, 200);
      // Unchanged values stay out of the snippet, so it shows only what was chosen.
      if (given && given !== p.default && given.toLowerCase() !== defaultColour(p.default))
        properties[p.name] = given;
    }
    const snippet = widgetSnippet({
      scriptUrl: `${origin}/widgets/eventail.js`,
      element: spec.tag,
      attributes,
      cssProperties: properties,
    });

    const body = `<h1>Widget playground</h1>
<p>Choose an element, change its attributes and colours, then copy the snippet into any page: a WordPress “Custom HTML” block, a static site, plain HTML. Everything it loads comes from this instance.</p>
<h2>Preview</h2>
<div class="preview">${widgetElementHtml(spec.tag, attributes, properties)}</div>
<h2>Snippet</h2>
<pre><code id="snippet">${esc(snippet)}</code></pre>
<p><button type="button" id="copy">Copy the snippet</button></p>
<form id="pg" class="pg" method="get" action="/playground">
<input type="hidden" name="for" value="${esc(spec.tag)}">
<fieldset><legend>Element</legend>
${field("element", "Element", `<select id="element" name="element">${specs.map((e) => `<option${e.tag === spec.tag ? " selected" : ""}>${esc(e.tag)}</option>`).join("")}</select>`, spec.summary)}
</fieldset>
<fieldset><legend>Attributes</legend>
${spec.attributes.map((a) => field(`a-${a.name}`, a.name, attributeInput(a, attributes[a.name] === true ? "1" : String(attributes[a.name] || "")), a.description)).join("\n")}
</fieldset>
<fieldset><legend>Theme (CSS custom properties)</legend>
${spec.properties.map((p) => field(`p-${p.name}`, p.name, propertyInput(p, properties[p.name]), p.description)).join("\n")}
</fieldset>
<p><button type="submit">Update the preview</button> <a href="/playground?element=${esc(spec.tag)}">Reset</a></p>
</form>
<p class="meta">Every attribute, part and event of each element: docs/embedding.md in the Eventail repository.</p>
<script type="module" src="/widgets/eventail.js"></script>
<script>${SCRIPT}</script>`;
    return page(body);
  });
}
