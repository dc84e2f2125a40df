import { describe, expect, it } from "vitest";
import { widgetElementHtml, widgetSnippet, widgetTag } from "./widget-html.ts";

describe("widget HTML", () => {
  it("writes the element with escaped attributes, bare booleans, and nothing for empty values", () => {
    expect(
      widgetElementHtml("event-list", {
        src: "https://e.example/?a=1&b=2",
        group: 'x"><script>alert(1)</script>',
        past: true,
        limit: 5,
        tag: "",
        q: undefined,
        layout: false,
        "on click": "x",
      }),
    ).toBe(
      '<ev-event-list src="https://e.example/?a=1&amp;b=2" group="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" past limit="5"></ev-event-list>',
    );
  });

  it("refuses element names that are not widgets", () => {
    expect(widgetTag("calendar")).toBe("ev-calendar");
    expect(() => widgetTag("script")).not.toThrow(); // becomes ev-script: harmless, unknown
    expect(() => widgetTag("x><img")).toThrow(/not a widget element/);
    expect(() => widgetElementHtml("ev-", {})).toThrow();
  });

  it("keeps only custom properties whose values cannot break out of CSS", () => {
    expect(
      widgetElementHtml(
        "ev-event",
        {},
        {
          "--ev-accent": "#c2255c",
          "--ev-radius": "0",
          "--ev-bad": "red; } body { display:none",
          color: "red",
          "--ev-x": "</style><script>",
        },
      ),
    ).toBe('<ev-event style="--ev-accent: #c2255c; --ev-radius: 0"></ev-event>');
  });

  it("writes the snippet: script, theme rule, element", () => {
    expect(
      widgetSnippet({
        scriptUrl: "https://events.example.org/widgets/eventail.js",
        element: "ev-calendar",
        attributes: { src: "https://events.example.org", group: "climate_lyon" },
        cssProperties: { "--ev-accent": "#2b8a3e", "--ev-font": "" },
      }),
    ).toBe(
      [
        '<script type="module" src="https://events.example.org/widgets/eventail.js"></script>',
        "<style>",
        "  ev-calendar {",
        "    --ev-accent: #2b8a3e;",
        "  }",
        "</style>",
        '<ev-calendar src="https://events.example.org" group="climate_lyon"></ev-calendar>',
      ].join("\n"),
    );
    expect(
      widgetSnippet({
        scriptUrl: "/widgets/eventail.js",
        element: "rsvp",
        attributes: { "event-id": "e1" },
      }),
    ).toBe(
      '<script type="module" src="/widgets/eventail.js"></script>\n<ev-rsvp event-id="e1"></ev-rsvp>',
    );
  });
});
