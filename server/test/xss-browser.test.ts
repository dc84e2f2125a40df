/**
 * XSS end to end, in real Chromium. Every payload of the corpus goes through every path that
 * stores text: the REST API (event, group, identity, comment), a signed ActivityPub inbox
 * (a followed remote group's events, its actors' names, a reply), and an imported iCal feed
 * (@eventail/sources). Then it is rendered where people see it: the widgets fed live from the
 * server and fed build-time data, the server's own HTML pages (with their CSP switched off,
 * so escaping alone must hold), and the HTML the static-site plugins write.
 *
 * "Nothing executes" is observed, not inferred: script payloads call alert() (a dialog in any
 * frame), resource payloads hit a loopback beacon, and every request the pages make is
 * logged. A control page serving the raw corpus proves the detector sees the payloads that
 * can run. A structural sweep (shadow roots included) then checks that no event handler,
 * script-capable element or script URL reached the DOM.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { EventJson } from "@eventail/core";
import {
  eventDetailsHtml,
  eventListHtml,
  icalSource,
  loadSource,
  type SiteEvent,
  toSiteEvent,
} from "@eventail/sources";
import { build } from "esbuild";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LiveInstance,
  RemoteStub,
  type StubActor,
  startInstance,
  until,
} from "./federation-helpers.ts";
import type { TestUser } from "./helpers.ts";
import { type XssPayload, xssCorpus } from "./xss-corpus.ts";

const REPO = resolve(import.meta.dirname, "../..");
const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** What the pages did that they should not have. */
interface Observed {
  dialogs: string[];
  beacon: string[];
  requests: string[];
}

/** Elements that can run script, load something, submit, or restyle the page. */
const ACTIVE = [
  "script",
  "iframe",
  "frame",
  "object",
  "embed",
  "svg",
  "math",
  "base",
  "meta",
  "link",
  "style",
  "form",
  "button",
  "input",
  "textarea",
  "video",
  "audio",
  "img",
  "details",
  "noscript",
];

/**
 * Walks the page and every shadow root below it; returns what should never be there. Runs in
 * the browser. `allowed` lists element names the page itself legitimately uses (its own
 * JSON-LD script, stylesheet, RSVP inputs) with a test for each.
 */
function sweep(activeJson: string, allowedJson: string): string[] {
  const active = new Set<string>(JSON.parse(activeJson));
  const allowed: Record<string, string> = JSON.parse(allowedJson);
  const bad: string[] = [];
  // The browser's own URL parser decides (it drops tabs, newlines and leading controls).
  const scriptUrl = {
    test: (value: string) => {
      try {
        return ["javascript:", "data:", "vbscript:"].includes(
          new URL(value, location.href).protocol,
        );
      } catch {
        return false;
      }
    },
  };
  const visit = (root: Document | ShadowRoot, where: string) => {
    for (const el of root.querySelectorAll("*")) {
      const name = el.localName;
      const rule = allowed[name];
      if (
        active.has(name) &&
        (rule === undefined || !new RegExp(rule).test(el.outerHTML.slice(0, 300)))
      )
        bad.push(`<${name}> in ${where}: ${el.outerHTML.slice(0, 120)}`);
      for (const attr of el.getAttributeNames()) {
        const value = el.getAttribute(attr) ?? "";
        if (/^on/i.test(attr)) bad.push(`${attr}= on <${name}> in ${where}`);
        if (
          /^(href|src|action|formaction|xlink:href|poster|data|srcdoc)$/i.test(attr) &&
          scriptUrl.test(value)
        )
          bad.push(`${attr}="${value.slice(0, 60)}" on <${name}> in ${where}`);
        if (attr === "style" && /url\(|expression\(/i.test(value))
          bad.push(`style="${value.slice(0, 60)}" on <${name}> in ${where}`);
      }
      if (el.shadowRoot) visit(el.shadowRoot, `${where} > ${name}`);
    }
  };
  visit(document, "page");
  return bad;
}

describe("XSS corpus through API, inbox and imported feeds, rendered in Chromium", () => {
  let a: LiveInstance;
  let stub: RemoteStub;
  let admin: TestUser;
  let browser: Browser;
  let site: Server;
  let siteOrigin = "";
  let beacon: Server;
  let beaconOrigin = "";
  const beaconHits: string[] = [];
  const pages = new Map<string, string>();
  let corpus: XssPayload[];
  const local: EventJson[] = [];
  const remote: EventJson[] = [];
  let imported: SiteEvent[] = [];
  const refused: string[] = [];
  let groupHandle = "";
  let identityHandle = "";
  let seq = 0;

  // Every event of the corpus in one month, so one calendar page shows them all.
  const month = (() => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + 2, 1);
    return d.toISOString().slice(0, 7);
  })();
  const dayOf = (n: number, hour = 18) =>
    `${month}-${String(1 + (n % 27)).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00Z`;

  beforeAll(async () => {
    beacon = createServer((req, res) => {
      beaconHits.push(req.url ?? "");
      res.writeHead(204, { "access-control-allow-origin": "*" }).end();
    });
    await new Promise<void>((r) => beacon.listen(0, "127.0.0.1", () => r()));
    beaconOrigin = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
    corpus = xssCorpus(beaconOrigin);

    a = await startInstance("sqlite");
    stub = await RemoteStub.start();
    admin = await a.user({ role: "admin" });

    // 1. The REST API: every text field of an event, a group, an identity, a comment.
    const short = (p: XssPayload, max: number) => p.markup.slice(0, max);
    const identity = await a.send(
      "POST",
      "/api/v1/identities",
      {
        handle: "xss_person",
        name: short(corpus[30]!, 100),
        bio: corpus
          .map((p) => p.markup)
          .join(" ")
          .slice(0, 1000),
      },
      admin.auth(),
    );
    expect(identity.status, await identity.clone().text()).toBe(201);
    identityHandle = "xss_person";
    // The hostile identity acts from here on: it organizes the events, so its name shows.
    const as = admin.auth((await identity.json()).id);
    const group = await a.send(
      "POST",
      "/api/v1/groups",
      {
        handle: "xss_group",
        name: short(corpus[12]!, 100),
        description: corpus.map((p) => p.markup).join("\n"),
      },
      as,
    );
    expect(group.status, await group.clone().text()).toBe(201);
    const groupJson = await group.json();
    groupHandle = "xss_group";
    // Resources with script URLs are refused at the boundary; a fine URL with a hostile title is kept.
    const badResource = await a.send(
      "PATCH",
      `/api/v1/groups/${groupHandle}`,
      { resources: [{ title: "x", url: `javascript:alert(1)` }] },
      as,
    );
    expect(badResource.status).toBe(422);
    refused.push("group resource url javascript: → 422");
    expect(
      (
        await a.send(
          "PATCH",
          `/api/v1/groups/${groupHandle}`,
          {
            resources: corpus
              .slice(0, 10)
              .map((p) => ({ title: short(p, 200), url: "https://tools.example.org/" })),
          },
          as,
        )
      ).status,
    ).toBe(200);

    for (const p of corpus) {
      const res = await a.send(
        "POST",
        "/api/v1/events",
        {
          title: short(p, 200),
          description: `<p>Before</p>${p.markup}<p>After</p>`,
          beginsAt: dayOf(p.n),
          endsAt: dayOf(p.n, 20),
          timezone: "Europe/Paris",
          address: {
            venue: short(p, 200),
            street: short(p, 200),
            locality: short(p, 100),
            latitude: 45.7,
            longitude: 4.8,
          },
          onlineUrl: "https://meet.example.org/room",
          tags: ["xss"],
          groupId: groupJson.id,
          capacity: 10,
        },
        as,
      );
      expect(res.status, p.name).toBe(201);
      local.push(await res.json());
    }
    // URL fields refuse script schemes with a 422 naming the field.
    for (const field of ["onlineUrl", "externalUrl"]) {
      const res = await a.send(
        "POST",
        "/api/v1/events",
        { title: "x", beginsAt: dayOf(1), timezone: "UTC", [field]: "javascript:alert(1)" },
        as,
      );
      expect(res.status).toBe(422);
      refused.push(`event ${field} javascript: → 422`);
    }
    for (const p of corpus.slice(0, 12)) {
      const res = await a.send(
        "POST",
        `/api/v1/events/${local[0]!.id}/comments`,
        { content: `Comment ${p.n}: ${p.markup}` },
        as,
      );
      expect(res.status, await res.clone().text()).toBe(201);
    }

    // 2. The inbox: a followed remote group with hostile names sends hostile events and replies.
    const grp: StubActor = await stub.actor("grp", "Group", {
      name: short(corpus[0]!, 100),
      summary: corpus.map((p) => p.markup).join(" "),
    });
    const bob: StubActor = await stub.actor("bob", "Person", { name: corpus[1]!.markup });
    const res = await a.send(
      "POST",
      "/api/v1/federation/follows",
      { target: grp.id, as: "relay" },
      admin.auth(),
    );
    expect(res.status).toBe(202);
    await a.services.federation.drained();
    const follow = (await until(() => stub.inboxed("Follow")[0], "Follow")).json;
    const activity = (type: string, actor: StubActor, object: unknown) => ({
      "@context": [
        "https://www.w3.org/ns/activitystreams",
        { mz: "https://joinmobilizon.org/ns#", joinMode: "mz:joinMode", timezone: "mz:timezone" },
      ],
      id: `${actor.id}/activities/${++seq}`,
      type,
      actor: actor.id,
      to: [PUBLIC],
      object,
    });
    const inbox = async (body: unknown, as: StubActor) => {
      const r = await a.app.request(await stub.signed(`${a.origin}/inbox`, body, as));
      expect(r.status).toBe(202);
    };
    await inbox(activity("Accept", grp, follow), grp);
    for (const p of corpus) {
      await inbox(
        activity("Create", grp, {
          id: `${stub.origin}/events/x${p.n}`,
          type: "Event",
          url: p.n === 5 ? `javascript:alert(${p.n})` : `${stub.origin}/events/x${p.n}/page`,
          name: `Remote ${p.n} ${p.markup}`,
          content: `<p>Remote</p>${p.markup}`,
          summary: p.markup,
          startTime: dayOf(p.n, 10),
          endTime: dayOf(p.n, 12),
          timezone: "Europe/Paris",
          location: {
            type: "Place",
            name: p.markup,
            address: { type: "PostalAddress", streetAddress: p.markup, addressLocality: p.markup },
          },
          tag: [{ type: "Hashtag", name: `#${p.markup}` }],
          attributedTo: grp.id,
          actor: bob.id,
          to: [PUBLIC],
        }),
        grp,
      );
    }
    await inbox(
      activity("Create", bob, {
        id: `${bob.id}/statuses/1`,
        type: "Note",
        attributedTo: bob.id,
        inReplyTo: local[0]!.url,
        content: corpus.map((p) => p.markup).join(" "),
        to: [PUBLIC],
      }),
      bob,
    );
    await a.services.federation.drained();
    const listing = async () =>
      (await (await a.request(`/api/v1/events?from=${month}-01T00:00:00Z&limit=100`)).json())
        .items as EventJson[];
    const remoteItems = await until(
      async () => {
        const items = (await listing()).filter((e) => e.remote);
        return items.length >= corpus.length && items;
      },
      "the remote events",
      20_000,
    );
    remote.push(...remoteItems);

    // 3. An imported iCal feed (what the Astro and Eleventy plugins read), served on loopback.
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//xss//EN",
      ...corpus.flatMap((p) => {
        const text = p.markup
          .replace(/\\/g, "\\\\")
          .replace(/;/g, "\\;")
          .replace(/,/g, "\\,")
          .replace(/\n/g, "\\n");
        return [
          "BEGIN:VEVENT",
          `UID:xss-${p.n}@feed.test`,
          `DTSTAMP:20260101T000000Z`,
          `DTSTART:${dayOf(p.n, 14).replace(/[-:]/g, "")}`,
          `DTEND:${dayOf(p.n, 15).replace(/[-:]/g, "")}`,
          `SUMMARY:${text}`,
          `DESCRIPTION:${text}`,
          `LOCATION:${text}`,
          `X-ALT-DESC;FMTTYPE=text/html:${text}`,
          `URL:${p.n % 2 ? `javascript:alert(${p.n})` : "https://feed.test/e"}`,
          "END:VEVENT",
        ];
      }),
      "END:VCALENDAR",
      "",
    ].join("\r\n");

    // The site: the organization's origin, hosting the widget bundle and test pages.
    const bundle = await build({
      entryPoints: [join(REPO, "widgets/src/index.ts")],
      bundle: true,
      format: "esm",
      write: false,
      target: "es2022",
      conditions: ["production"],
      logLevel: "silent",
    });
    const widgetsJs = bundle.outputFiles[0]!.text;
    site = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0]!;
      if (path === "/widgets.js")
        return void res.writeHead(200, { "content-type": "text/javascript" }).end(widgetsJs);
      if (path === "/feed.ics")
        return void res.writeHead(200, { "content-type": "text/calendar" }).end(ics);
      const page = pages.get(path);
      if (page === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", () => r()));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    const loaded = await loadSource(
      icalSource({
        url: `${siteOrigin}/feed.ics`,
        allowPrivateNetwork: true,
        from: new Date(),
        onInvalidEvent: "skip",
      }),
    );
    imported = loaded.events.map((e) =>
      toSiteEvent(e, { name: "feed", kind: "ical", origin: siteOrigin }),
    );
    expect(imported.length).toBe(corpus.length);

    browser = await puppeteer.launch({
      executablePath: CHROME,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await a?.stop();
    await stub?.close();
    for (const server of [site, beacon]) if (server) await new Promise((r) => server.close(r));
  });

  /** Opens `url`, lets it settle, and returns what it did and what its DOM holds. */
  async function visit(
    url: string,
    opts: {
      bypassCsp?: boolean;
      settle?: "load" | "networkidle0";
      ready?: (page: Page) => Promise<void>;
      allowed?: Record<string, string>;
    } = {},
  ): Promise<Observed & { bad: string[] }> {
    const page = await browser.newPage();
    const seen: Observed = { dialogs: [], beacon: [], requests: [] };
    const hitsBefore = beaconHits.length;
    page.on("dialog", (d) => {
      seen.dialogs.push(d.message());
      // The page may close first (a control page); the dialog goes with it.
      d.dismiss().catch(() => {});
    });
    page.on("request", (r) => {
      seen.requests.push(r.url());
    });
    if (opts.bypassCsp) await page.setBypassCSP(true);
    try {
      await page.goto(url, { waitUntil: opts.settle ?? "networkidle0", timeout: 30_000 });
      await opts.ready?.(page);
      await new Promise((r) => setTimeout(r, opts.settle === "load" ? 150 : 300));
      const bad = (await page.evaluate(
        sweep,
        JSON.stringify(ACTIVE),
        JSON.stringify({ ...TEST_PAGE, ...opts.allowed }),
      )) as string[];
      seen.beacon = beaconHits.slice(hitsBefore);
      return { ...seen, bad };
    } finally {
      await page.close();
    }
  }

  /** Every request a page made went to these origins (no third party, no beacon). */
  function onlyTo(requests: string[], origins: string[]): string[] {
    return requests.filter(
      (u) => !u.startsWith("data:") && !origins.some((o) => u.startsWith(`${o}/`)),
    );
  }

  it("the detector sees the payloads that run when served raw (control)", async () => {
    // One page per payload, so one cannot disarm another (an unclosed tag, a <base>).
    const ran: number[] = [];
    for (const p of corpus) {
      pages.set(
        `/control/${p.n}.html`,
        `<!doctype html><html><head><title>control</title></head><body><p>${p.markup}</p></body></html>`,
      );
      const seen = await visit(`${siteOrigin}/control/${p.n}.html`, { settle: "load" });
      if (seen.dialogs.includes(String(p.n)) || seen.beacon.some((u) => u.startsWith(`/${p.n}`)))
        ran.push(p.n);
    }
    const expected = corpus.filter((p) => p.runsRaw).map((p) => p.n);
    expect(expected.length).toBeGreaterThan(15);
    expect(ran, "payloads that ran raw").toEqual(expected);
  }, 120_000);

  it("stored text holds no markup that can run, and URL fields refuse script schemes", async () => {
    expect(refused).toHaveLength(3);
    const dangerous =
      /<(script|iframe|svg|math|object|embed|style|img|form|base|meta|link|video)\b|\son\w+\s*=|(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):/i;
    for (const e of [...local, ...remote]) {
      expect(e.description, e.title).not.toMatch(dangerous);
      for (const url of [e.url, e.onlineUrl, e.externalUrl, e.remote?.url])
        if (url) expect(url, `a URL of ${e.title}`).toMatch(/^https?:\/\//);
    }
    // The remote event whose url was javascript: lost the url, not the event.
    expect(remote.find((e) => e.remote?.id.endsWith("/events/x5"))?.title).toBe("Remote 5 link");
    const comments = await (await a.request(`/api/v1/events/${local[0]!.id}/comments`)).json();
    expect(comments.items.length).toBeGreaterThanOrEqual(12);
    for (const c of comments.items) expect(c.content).not.toMatch(dangerous);
    const group = await (await a.request(`/api/v1/groups/${groupHandle}`)).json();
    expect(group.description).not.toMatch(dangerous);
    for (const e of imported) {
      expect(e.description).not.toMatch(dangerous);
      if (e.url) expect(e.url).toMatch(/^https?:\/\//);
    }
  });

  it("widgets fed live by the server render every payload inert", async () => {
    const ids = [...local, ...remote].map((e) => e.id);
    pages.set(
      "/live.html",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>live</title>
<script type="module" src="/widgets.js"></script></head><body>
<ev-event-list src="${a.origin}" limit="100" from="${month}-01T00:00:00Z" layout="cards"></ev-event-list>
<ev-event-list src="${a.origin}" limit="100" from="${month}-01T00:00:00Z" layout="compact"></ev-event-list>
<ev-calendar src="${a.origin}" month="${month}"></ev-calendar>
<ev-calendar src="${a.origin}" month="${month}" view="agenda"></ev-calendar>
<ev-group src="${a.origin}" handle="${groupHandle}"></ev-group>
${ids.map((id) => `<ev-event src="${a.origin}" event-id="${id}"><ev-rsvp slot="rsvp"></ev-rsvp></ev-event>`).join("\n")}
</body></html>`,
    );
    const seen = await visit(`${siteOrigin}/live.html`, {
      ready: (page) => rendered(page, ids.length),
      allowed: WIDGET_CONTROLS,
    });
    expect(seen.dialogs).toEqual([]);
    expect(seen.beacon).toEqual([]);
    expect(seen.bad).toEqual([]);
    expect(onlyTo(seen.requests, [siteOrigin, a.origin])).toEqual([]);
  }, 60_000);

  it("widgets given build-time data (the imported feed) render every payload inert", async () => {
    pages.set(
      "/imported.html",
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>imported</title>
<script type="module">
import "/widgets.js";
const events = ${JSON.stringify(imported).replace(/</g, "\\u003c")};
for (const sel of ["ev-event-list", "ev-calendar"]) document.querySelector(sel).events = events;
for (const e of events) {
  const el = document.createElement("ev-event");
  el.event = e;
  document.body.append(el);
}
</script></head><body>
<ev-event-list layout="cards"></ev-event-list>
<ev-calendar month="${month}"></ev-calendar>
</body></html>`,
    );
    const seen = await visit(`${siteOrigin}/imported.html`, {
      ready: (page) => rendered(page, imported.length),
      allowed: WIDGET_CONTROLS,
    });
    expect(seen.dialogs).toEqual([]);
    expect(seen.beacon).toEqual([]);
    expect(seen.bad).toEqual([]);
    expect(onlyTo(seen.requests, [siteOrigin])).toEqual([]);
  }, 60_000);

  it("widgets fed by a hostile server that sanitizes nothing still render every payload inert", async () => {
    // A compromised or foreign server: every text field is raw markup, every URL a script URL.
    const raw = (e: EventJson, p: XssPayload): EventJson => ({
      ...e,
      title: p.markup,
      description: `<p>Raw</p>${p.markup}`,
      url: `javascript:alert(${p.n})`,
      onlineUrl: `javascript:alert(${p.n})`,
      externalUrl: `data:text/html,<script>alert(${p.n})</script>`,
      address: { venue: p.markup, street: p.markup, locality: p.markup, latitude: 1, longitude: 2 },
      tags: [p.markup],
      banner: { url: `javascript:alert(${p.n})`, alt: p.markup, mediaType: "image/png" } as never,
      organizer: { ...e.organizer, name: p.markup, url: `javascript:alert(${p.n})` } as never,
    });
    const events = corpus.map((p, i) => raw(local[i % local.length]!, p));
    const group = {
      ...(await (await a.request(`/api/v1/groups/${groupHandle}`)).json()),
      name: corpus[0]!.markup,
      description: corpus.map((p) => p.markup).join(""),
      url: "javascript:alert(0)",
      avatar: { url: "javascript:alert(0)", alt: corpus[1]!.markup },
      banner: { url: `${beaconOrigin}/banner`, alt: corpus[2]!.markup },
      resources: corpus.map((p) => ({ title: p.markup, url: `javascript:alert(${p.n})` })),
    };
    const hostile = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0]!;
      const m = /^\/api\/v1\/events\/([^/]+)$/.exec(path);
      const body =
        path === "/api/v1/events"
          ? { items: events, next: null }
          : m
            ? events.find((e) => e.id === decodeURIComponent(m[1]!))
            : path.startsWith("/api/v1/groups/")
              ? group
              : undefined;
      res
        .writeHead(body ? 200 : 404, {
          "content-type": "application/json",
          "access-control-allow-origin": "*",
        })
        .end(JSON.stringify(body ?? { status: 404 }));
    });
    await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", () => r()));
    const evil = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      pages.set(
        "/hostile.html",
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title>
<script type="module" src="/widgets.js"></script></head><body>
<ev-event-list src="${evil}" limit="100" layout="cards"></ev-event-list>
<ev-calendar src="${evil}" month="${month}" view="agenda"></ev-calendar>
<ev-group src="${evil}" handle="${groupHandle}"></ev-group>
${events.map((e) => `<ev-event src="${evil}" event-id="${e.id}"></ev-event>`).join("\n")}
</body></html>`,
      );
      const seen = await visit(`${siteOrigin}/hostile.html`, {
        ready: (page) => rendered(page, events.length),
        allowed: WIDGET_CONTROLS,
      });
      expect(seen.dialogs).toEqual([]);
      expect(seen.beacon).toEqual([]);
      expect(seen.bad).toEqual([]);
      expect(onlyTo(seen.requests, [siteOrigin, evil])).toEqual([]);
    } finally {
      await new Promise((r) => hostile.close(r));
    }
  }, 60_000);

  it("the server's pages escape every payload, even with their CSP switched off", async () => {
    const urls = [
      "/",
      `/@${groupHandle}`,
      `/@${identityHandle}`,
      ...[...local, ...remote].map((e) => `/events/${e.id}`),
    ];
    let checked = 0;
    for (const path of urls) {
      const seen = await visit(`${a.origin}${path}`, {
        bypassCsp: true,
        settle: "load",
        allowed: SERVER_PAGE,
      });
      expect(seen.dialogs, path).toEqual([]);
      expect(seen.beacon, path).toEqual([]);
      expect(seen.bad, path).toEqual([]);
      expect(onlyTo(seen.requests, [a.origin]), path).toEqual([]);
      checked++;
    }
    expect(checked).toBe(3 + local.length + remote.length);
  }, 120_000);

  it("the HTML the static-site plugins write escapes every payload", async () => {
    pages.set(
      "/static.html",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static</title></head><body>
${eventListHtml(imported, (e) => `/events/${e.slug}/`)}
${imported.map((e) => eventDetailsHtml(e, { rsvp: false, headingLevel: 2 })).join("\n")}
</body></html>`,
    );
    const seen = await visit(`${siteOrigin}/static.html`);
    expect(seen.dialogs).toEqual([]);
    expect(seen.beacon).toEqual([]);
    expect(seen.bad).toEqual([]);
    expect(onlyTo(seen.requests, [siteOrigin])).toEqual([]);
  }, 60_000);
});

/** The test pages' own head: the charset and the widget bundle. */
const TEST_PAGE: Record<string, string> = {
  meta: '^<meta charset="utf-8">',
  script: '^<script type="module"',
};

/**
 * The widgets' own controls (buttons, the RSVP form): they carry a `part`, which the
 * description allowlist never lets through, so a payload cannot pass for one.
 */
const WIDGET_CONTROLS: Record<string, string> = {
  form: "^<form part=",
  input: '^<input (part="input"|id="website")',
  textarea: '^<textarea part="input"',
  button: "^<button part=",
  img: '^<img part="(banner|avatar)"',
};

/** The server page's own head: its stylesheet, JSON-LD and the page's meta tags. */
const SERVER_PAGE: Record<string, string> = {
  script: '^<script type="application/ld\\+json">',
  meta: '^<meta (charset|name|property)="',
  link: '^<link rel="(alternate|stylesheet|icon|canonical)"',
  style: "^<style>",
  img: '^<img[^>]*src="/media/',
  form: '^<form[^>]*action="/',
  button: "^<button",
  input: "^<input",
};

/** Waits until every widget on the page has finished rendering its data. */
async function rendered(page: Page, events: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const els = [...document.querySelectorAll("ev-event-list, ev-calendar, ev-event, ev-group")];
      if (els.filter((e) => e.localName === "ev-event").length < n) return false;
      return els.every((e) => {
        const root = e.shadowRoot;
        return (
          root && !root.querySelector("[part~=loading]") && root.textContent!.trim().length > 0
        );
      });
    },
    { timeout: 60_000 },
    events,
  );
}
