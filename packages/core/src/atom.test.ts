import { describe, expect, it } from "vitest";
import { type FeedInfo, toAtom } from "./atom.ts";
import { makeEvent, ORIGIN, REPAIR_GROUP } from "./test-helpers.ts";

const INFO: FeedInfo = {
  id: `${ORIGIN}/feed.atom?tag=repair&lang=fr`,
  title: "Events & meetups",
  subtitle: "What's on <this week>",
  url: `${ORIGIN}/events?tag=repair&lang=fr`,
};

const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

/**
 * A small XML well-formedness check: one root, balanced and properly nested elements,
 * quoted attributes, no raw "<" or stray "&" in text or attribute values.
 */
function assertWellFormed(xml: string): void {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let roots = 0;
  const checkText = (text: string) => {
    for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1)) {
      if (!ENTITY.test(text.slice(i)))
        throw new Error(`stray & in ${JSON.stringify(text.slice(i, i + 20))}`);
    }
    if (text.includes(">") && /[^\]]\]\]>/.test(text)) throw new Error("]]> in text");
  };
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt === -1 ? rest : rest.slice(0, lt);
    checkText(text);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root: ${text}`);
    if (lt === -1) break;
    const gt = rest.indexOf(">", lt);
    if (gt === -1) throw new Error("unclosed tag");
    const tag = rest.slice(lt + 1, gt);
    rest = rest.slice(gt + 1);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const m = /^([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag}>`);
    for (const [, value] of m[2]!.matchAll(/="([^"]*)"/g)) checkText(value!);
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(m[1]!);
  }
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(", ")}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const between = (xml: string, open: string, close: string) =>
  [...xml.matchAll(new RegExp(`${open}([\\s\\S]*?)${close}`, "g"))].map((m) => m[1]!);

describe("assertWellFormed (the checker itself)", () => {
  it.each([
    "<feed><title>a & b</title></feed>",
    "<feed><title>a</feed></title>",
    "<feed><title>a <b</title></feed>",
    '<feed><link href="a&b"/></feed>',
    "<feed>",
    "<feed></feed><feed></feed>",
  ])("rejects %s", (xml) => {
    expect(() => assertWellFormed(xml)).toThrow();
  });

  it("accepts a well-formed document", () => {
    expect(() =>
      assertWellFormed(
        '<?xml version="1.0"?>\n<feed a="x&amp;y"><t>&lt;b&gt; &#39;</t><l/></feed>\n',
      ),
    ).not.toThrow();
  });
});

describe("toAtom", () => {
  const nasty = makeEvent({
    id: "evt_nasty",
    title: `<script>alert("x")</script> Tom & Jerry's "show"`,
    description: '<p>Fish &amp; chips <a href="https://example.org/?a=1&amp;b=2">menu</a></p>',
    tags: ["fish&chips"],
    updatedAt: "2026-11-20T10:00:00.000Z",
    group: { ...REPAIR_GROUP, name: "Café <Lyon> & Co" },
  });
  const plain = makeEvent({ id: "evt_plain", updatedAt: "2026-10-02T09:30:00.000Z" });
  const occurrence = makeEvent({ id: "evt_weekly", occurrence: "2026-12-08T18:00:00.000Z" });
  const xml = toAtom([plain, nasty, occurrence], INFO);

  it("is well-formed XML with one <entry> per event", () => {
    assertWellFormed(xml);
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
      ),
    ).toBe(true);
    expect(xml.match(/<entry>/g)).toHaveLength(3);
    expect(xml.match(/<\/entry>/g)).toHaveLength(3);
  });

  it("escapes a title containing <script> and &", () => {
    expect(xml).not.toContain("<script");
    expect(xml).toContain(
      "<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s &quot;show&quot;</title>",
    );
    expect(decodeXml(between(xml, "<title>", "</title>")[2]!)).toBe(nasty.title);
  });

  it("escapes feed metadata and attribute values", () => {
    expect(xml).toContain("<title>Events &amp; meetups</title>");
    expect(xml).toContain("<subtitle>What&#39;s on &lt;this week&gt;</subtitle>");
    expect(xml).toContain(
      `<link rel="self" type="application/atom+xml" href="${ORIGIN}/feed.atom?tag=repair&amp;lang=fr"/>`,
    );
    expect(xml).toContain('<category term="fish&amp;chips"/>');
    expect(xml).toContain("<name>Café &lt;Lyon&gt; &amp; Co</name>");
  });

  it("carries the description as escaped HTML after the date line", () => {
    const contents = between(xml, '<content type="html">', "</content>");
    expect(contents).toHaveLength(3);
    const html = decodeXml(contents[1]!);
    expect(html).toMatch(
      /^<p><strong>Tuesday, December 1, 2026, 19:00\s–\s21:00 \(Europe\/Paris\) · La Halle, [^<]*<\/strong><\/p>/u,
    );
    expect(html.endsWith(nasty.description)).toBe(true);
  });

  it("gives every entry an id, links, dates, author and categories", () => {
    const entry = between(xml, "<entry>", "</entry>")[0]!;
    expect(entry).toContain(`<id>${plain.url}</id>`);
    expect(entry).toContain(`<link rel="alternate" type="text/html" href="${plain.url}"/>`);
    expect(entry).toContain(`<link rel="related" type="text/calendar" href="${plain.url}.ics"/>`);
    expect(entry).toContain("<updated>2026-10-02T09:30:00.000Z</updated>");
    expect(entry).toContain("<published>2026-10-01T08:00:00.000Z</published>");
    expect(entry).toContain(
      `<author><name>Alice Martin</name><uri>${ORIGIN}/@alice</uri></author>`,
    );
    expect(entry.match(/<category term="[^"]*"\/>/g)).toEqual([
      '<category term="COMMUNITY"/>',
      '<category term="repair"/>',
      '<category term="vélo"/>',
    ]);
    // Intl puts thin spaces around the en dash of a range.
    expect(entry).toMatch(
      /<summary>Tuesday, December 1, 2026, 19:00\s–\s21:00 \(Europe\/Paris\) · La Halle, /u,
    );
  });

  it("makes occurrences of a series distinct entries", () => {
    const ids = between(xml, "<id>", "</id>");
    expect(ids).toContain(`${occurrence.url}#2026-12-08T18:00:00.000Z`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("dates the feed by its newest entry", () => {
    const feedUpdated = between(xml.slice(0, xml.indexOf("<entry>")), "<updated>", "</updated>");
    expect(feedUpdated).toEqual(["2026-11-20T10:00:00.000Z"]);
  });

  it("takes the feed date from info when given, and has a date for an empty feed", () => {
    const given = toAtom([plain], { ...INFO, updated: "2026-12-24T00:00:00.000Z" });
    expect(between(given.slice(0, given.indexOf("<entry>")), "<updated>", "</updated>")).toEqual([
      "2026-12-24T00:00:00.000Z",
    ]);
    const empty = toAtom([], { id: `${ORIGIN}/feed.atom`, title: "Nothing", url: ORIGIN });
    assertWellFormed(empty);
    expect(empty).not.toContain("<entry>");
    expect(empty).not.toContain("<subtitle>");
    expect(empty).toContain("<updated>1970-01-01T00:00:00.000Z</updated>");
  });
});
