/**
 * The one HTML allowlist for every description that comes from outside (API, inbox,
 * imported feeds). Runs on the way in, before storing; widgets still render it inert.
 * Separate entry point (`@eventail/core/sanitize`) so browsers never load the parser.
 */
import sanitizeHtml from "sanitize-html";
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_SCHEMES,
  ALLOWED_TAGS,
  DROPPED_WITH_CONTENT,
} from "./html-allowlist.ts";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(
    Object.entries(ALLOWED_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]]),
  ),
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Dropped with their content: never show script text or style rules as prose.
  nonTextTags: [...DROPPED_WITH_CONTENT],
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
  a: [...(ALLOWED_ATTRIBUTES.a ?? []), "rel", "target"],
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
