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
  makeGroup,
  servers,
  until,
  XSS,
} from "../../test/helpers.ts";
import type { EvEventList } from "../event-list/element.ts";
import "./element.ts";
import type { EvGroup, GroupData } from "./element.ts";
import { parseHandle } from "./fediverse.ts";

afterEach(cleanup);

const squash = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
const list = (el: EvGroup) => $<EvEventList>(el, "ev-event-list")!;
const listTitles = (el: EvGroup) => $$(list(el), "[part~=link]").map((a) => a.textContent);

const full: GroupData = {
  ...makeGroup(),
  avatar: {
    url: "https://events.example.org/media/avatar.png",
    alt: "Logo of Climate Action Lyon",
    mediaType: "image/png",
  },
  banner: {
    url: "https://events.example.org/media/banner.jpg",
    alt: "A march on the quays",
    mediaType: "image/jpeg",
  },
  resources: [
    { title: "Shared notes", url: "https://pad.example.org/p/climate" },
    { title: "Bad", url: XSS.url },
  ],
  posts: [
    {
      title: "Report of the march",
      url: "https://events.example.org/@climate_lyon/posts/1",
      publishedAt: "2030-11-20T10:00:00Z",
      content: "<p>2,000 people <strong>marched</strong>.</p>",
    },
  ],
};

/** Follows through the fake server's WebFinger and records what would open. */
async function followWith(el: EvGroup, handle: string, open = true): Promise<string[]> {
  const { fake } = await servers();
  const opened: string[] = [];
  el.webfingerUrl = (_host, resource) =>
    `${fake}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  el.openUrl = (url) => {
    opened.push(url);
    return open;
  };
  const input = $<HTMLInputElement>(el, "#handle")!;
  input.value = handle;
  $<HTMLButtonElement>(el, "[part~=follow] button")!.click();
  return opened;
}

const status = (el: EvGroup) => squash($(el, "[part~=follow-status]")!.textContent);

describe("ev-group from properties", () => {
  it("shows banner, avatar, name, handle, description, events, resources and posts", async () => {
    const events = [makeEvent({ title: "Repair café" }), makeEvent({ title: "Bike ride" })];
    const el = await fixture<EvGroup>(
      html`<ev-group lang="en" timezone="Europe/Paris" .group=${full} .events=${events}></ev-group>`,
    );
    expect($<HTMLImageElement>(el, "[part~=banner]")!.alt).to.equal("A march on the quays");
    expect($<HTMLImageElement>(el, "[part~=avatar]")!.alt).to.equal("Logo of Climate Action Lyon");
    expect(squash($(el, "[part~=name]")!.textContent)).to.equal("Climate Action Lyon");
    expect($(el, "[part~=name]")!.getAttribute("aria-level")).to.equal("2");
    expect(squash($(el, "[part~=handle]")!.textContent)).to.equal(
      "@climate_lyon@events.example.org",
    );
    expect(squash($(el, "[part~=description]")!.textContent)).to.equal(
      "Neighbours acting on climate.",
    );
    await list(el).updateComplete;
    expect(listTitles(el)).to.deep.equal(["Repair café", "Bike ride"]);
    expect($(list(el), "[part~=title]")!.getAttribute("aria-level")).to.equal("4");
    expect(
      $$<HTMLAnchorElement>(el, "[part~=resources] a").map((a) => [a.textContent, a.href]),
    ).to.deep.equal([["Shared notes", "https://pad.example.org/p/climate"]]);
    const post = $(el, "[part~=post]")!;
    expect(squash(post.textContent)).to.equal(
      "Report of the march Nov 20, 2030 2,000 people marched.",
    );
    await expectAccessible(el);
  });

  it("leaves out what the group does not have", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group .group=${makeGroup()} .events=${[]}></ev-group>`,
    );
    for (const p of ["banner", "avatar", "resources", "posts"])
      expect(has(el, `[part~=${p}]`), p).to.equal(false);
    await list(el).updateComplete;
    expect(squash(list(el).shadowRoot!.textContent)).to.equal("No upcoming events.");
    await expectAccessible(el);
  });

  it("speaks French, down to its inner list", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group lang="fr" timezone="Europe/Paris" .group=${full} .events=${[]}></ev-group>`,
    );
    expect(squash($(el, "#events-title")!.textContent)).to.equal("Événements à venir");
    expect(squash($(el, "#follow-title")!.textContent)).to.equal("Suivre depuis le fédivers");
    await list(el).updateComplete;
    expect(squash(list(el).shadowRoot!.textContent)).to.equal("Aucun événement à venir.");
    expect(squash($(el, "[part~=post] time")!.textContent)).to.equal("20 nov. 2030");
  });

  it("renders hostile names, descriptions, links and posts inert", async () => {
    const g: GroupData = {
      ...makeGroup({ name: XSS.title, description: XSS.html, url: XSS.url }),
      avatar: { url: XSS.url, alt: "x", mediaType: "image/png" },
      resources: [{ title: XSS.title, url: XSS.url }],
      posts: [{ title: XSS.title, url: "https://ok.example/1", content: XSS.html }],
    };
    const el = await fixture<EvGroup>(
      html`<ev-group .group=${g} .events=${[makeEvent({ title: XSS.title, url: XSS.url })]}></ev-group>`,
    );
    expect(squash($(el, "[part~=name]")!.textContent)).to.contain("<script>");
    expect(has(el, "[part~=avatar]")).to.equal(false);
    expect(has(el, "[part~=resources]")).to.equal(false);
    await expectNoXss(el);
    await expectNoXss(list(el));
  });
});

describe("ev-group follow from the fediverse", () => {
  it("finds the visitor's instance by WebFinger and opens its subscribe page", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group lang="en" .group=${makeGroup()} .events=${[]}></ev-group>`,
    );
    let followed = "";
    el.addEventListener("ev-follow", (e) => {
      followed = (e as CustomEvent).detail.url;
    });
    const opened = await followWith(el, " @ana@social.test ");
    await until(() => opened.length, "the subscribe page");
    expect(opened).to.deep.equal([
      "https://social.test/authorize_interaction?uri=climate_lyon%40events.example.org",
    ]);
    expect(followed).to.equal(opened[0]);
    await el.updateComplete;
    expect(status(el)).to.equal("A new tab opened on social.test to confirm.");
    await expectAccessible(el);
  });

  it("asks for a proper address before looking anything up", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group lang="en" .group=${makeGroup()} .events=${[]}></ev-group>`,
    );
    const opened = await followWith(el, "ana");
    await el.updateComplete;
    expect(status(el)).to.equal("Enter an address like @you@example.social.");
    expect($(el, "#handle")!.getAttribute("aria-invalid")).to.equal("true");
    expect(opened).to.deep.equal([]);
    await expectAccessible(el);
  });

  it("explains when the instance has no subscribe template or no such account", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group lang="en" .group=${makeGroup()} .events=${[]}></ev-group>`,
    );
    await followWith(el, "bare@social.test");
    await until(() => status(el).startsWith("Could not"), "not found");
    expect(status(el)).to.equal(
      "Could not find how to follow from social.test. You can also search for @climate_lyon@events.example.org in your app.",
    );
    await followWith(el, "@nobody@social.test");
    await until(() => status(el).startsWith("Could not"), "not found");
  });

  it("tells what to do when the new tab was blocked", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group lang="fr" .group=${makeGroup()} .events=${[]}></ev-group>`,
    );
    await followWith(el, "https://social.test/@ana", false);
    await until(() => status(el).startsWith("Votre navigateur"), "blocked");
    expect(status(el)).to.contain("ouvrez social.test");
  });

  it("reads handles in their usual shapes", () => {
    expect(parseHandle("@ana@Social.Example")).to.deep.equal({
      user: "ana",
      host: "social.example",
    });
    expect(parseHandle("ana@localhost:3000")).to.deep.equal({
      user: "ana",
      host: "localhost:3000",
    });
    expect(parseHandle("https://mastodon.example/@bob/")).to.deep.equal({
      user: "bob",
      host: "mastodon.example",
    });
    expect(parseHandle("bob")).to.equal(null);
    expect(parseHandle("@bob@")).to.equal(null);
    expect(parseHandle("a b@c.d")).to.equal(null);
  });
});

describe("ev-group from src (a real Eventail server)", () => {
  it("fetches the group and its upcoming events", async () => {
    const { eventail } = await servers();
    const el = await fixture<EvGroup>(
      html`<ev-group lang="en" src=${eventail} handle="climate_lyon" limit="50"></ev-group>`,
    );
    await until(() => has(el, "[part~=name]"), "the group");
    expect(squash($(el, "[part~=name]")!.textContent)).to.equal("Climate Action Lyon");
    expect(squash($(el, "[part~=handle]")!.textContent)).to.match(/^@climate_lyon@/);
    await until(() => list(el) && listTitles(el).includes("Repair café"), "the group's events");
    expect(listTitles(el)).not.to.include("Tenants' rights clinic");
    await expectAccessible(el);
    el.setAttribute("handle", "no_such_group");
    await until(() => has(el, "[role=alert]"), "not found");
    expect(squash($(el, "[role=alert]")!.textContent)).to.contain(
      "This was not found on the event server.",
    );
  });
});

describe("ev-group theming", () => {
  it("exposes parts, exports the list's, and follows custom properties", async () => {
    const el = await fixture<EvGroup>(
      html`<ev-group style="--ev-surface: rgb(9, 8, 7)" .group=${full} .events=${[makeEvent()]}></ev-group>`,
    );
    for (const p of [
      "group",
      "banner",
      "header",
      "avatar",
      "name",
      "handle",
      "description",
      "section",
      "section-title",
      "events",
      "resources",
      "posts",
      "post",
      "follow",
      "input",
      "button",
    ])
      expect(has(el, `[part~=${p}]`), p).to.equal(true);
    expect(list(el).getAttribute("exportparts")).to.contain("item");
    expect(getComputedStyle($(el, "[part~=follow]")!).backgroundColor).to.equal("rgb(9, 8, 7)");
    el.setAttribute("theme", "dark");
    await el.updateComplete;
    expect(list(el).getAttribute("theme")).to.equal("dark");
  });
});
