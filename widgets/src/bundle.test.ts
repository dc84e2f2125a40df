/**
 * The standalone bundle as a page gets it (dist/cdn, built by `npm test` just before):
 * the loader fetches the list's one file for a list, and the all-in-one file, alone, for a
 * page holding every kind of element. Each page is an iframe: its own element registry.
 */
import { expect } from "@esm-bundle/chai";
import { until } from "../test/helpers.ts";

const LOADER = "/widgets/dist/cdn/eventail.js";

async function page(elements: string[]): Promise<{ files: string[]; win: Window }> {
  const frame = document.createElement("iframe");
  frame.srcdoc = `<!doctype html><html lang="en"><body>${elements
    .map((e) => `<${e}></${e}>`)
    .join("")}<script type="module" src="${LOADER}"></script></body></html>`;
  document.body.append(frame);
  await new Promise((ok) => frame.addEventListener("load", ok, { once: true }));
  const win = frame.contentWindow as Window & typeof globalThis;
  await until(() => elements.every((e) => win.customElements.get(e)), "elements defined");
  const files = win.performance
    .getEntriesByType("resource")
    .map((r) => new URL(r.name).pathname.split("/").pop()!)
    .filter((f) => f.endsWith(".js"))
    .sort();
  return { files, win };
}

describe("the standalone bundle through its loader", () => {
  it("loads the event list's own file for a page with a list", async () => {
    const { files } = await page(["ev-event-list"]);
    expect(files).to.have.length(2);
    expect(files[0]).to.match(/^event-list-[a-z0-9]{8}\.js$/);
    expect(files[1]).to.equal("eventail.js");
  });

  it("loads one file holding every element for a page with all five", async () => {
    const all = ["ev-event-list", "ev-calendar", "ev-event", "ev-rsvp", "ev-group"];
    const { files, win } = await page(all);
    expect(files).to.have.length(2);
    expect(files[0]).to.match(/^all-[a-z0-9]{8}\.js$/);
    expect(files[1]).to.equal("eventail.js");
    // …and they work: each says it has no data, in its own shadow root.
    for (const name of all) {
      const el = win.document.querySelector(name)!;
      await until(() => el.shadowRoot?.textContent?.trim(), `${name} rendered`);
    }
  });
});
