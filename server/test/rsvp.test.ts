/**
 * RSVP end to end on both databases, with a real SMTP server (smtp-server) in the test
 * process receiving every email the server sends.
 */
import { createHash } from "node:crypto";
import { rsvp } from "@eventail/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasLeadingZeroBits } from "../src/domain/pow.ts";
import { hashSecret, newId } from "../src/domain/secrets.ts";
import {
  createEnv,
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  problem,
  type TestEnv,
  type TestUser,
  unique,
} from "./helpers.ts";
import { link, SmtpSink } from "./smtp-sink.ts";

const SITE = "http://site.test";

describe.each(dialects)("RSVP on %s", (dialect: DialectName) => {
  const inbox = new SmtpSink();
  let t: TestEnv;
  let organizer: TestUser;

  beforeAll(async () => {
    await inbox.start();
    t = await createEnv(dialect, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(inbox.port),
      SMTP_FROM: "Eventail <noreply@events.test>",
      EVENTAIL_EMBED_ORIGINS: SITE,
      EVENTAIL_RSVP_LIMIT: "0",
    });
    organizer = await t.user();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await inbox.stop();
  });

  const newEvent = (input: Record<string, unknown> = {}): Promise<EventJsonLike> =>
    t.event(organizer, {
      title: `Workshop ${unique("e")}`,
      beginsAt: inDays(10),
      endsAt: inDays(10, 20),
      timezone: "Europe/Paris",
      ...input,
    });

  const rsvp = (
    eventId: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    t.send("POST", `/api/v1/events/${eventId}/participations`, body, { origin: SITE, ...headers });

  const action = (name: string, token: string) =>
    t.send("POST", `/api/v1/participations/${name}`, { token });

  it("confirms by email: link back to the embedding page, .ics attached, single use", async () => {
    const event = await newEvent({ capacity: 10 });
    const email = `${unique("v")}@visitor.test`;
    const res = await rsvp(event.id, { name: "Ana", email, returnUrl: `${SITE}/agenda?x=1` });
    expect(res.status).toBe(202);
    expect((await res.json()).state).toBe("awaiting_email");
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);

    const [mail] = await inbox.waitFor(email);
    expect(mail!.raw).toMatch(/Subject: Confirm your registration/);
    expect(mail!.raw).toMatch(/Content-Type: text\/calendar/i);
    const confirm = link(mail!, "confirm");
    expect(confirm.origin + confirm.pathname).toBe(`${SITE}/agenda`);
    expect(confirm.searchParams.get("x")).toBe("1");
    const cancel = link(mail!, "cancel");
    expect(cancel.searchParams.get("ev-token")).toMatch(/^evm_/);

    // Nothing counted before the click.
    let pub = await (await t.request(`/api/v1/events/${event.id}`)).json();
    expect(pub.participantCount).toBe(0);

    const ok = await action("confirm", confirm.searchParams.get("ev-token")!);
    expect(ok.status).toBe(200);
    expect((await ok.json()).state).toBe("confirmed");
    const again = await action("confirm", confirm.searchParams.get("ev-token")!);
    expect(again.status).toBe(410);
    await problem(again);

    pub = await (await t.request(`/api/v1/events/${event.id}`)).json();
    expect(pub.participantCount).toBe(1);
    expect(pub.remainingCapacity).toBe(9);
    expect(JSON.stringify(pub)).not.toContain(email);

    // The same email again: idempotent, and says so.
    const dup = await rsvp(event.id, { name: "Ana", email: email.toUpperCase() });
    expect(dup.status).toBe(200);
    const dupBody = await dup.json();
    expect(dupBody).toMatchObject({ state: "confirmed", duplicate: true });

    // The manage token shows the participant their own data, then cancels.
    const mine = await (await action("lookup", cancel.searchParams.get("ev-token")!)).json();
    expect(mine).toMatchObject({ state: "confirmed", email, name: "Ana" });
    const cancelled = await action("cancel", cancel.searchParams.get("ev-token")!);
    expect((await cancelled.json()).state).toBe("cancelled");
    pub = await (await t.request(`/api/v1/events/${event.id}`)).json();
    expect(pub.participantCount).toBe(0);
  });

  it("links to the server's own page when the return URL is not an allowed origin", async () => {
    const event = await newEvent();
    const email = `${unique("v")}@visitor.test`;
    expect(
      (await rsvp(event.id, { name: "Bo", email, returnUrl: "https://phishing.test/x" })).status,
    ).toBe(202);
    const [mail] = await inbox.waitFor(email);
    const confirm = link(mail!, "confirm");
    expect(confirm.origin).toBe("http://events.test");
    expect(confirm.pathname).toBe("/rsvp");
    // GET shows a button only; the POST does the work (mail scanners cannot confirm).
    const page = await t.request(`${confirm.pathname}${confirm.search}`);
    expect(await page.text()).toContain('method="post"');
    const form = new URLSearchParams({
      action: "confirm",
      token: confirm.searchParams.get("ev-token")!,
      event: event.id,
    });
    const done = await t.request("/rsvp", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(await done.text()).toContain("registered");
  });

  it("writes French emails and escapes what people typed", async () => {
    const event = await newEvent({ title: "Atelier <vélo> & co" });
    const email = `${unique("v")}@visitor.test`;
    await rsvp(event.id, { name: "<b>Zoé</b>", email, language: "fr" });
    const [mail] = await inbox.waitFor(email);
    expect(mail!.text).toMatch(/Subject: =\?UTF-8\?|Subject: Confirmez/);
    expect(mail!.text).toContain("Confirmer mon inscription");
    // The HTML part escapes what people typed; the plain-text part keeps it as typed.
    const html = mail!.text.slice(mail!.text.search(/Content-Type: text\/html/i));
    const htmlPart = html.slice(0, html.indexOf("\n--"));
    expect(htmlPart).toContain("&lt;b&gt;Zoé&lt;/b&gt;");
    expect(htmlPart).toContain("Atelier &lt;vélo&gt; &amp; co");
    expect(htmlPart).not.toContain("<b>Zoé</b>");
  });

  it("never seats more than capacity: 500 simultaneous confirmations for 50 seats", async () => {
    const event = await newEvent({ capacity: 50 });
    const repo = t.services.repos.participations;
    const tokens: string[] = [];
    for (let i = 0; i < 500; i++) {
      const token = `evc_concurrency_${i}_${newId()}`;
      tokens.push(token);
      await repo.insert({
        id: newId(),
        eventId: event.id,
        kind: "anonymous",
        state: "awaiting_email",
        name: `P${i}`,
        email: `p${i}-${event.id}@crowd.test`,
        identityId: null,
        actorUrl: null,
        message: "",
        createdAt: new Date(),
        confirmTokenHash: hashSecret(token),
        confirmExpiresAt: Date.now() + 3_600_000,
        manageTokenHash: null,
        language: "en",
        returnUrl: null,
        queuedAt: null,
        updatedAt: new Date(),
      });
    }
    const results = await Promise.all(
      tokens.map((tk) => action("confirm", tk).then((r) => r.json())),
    );
    const states = results.map((r) => r.state);
    expect(states.filter((s) => s === "confirmed")).toHaveLength(50);
    expect(states.filter((s) => s === "waitlisted")).toHaveLength(450);
    const counts = await repo.counts(event.id);
    expect(counts.confirmed).toBe(50);
    expect(counts.waitlisted).toBe(450);

    // Cancellations promote in waitlist order.
    const waitlist = await repo.waitlist(event.id);
    const confirmed = await repo.list(event.id, "confirmed");
    for (const p of confirmed.slice(0, 3)) {
      const token = await t.services.participations.manageToken(p.id);
      expect((await action("cancel", token)).status).toBe(200);
    }
    const after = await repo.counts(event.id);
    expect(after.confirmed).toBe(50);
    expect(after.waitlisted).toBe(447);
    for (const p of waitlist.slice(0, 3)) expect((await repo.get(p.id))!.state).toBe("confirmed");
    expect((await repo.get(waitlist[3]!.id))!.state).toBe("waitlisted");
    // The promoted are told.
    await inbox.waitFor(waitlist[0]!.email!, 1);
    const promoted = inbox.mails.find((m) => m.to === waitlist[0]!.email);
    expect(promoted!.raw).toMatch(/Subject: A place opened up/);
  }, 120_000);

  it("restricted events wait for the organizer, who approves or rejects (with an email)", async () => {
    const event = await newEvent({ joinMode: "restricted" });
    const [a, b] = [`${unique("a")}@visitor.test`, `${unique("b")}@visitor.test`];
    for (const email of [a, b]) {
      await rsvp(event.id, { name: "Someone", email });
      const [mail] = await inbox.waitFor(email);
      const res = await action("confirm", link(mail!, "confirm").searchParams.get("ev-token")!);
      expect((await res.json()).state).toBe("awaiting_approval");
    }
    const list = await t.request(
      `/api/v1/events/${event.id}/participants?state=awaiting_approval`,
      {
        headers: organizer.auth(),
      },
    );
    const { items, counts } = await list.json();
    expect(counts.awaiting_approval).toBe(2);
    const byEmail = (e: string) => items.find((p: { email: string }) => p.email === e);
    const approve = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participants/${byEmail(a).id}/approve`,
      undefined,
      organizer.auth(),
    );
    expect((await approve.json()).state).toBe("confirmed");
    const reject = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participants/${byEmail(b).id}/reject`,
      undefined,
      organizer.auth(),
    );
    expect((await reject.json()).state).toBe("rejected");
    expect((await inbox.waitFor(a, 2))[1]!.raw).toMatch(/Subject: You're in/);
    expect((await inbox.waitFor(b, 2))[1]!.raw).toMatch(/Subject: Registration declined/);

    // Someone else cannot see or decide.
    const stranger = await t.user();
    expect(
      (await t.request(`/api/v1/events/${event.id}/participants`, { headers: stranger.auth() }))
        .status,
    ).toBe(403);
  });

  it("refuses clearly: external, invite-only, closed, cancelled", async () => {
    const external = await newEvent({
      joinMode: "external",
      externalUrl: "https://tickets.example.org/x",
    });
    const ext = await rsvp(external.id, { name: "A", email: "a@visitor.test" });
    expect(ext.status).toBe(409);
    const p = await problem(ext);
    expect(p.errors?.[0]).toMatchObject({
      path: "externalUrl",
      message: "https://tickets.example.org/x",
    });

    const invite = await newEvent({ joinMode: "invite" });
    expect((await rsvp(invite.id, { name: "A", email: "a@visitor.test" })).status).toBe(403);

    const event = await newEvent();
    const close = await t.send(
      "POST",
      `/api/v1/events/${event.id}/rsvp-status`,
      { open: false },
      organizer.auth(),
    );
    expect(close.status).toBe(200);
    expect((await (await t.request(`/api/v1/events/${event.id}`)).json()).rsvpOpen).toBe(false);
    const closed = await rsvp(event.id, { name: "A", email: "a@visitor.test" });
    expect(closed.status).toBe(409);
    expect((await problem(closed)).detail).toMatch(/closed/);
    await t.send(
      "POST",
      `/api/v1/events/${event.id}/rsvp-status`,
      { open: true },
      organizer.auth(),
    );
    expect((await rsvp(event.id, { name: "A", email: `${unique("r")}@visitor.test` })).status).toBe(
      202,
    );

    await t.send("POST", `/api/v1/events/${event.id}/cancel`, undefined, organizer.auth());
    expect((await rsvp(event.id, { name: "A", email: `${unique("r")}@visitor.test` })).status).toBe(
      409,
    );

    const bad = await rsvp(event.id, { name: "", email: "not-an-email" });
    expect(bad.status).toBe(422);
    const paths = (await problem(bad)).errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "email"]));
  });

  it("allows only configured origins, per instance and per group", async () => {
    const event = await newEvent();
    const denied = await rsvp(
      event.id,
      { name: "A", email: "a@visitor.test" },
      { origin: "https://evil.test" },
    );
    expect(denied.status).toBe(403);
    const preflight = await t.request(`/api/v1/events/${event.id}/participations`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();

    const group = await (
      await t.send(
        "POST",
        "/api/v1/groups",
        { handle: unique("g"), name: "Bikes" },
        organizer.auth(),
      )
    ).json();
    await t.send(
      "PATCH",
      `/api/v1/groups/${group.handle.split("@")[0]}`,
      { embedOrigins: ["https://bikes.example.org"] },
      organizer.auth(),
    );
    const inGroup = await newEvent({ groupId: group.id });
    const ok = await t.request(`/api/v1/events/${inGroup.id}/participations`, {
      method: "OPTIONS",
      headers: { origin: "https://bikes.example.org", "access-control-request-method": "POST" },
    });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://bikes.example.org");
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    // That group's site may not post for another group's event.
    const other = await rsvp(
      event.id,
      { name: "A", email: "a@visitor.test" },
      { origin: "https://bikes.example.org" },
    );
    expect(other.status).toBe(403);
  });

  it("stores nothing when the honeypot is filled", async () => {
    const event = await newEvent();
    const email = `${unique("bot")}@visitor.test`;
    const res = await rsvp(event.id, { name: "Bot", email, website: "http://spam.test" });
    expect(res.status).toBe(202);
    expect(await t.services.repos.participations.byEmail(event.id, email)).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.mails.some((m) => m.to === email)).toBe(false);
  });

  it("lets a signed-in identity answer directly", async () => {
    const event = await newEvent({ capacity: 1 });
    const visitor = await t.user();
    const res = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participations`,
      {},
      visitor.auth(),
    );
    expect((await res.json()).state).toBe("confirmed");
    const second = await t.user();
    const res2 = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participations`,
      {},
      second.auth(),
    );
    expect((await res2.json()).state).toBe("waitlisted");
  });

  it("lets only invited identities into invite-only events", async () => {
    const event = await newEvent({ joinMode: "invite", capacity: 5 });
    const guest = await t.user();
    const stranger = await t.user();
    expect((await rsvp(event.id, { name: "A", email: "a@visitor.test" })).status).toBe(403);
    const join = (u: TestUser) =>
      t.send("POST", `/api/v1/events/${event.id}/participations`, {}, u.auth());
    expect((await join(stranger)).status).toBe(403);
    const invited = await t.send(
      "POST",
      `/api/v1/events/${event.id}/invitations`,
      { handle: guest.identity.handle },
      organizer.auth(),
    );
    expect(await invited.json()).toEqual({ state: "invited" });
    // Only organizers invite.
    const byStranger = await t.send(
      "POST",
      `/api/v1/events/${event.id}/invitations`,
      { handle: stranger.identity.handle },
      stranger.auth(),
    );
    expect(byStranger.status).toBe(403);
    const accepted = await join(guest);
    expect((await accepted.json()).state).toBe("confirmed");
    expect((await join(stranger)).status).toBe(403);
  });

  it("gives organizers CSV (formulas defused) and a message to confirmed participants", async () => {
    const event = await newEvent();
    const email = `${unique("c")}@visitor.test`;
    await rsvp(event.id, { name: '=HYPERLINK("x")', email, message: 'Says "hi"' });
    const [mail] = await inbox.waitFor(email);
    await action("confirm", link(mail!, "confirm").searchParams.get("ev-token")!);
    const pending = `${unique("p")}@visitor.test`;
    await rsvp(event.id, { name: "Pending", email: pending });
    await inbox.waitFor(pending);

    const csv = await t.request(`/api/v1/events/${event.id}/participants.csv`, {
      headers: organizer.auth(),
    });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("name,email,state,message,registered_at");
    expect(text).toContain(`"'=HYPERLINK(""x"")","${email}","confirmed","Says ""hi"""`);

    const sent = await t.send(
      "POST",
      `/api/v1/events/${event.id}/participants/message`,
      { subject: "Bring water", body: "It will be hot." },
      organizer.auth(),
    );
    expect(await sent.json()).toEqual({ sent: 1 });
    const got = await inbox.waitFor(email, 2);
    expect(got[1]!.text).toContain("It will be hot.");
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.mails.filter((m) => m.to === pending)).toHaveLength(1);
  });

  it("erases a participant's data on request, and everyone's some days after the event", async () => {
    const event = await newEvent();
    const email = `${unique("e")}@visitor.test`;
    await rsvp(event.id, { name: "Eve", email });
    const [mail] = await inbox.waitFor(email);
    await action("confirm", link(mail!, "confirm").searchParams.get("ev-token")!);
    const manage = link(mail!, "cancel").searchParams.get("ev-token")!;
    expect((await action("erase", manage)).status).toBe(204);
    expect((await action("lookup", manage)).status).toBe(404);
    expect(await t.services.repos.participations.byEmail(event.id, email)).toBeNull();

    // Purge: an event that ended 40 days ago loses its participants' personal data.
    const past = await newEvent();
    const other = `${unique("o")}@visitor.test`;
    await rsvp(past.id, { name: "Old", email: other });
    await inbox.waitFor(other);
    const purged = await t.services.participations.purge(30, Date.now() + 60 * 86_400_000);
    expect(purged).toBeGreaterThanOrEqual(1);
    const row = (await t.services.repos.participations.list(past.id))[0]!;
    expect(row.email).toBeNull();
    expect(row.name).toBe("");
  });
});

describe("RSVP abuse controls", () => {
  let t: TestEnv;
  let organizer: TestUser;
  beforeAll(async () => {
    t = await createEnv("sqlite", {
      EVENTAIL_RSVP_LIMIT: "3",
      EVENTAIL_TRUST_PROXY: "0",
      EVENTAIL_RSVP_POW: "0",
    });
    organizer = await t.user();
  });
  afterAll(() => t?.close());

  it("rate-limits per client address and ignores a spoofed X-Forwarded-For", async () => {
    const event = await t.event(organizer, {
      title: "Limited",
      beginsAt: inDays(5),
      timezone: "UTC",
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.send(
        "POST",
        `/api/v1/events/${event.id}/participations`,
        { name: "A", email: `${unique("l")}@v.test` },
        { "x-forwarded-for": `203.0.113.${i}` },
      );
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 3).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});

describe("RSVP behind a trusted proxy, with proof of work", () => {
  let t: TestEnv;
  let organizer: TestUser;
  beforeAll(async () => {
    t = await createEnv("sqlite", {
      EVENTAIL_RSVP_LIMIT: "2",
      EVENTAIL_TRUST_PROXY: "1",
      EVENTAIL_RSVP_POW: "8",
    });
    organizer = await t.user();
  });
  afterAll(() => t?.close());

  async function solved(): Promise<{ challenge: string; nonce: string }> {
    const { challenge, bits } = await (await t.request("/api/v1/pow")).json();
    for (let n = 0; ; n++) {
      if (hasLeadingZeroBits(createHash("sha256").update(`${challenge}:${n}`).digest(), bits))
        return { challenge, nonce: String(n) };
    }
  }

  it("asks for the proof of work and accepts each solution once", async () => {
    const event = await t.event(organizer, { title: "PoW", beginsAt: inDays(5), timezone: "UTC" });
    const post = (body: Record<string, unknown>, ip: string) =>
      t.send("POST", `/api/v1/events/${event.id}/participations`, body, { "x-forwarded-for": ip });
    const missing = await post({ name: "A", email: "a@v.test" }, "198.51.100.9");
    expect(missing.status).toBe(422);
    expect((await problem(missing)).errors?.[0]?.path).toBe("pow");
    const pow = await solved();
    expect((await post({ name: "A", email: "a@v.test", pow }, "198.51.100.1")).status).toBe(202);
    expect((await post({ name: "B", email: "b@v.test", pow }, "198.51.100.2")).status).toBe(422);
  });

  it("is solved by the shared client, which the widgets use, without the caller knowing", async () => {
    const event = await t.event(organizer, {
      title: "PoW client",
      beginsAt: inDays(5),
      timezone: "UTC",
    });
    const result = await rsvp(
      "http://events.test",
      event.id,
      { name: "Client", email: "client@v.test" },
      {
        fetch: async (url, init) =>
          await t.app.request(String(url), {
            ...init,
            headers: {
              ...(init?.headers as Record<string, string>),
              "x-forwarded-for": "198.51.100.77",
            },
          }),
      },
    );
    expect(result.state).toBe("awaiting_email");
  });

  it("keys limits on the address the trusted proxy saw", async () => {
    const event = await t.event(organizer, {
      title: "Proxy",
      beginsAt: inDays(5),
      timezone: "UTC",
    });
    const post = async (ip: string) =>
      (
        await t.send(
          "POST",
          `/api/v1/events/${event.id}/participations`,
          { name: "A", email: `${unique("x")}@v.test`, pow: await solved() },
          { "x-forwarded-for": `10.0.0.9, ${ip}` },
        )
      ).status;
    expect([await post("192.0.2.1"), await post("192.0.2.1"), await post("192.0.2.1")]).toEqual([
      202, 202, 429,
    ]);
    // Another client behind the same proxy has its own budget.
    expect(await post("192.0.2.2")).toBe(202);
  });
});
