import { expect } from "@esm-bundle/chai";
import { until } from "../test/helpers.ts";

describe("the eventail.js loader", () => {
  it("loads an element's code only once such an element is on the page", async () => {
    document.body.insertAdjacentHTML("beforeend", `<ev-event-list id="early"></ev-event-list>`);
    await import("./eventail.ts");
    await until(() => customElements.get("ev-event-list"), "ev-event-list");
    expect(customElements.get("ev-calendar")).to.equal(undefined);
    expect(customElements.get("ev-rsvp")).to.equal(undefined);
    // Added later, deep inside other markup.
    const div = document.createElement("div");
    div.innerHTML = "<section><ev-calendar></ev-calendar></section>";
    document.body.append(div);
    await until(() => customElements.get("ev-calendar"), "ev-calendar");
    expect(customElements.get("ev-rsvp")).to.equal(undefined);
    div.remove();
    document.getElementById("early")!.remove();
  });
});
