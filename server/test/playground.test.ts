/**
 * The widget playground: built from the widgets' custom-elements manifest, rendered as a GET
 * form with a live preview and the snippet to copy; values escaped; CSP allowing only this
 * origin and the page's one inline script (by hash).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../src/http/env.ts";
import { defaultColour, elementSpecs, playgroundRoutes } from "../src/http/playground.ts";
import { createEnv, inDays, type TestEnv } from "./helpers.ts";

const MANIFEST = {
  schemaVersion: "1.0.0",
  modules: [
    {
      declarations: [
        {
          tagName: "ev-event-list",
          summary: "Upcoming events.",
          attributes: [
            { name: "src", type: { text: "string" } },
            { name: "group", type: { text: "string" }, description: "A group's handle." },
            { name: "limit", type: { text: "number" } },
            { name: "past", type: { text: "boolean" } },
            { name: "layout", type: { text: '"list" | "compact" | "cards"' } },
          ],
          cssProperties: [
            { name: "--ev-accent", default: "#3b5bdb", description: "Links and buttons." },
            { name: "--ev-radius", default: "0.5rem" },
          ],
        },
        {
          tagName: "ev-event",
          attributes: [{ name: "event-id", type: { text: "string" } }],
        },
      ],
    },
  ],
};

describe("widget playground", () => {
  let t: TestEnv;
  let dir: string;
  let app: Hono<Env>;
  let eventId: string;

  beforeAll(async () => {
    t = await createEnv("sqlite");
    const user = await t.user();
    eventId = (
      await t.event(user, { title: "Repair café", beginsAt: inDays(3), timezone: "Europe/Paris" })
    ).id;
    // A widgets build of our own: dist/cdn beside dist/custom-elements.json.
    dir = mkdtempSync(join(tmpdir(), "playground-"));
    writeFileSync(join(dir, "custom-elements.json"), JSON.stringify(MANIFEST));
    app = new Hono<Env>();
    app.use(async (c, next) => {
      c.set("services", t.services);
      await next();
    });
    playgroundRoutes(app, join(dir, "cdn"));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (query = "") => {
    const res = await app.request(`http://events.test/playground${query}`);
    return { res, html: await res.text() };
  };

  it("reads every element, attribute type and CSS property from the manifest", () => {
    const [list, event] = elementSpecs(MANIFEST);
    expect(list!.tag).toBe("ev-event-list");
    expect(list!.attributes.map((a) => [a.name, a.type])).toEqual([
      ["group", "string"],
      ["limit", "number"],
      ["past", "boolean"],
      ["layout", ["list", "compact", "cards"]],
    ]);
    expect(list!.properties[0]).toEqual({
      name: "--ev-accent",
      default: "#3b5bdb",
      description: "Links and buttons.",
    });
    expect(event!.tag).toBe("ev-event");
    expect(elementSpecs({})).toEqual([]);
    // Light/dark pairs and short forms give the picker its light colour.
    expect(defaultColour("#0a57c2 / #7fb2ff")).toBe("#0a57c2");
    expect(defaultColour("#fff / #16181d")).toBe("#ffffff");
    expect(defaultColour("8px")).toBeNull();
  });

  it("starts from sensible defaults: this server, a short list, the next event", async () => {
    const { res, html } = await get();
    expect(res.status).toBe(200);
    expect(html).toContain("<option selected>ev-event-list</option><option>ev-event</option>");
    expect(html).toContain(
      '<div class="preview"><ev-event-list src="http://events.test" limit="3"></ev-event-list></div>',
    );
    expect(html).toContain(
      "&lt;script type=&quot;module&quot; src=&quot;http://events.test/widgets/eventail.js&quot;&gt;&lt;/script&gt;",
    );
    expect(html).toContain('type="color" id="p---ev-accent" name="p.--ev-accent" value="#3b5bdb"');
    const other = await get("?element=ev-event");
    expect(other.html).toContain(
      `<ev-event src="http://events.test" event-id="${eventId}"></ev-event>`,
    );
  });

  it("renders the chosen attributes and colours in the preview and the snippet", async () => {
    const { html } = await get(
      "?element=ev-event-list&for=ev-event-list&a.group=climate_lyon&a.limit=&a.past=1&a.layout=cards&p.--ev-accent=%23c2255c&p.--ev-radius=0.5rem",
    );
    expect(html).toContain(
      '<ev-event-list src="http://events.test" group="climate_lyon" past layout="cards" style="--ev-accent: #c2255c"></ev-event-list>',
    );
    // The snippet: a <style> rule with only the changed property, then the element.
    expect(html).toContain(
      "&lt;style&gt;\n  ev-event-list {\n    --ev-accent: #c2255c;\n  }\n&lt;/style&gt;",
    );
    expect(html).toContain("<option selected>cards</option>");
  });

  it("escapes hostile values and refuses choices that are not offered", async () => {
    const { html } = await get(
      `?element=ev-event-list&for=ev-event-list&a.group=${encodeURIComponent('"><script>alert(1)</script>')}&a.layout=evil&p.--ev-accent=${encodeURIComponent("red;}</style><script>")}`,
    );
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain('group="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('layout="evil"');
    expect(html).not.toContain("red;}");
  });

  it("allows only this origin and its own inline script, by hash", async () => {
    const { res, html } = await get();
    const csp = res.headers.get("content-security-policy")!;
    const inline = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash("sha256").update(inline).digest("base64");
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(html).toContain('<script type="module" src="/widgets/eventail.js"></script>');
  });

  it("says how to build the widgets when they are not built", async () => {
    const bare = new Hono<Env>();
    bare.use(async (c, next) => {
      c.set("services", t.services);
      await next();
    });
    playgroundRoutes(bare, join(dir, "missing", "cdn"));
    const res = await bare.request("http://events.test/playground");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("run <code>npm run build</code>");
  });
});
