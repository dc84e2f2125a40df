/**
 * The XSS corpus: markup that runs script or loads a resource when a renderer lets it
 * through. Script calls `alert(n)` (caught as a dialog in any frame); resource loads go to a
 * loopback beacon (`${beacon}/n`), so a payload that runs is seen whatever it does.
 *
 * `runsRaw` marks payloads that Chromium runs when the markup is served as is: the test
 * proves its detector on them (a control page) before trusting a silence elsewhere.
 */
export interface XssPayload {
  n: number;
  name: string;
  markup: string;
  runsRaw: boolean;
}

export function xssCorpus(beacon: string): XssPayload[] {
  const b = (n: number) => `${beacon}/${n}`;
  const list: Array<[string, (n: number) => string, boolean]> = [
    ["script tag", (n) => `<script>alert(${n})</script>`, true],
    ["img onerror", (n) => `<img src=x onerror="alert(${n})">`, true],
    ["svg onload", (n) => `<svg onload="alert(${n})"><circle r="1"/></svg>`, true],
    ["script inside svg", (n) => `<svg><script>alert(${n})</script></svg>`, true],
    ["javascript: link", (n) => `<a href="javascript:alert(${n})">link</a>`, false],
    ["data: link", (n) => `<a href="data:text/html,<script>alert(${n})</script>">data</a>`, false],
    ["iframe javascript:", (n) => `<iframe src="javascript:alert(${n})"></iframe>`, true],
    ["iframe srcdoc", (n) => `<iframe srcdoc="<script>alert(${n})</script>"></iframe>`, true],
    [
      "object data:",
      (n) => `<object data="data:text/html,<script>alert(${n})</script>"></object>`,
      true,
    ],
    ["css url()", (n) => `<div style="background-image:url(${b(n)})">css</div>`, true],
    ["style @import", (n) => `<style>@import url(${b(n)});</style>`, true],
    ["css expression", (n) => `<p style="width:expression(alert(${n}))">old IE</p>`, false],
    ["double-quote breakout", (n) => `"><img src=x onerror="alert(${n})">`, true],
    ["single-quote breakout", (n) => `'><svg onload="alert(${n})">`, true],
    ["unclosed tag", (n) => `<img src=x onerror="alert(${n})"`, true],
    ["split script", (n) => `<scr<script>ipt>alert(${n})</scr</script>ipt>`, false],
    [
      "mXSS math/style",
      (n) => `<math><mtext><table><mglyph><style><img src=x onerror="alert(${n})">`,
      false,
    ],
    [
      "noscript attribute",
      (n) => `<noscript><p title="</noscript><img src=x onerror=alert(${n})>">`,
      true,
    ],
    [
      "formaction",
      (n) => `<form><button formaction="javascript:alert(${n})">go</button></form>`,
      false,
    ],
    [
      "meta refresh",
      (n) => `<meta http-equiv="refresh" content="0;url=javascript:alert(${n})">`,
      false,
    ],
    ["base href", (n) => `<base href="${b(n)}/">`, false],
    ["remote image", (n) => `<img src="${b(n)}" alt="">`, true],
    [
      "details ontoggle",
      (n) => `<details open ontoggle="alert(${n})"><summary>x</summary></details>`,
      true,
    ],
    ["autofocus onfocus", (n) => `<input autofocus onfocus="alert(${n})">`, true],
    ["entity-encoded javascript:", (n) => `<a href="&#106;avascript:alert(${n})">x</a>`, false],
    ["tab in javascript:", (n) => `<a href="java\tscript:alert(${n})">x</a>`, false],
    [
      "svg xlink:href",
      (n) => `<svg><a xlink:href="javascript:alert(${n})"><text y="10">x</text></a></svg>`,
      false,
    ],
    ["comment breakout", (n) => `<!--<img src="--><img src=x onerror=alert(${n})//">`, true],
    ["textarea breakout", (n) => `</textarea><script>alert(${n})</script>`, true],
    ["title breakout", (n) => `</title><script>alert(${n})</script>`, true],
    ["JSON-LD breakout", (n) => `</script><script>alert(${n})</script>`, true],
    ["bare javascript: URL", (n) => `javascript:alert(${n})`, false],
    ["video poster", (n) => `<video poster="${b(n)}"></video>`, true],
    ["link stylesheet", (n) => `<link rel="stylesheet" href="${b(n)}">`, true],
  ];
  return list.map(([name, markup, runsRaw], i) => ({
    n: i + 1,
    name,
    markup: markup(i + 1),
    runsRaw,
  }));
}
