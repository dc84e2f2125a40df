/**
 * Descriptions arrive as HTML the server already sanitized; they are rebuilt here anyway
 * from an allowlist, so a compromised or foreign server cannot run script in the host page.
 * DOMParser yields an inert document (no script runs, no image loads); only allowlisted
 * elements are re-created in the live document, with no attribute but a checked href.
 */
import { safeUrl } from "./url.ts";

const ALLOWED = new Set([
  "P",
  "BR",
  "STRONG",
  "EM",
  "A",
  "UL",
  "OL",
  "LI",
  "BLOCKQUOTE",
  "H2",
  "H3",
  "H4",
]);
/** Elements whose content is dropped with them (the rest are unwrapped, keeping their text). */
const DROP =
  /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|IFRAME|OBJECT|EMBED|SVG|MATH|TEXTAREA|SELECT|TITLE|HEAD)$/i;

function copy(from: Node, to: Node): void {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.nodeValue ?? ""));
    } else if (node instanceof Element) {
      const tag = node.tagName.toUpperCase();
      if (DROP.test(tag)) continue;
      if (!ALLOWED.has(tag)) {
        copy(node, to);
        continue;
      }
      const el = document.createElement(tag);
      if (tag === "A") {
        const href = safeUrl(node.getAttribute("href"), true);
        if (href) {
          el.setAttribute("href", href);
          el.setAttribute("rel", "noopener noreferrer nofollow ugc");
        }
      }
      copy(node, el);
      to.appendChild(el);
    }
  }
}

/** A `<div>` holding the allowlisted rendering of `html`, ready to place in a template. */
export function safeHtml(html: string, part = "description"): HTMLDivElement {
  const div = document.createElement("div");
  div.setAttribute("part", part);
  div.className = "prose";
  copy(new DOMParser().parseFromString(html, "text/html").body, div);
  return div;
}
