import type { EventJson } from "@eventail/core";
import { describe, expect, it } from "vitest";
import { makeEvent } from "../../core/src/test-helpers.ts";
import { SourceError } from "./errors.ts";
import { checkEvent } from "./mapping.ts";
import { type SiteEvent, siteEvents, slugify, toSiteEvent } from "./site-events.ts";
import { eventDetailsHtml, insertWidgetsScript, jsonLdScriptHtml } from "./site-html.ts";

// Core's own sample event, with a title that tries to break out of the page.
const base: EventJson = makeEvent({
  id: "e1",
  title: "Fête </script><img src=x onerror=alert(1)>",
});
const source = { name: "s", kind: "eventail" as const, origin: "https://events.example.org" };

describe("site HTML", () => {
  it("escapes titles in pages and keeps JSON-LD inside its script element", () => {
    const e: SiteEvent = toSiteEvent(base, source);
    const html = eventDetailsHtml(e);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain('<ev-rsvp event-id="e1" src="https://events.example.org"></ev-rsvp>');
    const ld = jsonLdScriptHtml(e, "https://ngo.example.org/events/x/");
    expect(ld.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(ld.slice(35, -9))).toMatchObject({
      name: base.title,
      url: "https://ngo.example.org/events/x/",
    });
  });

  it("adds the widgets script only to pages with ev- elements, once", () => {
    const src = "https://events.example.org/widgets/eventail.js";
    const page = "<html><head></head><body><ev-event-list></ev-event-list></body></html>";
    const once = insertWidgetsScript(page, src);
    expect(once).toBe(
      `<html><head><script type="module" src="${src}"></script></head><body><ev-event-list></ev-event-list></body></html>`,
    );
    expect(insertWidgetsScript(once, src)).toBe(once);
    expect(insertWidgetsScript("<p>no widgets, even-handed</p>", src)).toBe(
      "<p>no widgets, even-handed</p>",
    );
  });

  it("refuses events whose links are not http(s)", () => {
    const attempt = () => checkEvent({ ...base, onlineUrl: "javascript:alert(1)" }, "s");
    expect(attempt).toThrow(SourceError);
    expect(attempt).toThrow(/event "e1", field "onlineUrl"/);
  });

  it("gives stable, readable, unique slugs and leaves out drafts and private events", () => {
    expect(slugify("Fête du vélo à Lyon!")).toBe("fete-du-velo-a-lyon");
    const events = siteEvents([
      {
        source,
        events: [
          base,
          { ...base, id: "e2", title: "Draft", draft: true },
          { ...base, id: "e3", title: "Private", visibility: "private" },
          { ...base, id: "e4", title: "Earlier", beginsAt: "2026-11-01T10:00:00+01:00" },
        ],
      },
    ]);
    expect(events.map((e) => e.id)).toEqual(["e4", "e1"]);
    expect(events[1]!.slug).toMatch(
      /^fete-script-img-src-x-onerror-alert-1-2026-12-01-[0-9a-f]{6}$/,
    );
    expect(siteEvents([{ source, events: [base] }])[0]!.slug).toBe(events[1]!.slug);
  });
});
