import type { EventJson, Page } from "@eventail/client";
import { listEvents } from "@eventail/client/events";
import { html, nothing } from "lit/html.js";
import { define, EvElement, hasSrc } from "../shared/base.ts";
import { addDays, dayKey, firstDayOfWeek, keyDate, startOfDay, weekday } from "../shared/dates.ts";
import { badges, beginOf, endOf, selectEvent } from "../shared/event.ts";
import { initialState, Task } from "../shared/task.ts";
import { dtf } from "../shared/time.ts";
import type { PropertyValues } from "../shared/updating-element.ts";
import { safeUrl } from "../shared/url.ts";
import { strings } from "./strings.ts";
import { styles } from "./styles.ts";

/** One event's presence on one day: multi-day events have one segment per day. */
interface Segment {
  e: EventJson;
  first: boolean;
  last: boolean;
}

/** How many days from `week[i]` on the event of `s` holds in `lane` (1 for a one-day piece). */
function spanOf(
  week: string[],
  i: number,
  lane: number,
  s: Segment,
  lanes: Map<string, (Segment | null)[]>,
): number {
  let n = 1;
  while (i + n < week.length && lanes.get(week[i + n]!)?.[lane]?.e === s.e) n++;
  return n;
}

/** Largest number of events shown inside a month cell; the day panel lists them all. */
const PER_CELL = 3;
/** Fetching stops after this many pages of 100 for one month. */
const MAX_PAGES = 10;

/**
 * A month calendar with an agenda (list) view. The month grid follows the WAI-ARIA grid
 * pattern: one day is in the tab order; arrows move by day and week, Home/End to the
 * start/end of the week, Page Up/Down by month (with Shift by year); Enter or Space shows
 * the day's events below the grid. Days and times are in `timezone` (the viewer's by
 * default); all-day events keep their own dates. The first weekday comes from the locale.
 *
 * @tagname ev-calendar
 * @summary Month grid and agenda of events.
 *
 * @attr {string} src - Base URL of the Eventail server. Unused when `events` is set.
 * @attr {string} group - Only this group's events (handle).
 * @attr {string} tag - Only events with this tag.
 * @attr {string} q - Only events matching these words.
 * @attr {string} month - Month shown first, "YYYY-MM" (default: the current month).
 * @attr {"month"|"agenda"} view - Month grid or agenda list (default "month").
 * @attr {number} first-day - First day of the week, 0 = Sunday … 6 = Saturday (default: from the locale).
 * @attr {string} timezone - Zone of the days and times (default: the browser's).
 * @attr {"light"|"dark"} theme - Force a color scheme.
 * @attr {string} lang - "en" or "fr" (default: the nearest `lang` of the page).
 *
 * @fires {CustomEvent<{event: EventJson}>} ev-select - An event link was activated; cancel it to handle navigation yourself.
 * @fires {CustomEvent<{month: string}>} ev-month - The shown month changed ("YYYY-MM").
 *
 * @csspart toolbar - Navigation and view buttons.
 * @csspart title - The month's name.
 * @csspart nav - The previous, next and today buttons (also prev, next, today).
 * @csspart view-toggle - The month/agenda toggle buttons.
 * @csspart grid - The month table.
 * @csspart weekday - A weekday column header.
 * @csspart day - A day cell (also today, selected, outside for days of other months).
 * @csspart day-number - The day's number in its cell.
 * @csspart event - An event in a cell, the day panel or the agenda (also continued).
 * @csspart day-panel - The selected day's events, below the grid.
 * @csspart agenda - The agenda list.
 * @csspart badge - A status badge.
 * @csspart status - Loading and error messages.
 * @csspart button - Any button.
 *
 * @cssproperty [--ev-accent=#0a57c2 / #7fb2ff] - Today, selection, links, buttons.
 * @cssproperty [--ev-surface=#f6f8fa / #20242b] - Days of other months, event chips.
 * @cssproperty [--ev-border=#d0d7de / #3d444d] - Grid lines.
 * @cssproperty [--ev-radius=8px] - Corner radius.
 * @cssproperty [--ev-font=inherit] - Font family (see ev-event-list for every token).
 */
export class EvCalendar extends EvElement {
  static override styles = styles;
  static override properties = {
    events: { attribute: false },
    group: {},
    tag: {},
    q: {},
    month: {},
    view: { reflect: true },
    firstDay: { type: Number, attribute: "first-day" },
    _focused: { state: true, attribute: false },
    _selected: { state: true, attribute: false },
  };

  /** Events to place on the calendar; set it to skip fetching. */
  declare events?: EventJson[];
  declare group?: string;
  declare tag?: string;
  declare q?: string;
  declare month?: string;
  declare view: "month" | "agenda";
  declare firstDay?: number;
  /** The day holding the roving tabindex, "YYYY-MM-DD"; its month is the one shown. */
  declare _focused: string;
  declare _selected: string | null;

  #moveFocus = false;
  #buckets: { key: string; value: Map<string, Segment[]> } | null = null;
  #bucketsOf: unknown = null;

  constructor() {
    super();
    this.view = "month";
    this._focused = "";
    this._selected = null;
  }

  #task = new Task(this, {
    task: async ([src, group, tag, q, start, end, zone], { signal }) => {
      if (this.events || !hasSrc(src) || !start) return initialState;
      const base = this.base(src);
      const from = startOfDay(start, zone);
      const to = startOfDay(addDays(end, 1), zone);
      const items: EventJson[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page: Page<EventJson> = await listEvents(
          base,
          { group, tag, q, from, to, limit: 100, cursor },
          { signal },
        );
        items.push(...page.items);
        cursor = page.next;
        if (!cursor) break;
      }
      return items;
    },
    args: () => {
      const [start, end] = this.#range();
      return [
        this.events ? "" : this.src,
        this.group,
        this.tag,
        this.q,
        start,
        end,
        this.viewerZone,
      ] as const;
    },
  });

  get #today(): string {
    return dayKey(new Date(), this.viewerZone);
  }

  get #firstDay(): number {
    const f = Number(this.firstDay);
    return this.firstDay != null && f >= 0 && f <= 6 ? f : firstDayOfWeek(this.locale);
  }

  /** First and last day of the grid around the focused month. */
  #range(): [string, string] {
    if (!this._focused) return ["", ""];
    const first = `${this._focused.slice(0, 7)}-01`;
    const start = addDays(first, -((weekday(first) - this.#firstDay + 7) % 7));
    const last = addDays(`${addDays(first, 32).slice(0, 7)}-01`, -1);
    const end = addDays(last, (this.#firstDay + 6 - weekday(last) + 7) % 7);
    return [start, end];
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("month") || !this._focused) {
      const today = this.#today;
      const m = /^\d{4}-\d{2}$/.test(this.month ?? "") ? this.month! : today.slice(0, 7);
      this._focused = today.startsWith(m) ? today : `${m}-01`;
    }
  }

  #source(): EventJson[] {
    return this.events ?? this.#task.value ?? [];
  }

  /** Events by day key, computed once per data, month and zone. */
  #byDay(): Map<string, Segment[]> {
    const [start, end] = this.#range();
    const zone = this.viewerZone;
    const source = this.#source();
    const key = `${start}|${end}|${zone}`;
    if (this.#buckets?.key === key && this.#bucketsOf === source) return this.#buckets.value;
    const map = new Map<string, Segment[]>();
    for (const e of source) {
      const begin = beginOf(e);
      const stop = endOf(e);
      // All-day dates are the event's own; their end is exclusive.
      const z = e.allDay ? e.timezone : zone;
      const a = dayKey(begin, z);
      const b = stop && stop > begin ? dayKey(new Date(stop.getTime() - 1), z) : a;
      // Clip to the grid ("YYYY-MM-DD" strings compare as dates).
      let d = a;
      if (d < start) d = start;
      let lastDay = b;
      if (lastDay > end) lastDay = end;
      for (let n = 0; d <= lastDay && n < 62; d = addDays(d, 1), n++) {
        const list = map.get(d) ?? [];
        if (!list.length) map.set(d, list);
        list.push({ e, first: d === a, last: d === b });
      }
    }
    for (const list of map.values())
      list.sort(
        (x, y) =>
          Number(!x.e.allDay && x.first) - Number(!y.e.allDay && y.first) ||
          beginOf(x.e).getTime() - beginOf(y.e).getTime(),
      );
    this.#buckets = { key, value: map };
    this.#bucketsOf = source;
    return map;
  }

  #go(day: string, focus = true): void {
    const before = this._focused.slice(0, 7);
    this._focused = day;
    this.#moveFocus = focus;
    if (day.slice(0, 7) !== before)
      this.dispatchEvent(
        new CustomEvent("ev-month", {
          detail: { month: day.slice(0, 7) },
          bubbles: true,
          composed: true,
        }),
      );
  }

  #addMonths(day: string, n: number): string {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    const first = new Date(Date.UTC(y, m - 1 + n, 1));
    const days = new Date(
      Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
    ).getUTCDate();
    first.setUTCDate(Math.min(d, days));
    return first.toISOString().slice(0, 10);
  }

  #onKey(ev: KeyboardEvent): void {
    const f = this._focused;
    const col = (weekday(f) - this.#firstDay + 7) % 7;
    let next: string | null = null;
    switch (ev.key) {
      case "ArrowLeft":
        next = addDays(f, getComputedStyle(this).direction === "rtl" ? 1 : -1);
        break;
      case "ArrowRight":
        next = addDays(f, getComputedStyle(this).direction === "rtl" ? -1 : 1);
        break;
      case "ArrowUp":
        next = addDays(f, -7);
        break;
      case "ArrowDown":
        next = addDays(f, 7);
        break;
      case "Home":
        next = addDays(f, -col);
        break;
      case "End":
        next = addDays(f, 6 - col);
        break;
      case "PageUp":
        next = this.#addMonths(f, ev.shiftKey ? -12 : -1);
        break;
      case "PageDown":
        next = this.#addMonths(f, ev.shiftKey ? 12 : 1);
        break;
      case "Enter":
      case " ":
        this._selected = f;
        break;
      default:
        return;
    }
    ev.preventDefault();
    if (next) this.#go(next);
  }

  #onCellClick(day: string, ev: Event): void {
    // A click on an event link inside the cell navigates; elsewhere it selects the day.
    if ((ev.target as Element).closest("a")) return;
    this._selected = day;
    this.#go(day);
  }

  /** Focus that arrives by mouse or script moves the tab stop with it. */
  #onFocusIn(ev: FocusEvent): void {
    const date = (ev.target as HTMLElement).dataset?.date;
    if (date && date !== this._focused) this.#go(date, false);
  }

  protected override updated(): void {
    if (this.#moveFocus) {
      this.#moveFocus = false;
      this.renderRoot.querySelector<HTMLElement>(`[data-date="${this._focused}"]`)?.focus();
    }
  }

  override render() {
    const t = this.strings(strings);
    const locale = this.locale;
    const month = this._focused.slice(0, 7);
    const title = dtf(locale, { timeZone: "UTC", month: "long", year: "numeric" }).format(
      keyDate(`${month}-01`),
    );
    const status = this.#task.render({
      pending: () => this.loading(),
      error: (e) => this.failure(e, () => this.#task.run()),
    });
    return html`
      <div part="toolbar" class="toolbar">
        <div part="nav" class="nav">
          <button part="nav prev button" class="secondary" type="button" aria-label=${t.previous} @click=${() => this.#go(this.#addMonths(this._focused, -1), false)}>‹</button>
          <button part="nav next button" class="secondary" type="button" aria-label=${t.next} @click=${() => this.#go(this.#addMonths(this._focused, 1), false)}>›</button>
          <button part="nav today button" class="secondary" type="button" @click=${() => this.#go(this.#today, false)}>${t.today}</button>
        </div>
        <div part="title" class="title" id="title" aria-live="polite">${title}</div>
        <div part="view-toggle" class="views" role="group" aria-label=${t.view}>
          ${(["month", "agenda"] as const).map(
            (
              v,
            ) => html`<button part="button" type="button" class=${this.view === v ? "" : "secondary"}
              aria-pressed=${this.view === v ? "true" : "false"} @click=${() => {
                this.view = v;
              }}>${t[v]}</button>`,
          )}
        </div>
      </div>
      ${!this.events && !hasSrc(this.src) ? html`<p part="status" class="status">${this.common.noSource}</p>` : status}
      ${this.view === "agenda" ? this.#agenda(month, t) : this.#grid(month, t)}
    `;
  }

  #grid(month: string, t: (typeof strings)["en"]) {
    const locale = this.locale;
    const [start, end] = this.#range();
    const byDay = this.#byDay();
    const today = this.#today;
    const weeks: string[][] = [];
    for (let d = start; d <= end; d = addDays(d, 1)) {
      if (weekday(d) === this.#firstDay) weeks.push([]);
      weeks.at(-1)!.push(d);
    }
    const long = dtf(locale, { timeZone: "UTC", weekday: "long" });
    const short = dtf(locale, { timeZone: "UTC", weekday: "short" });
    const dayLabel = dtf(locale, {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
    });
    const time = dtf(locale, { timeZone: this.viewerZone, hour: "numeric", minute: "2-digit" });
    return html`
      <table part="grid" class="grid" role="grid" aria-labelledby="title" @keydown=${this.#onKey} @focusin=${this.#onFocusIn}>
        <thead>
          <tr role="row">
            ${weeks[0]!.map(
              (d) => html`<th part="weekday" role="columnheader" scope="col">
                <span aria-hidden="true">${short.format(keyDate(d))}</span><span class="visually-hidden">${long.format(keyDate(d))}</span>
              </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${weeks.map((week) => {
            const lanes = this.#lanes(week, byDay);
            return html`<tr role="row">
              ${week.map((d, i) => {
                const segs = byDay.get(d) ?? [];
                const row = lanes.get(d)!;
                const hidden = row.slice(PER_CELL).filter(Boolean).length;
                const outside = !d.startsWith(month);
                const parts = `day${d === today ? " today" : ""}${d === this._selected ? " selected" : ""}${outside ? " outside" : ""}`;
                return html`<td role="gridcell" part=${parts} class=${parts} data-date=${d}
                  tabindex=${d === this._focused ? 0 : -1}
                  aria-selected=${d === this._selected ? "true" : "false"}
                  aria-current=${d === today ? "date" : nothing}
                  @click=${(ev: Event) => this.#onCellClick(d, ev)}>
                  <span part="day-number" class="num" aria-hidden="true">${Number(d.slice(8))}</span>
                  <span class="visually-hidden">${dayLabel.format(keyDate(d))}${segs.length ? `, ${t.count(segs.length)}` : ""}</span>
                  ${
                    segs.length
                      ? html`<ul class="events" role="list">
                    ${row.slice(0, PER_CELL).map((s, lane) => (s ? this.#chip(s, i === 0, spanOf(week, i, lane, s, lanes), time, t) : html`<li class="gap" aria-hidden="true"></li>`))}
                    ${hidden ? html`<li class="more" aria-hidden="true">${t.more(hidden)}</li>` : nothing}
                  </ul>`
                      : nothing
                  }
                </td>`;
              })}
            </tr>`;
          })}
        </tbody>
      </table>
      ${this._selected ? this.#dayPanel(this._selected, byDay.get(this._selected) ?? [], t) : nothing}
    `;
  }

  /**
   * A week row's events in lanes: an event spanning several days keeps the same lane on
   * each of them, so its pieces line up as one bar; empty lanes (null) keep that alignment.
   */
  #lanes(week: string[], byDay: Map<string, Segment[]>): Map<string, (Segment | null)[]> {
    const lane = new Map<EventJson, number>();
    const out = new Map<string, (Segment | null)[]>();
    for (const d of week) {
      const row: (Segment | null)[] = [];
      const segs = byDay.get(d) ?? [];
      // Events already placed this week first: their lane is theirs.
      for (const s of segs) if (lane.has(s.e)) row[lane.get(s.e)!] = s;
      for (const s of segs) {
        if (lane.has(s.e)) continue;
        let i = 0;
        while (row[i]) i++;
        row[i] = s;
        lane.set(s.e, i);
      }
      out.set(
        d,
        Array.from(row, (s) => s ?? null),
      );
    }
    return out;
  }

  /**
   * One event in a day cell. A multi-day event reads as one bar across the week row: its
   * title shows once per row (on its first day or the row's first day); the other pieces
   * carry it for screen readers only, marked "continued", and a piece going on past the
   * day says "continues".
   */
  #chip(
    s: Segment,
    rowStart: boolean,
    span: number,
    time: Intl.DateTimeFormat,
    t: (typeof strings)["en"],
  ) {
    const href = safeUrl(s.e.url);
    const titled = s.first || rowStart;
    const title = titled ? s.e.title : html`<span class="visually-hidden">${s.e.title}</span>`;
    const label = html`${s.first && !s.e.allDay ? html`<span class="time">${time.format(beginOf(s.e))}</span> ` : nothing}${s.first ? nothing : html`<span class="visually-hidden">(${t.continued}) </span>`}${title}${s.last ? nothing : html`<span class="visually-hidden"> (${t.continues})</span>`}`;
    // The titled piece is drawn over the days it spans in this row, so its title has room.
    const cls = `event${s.first ? "" : " continued"}${s.last ? "" : " continues"}${s.e.status === "cancelled" ? " cancelled" : ""}${titled && span > 1 ? ` span${span}` : ""}`;
    return html`<li class=${cls}>${
      href
        ? html`<a part=${s.first ? "event" : "event continued"} href=${href} tabindex="-1" @click=${(c: Event) => selectEvent(this, s.e, c)}>${label}</a>`
        : html`<span part="event">${label}</span>`
    }</li>`;
  }

  /** One event as a line of the day panel or the agenda. */
  #line(e: EventJson, t: (typeof strings)["en"]) {
    const locale = this.locale;
    const zone = e.allDay ? e.timezone : this.viewerZone;
    const begin = beginOf(e);
    const end = endOf(e);
    const f = dtf(locale, { timeZone: zone, hour: "numeric", minute: "2-digit" });
    const when = e.allDay
      ? t.allDay
      : end && end > begin
        ? f.formatRange(begin, end)
        : f.format(begin);
    const href = safeUrl(e.url);
    return html`<li part="event" class="line">
      <time datetime=${e.beginsAt}>${when}</time>
      ${href ? html`<a href=${href} @click=${(c: Event) => selectEvent(this, e, c)}>${e.title}</a>` : e.title}
      ${badges(e, this.common)}
    </li>`;
  }

  #dayPanel(day: string, segs: Segment[], t: (typeof strings)["en"]) {
    const label = dtf(this.locale, { timeZone: "UTC", dateStyle: "full" }).format(keyDate(day));
    return html`<section part="day-panel" class="panel" aria-label=${label}>
      <div class="panel-title" role="heading" aria-level="3">${label}</div>
      ${segs.length ? html`<ul role="list">${segs.map((s) => this.#line(s.e, t))}</ul>` : html`<p class="muted">${t.noEventsDay}</p>`}
    </section>`;
  }

  #agenda(month: string, t: (typeof strings)["en"]) {
    const byDay = this.#byDay();
    const days = [...byDay.keys()].filter((d) => d.startsWith(month)).sort();
    if (!days.length) return html`<p part="status empty" class="status">${t.noEventsMonth}</p>`;
    const label = dtf(this.locale, { timeZone: "UTC", dateStyle: "full" });
    const today = this.#today;
    return html`<ol part="agenda" class="agenda" role="list">
      ${days.map(
        (d) => html`<li class="agenda-day" aria-current=${d === today ? "date" : nothing}>
          <div class="panel-title" role="heading" aria-level="3">${label.format(keyDate(d))}</div>
          <ul role="list">${byDay.get(d)!.map((s) => this.#line(s.e, t))}</ul>
        </li>`,
      )}
    </ol>`;
  }
}

define("ev-calendar", EvCalendar);

declare global {
  interface HTMLElementTagNameMap {
    "ev-calendar": EvCalendar;
  }
}
