/**
 * The newcomer's journey, end to end in Chromium, against the whole demo (`startDemo`: two
 * instances and the three example sites on free loopback ports):
 * - plain HTML site: upcoming events, open one, RSVP, follow the link from the dev outbox,
 *   confirmed, one place fewer;
 * - Astro site: the same on its event page;
 * - second instance: shows the first one's events; an RSVP made there counts on the first;
 * - the playground builds a snippet.
 * Screenshots of each site and of the playground go to docs/screenshots/ (shown in the README).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import type { EventJson } from "@eventail/core";
import puppeteer, { type Browser, type ElementHandle, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, FIRST_LOGIN, ROOT, SECOND_LOGIN, startDemo } from "../lib/demo.ts";

const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
const SHOTS = joinPath(ROOT, "docs/screenshots");

/** The first element matching `selector` inside the shadow root of the first `host`. */
async function inShadow(page: Page, host: string, selector: string, timeout = 20_000) {
  const handle = await page.waitForFunction(
    (h, s) => document.querySelector(h)?.shadowRoot?.querySelector(s) ?? null,
    { timeout },
    host,
    selector,
  );
  return handle.asElement() as ElementHandle<Element>;
}

async function shadowText(page: Page, host: string, selector: string): Promise<string> {
  const el = await inShadow(page, host, selector);
  return el.evaluate((e) => e.textContent?.replace(/\s+/g, " ").trim() ?? "");
}

async function event(server: string, id: string): Promise<EventJson> {
  return (await fetch(`${server}/api/v1/events/${id}`, { cache: "no-store" })).json();
}

describe("the demo, as a newcomer sees it", () => {
  let demo: Demo;
  let data: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    data = await mkdtemp(joinPath(tmpdir(), "eventail-demo-"));
    // Port 0: free ports, taken at start (a port chosen in advance can be taken meanwhile).
    demo = await startDemo({
      dataDir: data,
      ports: { first: 0, second: 0, astro: 0, eleventy: 0, html: 0 },
      log: () => {},
      rebuildWidgets: true,
    });
    browser = await puppeteer.launch({
      executablePath: CHROME,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await mkdir(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (data) await rm(data, { recursive: true, force: true });
  });

  /** RSVPs through the form on the current page, then confirms from the dev outbox. */
  async function rsvpAndConfirm(email: string): Promise<void> {
    const form = await inShadow(page, "ev-rsvp", "#email");
    await form.evaluate((input) => input.scrollIntoView());
    const name = await inShadow(page, "ev-rsvp", "#name");
    await name.type("Ana Visitor");
    await form.type(email);
    await (await inShadow(page, "ev-rsvp", "[part~=submit]")).click();
    await inShadow(page, "ev-rsvp", "[part~=result-sent]");

    // The demo sends no mail: the dev outbox shows it, link included.
    const outbox = await (await fetch(`${demo.first}/dev/outbox`)).text();
    const mail = outbox.split("<article>").find((m) => m.includes(`To ${email}`));
    expect(mail, `an email to ${email} in the dev outbox`).toBeTruthy();
    const link = /href="([^"]*ev-action=confirm[^"]*)"/.exec(mail!)?.[1]?.replaceAll("&amp;", "&");
    expect(link, "a confirmation link").toBeTruthy();
    await page.goto(link!, { waitUntil: "networkidle0" });
    await inShadow(page, "ev-rsvp", "[part~=result-confirmed]");
  }

  it("plain HTML site: upcoming events, open one, RSVP, confirm from the outbox, one place fewer", async () => {
    await page.goto(`${demo.sites.html}/`, { waitUntil: "networkidle0" });
    await inShadow(page, "ev-event-list", "[part~=item]");
    await inShadow(page, "ev-calendar", "[part~=grid]");
    await page.screenshot({ path: joinPath(SHOTS, "site-html.png") });

    // An event of the list that takes RSVPs and shows its places: the one a visitor opens.
    const shown = (
      await (await fetch(`${demo.first}/api/v1/events?group=climate_lyon&limit=6`)).json()
    ).items as EventJson[];
    const target = shown.find(
      (e) =>
        e.rsvpOpen && e.joinMode === "free" && e.capacity > 0 && (e.remainingCapacity ?? 0) >= 1,
    );
    expect(
      target,
      `an open event with places among ${JSON.stringify(shown.map((e) => [e.title, e.capacity, e.remainingCapacity, e.rsvpOpen, e.joinMode]))}`,
    ).toBeTruthy();
    const before = await event(demo.first, target!.id);
    const link = await page.waitForFunction(
      (title) =>
        [
          ...(document.querySelector("ev-event-list")?.shadowRoot?.querySelectorAll("a") ?? []),
        ].find((a) => a.textContent?.trim() === title) ?? null,
      {},
      target!.title,
    );
    await Promise.all([
      page.waitForNavigation(),
      (link.asElement() as ElementHandle<Element>).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe("/event.html");
    expect(await shadowText(page, "ev-event", "[part~=title]")).toBe(target!.title);
    const placesBefore = await shadowText(page, "ev-event", "[part~=capacity]");
    expect(placesBefore).toContain(String(before.remainingCapacity));

    await rsvpAndConfirm(`html-${Date.now()}@visitor.test`);
    // Back on the organization's own page, the count went up and a place is gone.
    expect(new URL(page.url()).origin).toBe(demo.sites.html);
    const after = await event(demo.first, target!.id);
    expect(after.participantCount).toBe(before.participantCount + 1);
    await page.goto(`${demo.sites.html}/event.html?id=${target!.id}`, {
      waitUntil: "networkidle0",
    });
    expect(after.remainingCapacity).toBe(before.remainingCapacity! - 1);
    const placesAfter = await shadowText(page, "ev-event", "[part~=capacity]");
    expect(placesAfter).not.toBe(placesBefore);
    // The demo's workshop had one place left: it is full now, and the page says what happens next.
    if (after.remainingCapacity === 0) expect(placesAfter).toMatch(/waiting list/);
    else expect(placesAfter).toContain(String(after.remainingCapacity));
  }, 120_000);

  it("Astro site: its event page takes the RSVP, confirmed from the outbox", async () => {
    await page.goto(`${demo.sites.astro}/`, { waitUntil: "networkidle0" });
    await inShadow(page, "ev-calendar", "[part~=grid]");
    await page.screenshot({ path: joinPath(SHOTS, "site-astro.png") });

    const all = (
      await (await fetch(`${demo.first}/api/v1/events?group=climate_lyon&limit=50`)).json()
    ).items as EventJson[];
    const target = all.find(
      (e) => e.rsvpOpen && e.joinMode === "free" && !e.recurrence && e.capacity === 0,
    );
    expect(target, "an open Climate Action Lyon event").toBeTruthy();
    const before = await event(demo.first, target!.id);
    // The build-time list links each event to its page on this site.
    const href = await page.$$eval(
      "a",
      (as, title) => as.find((a) => a.textContent?.trim() === title)?.getAttribute("href") ?? null,
      target!.title,
    );
    expect(href, "a link to the event's page").toMatch(/^\/events\/.+\/$/);
    await page.goto(`${demo.sites.astro}${href}`, { waitUntil: "networkidle0" });
    expect(await page.$eval("h1", (h) => h.textContent?.trim())).toBe(target!.title);
    await page.screenshot({ path: joinPath(SHOTS, "site-astro-event.png") });

    await rsvpAndConfirm(`astro-${Date.now()}@visitor.test`);
    expect(page.url().startsWith(`${demo.sites.astro}${href}`)).toBe(true);
    expect((await event(demo.first, target!.id)).participantCount).toBe(
      before.participantCount + 1,
    );
  }, 120_000);

  it("Eleventy site: the French site lists the group's events and embeds the live list", async () => {
    await page.goto(`${demo.sites.eleventy}/`, { waitUntil: "networkidle0" });
    expect(await page.$$eval("main li a", (as) => as.length)).toBeGreaterThan(2);
    await inShadow(page, "ev-event-list", "[part~=item]");
    expect(await page.$eval("html", (h) => h.lang)).toBe("fr");
    await page.screenshot({ path: joinPath(SHOTS, "site-eleventy.png") });
  }, 60_000);

  it("second instance: shows the first one's events, and its RSVP counts on the first", async () => {
    const listing = (await (await fetch(`${demo.second}/api/v1/events?limit=100`)).json())
      .items as EventJson[];
    const remote = listing.filter((e) => e.remote);
    expect(remote.length).toBeGreaterThan(5);
    await page.goto(`${demo.second}/`, { waitUntil: "networkidle0" });
    const text = await page.$eval("main", (m) => m.textContent ?? "");
    expect(text).toContain(remote[0]!.title);
    await page.screenshot({ path: joinPath(SHOTS, "second-instance.png") });

    // Noor, on the second instance, joins an event of the first: a Join over ActivityPub.
    const copy = remote.find((e) => e.joinMode === "free" && e.status === "confirmed")!;
    const firstId = new URL(copy.remote!.id).pathname.split("/").pop()!;
    const before = await event(demo.first, firstId);
    const session = await fetch(`${demo.second}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SECOND_LOGIN),
    });
    const cookie = session.headers.get("set-cookie")!.split(";")[0]!;
    // Signed in on the second instance, the same RSVP call as for a local event.
    const join = await fetch(`${demo.second}/api/v1/events/${copy.id}/participations`, {
      method: "POST",
      headers: { cookie, origin: demo.second, "content-type": "application/json" },
      body: "{}",
    });
    expect(join.status, await join.clone().text()).toBeLessThan(300);
    const end = Date.now() + 30_000;
    let count = before.participantCount;
    while (Date.now() < end && count === before.participantCount) {
      await new Promise((r) => setTimeout(r, 250));
      count = (await event(demo.first, firstId)).participantCount;
    }
    expect(count).toBe(before.participantCount + 1);
  }, 90_000);

  it("playground: pick an element and get its snippet", async () => {
    await page.goto(`${demo.first}/playground`, { waitUntil: "networkidle0" });
    await inShadow(page, "ev-event-list", "[part~=item]");
    // One tall viewport rather than a stitched full-page shot: off-screen widget rows are
    // not painted (content-visibility) and would show blank.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewport({ width: 1100, height: Math.min(height, 4000) });
    await page.screenshot({ path: joinPath(SHOTS, "playground.png") });
    await page.setViewport({ width: 1100, height: 900 });
    await Promise.all([page.waitForNavigation(), page.select("#element", "ev-calendar")]);
    await inShadow(page, ".preview ev-calendar", "[part~=grid]");
    const snippet = await page.$eval("#snippet", (c) => c.textContent ?? "");
    expect(snippet).toContain(
      `<script type="module" src="${demo.first}/widgets/eventail.js"></script>`,
    );
    expect(snippet).toContain(`<ev-calendar src="${demo.first}"`);
  }, 60_000);

  it("console: the printed login signs in, and the federation screen lists the second instance as a follower", async () => {
    await page.goto(`${demo.first}/console`, { waitUntil: "networkidle0" });
    await page.waitForSelector("pierce/#email");
    await page.type("pierce/#email", FIRST_LOGIN.email);
    await page.type("pierce/#password", FIRST_LOGIN.password);
    await page.click("pierce/button[type=submit]");
    await page.waitForSelector("pierce/ul.cards a.card-title", { timeout: 20_000 });
    await page.evaluate(() => {
      location.hash = "#/admin/federation";
    });
    await page.waitForFunction(
      (relay) => {
        const walk = (root: Document | ShadowRoot): boolean =>
          [...root.querySelectorAll("*")].some(
            (el) =>
              (el.classList.contains("card-title") && el.textContent?.trim() === relay) ||
              (el.shadowRoot ? walk(el.shadowRoot) : false),
          );
        return walk(document);
      },
      { timeout: 20_000 },
      `${demo.second}/@relay`,
    );
  }, 60_000);
});
