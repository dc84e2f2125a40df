import { expect } from "@esm-bundle/chai";
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
import { dayKey } from "../shared/dates.ts";
import "./element.ts";
import type { EvCalendar } from "./element.ts";

afterEach(cleanup);

const focused = (el: EvCalendar) =>
  (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.date;
const key = (el: EvCalendar, k: string, opts: KeyboardEventInit = {}) => {
  (el.shadowRoot!.activeElement as HTMLElement).dispatchEvent(
    new KeyboardEvent("keydown", { key: k, bubbles: true, composed: true, ...opts }),
  );
  return el.updateComplete;
};
const cell = (el: EvCalendar, date: string) =>
  $<HTMLTableCellElement>(el, `[data-date="${date}"]`)!;
const weekdays = (el: EvCalendar) =>
  $$(el, "[part~=weekday] [aria-hidden]").map((th) => th.textContent);

const december = [
  makeEvent({
    id: "a",
    title: "Repair café",
    beginsAt: "2030-12-03T14:00:00+01:00",
    endsAt: "2030-12-03T18:00:00+01:00",
  }),
  makeEvent({
    id: "b",
    title: "Climate camp",
    beginsAt: "2030-12-10T09:00:00+01:00",
    endsAt: "2030-12-12T17:00:00+01:00",
  }),
  makeEvent({
    id: "c",
    title: "Solstice fair",
    allDay: true,
    beginsAt: "2030-12-21T00:00:00+01:00",
    endsAt: "2030-12-22T00:00:00+01:00",
  }),
  makeEvent({
    id: "d",
    title: "Late talk",
    beginsAt: "2030-12-03T23:30:00Z",
    endsAt: "2030-12-04T00:30:00Z",
    status: "cancelled",
  }),
];

describe("ev-calendar month grid", () => {
  it("starts weeks on the locale's first day, or on first-day", async () => {
    const en = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" month="2030-12" .events=${[]}></ev-calendar>`,
    );
    expect(weekdays(en)[0]).to.equal("Sun");
    expect($(en, "[part~=title]")!.textContent).to.equal("December 2030");
    const fr = await fixture<EvCalendar>(
      html`<ev-calendar lang="fr" month="2030-12" .events=${[]}></ev-calendar>`,
    );
    expect(weekdays(fr)[0]).to.equal("lun.");
    expect($(fr, "[part~=title]")!.textContent).to.equal("décembre 2030");
    const gb = await fixture<EvCalendar>(
      html`<ev-calendar lang="en-GB" month="2030-12" .events=${[]}></ev-calendar>`,
    );
    expect(weekdays(gb)[0]).to.equal("Mon");
    const sat = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" first-day="6" month="2030-12" .events=${[]}></ev-calendar>`,
    );
    expect(weekdays(sat)[0]).to.equal("Sat");
    // December 2030 starts on a Sunday: a Monday-first grid opens on 25 November.
    expect($$(fr, "[role=gridcell]")[0]!.dataset.date).to.equal("2030-11-25");
    expect($$(en, "[role=gridcell]")[0]!.dataset.date).to.equal("2030-12-01");
  });

  it("marks today with aria-current=date and gives it the tab stop", async () => {
    const el = await fixture<EvCalendar>(html`<ev-calendar .events=${[]}></ev-calendar>`);
    const today = dayKey(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone);
    const current = $$(el, "[aria-current=date]");
    expect(current.map((c) => c.dataset.date)).to.deep.equal([today]);
    expect(current[0]!.getAttribute("tabindex")).to.equal("0");
    expect($$(el, "[role=gridcell][tabindex='0']")).to.have.length(1);
    expect(current[0]!.part.contains("today")).to.equal(true);
  });

  it("places events on their days; multi-day events span every day", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="Europe/Paris" month="2030-12" .events=${december}></ev-calendar>`,
    );
    const titles = (d: string) =>
      [...cell(el, d).querySelectorAll("[part~=event]")].map((a) =>
        a.textContent?.replace(/\s+/g, " ").trim(),
      );
    expect(titles("2030-12-03")[0]).to.match(/^2:00\s?PM Repair café$/);
    expect(titles("2030-12-10")[0]).to.match(/Climate camp \(continues\)$/);
    expect(titles("2030-12-11")).to.deep.equal(["(continued) Climate camp (continues)"]);
    expect(titles("2030-12-12")).to.deep.equal(["(continued) Climate camp"]);
    expect(cell(el, "2030-12-11").querySelector("[part~=continued]") !== null).to.equal(true);
    expect(titles("2030-12-21")).to.deep.equal(["Solstice fair"]);
    expect(titles("2030-12-22")).to.deep.equal([]);
    // 23:30 UTC is 00:30 the next day in Paris.
    expect(titles("2030-12-04")[0]).to.match(/Late talk$/);
    expect(cell(el, "2030-12-03").textContent).to.contain("Tuesday, December 3, 1 event");
  });

  it("draws a multi-day event as one bar across the week row, titled once per row", async () => {
    // Friday 27 to Monday 30 December 2030 in a Sunday-first grid: 27-28 end one row,
    // 29-30 open the next.
    const camp = makeEvent({
      title: "Winter camp",
      beginsAt: "2030-12-27T09:00:00Z",
      endsAt: "2030-12-30T17:00:00Z",
      timezone: "UTC",
    });
    const other = makeEvent({
      id: "other",
      title: "Early one",
      beginsAt: "2030-12-28T07:00:00Z",
      endsAt: "2030-12-28T08:00:00Z",
      timezone: "UTC",
    });
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="UTC" month="2030-12" .events=${[camp, other]}></ev-calendar>`,
    );
    const piece = (d: string) =>
      [...cell(el, d).querySelectorAll<HTMLElement>("[part~=event]")].find((a) =>
        a.textContent?.includes("Winter camp"),
      )!;
    // What a sighted visitor reads: the text outside the visually hidden spans.
    const visible = (a: HTMLElement) =>
      [...a.childNodes]
        .filter(
          (n) =>
            n.nodeType !== Node.COMMENT_NODE &&
            !(n instanceof HTMLElement && n.classList.contains("visually-hidden")),
        )
        .map((n) => n.textContent)
        .join("")
        .trim();
    const spoken = (a: HTMLElement) => a.textContent!.replace(/\s+/g, " ").trim();
    expect(visible(piece("2030-12-27"))).to.match(/Winter camp$/);
    expect(visible(piece("2030-12-28"))).to.equal("");
    expect(spoken(piece("2030-12-28"))).to.equal("(continued) Winter camp (continues)");
    expect(visible(piece("2030-12-29"))).to.equal("Winter camp");
    expect(visible(piece("2030-12-30"))).to.equal("");
    expect(spoken(piece("2030-12-30"))).to.equal("(continued) Winter camp");
    // Same lane on the 28th although an earlier event starts that day: one straight bar,
    // the titled piece drawn over both days, the title not cut at the first day's edge.
    const a = piece("2030-12-27").getBoundingClientRect();
    const b = piece("2030-12-28").getBoundingClientRect();
    const firstDay = cell(el, "2030-12-27").getBoundingClientRect();
    expect(Math.abs(a.top - b.top)).to.be.lessThan(1);
    expect(a.right).to.be.greaterThan(firstDay.right);
    expect(Math.abs(a.right - b.right)).to.be.lessThan(3);
    await expectAccessible(el);
  });

  it("puts days in the viewer's zone: the same instant lands a day later in Tokyo", async () => {
    const talk = makeEvent({
      title: "Call",
      beginsAt: "2030-12-03T20:00:00Z",
      endsAt: "2030-12-03T21:00:00Z",
    });
    const ny = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="America/New_York" month="2030-12" .events=${[talk]}></ev-calendar>`,
    );
    expect(cell(ny, "2030-12-03").textContent).to.match(/3:00\s?PM\s+Call/);
    const tokyo = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="Asia/Tokyo" month="2030-12" .events=${[talk]}></ev-calendar>`,
    );
    expect(cell(tokyo, "2030-12-04").textContent).to.match(/5:00\s?AM\s+Call/);
    expect(cell(tokyo, "2030-12-03").textContent).not.to.contain("Call");
  });

  it("moves focus with the keyboard (WAI-ARIA grid) and changes month at the edges", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="fr" month="2030-12" .events=${december}></ev-calendar>`,
    );
    const months: string[] = [];
    el.addEventListener("ev-month", (e) => months.push((e as CustomEvent).detail.month));
    cell(el, "2030-12-01").focus();
    expect(focused(el)).to.equal("2030-12-01");
    await key(el, "ArrowRight");
    expect(focused(el)).to.equal("2030-12-02");
    await key(el, "ArrowDown");
    expect(focused(el)).to.equal("2030-12-09");
    await key(el, "End");
    expect(focused(el)).to.equal("2030-12-15"); // a Sunday: the week's last day in French
    await key(el, "Home");
    expect(focused(el)).to.equal("2030-12-09");
    await key(el, "ArrowUp");
    await key(el, "ArrowUp");
    expect(focused(el)).to.equal("2030-11-25");
    await key(el, "ArrowLeft");
    expect(focused(el)).to.equal("2030-11-24");
    expect($(el, "[part~=title]")!.textContent).to.equal("novembre 2030");
    await key(el, "PageDown");
    expect(focused(el)).to.equal("2030-12-24");
    await key(el, "PageDown", { shiftKey: true });
    expect(focused(el)).to.equal("2031-12-24");
    await key(el, "PageUp", { shiftKey: true });
    await key(el, "PageUp");
    expect(focused(el)).to.equal("2030-11-24");
    await key(el, "PageDown");
    expect(months).to.deep.equal([
      "2030-11",
      "2030-12",
      "2031-12",
      "2030-12",
      "2030-11",
      "2030-12",
    ]);
    expect($$(el, "[role=gridcell][tabindex='0']").map((c) => c.dataset.date)).to.deep.equal([
      "2030-12-24",
    ]);
    // 31 January → February clamps to its last day.
    el.month = "2031-01";
    await el.updateComplete;
    cell(el, "2031-01-31").focus();
    await el.updateComplete;
    await key(el, "PageDown");
    expect(focused(el)).to.equal("2031-02-28");
  });

  it("shows the day's events below the grid on Enter and on click", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="Europe/Paris" month="2030-12" .events=${december}></ev-calendar>`,
    );
    cell(el, "2030-12-03").focus();
    await key(el, "Enter");
    const panel = $(el, "[part~=day-panel]")!;
    expect(panel.textContent).to.contain("Tuesday, December 3, 2030");
    expect([...panel.querySelectorAll("a")].map((a) => a.textContent)).to.deep.equal([
      "Repair café",
    ]);
    expect(cell(el, "2030-12-03").getAttribute("aria-selected")).to.equal("true");
    cell(el, "2030-12-05").click();
    await el.updateComplete;
    expect($(el, "[part~=day-panel]")!.textContent).to.contain("No events on this day.");
    expect(focused(el)).to.equal("2030-12-05");
    await expectAccessible(el);
  });

  it("switches to the agenda and back", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" timezone="Europe/Paris" month="2030-12" .events=${december}></ev-calendar>`,
    );
    const [month, agenda] = $$<HTMLButtonElement>(el, "[part~=view-toggle] button");
    expect(month!.getAttribute("aria-pressed")).to.equal("true");
    agenda!.click();
    await el.updateComplete;
    expect(el.view).to.equal("agenda");
    expect(agenda!.getAttribute("aria-pressed")).to.equal("true");
    expect(has(el, "[part~=grid]")).to.equal(false);
    const days = $$(el, ".agenda-day [role=heading]").map((h) => h.textContent);
    expect(days[0]).to.equal("Tuesday, December 3, 2030");
    expect(days).to.include("Saturday, December 21, 2030");
    expect(text(el)).to.contain("All day");
    await expectAccessible(el);
    month!.click();
    await el.updateComplete;
    expect(has(el, "[part~=grid]")).to.equal(true);
  });

  it("navigates with the toolbar buttons", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar lang="en" month="2030-12" .events=${[]}></ev-calendar>`,
    );
    $<HTMLButtonElement>(el, "[part~=next]")!.click();
    await el.updateComplete;
    expect($(el, "[part~=title]")!.textContent).to.equal("January 2031");
    $<HTMLButtonElement>(el, "[part~=prev]")!.click();
    $<HTMLButtonElement>(el, "[part~=prev]")!.click();
    await el.updateComplete;
    expect($(el, "[part~=title]")!.textContent).to.equal("November 2030");
    $<HTMLButtonElement>(el, "[part~=today]")!.click();
    await el.updateComplete;
    expect($$(el, "[aria-current=date]")).to.have.length(1);
  });

  it("renders hostile titles inert", async () => {
    const bad = makeEvent({
      title: XSS.title,
      url: XSS.url,
      beginsAt: "2030-12-03T14:00:00+01:00",
    });
    const el = await fixture<EvCalendar>(
      html`<ev-calendar month="2030-12" view="agenda" .events=${[bad]}></ev-calendar>`,
    );
    expect(text(el)).to.contain("<script>");
    el.view = "month";
    await el.updateComplete;
    expect(text(el)).to.contain("<script>");
    await expectNoXss(el);
  });

  it("exposes parts and follows the accent color", async () => {
    const el = await fixture<EvCalendar>(
      html`<ev-calendar style="--ev-accent: rgb(0, 128, 0)" .events=${[]}></ev-calendar>`,
    );
    for (const part of [
      "toolbar",
      "title",
      "nav",
      "view-toggle",
      "grid",
      "weekday",
      "day",
      "day-number",
      "today",
    ])
      expect(has(el, `[part~=${part}]`), part).to.equal(true);
    expect(getComputedStyle($(el, "[part~=today] [part~=day-number]")!).backgroundColor).to.equal(
      "rgb(0, 128, 0)",
    );
    await expectAccessible(el);
  });
});

describe("ev-calendar from src (a real Eventail server)", () => {
  it("fetches the shown month and aborts when the month changes", async () => {
    const { eventail } = await servers();
    const inits: RequestInit[] = [];
    const urls: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      inits.push(init ?? {});
      urls.push(String(input));
      return realFetch(input, init);
    };
    try {
      // The demo's Repair café is two days from now, 14:00 in Paris.
      const zone = "Europe/Paris";
      const day = dayKey(new Date(Date.now() + 2 * 86_400_000), zone);
      const el = await fixture<EvCalendar>(
        html`<ev-calendar src=${eventail} timezone=${zone} month=${day.slice(0, 7)}></ev-calendar>`,
      );
      await until(
        () => cell(el, day)?.textContent?.includes("Repair café"),
        "the demo's repair café",
      );
      expect(inits.every((i) => i.credentials === "omit")).to.equal(true);
      const first = new URL(urls[0]!);
      expect(first.searchParams.get("limit")).to.equal("100");
      expect(first.searchParams.get("from")).to.match(/Z$/);
      const before = inits.length;
      $<HTMLButtonElement>(el, "[part~=next]")!.click();
      await el.updateComplete;
      $<HTMLButtonElement>(el, "[part~=next]")!.click();
      await el.updateComplete;
      expect(inits[before]!.signal!.aborted).to.equal(true);
      await until(() => !$(el, "[part~=loading]"), "the month after next");
      await expectAccessible(el);
    } finally {
      window.fetch = realFetch;
    }
  });
});
