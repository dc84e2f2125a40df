import { expect } from "@esm-bundle/chai";
import { emulateMedia } from "@web/test-runner-commands";
import { html } from "lit";
import {
  $,
  $$,
  cleanup,
  expectAccessible,
  expectNoXss,
  fixture,
  has,
  makeEvent,
  servers,
  text,
  until,
  XSS,
} from "../../test/helpers.ts";
import "./element.ts";
import type { EvEventList } from "./element.ts";

afterEach(cleanup);

const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeEvent({
      id: `m${i}`,
      title: `Meeting ${i}`,
      beginsAt: new Date(Date.UTC(2030, 0, 1 + i, 18)).toISOString(),
      endsAt: new Date(Date.UTC(2030, 0, 1 + i, 20)).toISOString(),
    }),
  );

describe("ev-event-list from a property", () => {
  it("renders every event with a link, date, time and place", async () => {
    const events = [
      makeEvent({ title: "Repair café" }),
      makeEvent({ title: "Bike ride", status: "cancelled" }),
      makeEvent({ title: "Workshop", capacity: 12, remainingCapacity: 0 }),
    ];
    const el = await fixture<EvEventList>(
      html`<ev-event-list lang="en" timezone="Europe/Paris" .events=${events}></ev-event-list>`,
    );
    const links = $$<HTMLAnchorElement>(el, "[part~=link]");
    expect(links.map((a) => a.textContent)).to.deep.equal(["Repair café", "Bike ride", "Workshop"]);
    expect(links[0]!.href).to.equal(events[0]!.url);
    const meta = $(el, "[part~=meta]")!.textContent!.replace(/\s+/g, " ");
    expect(meta).to.contain("Tue, Dec 3");
    expect(meta).to.match(/7:00\s?–\s?9:00\s?PM/);
    expect(meta).to.contain("Maison des Passages");
    expect($(el, "[part~=badge-cancelled]")!.textContent).to.equal("Cancelled");
    expect($(el, "[part~=badge-full]")!.textContent).to.equal("Full");
    expect($(el, "[part~=title]")!.getAttribute("aria-level")).to.equal("3");
    await expectAccessible(el);
  });

  for (const layout of ["list", "compact", "cards"] as const) {
    it(`has the ${layout} layout, accessible`, async () => {
      const events = [
        makeEvent({
          banner: {
            url: "https://events.example.org/media/b.jpg",
            alt: "People repairing",
            mediaType: "image/jpeg",
          },
        }),
        makeEvent({
          attendanceMode: "online",
          address: null,
          onlineUrl: "https://meet.example.org/x",
        }),
      ];
      const el = await fixture<EvEventList>(
        html`<ev-event-list layout=${layout} .events=${events}></ev-event-list>`,
      );
      expect($(el, "[part~=list]")!.classList.contains(layout)).to.equal(true);
      const img = $<HTMLImageElement>(el, "img[part~=banner]");
      if (layout === "cards") expect(img?.alt).to.equal("People repairing");
      else expect(img === null).to.equal(true);
      expect(text(el)).to.contain("Online");
      await expectAccessible(el);
    });
  }

  it("pages locally with limit and moves focus to the first new event", async () => {
    const el = await fixture<EvEventList>(
      html`<ev-event-list limit="10" .events=${many(25)}></ev-event-list>`,
    );
    expect($$(el, "[part~=item]")).to.have.length(10);
    $<HTMLButtonElement>(el, "[part~=more]")!.click();
    await el.updateComplete;
    expect($$(el, "[part~=item]")).to.have.length(20);
    expect(el.shadowRoot!.activeElement?.textContent).to.equal("Meeting 10");
    $<HTMLButtonElement>(el, "[part~=more]")!.click();
    await el.updateComplete;
    expect($$(el, "[part~=item]")).to.have.length(25);
    expect(has(el, "[part~=more]")).to.equal(false);
  });

  it("says so when there are no events, in English and in French", async () => {
    const en = await fixture<EvEventList>(
      html`<ev-event-list lang="en" .events=${[]}></ev-event-list>`,
    );
    expect(text(en)).to.equal("No upcoming events.");
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="fr-CA"><ev-event-list .events=${[]}></ev-event-list></div>`,
    );
    const fr = wrapper.querySelector("ev-event-list")!;
    await fr.updateComplete;
    expect(text(fr)).to.equal("Aucun événement à venir.");
    fr.setAttribute("lang", "en");
    await fr.updateComplete;
    expect(text(fr)).to.equal("No upcoming events.");
  });

  it("follows lang changes on an ancestor and on the document", async () => {
    const before = document.documentElement.lang;
    try {
      document.documentElement.lang = "fr";
      const wrapper = await fixture<HTMLElement>(
        html`<div><section lang="en"><ev-event-list .events=${[]}></ev-event-list></section></div>`,
      );
      const el = wrapper.querySelector("ev-event-list")!;
      const section = wrapper.querySelector("section")!;
      await el.updateComplete;
      expect(text(el)).to.equal("No upcoming events.");
      section.setAttribute("lang", "fr");
      await until(() => text(el) === "Aucun événement à venir.", "ancestor lang change not seen");
      section.removeAttribute("lang");
      // Now the document's lang applies; changing it re-renders too.
      await until(() => text(el) === "Aucun événement à venir.");
      document.documentElement.lang = "en";
      await until(() => text(el) === "No upcoming events.", "document lang change not seen");
    } finally {
      document.documentElement.lang = before;
    }
  });

  it("formats dates in French", async () => {
    const el = await fixture<EvEventList>(
      html`<ev-event-list lang="fr" timezone="Europe/Paris" .events=${[makeEvent()]}></ev-event-list>`,
    );
    const meta = $(el, "[part~=meta]")!.textContent!.replace(/\s+/g, " ");
    expect(meta).to.contain("mar. 3 déc.");
    expect(meta).to.match(/19:00\s?–\s?21:00/);
    expect(meta).to.contain("Maison des Passages");
  });

  it("fires a cancelable ev-select", async () => {
    const e = makeEvent({ title: "Pick me" });
    const el = await fixture<EvEventList>(html`<ev-event-list .events=${[e]}></ev-event-list>`);
    let got: unknown = null;
    el.addEventListener("ev-select", (ev) => {
      got = (ev as CustomEvent).detail.event;
      ev.preventDefault();
    });
    $<HTMLAnchorElement>(el, "[part~=link]")!.click();
    expect(got).to.equal(e);
  });
});

describe("ev-event-list time zones", () => {
  it("shows in-person events in the venue's zone, naming it when it is not the viewer's", async () => {
    const el = await fixture<EvEventList>(
      html`<ev-event-list lang="en" timezone="America/New_York" .events=${[makeEvent()]}></ev-event-list>`,
    );
    const meta = $(el, "[part~=meta]")!.textContent!.replace(/\s+/g, " ");
    expect(meta).to.match(/7:00\s?–\s?9:00\s?PM/);
    expect(meta).to.match(/GMT\+1|CET/);
  });

  it("shows online events in the viewer's zone", async () => {
    const online = makeEvent({
      attendanceMode: "online",
      address: null,
      onlineUrl: "https://meet.example.org/x",
    });
    const el = await fixture<EvEventList>(
      html`<ev-event-list lang="en" timezone="Asia/Tokyo" .events=${[online]}></ev-event-list>`,
    );
    const meta = $(el, "[part~=meta]")!.textContent!.replace(/\s+/g, " ");
    // 19:00 in Paris (UTC+1) is 03:00 the next day in Tokyo.
    expect(meta).to.contain("Wed, Dec 4");
    expect(meta).to.match(/3:00\s?–\s?5:00\s?AM/);
    expect(meta).not.to.match(/GMT|JST/);
  });
});

describe("ev-event-list safety and theming", () => {
  it("renders hostile titles and URLs inert", async () => {
    const e = makeEvent({ title: XSS.title, url: XSS.url, address: { venue: XSS.title } });
    const el = await fixture<EvEventList>(
      html`<ev-event-list layout="cards" .events=${[e]}></ev-event-list>`,
    );
    expect($(el, "[part~=title]")!.textContent).to.contain("<script>");
    expect(has(el, "[part~=link]")).to.equal(false);
    await expectNoXss(el);
  });

  it("exposes parts and follows --ev-* custom properties and the theme attribute", async () => {
    const el = await fixture<EvEventList>(
      html`<ev-event-list style="--ev-accent: rgb(200, 0, 100); --ev-radius: 3px" limit="1" .events=${many(2)}></ev-event-list>`,
    );
    for (const part of ["list", "item", "date", "title", "link", "meta", "more"])
      expect(has(el, `[part~=${part}]`), part).to.equal(true);
    expect(getComputedStyle($(el, "[part~=link]")!).color).to.equal("rgb(200, 0, 100)");
    expect(getComputedStyle($(el, "[part~=date]")!).borderTopLeftRadius).to.equal("3px");
    el.setAttribute("theme", "dark");
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(22, 24, 29)");
    el.setAttribute("theme", "light");
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
    el.style.setProperty("--ev-font", "monospace");
    expect(getComputedStyle($(el, "[part~=meta]")!).fontFamily).to.equal("monospace");
    await expectAccessible(el);
  });

  it("follows the visitor's color scheme without a theme attribute, and stays accessible in dark", async () => {
    await emulateMedia({ colorScheme: "dark" });
    try {
      const el = await fixture<EvEventList>(
        html`<ev-event-list .events=${[makeEvent({ status: "cancelled" }), makeEvent({ capacity: 3, remainingCapacity: 0 })]}></ev-event-list>`,
      );
      expect(getComputedStyle(el).backgroundColor).to.equal("rgb(22, 24, 29)");
      expect(getComputedStyle($(el, "[part~=link]")!).color).to.equal("rgb(127, 178, 255)");
      await expectAccessible(el);
      el.setAttribute("theme", "light");
      expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
    } finally {
      await emulateMedia({ colorScheme: "light" });
    }
  });

  it("uses the host page's font by default", async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div style="font-family: Georgia, serif"><ev-event-list .events=${many(1)}></ev-event-list></div>`,
    );
    const el = wrapper.querySelector("ev-event-list")!;
    await el.updateComplete;
    expect(getComputedStyle($(el, "[part~=meta]")!).fontFamily).to.equal("Georgia, serif");
  });
});

describe("ev-event-list from src (a real Eventail server)", () => {
  it("fetches upcoming events, without credentials, and pages with More events", async () => {
    const { eventail } = await servers();
    const inits: RequestInit[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      inits.push(init ?? {});
      return realFetch(input, init);
    };
    try {
      const el = await fixture<EvEventList>(
        html`<ev-event-list src=${eventail} limit="4"></ev-event-list>`,
      );
      await until(() => $$(el, "[part~=item]").length === 4, "first page");
      expect(inits[0]!.credentials).to.equal("omit");
      $<HTMLButtonElement>(el, "[part~=more]")!.click();
      await until(() => $$(el, "[part~=item]").length === 8, "second page");
      const titles = $$(el, "[part~=link]").map((a) => a.textContent);
      expect(new Set(titles).size).to.be.greaterThan(1);
      await expectAccessible(el);
    } finally {
      window.fetch = realFetch;
    }
  });

  it("filters by group and aborts the previous fetch when attributes change", async () => {
    const { eventail } = await servers();
    const signals: AbortSignal[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return realFetch(input, init);
    };
    try {
      const el = await fixture<EvEventList>(
        html`<ev-event-list src=${eventail} group="climate_lyon" limit="50"></ev-event-list>`,
      );
      el.setAttribute("group", "tenants_union");
      await until(() => $$(el, "[part~=item]").length > 0, "tenants' events");
      expect(signals[0]!.aborted).to.equal(true);
      const titles = $$(el, "[part~=link]").map((a) => a.textContent ?? "");
      expect(titles.some((t) => /Repair café/.test(t))).to.equal(false);
      el.setAttribute("group", "climate_lyon");
      await until(
        () => $$(el, "[part~=link]").some((a) => a.textContent === "Repair café"),
        "climate events",
      );
    } finally {
      window.fetch = realFetch;
    }
  });

  it("reports an unreachable server and an invalid query plainly", async () => {
    const { eventail } = await servers();
    const down = await fixture<EvEventList>(
      html`<ev-event-list lang="en" src="http://127.0.0.1:9"></ev-event-list>`,
    );
    const alert = await until(() => $(down, "[role=alert]"), "error");
    expect(alert.textContent).to.contain("Could not reach the event server 127.0.0.1:9");
    expect(has(down, "[part~=retry]")).to.equal(true);
    await expectAccessible(down);
    const bad = await fixture<EvEventList>(
      html`<ev-event-list lang="fr" src=${eventail} category="NOPE"></ev-event-list>`,
    );
    const alert2 = await until(() => $(bad, "[role=alert]"), "error");
    expect(alert2.textContent).to.contain("Le serveur d’événements a répondu par une erreur");
  });

  it("lists past events with past (the demo has none yet)", async () => {
    const { eventail } = await servers();
    const urls: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      urls.push(String(input));
      return realFetch(input, init);
    };
    try {
      const el = await fixture<EvEventList>(
        html`<ev-event-list lang="en" src=${eventail} past></ev-event-list>`,
      );
      await until(() => $(el, "[part~=empty]"), "empty state");
      expect(text(el)).to.equal("No past events.");
      const q = new URL(urls[0]!).searchParams;
      expect(Date.parse(q.get("to")!)).to.be.closeTo(Date.now(), 60_000);
      expect(Date.parse(q.get("from")!)).to.be.lessThan(Date.now() - 300 * 86_400_000);
    } finally {
      window.fetch = realFetch;
    }
  });

  it("shows a loading state first", async () => {
    const { eventail } = await servers();
    const el = await fixture<EvEventList>(html`<ev-event-list src=${eventail}></ev-event-list>`);
    expect($(el, "[part~=loading]")?.textContent).to.equal("Loading…");
  });
});
