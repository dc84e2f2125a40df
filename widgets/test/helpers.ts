/** Test helpers shared by the element tests (they run in Chromium under @web/test-runner). */
import "axe-core/axe.js";
import type { EventJson, GroupJson } from "@eventail/client";
import type { AxeResults, RunOptions } from "axe-core";
import { render, type TemplateResult } from "lit";

declare global {
  interface Window {
    axe: { run(context: Element, options: RunOptions): Promise<AxeResults> };
  }
}

export interface Env {
  /** A real Eventail server with the demo data. */
  eventail: string;
  /** The fake RSVP / WebFinger server (test/fake-server.js). */
  fake: string;
}

let env: Promise<Env> | null = null;
export function servers(): Promise<Env> {
  env ??= fetch("/__env.json").then((r) => r.json() as Promise<Env>);
  return env;
}

const containers: HTMLElement[] = [];

/** Renders `template` into a fresh container and waits for the first element's update. */
export async function fixture<T extends Element>(template: TemplateResult): Promise<T> {
  const container = document.createElement("div");
  document.body.appendChild(container);
  containers.push(container);
  render(template, container);
  const el = container.firstElementChild as T;
  await (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return el;
}

/** Removes every fixture (call in afterEach). */
export function cleanup(): void {
  for (const c of containers.splice(0)) c.remove();
}

/** Polls until `check` returns a truthy value (elements fetch and render asynchronously). */
export async function until<T>(
  check: () => T,
  what = "condition",
  ms = 8000,
): Promise<NonNullable<T>> {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v as NonNullable<T>;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The element's shadow root, typed. */
export const shadow = (el: Element): ShadowRoot => el.shadowRoot!;

/** Visible text of the shadow tree, whitespace collapsed. */
export const text = (el: Element): string =>
  (shadow(el).textContent ?? "").replace(/\s+/g, " ").trim();

export const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  shadow(el).querySelector<T>(selector);

export const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [
  ...shadow(el).querySelectorAll<T>(selector),
];

/** Zero axe violations (WCAG 2.x A/AA and best practices) inside `el`, shadow DOM included. */
export async function expectAccessible(el: Element): Promise<void> {
  const results = await window.axe.run(el, {
    runOnly: {
      type: "tag",
      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    // Page-level rules judge the test page, not the widget.
    rules: {
      region: { enabled: false },
      "page-has-heading-one": { enabled: false },
      "landmark-one-main": { enabled: false },
    },
  });
  if (results.violations.length) {
    const lines = results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(" > ")}: ${n.failureSummary}`).join("\n    ")}`,
    );
    throw new Error(
      `axe found ${results.violations.length} violation(s):\n  ${lines.join("\n  ")}`,
    );
  }
}

let n = 0;
/** A complete EventJson with sensible defaults. */
export function makeEvent(over: Partial<EventJson> = {}): EventJson {
  const id = over.id ?? `e${++n}`;
  return {
    id,
    url: `https://events.example.org/events/${id}`,
    icsUrl: `https://events.example.org/events/${id}.ics`,
    title: `Event ${id}`,
    description: "<p>An event.</p>",
    beginsAt: "2030-12-03T19:00:00+01:00",
    endsAt: "2030-12-03T21:00:00+01:00",
    timezone: "Europe/Paris",
    allDay: false,
    attendanceMode: "offline",
    address: {
      venue: "Maison des Passages",
      street: "44 rue Saint-Georges",
      locality: "Lyon",
      postalCode: "69005",
      country: "FR",
      latitude: 45.7597,
      longitude: 4.8268,
    },
    onlineUrl: null,
    category: "COMMUNITY",
    tags: ["repair"],
    language: "en",
    banner: null,
    visibility: "public",
    status: "confirmed",
    draft: false,
    publishAt: null,
    joinMode: "free",
    externalUrl: null,
    capacity: 0,
    participantCount: 0,
    rsvpOpen: true,
    remainingCapacity: null,
    organizer: {
      id: "o1",
      handle: "camille@events.example.org",
      name: "Camille Martin",
      url: "https://events.example.org/@camille",
    },
    group: {
      id: "g1",
      handle: "climate_lyon@events.example.org",
      name: "Climate Action Lyon",
      url: "https://events.example.org/@climate_lyon",
    },
    recurrence: null,
    sequence: 0,
    createdAt: "2030-01-01T00:00:00Z",
    updatedAt: "2030-01-01T00:00:00Z",
    ...over,
  };
}

export function makeGroup(over: Partial<GroupJson> = {}): GroupJson {
  return {
    id: "g1",
    handle: "climate_lyon@events.example.org",
    name: "Climate Action Lyon",
    url: "https://events.example.org/@climate_lyon",
    description: "<p>Neighbours acting on climate.</p>",
    avatar: null,
    banner: null,
    resources: [],
    createdAt: "2030-01-01T00:00:00Z",
    ...over,
  };
}

/** Payloads that must stay inert wherever text or HTML from a server is shown. */
export const XSS = {
  title: `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`,
  html: `<p>ok</p><img src=x onerror="window.__xss=1"><script>window.__xss=1</script><a href="javascript:window.__xss=1">click</a><iframe src="javascript:window.__xss=1"></iframe><p onclick="window.__xss=1" style="color:red">styled</p><svg onload="window.__xss=1"><circle /></svg>`,
  url: "javascript:window.__xss=1",
};

/** Waits a little for any (unwanted) async handler, then asserts none ran. */
export async function expectNoXss(root: Element): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  if ((window as unknown as { __xss?: number }).__xss) throw new Error("an XSS payload ran");
  const all = [root, ...shadow(root).querySelectorAll("*")];
  for (const el of all) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith("on"))
        throw new Error(`event handler attribute ${attr} on <${el.localName}>`);
      const v = el.getAttribute(attr) ?? "";
      if (/^\s*javascript:/i.test(v))
        throw new Error(`javascript: URL in ${attr} of <${el.localName}>`);
    }
    if (["script", "iframe", "svg", "object", "embed"].includes(el.localName))
      throw new Error(`<${el.localName}> rendered`);
  }
}

/** Whether `selector` matches in the shadow tree (chai must never print a DOM node: it hangs). */
export const has = (el: Element, selector: string): boolean => $(el, selector) !== null;
