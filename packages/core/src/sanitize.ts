/**
 * The one HTML allowlist for every description that comes from outside (API, inbox,
 * imported feeds). Runs on the way in, before storing; widgets still render it inert.
 * Separate entry point (`@eventail/core/sanitize`) so browsers never load the parser.
 */
import sanitizeHtml from "sanitize-html";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
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
  ],
  allowedAttributes: { a: ["href", "title", "lang"], span: ["lang"], p: ["lang"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Dropped with their content: never show script text or style rules as prose.
  nonTextTags: [
    "script",
    "style",
    "textarea",
    "option",
    "noscript",
    "template",
    "title",
    "svg",
    "math",
  ],
  transformTags: {
    // Outside links: no referrer leak, no window.opener, marked as user content for search engines.
    a: sanitizeHtml.simpleTransform("a", {
      rel: "nofollow noopener noreferrer ugc",
      target: "_blank",
    }),
    h1: "h2",
  },
  enforceHtmlBoundary: false,
};
OPTIONS.allowedAttributes = {
  ...OPTIONS.allowedAttributes,
  a: ["href", "title", "lang", "rel", "target"],
};

/** Returns `html` with only the allowed tags, attributes and URL schemes left. */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Strips every tag: for names, summaries and other plain-text fields arriving as HTML. */
export function toPlainText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
