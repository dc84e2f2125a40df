/** The organizer's events: list, create and edit, publish, cancel, delete, duplicate. */

import type { EventJson } from "@eventail/client";
import { html, nothing, type PropertyDeclarations } from "lit";
import { CATEGORIES } from "../../../packages/core/src/categories.ts";
import { instantAt, type WallClock } from "../../../packages/core/src/time.ts";
import { Problem } from "./api.ts";
import { ConsoleView, define, formValues } from "./view.ts";
import { loadWidgetElements } from "./widgets-bundle.ts";

interface GeoCandidate {
  label: string;
  latitude: number;
  longitude: number;
  address: { street?: string; postalCode?: string; locality?: string; country?: string };
}

interface GroupMembership {
  group: { id: string; handle: string; name: string };
  role: string;
}

/** "2026-12-01T19:00" read in `zone` → RFC 3339 instant; "" → null. */
export function zonedInstant(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const w: WallClock = { year: y!, month: mo!, day: d!, hour: h!, minute: mi!, second: 0 };
  return instantAt(w, zone).toISOString();
}

/** The wall-clock part of a zoned RFC 3339 string, for a datetime-local input. */
export const localPart = (iso: string | null | undefined): string => (iso ? iso.slice(0, 16) : "");

function when(e: EventJson, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: e.allDay ? undefined : "short",
    timeZone: e.timezone,
  }).format(new Date(e.beginsAt));
}

/** A create body from an existing event (duplicate): everything but identity and state. */
export function copyBody(e: EventJson, title: string): Record<string, unknown> {
  return {
    title,
    description: e.description,
    beginsAt: e.beginsAt,
    endsAt: e.endsAt,
    timezone: e.timezone,
    allDay: e.allDay,
    address: e.address,
    onlineUrl: e.onlineUrl,
    category: e.category,
    tags: e.tags,
    language: e.language,
    visibility: e.visibility,
    status: e.status === "cancelled" ? "confirmed" : e.status,
    joinMode: e.joinMode,
    externalUrl: e.externalUrl,
    capacity: e.capacity,
    groupId: e.group?.id ?? null,
    draft: true,
  };
}

export class ConsoleEvents extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    events: { state: true },
  };
  declare events: EventJson[] | null;

  constructor() {
    super();
    this.events = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    const out = await this.run(() => this.api.get<{ items: EventJson[] }>("/api/v1/me/events"));
    if (out) this.events = out.items;
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.events}</h1>
      ${this.status()}
      <p><a class="button" href="#/events/new">${t.newEvent}</a></p>
      ${
        this.events === null
          ? this.busy
            ? html`<p role="status">${t.loading}</p>`
            : nothing
          : this.events.length === 0
            ? html`<p>${t.noEvents}</p>`
            : html`<ul class="cards">
              ${this.events.map((e) => this.#card(e))}
            </ul>`
      }`;
  }

  #card(e: EventJson) {
    const t = this.t;
    const scheduled = !e.draft && e.publishAt && Date.parse(e.publishAt) > Date.now();
    return html`<li>
      <a class="card-title" href="#/events/${e.id}">${e.title}</a>
      <span>${when(e, document.documentElement.lang || "en")} · ${e.timezone}</span>
      <span class="badges">
        ${e.draft ? html`<span class="badge">${t.draft}</span>` : nothing}
        ${scheduled ? html`<span class="badge">${t.scheduled}</span>` : nothing}
        ${e.status !== "confirmed" ? html`<span class="badge ${e.status}">${t.statuses[e.status]}</span>` : nothing}
        ${e.visibility !== "public" ? html`<span class="badge">${t.visibilities[e.visibility]}</span>` : nothing}
      </span>
      <div class="actions">
        <a href="#/events/${e.id}/participants">${t.participants} (${e.participantCount})</a>
        <a href=${e.url}>${t.preview}</a>
        <button type="button" class="secondary" @click=${() => this.#duplicate(e)}>
          ${t.duplicate}<span class="visually-hidden"> ${e.title}</span>
        </button>
      </div>
    </li>`;
  }

  async #duplicate(e: EventJson) {
    const copy = await this.run(() =>
      this.api.request<EventJson>("POST", "/api/v1/events", copyBody(e, this.t.copyOf(e.title))),
    );
    if (copy) this.goWith(`#/events/${copy.id}`, this.t.saved);
  }
}

export class ConsoleEventForm extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    eventId: { attribute: false },
    event: { state: true },
    groups: { state: true },
    previewReady: { state: true },
    exdates: { state: true },
    occurrences: { state: true },
    geocoding: { state: true },
    places: { state: true },
    placeMessage: { state: true },
    placeError: { state: true },
    placeBusy: { state: true },
  };
  /** The event edited; unset for a new one. */
  declare eventId: string | undefined;
  declare event: EventJson | null;
  declare groups: GroupMembership[];
  /** The public widget is loaded: the saved event is shown as visitors will see it. */
  declare previewReady: boolean;
  /** Skipped occurrences (start instants, ms) as edited here; saved with the form. */
  declare exdates: number[];
  /** The next occurrences of the saved series, skipped ones included (start instants, ms). */
  declare occurrences: number[];

  /** The instance answers address searches (GET /api/v1/geocode). */
  declare geocoding: boolean;
  /** Places found for the address, to pick from; null before a search. */
  declare places: GeoCandidate[] | null;
  declare placeMessage: string;
  declare placeError: string;
  declare placeBusy: boolean;

  constructor() {
    super();
    this.event = null;
    this.groups = [];
    this.previewReady = false;
    this.geocoding = false;
    this.places = null;
    this.placeMessage = "";
    this.placeError = "";
    this.placeBusy = false;
    this.exdates = [];
    this.occurrences = [];
  }

  /** Shows `e` and computes its next dates with the shared recurrence code (loaded on demand). */
  async #show(e: EventJson | null): Promise<void> {
    this.event = e;
    this.exdates = (e?.recurrence?.exdates ?? []).map(Date.parse);
    this.occurrences = [];
    if (!e?.recurrence) return;
    const { occurrencesBetween } = await import("../../../packages/core/src/recurrence.ts");
    const now = Date.now();
    this.occurrences = occurrencesBetween(
      {
        beginsAt: new Date(e.beginsAt),
        endsAt: e.endsAt ? new Date(e.endsAt) : null,
        timezone: e.timezone,
        recurrence: { rrule: e.recurrence.rrule, exdates: [] },
      },
      new Date(now),
      new Date(now + 5 * 366 * 86_400_000),
    )
      .slice(0, NEXT_OCCURRENCES)
      .map((o) => o.start.getTime());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    void loadWidgetElements(["ev-event"]).then((ok) => {
      this.previewReady = ok;
    });
  }

  async #load() {
    const notice = this.notice;
    await this.run(async () => {
      const [groups, event, instance] = await Promise.all([
        this.api.get<{ items: GroupMembership[] }>("/api/v1/me/groups"),
        this.eventId ? this.api.get<EventJson>(`/api/v1/events/${this.eventId}`) : null,
        this.api.get<{ geocoding?: boolean }>("/api/v1/instance"),
      ]);
      this.groups = groups.items;
      this.geocoding = instance.geocoding === true;
      await this.#show(event);
    });
    this.notice ||= notice;
  }

  override render() {
    const t = this.t;
    if (this.eventId && !this.event)
      return html`<h1 tabindex="-1">${t.edit}</h1>
        ${this.status()}${this.busy ? html`<p role="status">${t.loading}</p>` : nothing}`;
    const e = this.event;
    const zone = e?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = Intl.supportedValuesOf("timeZone");
    if (!zones.includes(zone)) zones.unshift(zone);
    const a = e?.address ?? null;
    return html`<h1 tabindex="-1">${e ? e.title : t.newEvent}</h1>
      ${this.status()}
      ${e ? this.#toolbar(e) : nothing}
      <form @submit=${this.#submit} novalidate>
        ${this.input("title", t.eventTitle, e?.title, { required: true })}
        ${this.richText("description", t.description, e?.description ?? "", { hint: t.descriptionHint })}
        <fieldset>
          <legend>${t.begins} / ${t.ends}</legend>
          <div class="row">
            ${this.input("beginsAt", t.begins, localPart(e?.beginsAt), { type: "datetime-local", required: true })}
            ${this.input("endsAt", t.ends, localPart(e?.endsAt), { type: "datetime-local" })}
          </div>
          ${this.select(
            "timezone",
            t.timezone,
            zone,
            zones.map((z) => [z, z]),
          )}
          <label class="check"><input type="checkbox" name="allDay" ?checked=${!!e?.allDay} /> ${t.allDay}</label>
        </fieldset>
        <fieldset>
          <legend>${t.place}</legend>
          ${this.input("venue", t.venue, a?.venue, { path: "address.venue" })}
          ${this.input("street", t.street, a?.street, { path: "address.street" })}
          <div class="row">
            ${this.input("postalCode", t.postalCode, a?.postalCode, { path: "address.postalCode" })}
            ${this.input("locality", t.locality, a?.locality, { path: "address.locality" })}
            ${this.input("country", t.country, a?.country, { path: "address.country" })}
          </div>
          ${this.geocoding ? this.#finder() : nothing}
          <div class="row">
            ${this.input("latitude", t.latitude, a?.latitude, { type: "number", step: "any", path: "address.latitude" })}
            ${this.input("longitude", t.longitude, a?.longitude, { type: "number", step: "any", path: "address.longitude" })}
          </div>
          ${this.input("onlineUrl", t.onlineUrl, e?.onlineUrl, { type: "url" })}
        </fieldset>
        <div class="row">
          ${this.select(
            "category",
            t.category,
            e?.category ?? "MEETING",
            CATEGORIES.map((c) => [c, c.replace(/_/g, " ").toLowerCase()]),
          )}
          ${this.input("tags", t.tags, e?.tags.join(", "), { hint: t.tagsHint })}
        </div>
        ${this.input("rrule", t.recurrence, e?.recurrence?.rrule, {
          hint: t.recurrenceHint,
          path: "recurrence.rrule",
        })}
        ${e?.recurrence ? this.#dates(e) : nothing}
        <fieldset>
          <legend>${t.banner}</legend>
          ${
            e?.banner
              ? html`<img class="banner" src=${e.banner.url} alt=${e.banner.alt} />
                  <label class="check"><input type="checkbox" name="removeBanner" /> ${t.removeBanner}</label>`
              : nothing
          }
          ${this.field(
            "bannerFile",
            e?.banner ? t.replaceBanner : t.bannerFile,
            (describedBy, invalid) => html`<input
              id="bannerFile"
              name="bannerFile"
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp"
              aria-describedby=${describedBy ?? nothing}
              aria-invalid=${invalid ? "true" : "false"}
            />`,
            { path: "file" },
          )}
          ${this.input("bannerAlt", t.bannerAlt, e?.banner?.alt, { hint: t.bannerAltHint, path: "banner.alt" })}
        </fieldset>
        <fieldset>
          <legend>${t.joinMode}</legend>
          <div class="row">
            ${this.select(
              "joinMode",
              t.joinMode,
              e?.joinMode ?? "free",
              Object.entries(t.joinModes),
            )}
            ${this.input("capacity", t.capacity, e?.capacity ?? 0, { type: "number", min: "0", hint: t.capacityHint })}
          </div>
          ${this.input("externalUrl", t.externalUrl, e?.externalUrl, { type: "url" })}
        </fieldset>
        <div class="row">
          ${this.select(
            "visibility",
            t.visibility,
            e?.visibility ?? "public",
            Object.entries(t.visibilities),
          )}
          ${this.select(
            "status",
            t.status,
            e?.status ?? "confirmed",
            Object.entries(t.statuses).filter(
              ([s]) => s !== "cancelled" || e?.status === "cancelled",
            ),
          )}
        </div>
        ${this.select("groupId", t.group, e?.group?.id ?? "", [
          ["", t.noGroup],
          ...this.groups.map((m): [string, string] => [m.group.id, m.group.name]),
        ])}
        ${
          !e || e.draft
            ? this.input(
                "publishAt",
                t.publishAt,
                e?.publishAt ? localPart(isoIn(e.publishAt, zone)) : "",
                {
                  type: "datetime-local",
                  hint: t.publishAtHint,
                },
              )
            : nothing
        }
        <div class="actions">
          ${
            e
              ? html`<button type="submit" name="action" value="save" ?disabled=${this.busy}>${t.save}</button>`
              : html`<button type="submit" name="action" value="draft" class="secondary" ?disabled=${this.busy}>
                    ${t.saveDraft}
                  </button>
                  <button type="submit" name="action" value="publish" ?disabled=${this.busy}>${t.publish}</button>`
          }
        </div>
      </form>
      ${
        e && this.previewReady
          ? html`<h2 id="public-preview">${t.publicPreview}</h2>
            <div class="preview" aria-labelledby="public-preview">
              <ev-event .event=${e} heading-level="3" lang=${document.documentElement.lang}></ev-event>
            </div>`
          : nothing
      }`;
  }

  /** "Find" beside the address: the server asks its geocoding provider; a pick fills lat/lon. */
  #finder() {
    const t = this.t;
    return html`<div class="finder">
      <div class="actions">
        <button type="button" class="secondary" id="find-place" @click=${this.#findPlace} ?disabled=${this.placeBusy}>
          ${t.findPlace}
        </button>
        <span class="hint">${t.findPlaceHint}</span>
      </div>
      <div role="status" aria-live="polite">
        ${this.placeBusy ? html`<p class="hint">${t.loading}</p>` : nothing}
        ${this.placeMessage ? html`<p class="hint">${this.placeMessage}</p>` : nothing}
      </div>
      <div role="alert">${this.placeError ? html`<p class="field-error">${this.placeError}</p>` : nothing}</div>
      ${
        this.places?.length
          ? html`<ul class="places" aria-label=${t.placesFound}>
            ${this.places.map(
              (p) => html`<li>
                <span>${p.label}</span>
                <button type="button" class="secondary" @click=${() => this.#usePlace(p)}>
                  ${t.usePlace}<span class="visually-hidden"> ${p.label}</span>
                </button>
              </li>`,
            )}
          </ul>`
          : nothing
      }
    </div>`;
  }

  #formInput(name: string): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`form [name="${name}"]`);
  }

  async #findPlace() {
    const t = this.t;
    const parts = ["street", "postalCode", "locality", "country"]
      .map((k) => this.#formInput(k)?.value.trim() ?? "")
      .filter(Boolean);
    if (!parts.length) parts.push(this.#formInput("venue")?.value.trim() ?? "");
    const q = parts.filter(Boolean).join(", ");
    this.places = null;
    this.placeMessage = "";
    this.placeError = "";
    if (q.length < 3) {
      this.placeError = t.findPlaceNeedsAddress;
      return;
    }
    this.placeBusy = true;
    try {
      const lang = document.documentElement.lang || "en";
      const out = await this.api.get<{ items: GeoCandidate[] }>(
        `/api/v1/geocode?q=${encodeURIComponent(q.slice(0, 300))}&lang=${encodeURIComponent(lang)}`,
      );
      this.places = out.items;
      this.placeMessage = out.items.length ? t.placesCount(out.items.length) : t.noPlaces;
    } catch (e) {
      this.placeError = e instanceof Problem ? e.detail : String(e);
    } finally {
      this.placeBusy = false;
    }
  }

  /** Fills latitude and longitude (and the address fields still empty) from a found place. */
  #usePlace(p: GeoCandidate) {
    const set = (name: string, value: string | number | undefined, onlyEmpty: boolean) => {
      const input = this.#formInput(name);
      if (!input || value === undefined || (onlyEmpty && input.value.trim())) return;
      input.value = String(value);
    };
    set("latitude", p.latitude, false);
    set("longitude", p.longitude, false);
    set("street", p.address.street, true);
    set("postalCode", p.address.postalCode, true);
    set("locality", p.address.locality, true);
    set("country", p.address.country, true);
    this.places = null;
    this.placeMessage = this.t.placeUsed(p.label);
    this.#formInput("latitude")?.focus();
  }

  /** The series' next dates, each with Skip (or Restore when skipped); saved as exdates. */
  #dates(e: EventJson) {
    const t = this.t;
    const format = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
      dateStyle: "full",
      timeStyle: e.allDay ? undefined : "short",
      timeZone: e.timezone,
    });
    const shown = new Set(this.occurrences);
    // Skipped dates outside the next ones (past, or further away) can be restored too.
    const all = [...this.occurrences, ...this.exdates.filter((d) => !shown.has(d))].sort(
      (a, b) => a - b,
    );
    const toggle = (d: number) => {
      this.exdates = this.exdates.includes(d)
        ? this.exdates.filter((x) => x !== d)
        : [...this.exdates, d];
    };
    return html`<fieldset class="occurrences">
      <legend>${t.occurrences}</legend>
      <p class="hint">${t.occurrencesHint}</p>
      ${this.errorFor("recurrence.exdates") ? html`<p class="field-error">${this.errorFor("recurrence.exdates")}</p>` : nothing}
      <ul>
        ${all.map((d) => {
          const skipped = this.exdates.includes(d);
          const label = format.format(new Date(d));
          return html`<li class=${skipped ? "skipped" : ""}>
            <span>${label}${skipped ? html` <span class="badge">${t.skippedDate}</span>` : nothing}</span>
            <button type="button" class="secondary" data-date=${new Date(d).toISOString()} @click=${() => toggle(d)}>
              ${skipped ? t.restoreDate : t.skipDate}<span class="visually-hidden"> ${label}</span>
            </button>
          </li>`;
        })}
      </ul>
    </fieldset>`;
  }

  #toolbar(e: EventJson) {
    const t = this.t;
    return html`<div class="actions" role="group" aria-label=${t.actions}>
        <span class="badges">
          ${e.draft ? html`<span class="badge">${t.draft}</span>` : nothing}
          ${e.status !== "confirmed" ? html`<span class="badge ${e.status}">${t.statuses[e.status]}</span>` : nothing}
        </span>
        ${e.draft ? html`<button type="button" @click=${this.#publish} ?disabled=${this.busy}>${t.publish}</button>` : nothing}
        <a href="#/events/${e.id}/participants">${t.participants}</a>
        <a href=${e.url}>${t.preview}</a>
        <button type="button" class="secondary" @click=${this.#duplicate} ?disabled=${this.busy}>${t.duplicate}</button>
        ${
          e.status !== "cancelled" && !e.draft
            ? html`<button type="button" class="danger" @click=${this.#cancel} ?disabled=${this.busy}>
                ${t.cancelEvent}
              </button>`
            : nothing
        }
        <button type="button" class="danger" @click=${this.#delete} ?disabled=${this.busy}>${t.delete}</button>
      </div>`;
  }

  /**
   * The request body from the form (every field: PATCH takes them all as well). A chosen
   * image is uploaded first; the banner is left as it is when no new one is given.
   */
  async #body(form: HTMLFormElement): Promise<Record<string, unknown>> {
    const v = formValues(form);
    const file = (form.elements.namedItem("bannerFile") as HTMLInputElement | null)?.files?.[0];
    const banner = this.event
      ? await this.imageInput(file, v.bannerAlt, v.removeBanner === "on", this.event.banner)
      : file
        ? await this.imageInput(file, v.bannerAlt, false, null)
        : null;
    const zone = v.timezone || "UTC";
    const address: Record<string, unknown> = {};
    for (const k of ["venue", "street", "postalCode", "locality", "country"] as const)
      if (v[k]) address[k] = v[k];
    if (v.latitude || v.longitude) {
      address.latitude = v.latitude ? Number(v.latitude) : undefined;
      address.longitude = v.longitude ? Number(v.longitude) : undefined;
    }
    return {
      title: v.title,
      description: v.description ?? "",
      beginsAt: zonedInstant(v.beginsAt ?? "", zone) ?? v.beginsAt,
      endsAt: zonedInstant(v.endsAt ?? "", zone),
      timezone: zone,
      allDay: v.allDay === "on",
      address: Object.keys(address).length ? address : null,
      onlineUrl: v.onlineUrl || null,
      category: v.category,
      tags: (v.tags ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      joinMode: v.joinMode,
      capacity: Number(v.capacity || 0),
      externalUrl: v.externalUrl || null,
      visibility: v.visibility,
      status: v.status,
      groupId: v.groupId || null,
      recurrence: v.rrule
        ? {
            rrule: v.rrule,
            exdates: [...this.exdates].sort((a, b) => a - b).map((d) => new Date(d).toISOString()),
          }
        : null,
      ...(banner !== undefined ? { banner } : {}),
      ...(v.publishAt !== undefined ? { publishAt: zonedInstant(v.publishAt, zone) } : {}),
    };
  }

  async #submit(ev: SubmitEvent) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const action = (ev.submitter as HTMLButtonElement | null)?.value ?? "save";
    const t = this.t;
    if (this.event) {
      const id = this.event.id;
      const out = await this.run(
        async () =>
          this.api.request<EventJson>("PATCH", `/api/v1/events/${id}`, await this.#body(form)),
        t.saved,
      );
      if (out) {
        await this.#show(out);
        const file = form.elements.namedItem("bannerFile") as HTMLInputElement | null;
        if (file) file.value = "";
      }
      return;
    }
    const out = await this.run(async () =>
      this.api.request<EventJson>("POST", "/api/v1/events", {
        ...(await this.#body(form)),
        draft: action === "draft",
      }),
    );
    if (out) this.goWith(`#/events/${out.id}`, action === "draft" ? t.saved : t.published);
  }

  async #publish() {
    const id = this.event!.id;
    const out = await this.run(
      () => this.api.request<EventJson>("POST", `/api/v1/events/${id}/publish`),
      this.t.published,
    );
    if (out) await this.#show(out);
  }

  async #cancel() {
    if (!confirm(this.t.confirmCancelEvent)) return;
    const id = this.event!.id;
    const out = await this.run(
      () => this.api.request<EventJson>("POST", `/api/v1/events/${id}/cancel`),
      this.t.saved,
    );
    if (out) await this.#show(out);
  }

  async #delete() {
    if (!confirm(this.t.confirmDelete)) return;
    const id = this.event!.id;
    const ok = await this.run(() =>
      this.api.request("DELETE", `/api/v1/events/${id}`).then(() => true),
    );
    if (ok) this.go("#/events");
  }

  async #duplicate() {
    const e = this.event!;
    const copy = await this.run(() =>
      this.api.request<EventJson>("POST", "/api/v1/events", copyBody(e, this.t.copyOf(e.title))),
    );
    if (copy) this.goWith(`#/events/${copy.id}`, this.t.saved);
  }
}

/** An instant as RFC 3339 wall-clock time in `zone` (publishAt comes back in UTC). */
function isoIn(instant: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(instant));
  const g = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${g("year")}-${g("month")}-${g("day")}T${g("hour")}:${g("minute")}`;
}

/** How many coming dates of a series the form lists. */
const NEXT_OCCURRENCES = 12;

define("ev-console-events", ConsoleEvents);
define("ev-console-event-form", ConsoleEventForm);
