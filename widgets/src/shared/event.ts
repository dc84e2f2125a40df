/** How an event reads anywhere: its zone, its times, its place, its status badges. */
import type { AddressJson, EventJson } from "@eventail/client";
import { html, nothing, type TemplateResult } from "lit/html.js";
import type { Common } from "./i18n.ts";

/**
 * In-person and hybrid events are shown in the venue's zone (that is where people go);
 * online-only ones in the viewer's zone (that is where they watch from).
 */
export const displayZone = (e: EventJson, viewer: string): string =>
  e.attendanceMode === "online" ? viewer : e.timezone;

const begin = (e: EventJson) => new Date(e.beginsAt);
const end = (e: EventJson) => (e.endsAt ? new Date(e.endsAt) : null);

export { begin as beginOf, end as endOf };

const regions = new Map<string, Intl.DisplayNames>();

/** "Maison des Passages, 44 rue Saint-Georges, 69001 Lyon, France". */
export function placeText(a: AddressJson | null, locale: string): string {
  if (!a) return "";
  let country = a.country;
  if (country && /^[A-Z]{2}$/.test(country)) {
    try {
      const names = regions.get(locale) ?? new Intl.DisplayNames(locale, { type: "region" });
      regions.set(locale, names);
      country = names.of(country) ?? country;
    } catch {
      // Keep the code.
    }
  }
  const locality = [a.postalCode, a.locality].filter(Boolean).join(" ");
  return [a.venue, a.street, locality, a.region, country].filter(Boolean).join(", ");
}

export const isFull = (e: EventJson): boolean => e.capacity > 0 && e.remainingCapacity === 0;

/** Status badges: cancelled, postponed, to be confirmed, full. */
export function badges(e: EventJson, t: Common): TemplateResult | typeof nothing {
  const list: [string, string][] = [];
  if (e.status === "cancelled") list.push(["cancelled", t.cancelled]);
  else if (e.status === "postponed") list.push(["postponed", t.postponed]);
  else if (e.status === "tentative") list.push(["tentative", t.tentative]);
  if (isFull(e) && e.status !== "cancelled") list.push(["full", t.full]);
  if (!list.length) return nothing;
  return html`<span class="badges">${list.map(
    ([kind, label]) => html`<span part="badge badge-${kind}" class="badge ${kind}">${label}</span>`,
  )}</span>`;
}

/** Dispatches the cancelable `ev-select`; a host that cancels it stops the navigation. */
export function selectEvent(host: HTMLElement, event: EventJson, click: Event): void {
  const ok = host.dispatchEvent(
    new CustomEvent("ev-select", {
      detail: { event },
      bubbles: true,
      composed: true,
      cancelable: true,
    }),
  );
  if (!ok) click.preventDefault();
}
