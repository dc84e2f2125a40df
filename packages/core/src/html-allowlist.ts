/**
 * The HTML allowed in descriptions: tags, attributes and link schemes. The server's sanitizer
 * (`@eventail/core/sanitize`) enforces it on the way in; the console's rich-text editor
 * normalizes what it produces to the same list, so nothing is written twice. No DOM, no parser.
 */
export const ALLOWED_TAGS: readonly string[] = [
  "p",
  "br",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "del",
  "ins",
  "mark",
  "small",
  "sub",
  "sup",
  "a",
  "ul",
  "ol",
  "li",
  "blockquote",
  "code",
  "pre",
  "h2",
  "h3",
  "h4",
  "hr",
  "span",
];

/** Attributes kept per tag (the server adds `rel` and `target` to links itself). */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ["href", "title", "lang"],
  span: ["lang"],
  p: ["lang"],
};

/** Schemes a link may use. */
export const ALLOWED_SCHEMES: readonly string[] = ["http", "https", "mailto"];

/** Elements dropped together with their content: never show script text or style rules as prose. */
export const DROPPED_WITH_CONTENT: readonly string[] = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "template",
  "title",
  "svg",
  "math",
];

/** True when `url` is absolute and uses an allowed scheme (http, https, mailto). */
export function isAllowedLink(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  if (!m || !ALLOWED_SCHEMES.includes(m[1]!.toLowerCase())) return false;
  try {
    const u = new URL(url.trim());
    return u.protocol === "mailto:" ? u.pathname.length > 0 : u.host.length > 0;
  } catch {
    return false;
  }
}
