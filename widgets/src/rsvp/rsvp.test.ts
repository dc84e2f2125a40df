import { expect } from "@esm-bundle/chai";
import type { EventJson } from "@eventail/client";
import { html } from "lit";
import {
  $,
  cleanup,
  expectAccessible,
  expectNoXss,
  fixture,
  has,
  makeEvent,
  servers,
  text,
  until,
} from "../../test/helpers.ts";
import "./element.ts";
import type { EvRsvp } from "./element.ts";

afterEach(cleanup);

interface Seen {
  method: string;
  url: string;
  body: Record<string, unknown> | null;
  cookie: string | null;
  contentType: string | null;
}

async function requests(): Promise<Seen[]> {
  const { fake } = await servers();
  return (await fetch(`${fake}/__requests`)).json();
}

/** An event of the fake server: its id picks the server's answer. */
async function fakeEvent(id: string, over: Partial<EventJson> = {}): Promise<EventJson> {
  const { fake } = await servers();
  return makeEvent({ id, url: `${fake}/events/${id}`, ...over });
}

async function form(id: string, over: Partial<EventJson> = {}, lang = "en"): Promise<EvRsvp> {
  const { fake } = await servers();
  return fixture<EvRsvp>(
    html`<ev-rsvp lang=${lang} src=${fake} .event=${await fakeEvent(id, over)}></ev-rsvp>`,
  );
}

function fill(el: EvRsvp, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const input = $<HTMLInputElement>(el, `[name=${name}]`)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  }
}

const submit = (el: EvRsvp) => $<HTMLButtonElement>(el, "[part~=submit]")!.click();
const result = (el: EvRsvp, kind: string) =>
  until(() => $(el, `[part~=result-${kind}]`), `result ${kind}`);
const squash = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
/** Rendered text: paragraphs read apart. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted.
const words = (el: Element) => squash((el as HTMLElement).innerText);

const withQuery = (params: Record<string, string>) => {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  history.replaceState(history.state, "", url);
};

describe("ev-rsvp form", () => {
  it("has labelled fields, native constraints and an inert honeypot", async () => {
    const el = await form("ev-ok");
    const name = $<HTMLInputElement>(el, "#name")!;
    const email = $<HTMLInputElement>(el, "#email")!;
    expect(squash($(el, "label[for=name]")!.textContent)).to.equal("Your name");
    expect([name.required, email.required, email.type]).to.deep.equal([true, true, "email"]);
    expect($<HTMLTextAreaElement>(el, "#message")!.required).to.equal(false);
    const honeypot = $(el, ".hp")!;
    expect(honeypot.inert).to.equal(true);
    expect(honeypot.getBoundingClientRect().right).to.be.lessThan(0);
    await expectAccessible(el);
  });

  it("lets the browser refuse empty and malformed fields without a request", async () => {
    const el = await form("ev-ok");
    const before = (await requests()).length;
    submit(el);
    fill(el, { name: "Ana", email: "not-an-email" });
    submit(el);
    await new Promise((r) => setTimeout(r, 100));
    expect((await requests()).length).to.equal(before);
    const email = $<HTMLInputElement>(el, "#email")!;
    expect(email.validity.typeMismatch).to.equal(true);
    expect(email.validationMessage).not.to.equal("");
  });

  it("sends the RSVP and asks to check the email (202)", async () => {
    const el = await form("ev-ok");
    let fired: unknown = null;
    el.addEventListener("ev-rsvp", (e) => {
      fired = (e as CustomEvent).detail.result.state;
    });
    fill(el, { name: "Ana Lopes", email: "ana@example.org", message: "Vegetarian" });
    submit(el);
    await el.updateComplete;
    expect(squash($(el, "[part~=submit]")!.textContent)).to.equal("Sending…");
    const box = await result(el, "sent");
    expect(squash(box.textContent)).to.contain(
      "Check your email: we sent a link to ana@example.org.",
    );
    expect(box.getAttribute("role")).to.equal("status");
    expect(el.shadowRoot!.activeElement).to.equal(box);
    expect(fired).to.equal("awaiting_email");
    const last = (await requests()).at(-1)!;
    expect(last.method).to.equal("POST");
    expect(last.url).to.equal("/api/v1/events/ev-ok/participations");
    expect(last.contentType).to.equal("application/json");
    expect(last.cookie).to.equal(null);
    const returnUrl = new URL(location.href);
    expect(last.body).to.deep.equal({
      name: "Ana Lopes",
      email: "ana@example.org",
      message: "Vegetarian",
      website: "",
      returnUrl: returnUrl.href,
      language: "en",
    });
    await expectAccessible(el);
    box.querySelector("button")!.click();
    await el.updateComplete;
    expect(has(el, "form")).to.equal(true);
  });

  it("sends the honeypot's value as typed (bots fill it)", async () => {
    const el = await form("ev-ok");
    fill(el, { name: "Bot", email: "bot@example.org", website: "http://spam.example" });
    submit(el);
    await result(el, "sent");
    expect((await requests()).at(-1)!.body!.website).to.equal("http://spam.example");
  });

  it("speaks French and asks for French emails", async () => {
    const el = await form("ev-ok", {}, "fr");
    expect(squash($(el, "[part~=title]")!.textContent)).to.equal("Participer");
    fill(el, { name: "Ana", email: "ana@example.org" });
    submit(el);
    const box = await result(el, "sent");
    expect(squash(box.textContent)).to.contain(
      "Consultez vos courriels : nous avons envoyé un lien à ana@example.org.",
    );
    expect((await requests()).at(-1)!.body!.language).to.equal("fr");
  });

  it("says when this email had already answered (200 duplicate)", async () => {
    const el = await form("ev-dup");
    fill(el, { name: "Ana", email: "ana@example.org" });
    submit(el);
    const box = await result(el, "confirmed");
    expect(words(box)).to.equal(
      "You had already answered for this event with this email. You are registered. See you there!",
    );
  });

  it("warns that a full event leads to the waiting list", async () => {
    const el = await form("ev-full", { capacity: 12, remainingCapacity: 0, participantCount: 12 });
    expect(squash($(el, "[part~=notice]")!.textContent)).to.equal(
      "This event is full: you will join the waiting list.",
    );
    await expectAccessible(el);
  });

  const refusals: [string, string, string, string][] = [
    [
      "ev-closed",
      "closed",
      "Registration is closed for this event. RSVPs are closed for this event",
      "status",
    ],
    ["ev-invite", "invite", "This event is by invitation only.", "status"],
    [
      "ev-external",
      "external",
      "Registration for this event happens on another site: Register on tickets.example.org",
      "status",
    ],
  ];
  for (const [id, kind, text, role] of refusals) {
    it(`shows "${kind}" from the server's answer`, async () => {
      const el = await form(id);
      fill(el, { name: "Ana", email: "ana@example.org" });
      submit(el);
      const box = await result(el, kind);
      expect(words(box)).to.equal(text);
      expect(box.getAttribute("role")).to.equal(role);
      if (kind === "external")
        expect(box.querySelector("a")!.href).to.equal("https://tickets.example.org/e/1");
      await expectAccessible(el);
    });
  }

  it("puts the server's field errors beside the fields (422) and keeps what was typed", async () => {
    const el = await form("ev-invalid");
    fill(el, { name: "A", email: "ana@example.org", message: "hello" });
    submit(el);
    await until(() => has(el, "[part~=field-error]"), "field errors");
    await el.updateComplete;
    expect(squash($(el, "[part~=alert]")!.textContent)).to.equal(
      "Please correct the highlighted fields.",
    );
    const email = $<HTMLInputElement>(el, "#email")!;
    expect(email.getAttribute("aria-invalid")).to.equal("true");
    expect(squash($(el, `#${email.getAttribute("aria-describedby")}`)!.textContent)).to.equal(
      "must be a deliverable email address",
    );
    expect(squash($(el, "#name-error")!.textContent)).to.equal("is too short");
    expect(el.shadowRoot!.activeElement?.id).to.equal("name");
    expect([
      email.value,
      $<HTMLInputElement>(el, "#name")!.value,
      $<HTMLTextAreaElement>(el, "#message")!.value,
    ]).to.deep.equal(["ana@example.org", "A", "hello"]);
    await expectAccessible(el);
    fill(el, { email: "ana@example.net" });
    await el.updateComplete;
    expect(email.hasAttribute("aria-invalid")).to.equal(false);
    expect(has(el, "#email-error")).to.equal(false);
    expect(has(el, "#name-error")).to.equal(true);
  });

  it("asks to wait after too many attempts (429 Retry-After)", async () => {
    const el = await form("ev-limited");
    fill(el, { name: "Ana", email: "ana@example.org" });
    submit(el);
    const alert = await until(() => $(el, "[part~=alert]"), "alert");
    expect(squash(alert.textContent)).to.equal("Too many attempts. Try again in 2 minutes.");
    expect(alert.getAttribute("role")).to.equal("alert");
    expect(has(el, "form")).to.equal(true);
  });

  it("reports a server error and an unreachable server", async () => {
    const el = await form("ev-broken");
    fill(el, { name: "Ana", email: "ana@example.org" });
    submit(el);
    const alert = await until(() => $(el, "[part~=alert]"), "alert");
    expect(squash(alert.textContent)).to.equal("Something went wrong: internal error");
    const down = await fixture<EvRsvp>(
      html`<ev-rsvp lang="en" src="http://127.0.0.1:9" .event=${makeEvent()}></ev-rsvp>`,
    );
    fill(down, { name: "Ana", email: "ana@example.org" });
    submit(down);
    const alert2 = await until(() => $(down, "[part~=alert]"), "alert");
    expect(squash(alert2.textContent)).to.equal(
      "Something went wrong: Could not reach the event server 127.0.0.1:9.",
    );
  });
});

describe("ev-rsvp states known from the event", () => {
  const cases: [string, Partial<EventJson>, string, string][] = [
    ["closed", { rsvpOpen: false }, "closed", "Registration is closed for this event."],
    ["cancelled", { rsvpOpen: false, status: "cancelled" }, "closed", "This event is cancelled."],
    [
      "invite",
      { joinMode: "invite", rsvpOpen: false },
      "invite",
      "This event is by invitation only.",
    ],
    [
      "external",
      { joinMode: "external", externalUrl: "https://tickets.example.org/x", rsvpOpen: false },
      "external",
      "Registration for this event happens on another site: Register on tickets.example.org",
    ],
  ];
  for (const [name, over, kind, text] of cases) {
    it(`shows ${name} without a form`, async () => {
      const el = await fixture<EvRsvp>(
        html`<ev-rsvp lang="en" .event=${makeEvent(over)}></ev-rsvp>`,
      );
      expect(has(el, "form")).to.equal(false);
      expect(words($(el, `[part~=result-${kind}]`)!)).to.equal(text);
      await expectAccessible(el);
    });
  }

  it("refuses a javascript: registration link", async () => {
    const el = await fixture<EvRsvp>(
      html`<ev-rsvp .event=${makeEvent({ joinMode: "external", externalUrl: "javascript:window.__xss=1", rsvpOpen: false })}></ev-rsvp>`,
    );
    expect(has(el, "[part~=result-closed]")).to.equal(true);
    await expectNoXss(el);
  });

  it("fetches the event from src and event-id, and posts to the event's origin when src is unset", async () => {
    const { fake } = await servers();
    const el = await fixture<EvRsvp>(
      html`<ev-rsvp lang="en" src=${fake} event-id="ev-ok"></ev-rsvp>`,
    );
    await until(() => has(el, "form"), "the form");
    const noSrc = await fixture<EvRsvp>(
      html`<ev-rsvp lang="en" .event=${await fakeEvent("ev-dup")}></ev-rsvp>`,
    );
    fill(noSrc, { name: "Ana", email: "ana@example.org" });
    submit(noSrc);
    await result(noSrc, "confirmed");
    expect((await requests()).at(-1)!.url).to.equal("/api/v1/events/ev-dup/participations");
  });
});

describe("ev-rsvp email links (?ev-action&ev-token)", () => {
  const confirmations: [string, string, string][] = [
    ["c-confirmed", "confirmed", "You are registered. See you there!"],
    [
      "c-wait",
      "waitlisted",
      "You are on the waiting list, position 3. We will email you if a place frees up.",
    ],
    [
      "c-approval",
      "awaiting_approval",
      "Your request has been sent to the organizers; they will answer by email.",
    ],
  ];
  for (const [token, kind, text] of confirmations) {
    it(`confirms and shows ${kind}, then cleans the address bar`, async () => {
      withQuery({ "ev-action": "confirm", "ev-token": token, keep: "1" });
      const el = await form("ev-ok");
      const box = await result(el, kind);
      expect(words(box)).to.equal(text);
      const url = new URL(location.href);
      expect(url.searchParams.has("ev-action") || url.searchParams.has("ev-token")).to.equal(false);
      expect(url.searchParams.get("keep")).to.equal("1");
      expect((await requests()).at(-1)!.body).to.deep.equal({ token });
      await expectAccessible(el);
    });
  }

  it("says when a confirmation link expired (410)", async () => {
    withQuery({ "ev-action": "confirm", "ev-token": "c-old" });
    const el = await form("ev-ok", {}, "fr");
    const box = await result(el, "expired");
    expect(squash(box.textContent)).to.equal("Ce lien a expiré ou a déjà été utilisé.");
    expect(box.getAttribute("role")).to.equal("alert");
    expect(new URL(location.href).searchParams.has("ev-token")).to.equal(false);
  });

  it("asks before cancelling, then cancels", async () => {
    withQuery({ "ev-action": "cancel", "ev-token": "m-ok" });
    const el = await form("ev-ok");
    const ask = await result(el, "ask-cancel");
    expect(squash(ask.querySelector("p")!.textContent)).to.equal(
      "Cancel the participation of Ana Lopes?",
    );
    // Nothing is cancelled, and the link still works, until the visitor says so.
    expect((await requests()).at(-1)!.url).to.equal("/api/v1/participations/lookup");
    expect(new URL(location.href).searchParams.get("ev-token")).to.equal("m-ok");
    await expectAccessible(el);
    ask.querySelector("button")!.click();
    const done = await result(el, "cancelled");
    expect(squash(done.textContent)).to.equal("Your participation is cancelled.");
    expect((await requests()).at(-1)!.url).to.equal("/api/v1/participations/cancel");
    expect(new URL(location.href).searchParams.has("ev-token")).to.equal(false);
  });

  it("keeps the participation when the visitor changes their mind", async () => {
    withQuery({ "ev-action": "cancel", "ev-token": "m-ok" });
    const el = await form("ev-ok", {}, "fr");
    const ask = await result(el, "ask-cancel");
    ask.querySelectorAll("button")[1]!.click();
    const kept = await result(el, "kept");
    expect(squash(kept.textContent)).to.equal("Votre participation est maintenue.");
    expect(new URL(location.href).searchParams.has("ev-token")).to.equal(false);
  });

  it("shows an already cancelled participation, and an unknown manage token", async () => {
    withQuery({ "ev-action": "cancel", "ev-token": "m-cancelled" });
    const el = await form("ev-ok");
    expect(squash((await result(el, "cancelled")).textContent)).to.equal(
      "Your participation is cancelled.",
    );
    withQuery({ "ev-action": "cancel", "ev-token": "m-unknown" });
    const other = await form("ev-ok");
    await result(other, "expired");
  });

  it("lets only one element act on a token", async () => {
    withQuery({ "ev-action": "confirm", "ev-token": "c-confirmed" });
    const before = (await requests()).length;
    const a = await form("ev-ok");
    const b = await form("ev-ok");
    await result(a, "confirmed");
    expect(has(b, "form")).to.equal(true);
    expect((await requests()).length).to.equal(before + 1);
  });
});

describe("ev-rsvp theming", () => {
  it("exposes parts and follows custom properties", async () => {
    const el = await form("ev-ok", { capacity: 5, remainingCapacity: 0 });
    el.style.setProperty("--ev-accent", "rgb(10, 20, 30)");
    for (const p of [
      "rsvp",
      "title",
      "form",
      "field",
      "field-name",
      "label",
      "input",
      "notice",
      "submit",
    ])
      expect(has(el, `[part~=${p}]`), p).to.equal(true);
    expect(getComputedStyle($(el, "[part~=submit]")!).backgroundColor).to.equal("rgb(10, 20, 30)");
    expect(text(el)).to.contain("waiting list");
  });
});
