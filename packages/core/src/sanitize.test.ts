import { describe, expect, it } from "vitest";
import { sanitizeDescription, toPlainText } from "./sanitize.ts";

const XSS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  '<script type="module">import("//evil.example")</script>after',
  "<img src=x onerror=alert(1)>",
  "<img src=x onerror=alert(1)//",
  '<img src="x" onerror="alert(1)"/>text',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="  javascript:alert(1)">click</a>',
  '<a href="java&#x09;script:alert(1)">click</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
  '<a href="jav&#x0A;ascript:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<a href="DATA:text/html,<script>alert(1)</script>">click</a>',
  '<a href="vbscript:msgbox(1)">click</a>',
  '<a href="https://ok.example" onclick="alert(1)" onmouseover="alert(2)">ok</a>',
  '<p onmouseover="alert(1)" lang="fr">survol</p>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  "<style>body{background:url(javascript:alert(1))}</style>",
  '<p style="width: expression(alert(1))">css</p>',
  '<span style="background-image: url(javascript:alert(1))">css</span>',
  '<div style="behavior: url(x.htc)">x</div>',
  "<body onload=alert(1)>",
  '<details open ontoggle="alert(1)">x</details>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  '<form action="javascript:alert(1)"><input type="submit" formaction="javascript:alert(2)"></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '"><script>alert(1)</script>',
  "<scr<script>ipt>alert(1)</script>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  "<!--<img src=x onerror=alert(1)>-->",
  '<a href="https://ok.example" style="color:red" class="x" id="y">ok</a>',
  "<textarea><script>alert(1)</script></textarea>",
  '<template><img src=x onerror="alert(1)"></template>',
  '<video><source onerror="alert(1)"></video>',
  '<button onclick="alert(1)">x</button>',
  '<a href="//evil.example/steal">protocol-relative</a>',
];

/** Every tag of the output, as [name, attributes]. */
function tags(html: string): [string, string][] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => [
    m[1]!.toLowerCase(),
    m[2]!,
  ]);
}

const ALLOWED_TAGS = new Set(
  "p br strong b em i u s del ins mark small sub sup a ul ol li blockquote code pre h2 h3 h4 hr span".split(
    " ",
  ),
);

describe("sanitizeDescription: XSS corpus", () => {
  it.each(XSS)("neutralizes %s", (input) => {
    const out = sanitizeDescription(input);
    // No executable element and nothing but allowed tags.
    expect(out).not.toMatch(/<\s*script/i);
    for (const [name] of tags(out)) expect(ALLOWED_TAGS, `<${name}> in ${out}`).toContain(name);
    // No event handler, style, src or unknown attribute on any tag.
    for (const [, attrs] of tags(out)) {
      expect(attrs).not.toMatch(/\son[a-z]+\s*=/i);
      expect(attrs).not.toMatch(/\s(style|src|srcdoc|action|formaction|xlink:href|class|id)\s*=/i);
    }
    // Links only to http(s) or mailto.
    for (const [, href] of out.matchAll(/href="([^"]*)"/g)) {
      expect(href).toMatch(/^(https?:\/\/|mailto:)/i);
    }
    expect(out).not.toMatch(/(javascript|vbscript|data):/i);
    // Stable: sanitizing again changes nothing.
    expect(sanitizeDescription(out)).toBe(out);
  });

  it("drops script and style contents instead of showing them as text", () => {
    expect(
      sanitizeDescription("<p>before</p><script>alert(1)</script><style>p{}</style><p>after</p>"),
    ).toBe("<p>before</p><p>after</p>");
    expect(sanitizeDescription("<svg><text>secret</text></svg>ok")).toBe("ok");
  });

  it("keeps the text of a harmless link but removes a bad href", () => {
    const out = sanitizeDescription('<a href="javascript:alert(1)">click</a>');
    expect(out).toContain(">click</a>");
    expect(out).not.toContain("href");
  });

  it("keeps the safe part of a tag and drops its handlers", () => {
    expect(sanitizeDescription('<p onmouseover="alert(1)" lang="fr">survol</p>')).toBe(
      '<p lang="fr">survol</p>',
    );
  });
});

describe("sanitizeDescription: allowed markup", () => {
  it("keeps paragraphs, emphasis, lists, quotes, code and headings", () => {
    const html =
      "<h2>Programme</h2><p>Hello <strong>world</strong>, <em>really</em> <b>b</b> <i>i</i> <u>u</u> <s>s</s></p>" +
      "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>" +
      "<blockquote>quoted</blockquote><pre><code>x &lt; y</code></pre><h3>More</h3><hr />" +
      '<p>line<br />break <mark>m</mark> <small>s</small> H<sub>2</sub>O x<sup>2</sup> <span lang="en">en</span></p>';
    expect(sanitizeDescription(html)).toBe(html);
  });

  it("keeps https and mailto links and marks them as user content", () => {
    const out = sanitizeDescription(
      '<p><a href="https://example.org/x?a=1&amp;b=2" title="Details">details</a> ' +
        '<a href="mailto:hello@example.org">mail</a> <a href="http://example.org">http</a></p>',
    );
    expect(out).toBe(
      '<p><a href="https://example.org/x?a=1&amp;b=2" title="Details" rel="nofollow noopener noreferrer ugc" target="_blank">details</a> ' +
        '<a href="mailto:hello@example.org" rel="nofollow noopener noreferrer ugc" target="_blank">mail</a> ' +
        '<a href="http://example.org" rel="nofollow noopener noreferrer ugc" target="_blank">http</a></p>',
    );
  });

  it("overrides a rel or target given by the author", () => {
    const out = sanitizeDescription(
      '<a href="https://example.org" rel="opener" target="_self">x</a>',
    );
    expect(out).toBe(
      '<a href="https://example.org" rel="nofollow noopener noreferrer ugc" target="_blank">x</a>',
    );
  });

  it("turns h1 into h2 and drops unknown wrappers but keeps their text", () => {
    expect(sanitizeDescription("<h1>Title</h1><div><section>inside</section></div>")).toBe(
      "<h2>Title</h2>inside",
    );
  });

  it("escapes text and closes open tags", () => {
    expect(sanitizeDescription("<p>1 < 2 & 3 > 2")).toBe("<p>1 &lt; 2 &amp; 3 &gt; 2</p>");
    expect(sanitizeDescription("<ul><li>a<li>b")).toBe("<ul><li>a</li><li>b</li></ul>");
  });

  it("trims and returns an empty string for nothing", () => {
    expect(sanitizeDescription("  <p>x</p>\n")).toBe("<p>x</p>");
    expect(sanitizeDescription("")).toBe("");
    expect(sanitizeDescription("<script>x</script>")).toBe("");
  });
});

describe("toPlainText", () => {
  it("strips every tag and decodes entities", () => {
    expect(
      toPlainText("<p>Tom &amp; Jerry</p>\n<p>&lt;3 &quot;quotes&quot; &#39;single&#39;</p>"),
    ).toBe("Tom & Jerry <3 \"quotes\" 'single'");
  });

  it("drops script and style contents", () => {
    expect(toPlainText("Hi<script>alert(1)</script><style>p{}</style> there")).toBe("Hi there");
  });

  it("collapses whitespace", () => {
    expect(toPlainText("  a \n\t b  ")).toBe("a b");
  });
});
