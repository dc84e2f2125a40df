/**
 * The loader: one `<script type="module" src=".../eventail.js">` on any page, and each
 * `ev-` element's code is fetched only when such an element appears in the document.
 * A page that already holds four kinds of elements or more gets them all in one file,
 * smaller than their own files together (see docs/decisions/0012).
 */
import { allFile } from "./all-file.ts";

const ALL_FROM = 4;

const loaders: Record<string, () => Promise<unknown>> = {
  "ev-event-list": () => import("./event-list/element.ts"),
  "ev-calendar": () => import("./calendar/element.ts"),
  "ev-event": () => import("./event/element.ts"),
  "ev-rsvp": () => import("./rsvp/element.ts"),
  "ev-group": () => import("./group/element.ts"),
};

const fail = (what: string) => (e: unknown) => console.error(`eventail: could not load ${what}`, e);

function scan(root: ParentNode): void {
  const found = Object.keys(loaders).filter((name) => root.querySelector(name));
  if (allFile && found.length >= ALL_FROM) {
    for (const name of Object.keys(loaders)) delete loaders[name];
    import(/* @vite-ignore */ allFile).catch(fail("the elements"));
  }
  for (const name of found) {
    const load = loaders[name];
    delete loaders[name];
    load?.().catch(fail(name));
  }
  if (!Object.keys(loaders).length) observer.disconnect();
}

const observer = new MutationObserver(() => scan(document));
observer.observe(document.documentElement, { childList: true, subtree: true });
scan(document);
