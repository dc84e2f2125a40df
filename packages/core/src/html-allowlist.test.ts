import { describe, expect, it } from "vitest";
import { ALLOWED_TAGS, isAllowedLink } from "./html-allowlist.ts";
import { sanitizeDescription } from "./sanitize.ts";

describe("html allowlist", () => {
  it("accepts absolute http, https and mailto links only", () => {
    expect(isAllowedLink("https://example.org/a")).toBe(true);
    expect(isAllowedLink("http://example.org")).toBe(true);
    expect(isAllowedLink("mailto:team@example.org")).toBe(true);
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "data:text/html,<b>x</b>",
      "//example.org",
      "/relative",
      "https://",
      "mailto:",
      "vbscript:x",
      "",
    ])
      expect(isAllowedLink(bad), bad).toBe(false);
  });

  it("is the list the server's sanitizer keeps", () => {
    for (const tag of ALLOWED_TAGS) {
      const html = tag === "br" || tag === "hr" ? `<${tag}>` : `<${tag}>x</${tag}>`;
      expect(sanitizeDescription(html), tag).toContain(`<${tag}`);
    }
    expect(sanitizeDescription("<img src=x><h5>x</h5>")).toBe("x");
  });
});
