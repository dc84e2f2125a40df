/**
 * The whole RSVP journey against the real server, across origins: this test page (the
 * organization's site) embeds the form; the Eventail server runs on another origin that
 * allows this one; its confirmation email goes to a real SMTP server; following the link
 * back to this page confirms, and the public count goes up.
 */
import { expect } from "@esm-bundle/chai";
import type { EventJson } from "@eventail/client";
import { html } from "lit";
import { readMail } from "../../test/commands.ts";
import { $, cleanup, fixture, servers, until } from "../../test/helpers.ts";
import "./element.ts";
import type { EvRsvp } from "./element.ts";

afterEach(() => {
  cleanup();
  const url = new URL(location.href);
  url.searchParams.delete("ev-action");
  url.searchParams.delete("ev-token");
  history.replaceState(history.state, "", url);
});

async function openEvent(server: string): Promise<EventJson> {
  const page = await (await fetch(`${server}/api/v1/events?limit=50`)).json();
  const event = (page.items as EventJson[]).find(
    (e) => e.rsvpOpen && e.joinMode === "free" && e.remainingCapacity === null && !e.recurrence,
  );
  if (!event) throw new Error("the demo has no open event with unlimited places");
  return event;
}

describe("ev-rsvp against the real server on another origin", () => {
  it("submits, follows the emailed link back to this page, and shows the confirmed state", async () => {
    const { eventail } = await servers();
    expect(new URL(eventail).origin).to.not.equal(location.origin);
    const event = await openEvent(eventail);
    const before = event.participantCount;

    const el = await fixture<EvRsvp>(
      html`<ev-rsvp src=${eventail} event-id=${event.id}></ev-rsvp>`,
    );
    await until(() => $(el, "#email"), "the form");
    const email = `visitor-${Date.now()}@example.test`;
    for (const [name, value] of Object.entries({ name: "Ana Visitor", email })) {
      const input = $<HTMLInputElement>(el, `[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    }
    $<HTMLButtonElement>(el, "[part~=submit]")!.click();
    await until(() => $(el, "[part~=result-sent]"), "the 'check your email' state");

    const mail = await readMail(email);
    expect(mail, "the confirmation email").to.be.a("string");
    const link = /https?:\/\/[^\s"<>]*ev-action=confirm[^\s"<>]*/.exec(mail!)?.[0];
    expect(link, "a confirmation link").to.be.a("string");
    const confirm = new URL(link!.replace(/&amp;/g, "&"));
    // The link leads back to this very page, on the organization's origin.
    expect(confirm.origin + confirm.pathname).to.equal(location.origin + location.pathname);

    // "Open" the link: the page loads with its query, and a fresh element handles it.
    cleanup();
    history.replaceState(history.state, "", confirm.pathname + confirm.search);
    const landed = await fixture<EvRsvp>(
      html`<ev-rsvp src=${eventail} event-id=${event.id}></ev-rsvp>`,
    );
    await until(() => $(landed, "[part~=result-confirmed]"), "the confirmed state", 10_000);
    // The one-time parameters are gone from the address bar.
    expect(new URL(location.href).searchParams.has("ev-token")).to.equal(false);

    const after: EventJson = await (
      await fetch(`${eventail}/api/v1/events/${event.id}`, { cache: "no-store" })
    ).json();
    expect(after.participantCount).to.equal(before + 1);
  });
});
