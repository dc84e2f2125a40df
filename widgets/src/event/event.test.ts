import { expect } from "@esm-bundle/chai";
import { EventailClient } from "@eventail/client";
import { html } from "lit";
import { emulateTimezone } from "../../test/commands.ts";
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
import "../rsvp/element.ts";
import type { EvRsvp } from "../rsvp/element.ts";
import "./element.ts";
import type { EvEvent } from "./element.ts";

afterEach(cleanup);

const part = (el: Element, name: string) =>
  $(el, `[part~=${name}]`)?.textContent?.replace(/\s+/g, " ").trim() ?? "";
const href = (el: Element, selector: string) => $<HTMLAnchorElement>(el, selector)?.href ?? "";

const online = () =>
  makeEvent({
    attendanceMode: "online",
    address: null,
    onlineUrl: "https://meet.example.org/room",
  });

describe("ev-event details", () => {
  it("shows an in-person event in the venue's zone, naming the zone", async () => {
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" timezone="Europe/Paris" .event=${makeEvent({ title: "Repair café" })}></ev-event>`,
    );
    expect(part(el, "title")).to.equal("Repair café");
    expect(part(el, "when")).to.match(/Tuesday, December 3, 2030(,| at) 7:00\s?–\s?9:00\s?PM/);
    expect(part(el, "zone")).to.equal("(Central European Time)");
    expect($(el, "[part~=zone]")!.title).to.equal("Europe/Paris");
    expect(has(el, "[part~=local-time]")).to.equal(false);
    expect(part(el, "address")).to.equal(
      "Maison des Passages, 44 rue Saint-Georges, 69005 Lyon, France",
    );
    expect(href(el, "[part~=map-link]")).to.equal(
      "https://www.openstreetmap.org/?mlat=45.75970&mlon=4.82680#map=17/45.75970/4.82680",
    );
    expect(part(el, "organizer")).to.contain("Camille Martin · Climate Action Lyon");
    expect(has(el, "[part~=online]")).to.equal(false);
    expect(has(el, "[part~=capacity]")).to.equal(false);
    expect($$(el, "img")).to.have.length(0);
    await expectAccessible(el);
  });

  it("adds the viewer's own time when their zone differs", async () => {
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" timezone="America/New_York" .event=${makeEvent()}></ev-event>`,
    );
    expect(part(el, "when")).to.match(/7:00\s?–\s?9:00\s?PM/);
    expect(part(el, "zone")).to.equal("(Central European Time)");
    expect(part(el, "local-time")).to.match(
      /^Your time: Tuesday, December 3, 2030(,| at) 1:00\s?–\s?3:00\s?PM \(Eastern Time\)$/,
    );
  });

  it("shows an online event in the viewer's zone with its link", async () => {
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" timezone="Asia/Tokyo" .event=${online()}></ev-event>`,
    );
    expect(part(el, "when")).to.match(/Wednesday, December 4, 2030(,| at) 3:00\s?–\s?5:00\s?AM/);
    expect(part(el, "zone")).to.equal("(Japan Standard Time)");
    expect(has(el, "[part~=local-time]")).to.equal(false);
    expect(has(el, "[part~=where]")).to.equal(false);
    expect(href(el, "[part~=online-link]")).to.equal("https://meet.example.org/room");
    await expectAccessible(el);
  });

  it("uses the browser's zone when no timezone is given", async () => {
    await emulateTimezone("Asia/Kolkata");
    try {
      const el = await fixture<EvEvent>(html`<ev-event lang="en" .event=${online()}></ev-event>`);
      expect(part(el, "when")).to.match(/11:30\s?PM/);
      expect(part(el, "zone")).to.equal("(India Standard Time)");
      const venue = await fixture<EvEvent>(
        html`<ev-event lang="en" .event=${makeEvent()}></ev-event>`,
      );
      expect(part(venue, "local-time")).to.match(/11:30\s?PM.*\(India Standard Time\)/);
    } finally {
      await emulateTimezone();
    }
  });

  it("shows a hybrid event at the venue with its online link", async () => {
    const e = makeEvent({ attendanceMode: "mixed", onlineUrl: "https://meet.example.org/h" });
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" timezone="Asia/Tokyo" .event=${e}></ev-event>`,
    );
    expect(part(el, "zone")).to.equal("(Central European Time)");
    expect(part(el, "local-time")).to.contain("(Japan Standard Time)");
    expect(href(el, "[part~=online-link]")).to.equal("https://meet.example.org/h");
    expect(part(el, "address")).to.contain("Lyon");
  });

  it("shows status badges and places left", async () => {
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" .event=${makeEvent({ capacity: 30, remainingCapacity: 3 })}></ev-event>`,
    );
    expect(part(el, "capacity")).to.equal("Places 3 places left");
    el.event = makeEvent({ capacity: 12, remainingCapacity: 0 });
    await el.updateComplete;
    expect(part(el, "badge-full")).to.equal("Full");
    expect(part(el, "capacity")).to.contain("waiting list");
    el.event = makeEvent({ status: "cancelled", capacity: 12, remainingCapacity: 0 });
    await el.updateComplete;
    expect(part(el, "badge-cancelled")).to.equal("Cancelled");
    expect(has(el, "[part~=badge-full]")).to.equal(false);
    await expectAccessible(el);
    el.event = makeEvent({ status: "postponed" });
    await el.updateComplete;
    expect(part(el, "badge-postponed")).to.equal("Postponed");
    el.lang = "fr";
    el.event = makeEvent({ status: "postponed", capacity: 30, remainingCapacity: 3 });
    await el.updateComplete;
    expect(part(el, "badge-postponed")).to.equal("Reporté");
    expect(part(el, "capacity")).to.equal("Places 3 places restantes");
  });

  it("offers the server's .ics, Google and Outlook links and nothing loaded from them", async () => {
    const e = makeEvent({
      title: "Repair café",
      description: "<p>Bring <strong>tools</strong>.</p>",
    });
    const el = await fixture<EvEvent>(html`<ev-event lang="en" .event=${e}></ev-event>`);
    const links = $$<HTMLAnchorElement>(el, "[part~=calendar-link]");
    expect(links.map((a) => a.textContent)).to.deep.equal([
      "Calendar file (.ics)",
      "Google Calendar",
      "Outlook",
    ]);
    expect(links[0]!.href).to.equal(e.icsUrl);
    const google = new URL(links[1]!.href);
    expect(google.origin + google.pathname).to.equal("https://calendar.google.com/calendar/render");
    expect(google.searchParams.get("dates")).to.equal("20301203T180000Z/20301203T200000Z");
    expect(google.searchParams.get("text")).to.equal("Repair café");
    expect(google.searchParams.get("ctz")).to.equal("Europe/Paris");
    expect(google.searchParams.get("details")).to.equal(`Bring tools.\n\n${e.url}`);
    expect(google.searchParams.get("location")).to.contain("Maison des Passages");
    const outlook = new URL(links[2]!.href);
    expect(outlook.host).to.equal("outlook.live.com");
    expect(outlook.searchParams.get("startdt")).to.equal("2030-12-03T18:00:00.000Z");
    expect(outlook.searchParams.get("enddt")).to.equal("2030-12-03T20:00:00.000Z");
    expect(outlook.searchParams.get("allday")).to.equal("false");
    const loaded = performance.getEntriesByType("resource").map((r) => r.name);
    expect(loaded.some((u) => /google|outlook|openstreetmap/.test(u))).to.equal(false);
  });

  it("writes all-day events as dates in their own zone", async () => {
    const e = makeEvent({
      allDay: true,
      beginsAt: "2030-12-21T00:00:00+01:00",
      endsAt: "2030-12-23T00:00:00+01:00",
    });
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" timezone="America/Los_Angeles" .event=${e}></ev-event>`,
    );
    expect(part(el, "when")).to.match(
      /^When Saturday, December 21\s?–\s?Sunday, December 22, 2030$/,
    );
    expect(has(el, "[part~=zone]")).to.equal(false);
    const google = new URL(href(el, "[part~=calendar-link]:nth-of-type(2)"));
    expect(google.searchParams.get("dates")).to.equal("20301221/20301223");
    const outlook = new URL(href(el, "[part~=calendar-link]:nth-of-type(3)"));
    expect([outlook.searchParams.get("startdt"), outlook.searchParams.get("enddt")]).to.deep.equal([
      "2030-12-21",
      "2030-12-23",
    ]);
  });

  it("speaks French", async () => {
    const el = await fixture<EvEvent>(
      html`<ev-event lang="fr" timezone="Europe/Paris" .event=${makeEvent()}></ev-event>`,
    );
    expect(part(el, "when")).to.match(/^Quand mardi 3 décembre 2030(,| à) 19:00\s?–\s?21:00/);
    expect(part(el, "zone")).to.match(/Europe centrale/);
    expect(part(el, "address")).to.contain("69005 Lyon, France");
    expect(part(el, "map-link")).to.equal("Voir sur OpenStreetMap");
    expect(part(el, "calendar-links")).to.contain("Ajouter au calendrier");
  });

  it("shares through the system sheet when there is one", async () => {
    const shared: ShareData[] = [];
    Object.defineProperty(navigator, "share", {
      configurable: true,
      value: async (d: ShareData) => {
        shared.push(d);
      },
    });
    try {
      const e = makeEvent({ title: "Share me" });
      const el = await fixture<EvEvent>(html`<ev-event .event=${e}></ev-event>`);
      $<HTMLButtonElement>(el, "[part~=share]")!.click();
      await until(() => shared.length, "share");
      expect(shared[0]).to.deep.equal({ title: "Share me", url: e.url });
    } finally {
      delete (navigator as { share?: unknown }).share;
    }
  });

  it("hands its event and server to a slotted ev-rsvp", async () => {
    const e = makeEvent();
    const el = await fixture<EvEvent>(
      html`<ev-event src="https://events.example.org" .event=${e}><ev-rsvp slot="rsvp"></ev-rsvp></ev-event>`,
    );
    const rsvp = el.querySelector<EvRsvp>("ev-rsvp")!;
    expect(rsvp.event).to.equal(e);
    expect(rsvp.src).to.equal("https://events.example.org");
    expect(rsvp.assignedSlot?.name).to.equal("rsvp");
  });
});

describe("ev-event safety and theming", () => {
  it("keeps only allowlisted HTML of the description, and nothing runs", async () => {
    const description = `<h2>Programme</h2><p>Bring <strong>tools</strong> and <em>friends</em>.<br>Info: <a href="https://example.org/x" onclick="window.__xss=1">site</a>, <a href="mailto:a@example.org">mail</a>.</p><ul><li>one</li></ul><blockquote>quote</blockquote>${XSS.html}<div><span>unwrapped</span></div><style>*{display:none}</style>`;
    const e = makeEvent({
      title: XSS.title,
      description,
      url: XSS.url,
      onlineUrl: XSS.url,
      attendanceMode: "mixed",
      banner: { url: XSS.url, alt: "x", mediaType: "image/png" },
      organizer: { id: "o", handle: "x@y", name: XSS.title, url: XSS.url },
      address: { venue: XSS.title, latitude: 1, longitude: 2 },
    });
    const el = await fixture<EvEvent>(html`<ev-event .event=${e}></ev-event>`);
    const desc = $(el, "[part~=description]")!;
    expect([...desc.querySelectorAll("*")].map((n) => n.localName)).to.deep.equal([
      "h2",
      "p",
      "strong",
      "em",
      "br",
      "a",
      "a",
      "ul",
      "li",
      "blockquote",
      "p",
      "a",
      "p",
    ]);
    const anchors = [...desc.querySelectorAll("a")];
    expect(anchors.map((a) => a.getAttribute("href"))).to.deep.equal([
      "https://example.org/x",
      "mailto:a@example.org",
      null,
    ]);
    expect(anchors[0]!.rel).to.equal("noopener noreferrer nofollow ugc");
    expect(desc.textContent).to.contain("unwrapped");
    expect(desc.textContent).not.to.contain("display:none");
    expect(part(el, "title")).to.contain("<script>");
    expect(has(el, "[part~=online-link]")).to.equal(false);
    expect(has(el, "[part~=banner]")).to.equal(false);
    // The organizer's hostile URL gives no link; the group's is still there.
    expect($$(el, "[part~=organizer] a").map((a) => a.textContent)).to.deep.equal([
      "Climate Action Lyon",
    ]);
    await expectNoXss(el);
  });

  it("exposes parts and follows custom properties", async () => {
    const e = makeEvent({
      capacity: 10,
      remainingCapacity: 2,
      onlineUrl: "https://meet.example.org/h",
      attendanceMode: "mixed",
      banner: {
        url: "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        alt: "A banner",
        mediaType: "image/gif",
      },
    });
    const el = await fixture<EvEvent>(
      html`<ev-event timezone="America/New_York" style="--ev-surface: rgb(1, 2, 3); --ev-fg: rgb(250, 250, 250)" .event=${e}></ev-event>`,
    );
    for (const p of [
      "event",
      "title",
      "details",
      "when",
      "zone",
      "local-time",
      "where",
      "address",
      "map-link",
      "online",
      "online-link",
      "organizer",
      "capacity",
      "description",
      "tags",
      "actions",
      "calendar-links",
      "calendar-link",
      "share",
    ])
      expect(has(el, `[part~=${p}]`), p).to.equal(true);
    // data: images are not http(s): not rendered.
    expect(has(el, "[part~=banner]")).to.equal(false);
    expect(getComputedStyle($(el, "[part~=details]")!).backgroundColor).to.equal("rgb(1, 2, 3)");
  });
});

describe("ev-event from src (a real Eventail server)", () => {
  it("fetches one event by id, and says when it does not exist", async () => {
    const { eventail } = await servers();
    const page = await new EventailClient(eventail).listEvents({ q: "Repair" });
    const repair = page.items.find((e) => e.title === "Repair café")!;
    const el = await fixture<EvEvent>(
      html`<ev-event lang="en" src=${eventail} event-id=${repair.id}></ev-event>`,
    );
    await until(() => part(el, "title") === "Repair café", "the event");
    expect(part(el, "zone")).to.equal("(Central European Time)");
    expect(href(el, "[part~=calendar-link]")).to.equal(repair.icsUrl);
    expect(text(el)).to.contain("Bring a broken toaster");
    await expectAccessible(el);
    el.setAttribute("event-id", "no-such-event");
    await until(() => $(el, "[role=alert]"), "not found");
    expect(text(el)).to.contain("This was not found on the event server.");
  });
});
