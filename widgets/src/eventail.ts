/**
 * The loader: one `<script type="module" src=".../eventail.js">` on any page, and each
 * `ev-` element's code is fetched only when such an element appears in the document.
 */
const loaders: Record<string, () => Promise<unknown>> = {
  "ev-event-list": () => import("./event-list/element.ts"),
  "ev-calendar": () => import("./calendar/element.ts"),
  "ev-event": () => import("./event/element.ts"),
  "ev-rsvp": () => import("./rsvp/element.ts"),
  "ev-group": () => import("./group/element.ts"),
};

function scan(root: ParentNode): void {
  for (const name of Object.keys(loaders)) {
    if (root.querySelector(name)) {
      const load = loaders[name]!;
      delete loaders[name];
      load().catch((e: unknown) => console.error(`eventail: could not load ${name}`, e));
    }
  }
  if (!Object.keys(loaders).length) observer.disconnect();
}

const observer = new MutationObserver(() => scan(document));
observer.observe(document.documentElement, { childList: true, subtree: true });
scan(document);
