/**
 * The HTML of an embedded widget and the copy-paste snippet around it. One writer for the
 * server's playground, the console's embed helper and the Eleventy shortcode, so a snippet
 * looks the same wherever an organizer copies it from.
 */
import { escapeXml } from "./text.ts";

export type WidgetAttributes = Record<string, string | number | boolean | null | undefined>;

const TAG = /^ev-[a-z][a-z0-9-]*$/;
const ATTRIBUTE = /^[a-z][a-z0-9-]*$/;
const CUSTOM_PROPERTY = /^--[a-z0-9-]+$/;
/** A CSS value that cannot close its declaration, block or element. */
const CSS_VALUE = /^[^;{}<>\\]{1,200}$/;

/** `ev-event-list` from `event-list` or `ev-event-list`; anything else is refused. */
export function widgetTag(name: string): string {
  const tag = name.startsWith("ev-") ? name : `ev-${name}`;
  if (!TAG.test(tag)) throw new TypeError(`"${name}" is not a widget element name`);
  return tag;
}

/** The custom properties that are safe to write, as `name: value` pairs. */
export function widgetStyle(
  properties: Record<string, string | undefined> = {},
): [string, string][] {
  return Object.entries(properties)
    .map(([k, v]) => [k, (v ?? "").trim()] as [string, string])
    .filter(([k, v]) => CUSTOM_PROPERTY.test(k) && CSS_VALUE.test(v));
}

/**
 * `<ev-… a="…"></ev-…>`: attributes escaped; `true` is a bare attribute; false, null,
 * undefined and "" are left out; names that are not plain attribute names are dropped.
 * `style` puts custom properties inline (a preview); snippets use a <style> block instead.
 */
export function widgetElementHtml(
  name: string,
  attributes: WidgetAttributes = {},
  style: Record<string, string | undefined> = {},
): string {
  const tag = widgetTag(name);
  const attrs = Object.entries(attributes)
    .filter(
      ([k, v]) => ATTRIBUTE.test(k) && v !== false && v !== null && v !== undefined && v !== "",
    )
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeXml(String(v))}"`));
  const inline = widgetStyle(style)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
  if (inline) attrs.push(` style="${escapeXml(inline)}"`);
  return `<${tag}${attrs.join("")}></${tag}>`;
}

export interface WidgetSnippetOptions {
  /** The bundle's loader, e.g. https://events.example.org/widgets/eventail.js. */
  scriptUrl: string;
  element: string;
  attributes?: WidgetAttributes;
  /** Theme custom properties (`--ev-accent` …), written as a <style> rule for the element. */
  cssProperties?: Record<string, string | undefined>;
}

/** What an organizer pastes into a page: the script, the theme rule if any, the element. */
export function widgetSnippet(o: WidgetSnippetOptions): string {
  const tag = widgetTag(o.element);
  const lines = [`<script type="module" src="${escapeXml(o.scriptUrl)}"></script>`];
  const style = widgetStyle(o.cssProperties);
  if (style.length)
    lines.push(
      "<style>",
      `  ${tag} {`,
      ...style.map(([k, v]) => `    ${k}: ${v};`),
      "  }",
      "</style>",
    );
  lines.push(widgetElementHtml(tag, o.attributes));
  return lines.join("\n");
}
