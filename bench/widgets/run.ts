/**
 * `npm run bench -w @eventail/widgets`: the widgets' weight and rendering speed.
 *
 * - Size: gzip -9 of the standalone files in widgets/dist/cdn (built by the npm script just
 *   before), summed per file as a browser downloads them. "Event list alone" is the event
 *   list's entry with every chunk it imports statically (Lit included); "all elements" is
 *   every file once (the loader, each element, the shared chunks). Budgets: 9 KB and 25 KB.
 * - Speed: Debian's Chromium (CHROME_PATH, else /usr/bin/chromium) loads the standalone
 *   files from a loopback server; each run is a fresh page that renders 1,000 events in
 *   ev-event-list, or a month holding 300 events in ev-calendar. The time runs from adding
 *   the element to the end of its update with layout done; the median of the runs is kept.
 * - Where the event list's bytes are: the list built alone into one file, and the gzip
 *   growth as its modules are added one by one (see listBreakdown).
 *
 * Environment: BENCH_RUNS (default 7). Writes bench/results/widgets.json.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { eventListHtml, type SiteEvent } from "@eventail/sources";
import puppeteer, { type Browser } from "puppeteer-core";
import { type Plugin, rollup } from "rollup";
import { parseAst } from "rollup/parseAst";

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, "../..");
const CDN = join(ROOT, "widgets/dist/cdn");
const RESULTS = join(ROOT, "bench/results/widgets.json");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BUDGET_LIST = 9 * 1024;
const BUDGET_ALL = 25 * 1024;

// ------------------------------------------------------------------ sizes

const gz = (file: string) => gzipSync(readFileSync(join(CDN, file)), { level: 9 }).length;

/**
 * The file and every chunk it loads statically: `import … from`, bare `import "…"` and
 * `export … from` (a facade entry re-exports its chunk), found with a parser; dynamic
 * import() is not followed.
 */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const ast = parseAst(readFileSync(join(CDN, entry), "utf8"));
  for (const node of ast.body) {
    if (
      (node.type === "ImportDeclaration" ||
        node.type === "ExportAllDeclaration" ||
        node.type === "ExportNamedDeclaration") &&
      node.source
    ) {
      const spec = String(node.source.value);
      if (!spec.startsWith("./")) throw new Error(`${entry} imports ${spec}: not a local chunk`);
      closure(spec.slice(2), seen);
    }
  }
  return seen;
}

interface Elements {
  loader: string;
  /** Every element in one file, which the loader takes for pages holding four kinds or more. */
  all: string;
  elements: Record<string, string>;
}

function sizes() {
  const { loader, all, elements } = JSON.parse(
    readFileSync(join(CDN, "elements.json"), "utf8"),
  ) as Elements;
  // eventail.js is an unhashed copy of the loader: counted once.
  const files = readdirSync(CDN).filter((f) => f.endsWith(".js") && f !== "eventail.js");
  const split = files.filter((f) => f !== all);
  const perFile = Object.fromEntries(files.map((f) => [f, gz(f)]));
  const sum = (list: Iterable<string>) => [...list].reduce((n, f) => n + (perFile[f] ?? gz(f)), 0);
  const perElement = Object.fromEntries(
    Object.entries(elements).map(([name, file]) => [
      name,
      { files: [...closure(file)], gzip: sum(closure(file)) },
    ]),
  );
  const list = perElement["ev-event-list"]!;
  return {
    perFile,
    perElement,
    eventListAlone: { ...list, budget: BUDGET_LIST, withinBudget: list.gzip <= BUDGET_LIST },
    allElements: {
      files: [loader, all],
      gzip: sum([loader, all]),
      budget: BUDGET_ALL,
      withinBudget: sum([loader, all]) <= BUDGET_ALL,
    },
    /** Every file of the code-split build once (the all-in-one file aside). */
    splitTotal: { files: split.length, gzip: sum(split) },
  };
}

// ------------------------------------------------------------------ where the list's bytes are

/**
 * The event list built alone into one file (the CDN build's plugins, terser included),
 * then rebuilt adding its modules one at a time in bundle order (dependencies first), each
 * with only the exports the list uses: the growth of the gzipped file at each step is that
 * module's cost in the list (Lit's modules taken together). Approximate: each step keeps
 * its modules' exports named, so the last step ends a little above the one-file build, and
 * both are below the CDN's two files (entry and shared chunk).
 */
async function listBreakdown() {
  const { bundlePlugins } = (await import(join(ROOT, "widgets/rollup.config.js"))) as {
    bundlePlugins: () => Plugin[];
  };
  const build = async (input: string, code?: string) => {
    const entry: Plugin = {
      name: "entry",
      resolveId: (id) => (id === "\0entry" ? id : null),
      load: (id) => (id === "\0entry" ? (code ?? null) : null),
    };
    const b = await rollup({ input, plugins: [entry, ...bundlePlugins()], onwarn() {} });
    const { output } = await b.generate({ format: "es", inlineDynamicImports: true });
    await b.close();
    return output[0];
  };
  const whole = await build(join(ROOT, "widgets/src/event-list/element.ts"));
  const groups = new Map<string, string[]>();
  let count = 0;
  for (const [id, m] of Object.entries(whole.modules)) {
    if (!m.renderedLength) continue;
    const pkg = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id)?.[1];
    const name =
      pkg && /^(lit|lit-html|lit-element|@lit[\\/].*)$/.test(pkg)
        ? "lit"
        : (pkg ?? relative(ROOT, id));
    const names = m.renderedExports.map((e, i) => `${e} as _${groups.size}_${count}_${i}`);
    count++;
    const line = names.length
      ? `export { ${names.join(", ")} } from ${JSON.stringify(id)};`
      : `import ${JSON.stringify(id)};`;
    groups.set(name, [...(groups.get(name) ?? []), line]);
  }
  const rows: { module: string; gzip: number; cumulative: number }[] = [];
  let code = "";
  let before = 0;
  for (const [module, lines] of groups) {
    code += `${lines.join("\n")}\n`;
    const out = await build("\0entry", code);
    const cumulative = gzipSync(out.code, { level: 9 }).length;
    rows.push({ module, gzip: cumulative - before, cumulative });
    before = cumulative;
  }
  return { oneFile: gzipSync(whole.code, { level: 9 }).length, modules: rows };
}

// ------------------------------------------------------------------ rendering

const PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>bench</title><body></body></html>`;

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(PAGE);
    }
    const file = path.slice(1);
    if (!/^[\w.-]+\.js$/.test(file)) {
      res.writeHead(404);
      return res.end();
    }
    try {
      const body = readFileSync(join(CDN, file));
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The events rendered: the list, one a day from 2030-01-01; the calendar, all in December 2030. */
function benchEvents(kind: "list" | "calendar", count: number) {
  const zone = "Europe/Paris";
  const events = Array.from({ length: count }, (_, i) => {
    // The list: one event a day from 2030-01-01; the calendar: all in December 2030.
    const day = kind === "list" ? i : i % 31;
    const begin = new Date(Date.UTC(2030, kind === "list" ? 0 : 11, 1 + day, 8 + (i % 10), 0));
    const days = kind === "calendar" && i % 15 === 0 ? 2 : 0; // some multi-day events
    const end = new Date(begin.getTime() + 2 * 3_600_000 + days * 86_400_000);
    return {
      id: `e${i}`,
      url: `https://events.example.org/events/e${i}`,
      icsUrl: `https://events.example.org/events/e${i}.ics`,
      title: `Community event number ${i}`,
      description: "<p>Bench</p>",
      beginsAt: begin.toISOString(),
      endsAt: end.toISOString(),
      timezone: zone,
      allDay: false,
      attendanceMode: i % 5 === 0 ? "online" : "offline",
      address: i % 5 === 0 ? null : { venue: `Hall ${i % 17}`, locality: "Lyon", country: "FR" },
      onlineUrl: i % 5 === 0 ? "https://meet.example.org/x" : null,
      category: "COMMUNITY",
      tags: [],
      language: "en",
      banner: null,
      visibility: "public",
      status: i % 23 === 0 ? "cancelled" : "confirmed",
      draft: false,
      publishAt: null,
      joinMode: "free",
      externalUrl: null,
      capacity: i % 7 === 0 ? 10 : 0,
      participantCount: 0,
      rsvpOpen: true,
      remainingCapacity: i % 7 === 0 ? 0 : null,
      organizer: { id: "o", handle: "o@x", name: "Org", url: "https://events.example.org/@o" },
      group: null,
      recurrence: null,
      sequence: 0,
      createdAt: begin.toISOString(),
      updatedAt: begin.toISOString(),
    };
  });
  return events;
}

/** Runs in the page: adds the element with the events, waits for render and layout. */
async function renderInPage(args: {
  module: string;
  kind: "list" | "calendar";
  count: number;
  events: unknown[];
}) {
  await import(args.module);
  const zone = "Europe/Paris";
  const events = args.events;
  const el = document.createElement(
    args.kind === "list" ? "ev-event-list" : "ev-calendar",
  ) as HTMLElement & {
    events: unknown[];
    updateComplete: Promise<unknown>;
  };
  el.setAttribute("timezone", zone);
  if (args.kind === "list") el.setAttribute("limit", String(args.count));
  else el.setAttribute("month", "2030-12");
  el.events = events;
  const t0 = performance.now();
  document.body.append(el);
  await el.updateComplete;
  const t1 = performance.now();
  el.getBoundingClientRect(); // forces style and layout
  const ms = performance.now() - t0;
  const layoutMs = performance.now() - t1;
  const root = el.shadowRoot!;
  const rendered =
    args.kind === "list"
      ? root.querySelectorAll("[part~=item]").length
      : root.querySelectorAll("[part~=event]").length;
  return { ms, layoutMs, rendered };
}

/**
 * The reference, measured in the same run: the same events as the static sites' HTML
 * (`eventListHtml` from @eventail/sources), parsed with innerHTML and laid out, no script.
 */
function referenceInPage(html: string) {
  const div = document.createElement("div");
  const t0 = performance.now();
  div.innerHTML = html;
  document.body.append(div);
  div.getBoundingClientRect(); // forces style and layout
  return { ms: performance.now() - t0, rendered: div.querySelectorAll("li").length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function timings(browser: Browser, origin: string, elements: Record<string, string>) {
  const cases = [
    {
      name: "ev-event-list, 1,000 events",
      kind: "list" as const,
      count: 1000,
      file: elements["ev-event-list"]!,
    },
    {
      name: "ev-calendar, a month of 300 events",
      kind: "calendar" as const,
      count: 300,
      file: elements["ev-calendar"]!,
    },
  ];
  const out: {
    name: string;
    runs: number[];
    medianMs: number;
    medianLayoutMs: number;
    rendered: number;
    /** The list only: the same events as static HTML, run after each widget run. */
    reference?: { runs: number[]; medianMs: number };
  }[] = [];
  const round = (ms: number) => Math.round(ms * 10) / 10;
  for (const c of cases) {
    const runs: number[] = [];
    const layout: number[] = [];
    const reference: number[] = [];
    const events = benchEvents(c.kind, c.count);
    const staticHtml =
      c.kind === "list" ? eventListHtml(events as unknown as SiteEvent[], (e) => e.url) : "";
    let rendered = 0;
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      const r = await page.evaluate(renderInPage, {
        module: `${origin}/${c.file}`,
        kind: c.kind,
        count: c.count,
        events,
      });
      await page.close();
      runs.push(round(r.ms));
      layout.push(round(r.layoutMs));
      rendered = r.rendered;
      if (staticHtml) {
        const ref = await browser.newPage();
        await ref.goto(`${origin}/`);
        const s = await ref.evaluate(referenceInPage, staticHtml);
        await ref.close();
        if (s.rendered !== c.count) throw new Error(`the reference has ${s.rendered} items`);
        reference.push(round(s.ms));
      }
    }
    if (c.kind === "list" && rendered !== c.count)
      throw new Error(`the list rendered ${rendered} of ${c.count} events`);
    if (c.kind === "calendar" && rendered < 42)
      throw new Error(`the calendar rendered only ${rendered} event chips`);
    out.push({
      name: c.name,
      runs,
      medianMs: median(runs),
      medianLayoutMs: median(layout),
      rendered,
      ...(reference.length && { reference: { runs: reference, medianMs: median(reference) } }),
    });
  }
  return out;
}

/**
 * What a page embedding `names` through the loader really downloads: the script files
 * Chromium requests until every element is defined, gzipped as they are on disk.
 */
async function pageDownloads(browser: Browser, origin: string, names: string[]) {
  const page = await browser.newPage();
  const fetched = new Set<string>();
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".js")) fetched.add(path.slice(1));
  });
  await page.goto(`${origin}/`);
  await page.evaluate(
    async (names: string[], src: string) => {
      document.body.insertAdjacentHTML("beforeend", names.map((n) => `<${n}></${n}>`).join(""));
      const script = document.createElement("script");
      script.type = "module";
      script.src = src;
      document.head.append(script);
      await Promise.all(names.map((n) => customElements.whenDefined(n)));
    },
    names,
    `${origin}/eventail.js`,
  );
  await page.close();
  const files = [...fetched].sort();
  return { names, files, gzip: files.reduce((n, f) => n + gz(f), 0) };
}

// ------------------------------------------------------------------ main

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

const size = sizes();
const breakdown = await listBreakdown();
const server = await serve();
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const executablePath = process.env.CHROME_PATH || "/usr/bin/chromium";
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
let render: Awaited<ReturnType<typeof timings>>;
let pages: Awaited<ReturnType<typeof pageDownloads>>[];
let version = "";
try {
  version = await browser.version();
  const { elements } = JSON.parse(readFileSync(join(CDN, "elements.json"), "utf8")) as Elements;
  render = await timings(browser, origin, elements);
  pages = [
    await pageDownloads(browser, origin, ["ev-event-list"]),
    await pageDownloads(browser, origin, ["ev-event", "ev-rsvp"]),
    await pageDownloads(browser, origin, Object.keys(elements)),
  ];
} finally {
  await browser.close();
  server.close();
}

const rows: [string, string, string][] = [
  [
    "Event list alone, Lit included: its files",
    kb(size.eventListAlone.gzip),
    `≤ ${kb(BUDGET_LIST)} ${size.eventListAlone.withinBudget ? "ok" : "OVER"}`,
  ],
  [
    "All elements together: loader + all-in-one file",
    kb(size.allElements.gzip),
    `≤ ${kb(BUDGET_ALL)} ${size.allElements.withinBudget ? "ok" : "OVER"}`,
  ],
  [
    "  every file of the code-split build",
    kb(size.splitTotal.gzip),
    `${size.splitTotal.files} files`,
  ],
  ...pages.map((p): [string, string, string] => [
    `Page with ${p.names.length > 2 ? "all five elements" : p.names.join(" + ")}, via the loader`,
    kb(p.gzip),
    p.files.join(" "),
  ]),
  ...Object.entries(size.perElement).map(([name, e]): [string, string, string] => [
    `  ${name} with its chunks`,
    kb(e.gzip),
    "",
  ]),
  ...render.flatMap((r): [string, string, string][] => [
    [
      `Render: ${r.name}`,
      `${r.medianMs.toFixed(1)} ms`,
      `median of ${r.runs.length} (style and layout ${r.medianLayoutMs.toFixed(1)} ms)`,
    ],
    ...(r.reference
      ? [
          [
            "  reference: the same as static HTML, innerHTML",
            `${r.reference.medianMs.toFixed(1)} ms`,
            `median of ${r.reference.runs.length}; the widget takes ${(r.medianMs / r.reference.medianMs).toFixed(1)}×`,
          ] as [string, string, string],
        ]
      : []),
  ]),
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`\nwidgets bench (${version}, ${RUNS} runs)\n`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(10)}  ${c}`);
console.log("\nper file (gzip -9):");
for (const [f, n] of Object.entries(size.perFile))
  console.log(`  ${f.padEnd(28)} ${kb(n).padStart(10)}`);

console.log(
  `\nthe event list in one file (${kb(breakdown.oneFile)}), module by module (gzip -9 growth):`,
);
for (const m of breakdown.modules)
  console.log(
    `  ${m.module.padEnd(44)} ${String(m.gzip).padStart(6)} B  ${kb(m.cumulative).padStart(10)}`,
  );

await mkdir(resolve(RESULTS, ".."), { recursive: true });
await writeFile(
  RESULTS,
  `${JSON.stringify({ date: new Date().toISOString(), browser: version, runs: RUNS, size, pages, listBreakdown: breakdown, render }, null, 2)}\n`,
);
console.log(`\nwrote ${RESULTS}`);
