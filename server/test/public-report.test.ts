/**
 * Reporting from the public pages, over HTTP on both dialects: the event, group and profile
 * pages link to a server-rendered form that works without JavaScript; a same-origin POST
 * files a report moderators see (category, text, optional email for them only); cross-site
 * posts, honeypot hits and invalid fields store nothing; each address has an hourly budget;
 * the reporter's email is erased once the report has been resolved long enough.
 */
import type { ReportJson } from "@eventail/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEnv,
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("public report form on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let mod: TestUser;
  let organizer: TestUser;
  let event: EventJsonLike;
  const group = `grp_${dialect}`;

  beforeAll(async () => {
    t = await createEnv(dialect, { EVENTAIL_REPORT_LIMIT: "6" });
    mod = await t.user({ role: "moderator" });
    organizer = await t.user({ handle: `orga_${dialect}` });
    event = await t.event(organizer, {
      title: "Free iPhones <today>",
      beginsAt: inDays(4),
      timezone: "UTC",
    });
    const g = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: group, name: "Grp" },
      organizer.auth(),
    );
    expect(g.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.request("/report", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: ORIGIN,
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
  const reports = async () =>
    (
      (await (await t.request("/api/v1/admin/reports", { headers: mod.auth() })).json())
        .items as ReportJson[]
    ).filter((r) => r.source === "public");

  it("links every event, group and profile page to the form", async () => {
    const page = await (await t.request(`/events/${event.id}`)).text();
    expect(page).toContain(`href="/report?event=${event.id}"`);
    const profile = await (await t.request(`/@${organizer.identity.handle}`)).text();
    expect(profile).toContain(`href="/report?actor=${organizer.identity.handle}"`);
    expect(profile).toContain("Report this profile");
    const grp = await (await t.request(`/@${group}`)).text();
    expect(grp).toContain(`href="/report?actor=${group}"`);
    expect(grp).toContain("Report this group");
  });

  it("serves a plain form without script, escaped, for existing targets only", async () => {
    const r = await t.request(`/report?event=${event.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain('<form method="post" action="/report">');
    expect(html).toContain(`name="event" value="${event.id}"`);
    expect(html).toContain("Free iPhones &lt;today&gt;");
    expect(html).not.toContain("<today>");
    expect(html).toContain('name="website"');
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    for (const c of ["spam", "abuse", "illegal", "other"]) expect(html).toContain(`value="${c}"`);
    expect((await t.request("/report?event=nope0000")).status).toBe(404);
    expect((await t.request("/report?actor=nobody_at_all")).status).toBe(404);
    expect((await t.request("/report")).status).toBe(400);
    expect((await t.request("/report?event=../x")).status).toBe(400);
  });

  it("files a report that moderators see, with the email for them only", async () => {
    const r = await post({
      event: event.id,
      category: "spam",
      reason: "  It is a scam  ",
      email: "Worried@Example.org",
      website: "",
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain("Your report reached the moderators");
    const r2 = await post({ actor: group, category: "abuse", reason: "Hateful posts" });
    expect(r2.status).toBe(200);
    const list = await reports();
    expect(list.find((x) => x.target.kind === "event")).toMatchObject({
      source: "public",
      reporter: null,
      reporterEmail: "worried@example.org",
      category: "spam",
      reason: "It is a scam",
      target: { kind: "event", id: event.id, label: "Free iPhones <today>" },
      state: "open",
    });
    expect(list.find((x) => x.target.kind === "group")).toMatchObject({
      category: "abuse",
      reporterEmail: null,
      target: { id: group },
    });
    // Never on the public pages.
    expect(await (await t.request(`/events/${event.id}`)).text()).not.toContain(
      "worried@example.org",
    );
    expect(await (await t.request(`/api/v1/events/${event.id}`)).text()).not.toContain(
      "worried@example.org",
    );
  });

  it("stores nothing for cross-site posts, honeypot hits and invalid fields", async () => {
    const before = (await reports()).length;
    const cross = await post(
      { event: event.id, category: "spam", reason: "x" },
      { origin: "https://evil.example" },
    );
    expect(cross.status).toBe(403);
    const crossNoOrigin = await t.request("/report", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
      body: new URLSearchParams({ event: event.id, category: "spam", reason: "x" }).toString(),
    });
    expect(crossNoOrigin.status).toBe(403);
    const bot = await post({ event: event.id, category: "spam", reason: "x", website: "http://x" });
    expect(bot.status).toBe(200);
    const invalid = await post({
      event: event.id,
      category: "weird",
      reason: "   ",
      email: "not-an-email",
    });
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toContain("Choose what is wrong.");
    expect(html).toContain("Say what is wrong.");
    expect(html).toContain("This is not an email address.");
    expect(html).toContain('value="not-an-email"');
    expect((await post({ event: "nope0000", category: "spam", reason: "x" })).status).toBe(404);
    expect((await reports()).length).toBe(before);
  });

  it("lets moderators erase a reporter's email on request", async () => {
    const r = await t.services.reports.reportPublic({
      kind: "event",
      id: event.id,
      category: "other",
      reason: "please forget me later",
      email: "forget@example.org",
    });
    const erase = (who: TestUser) =>
      t.send("DELETE", `/api/v1/admin/reports/${r.id}/reporter-email`, undefined, who.auth());
    expect((await erase(organizer)).status).toBe(403);
    expect((await erase(mod)).status).toBe(204);
    expect((await erase(mod)).status).toBe(404);
    expect((await reports()).find((x) => x.id === r.id)?.reporterEmail).toBe(null);
    expect(
      (await t.send("DELETE", "/api/v1/admin/reports/nope/reporter-email", undefined, mod.auth()))
        .status,
    ).toBe(404);
  });

  it("erases the reporter's email once the report has been resolved long enough", async () => {
    const withEmail = (await reports()).find((x) => x.reporterEmail)!;
    const done = await t.send(
      "POST",
      `/api/v1/admin/reports/${withEmail.id}/resolve`,
      { resolution: "Removed" },
      mod.auth(),
    );
    expect(done.status).toBe(200);
    expect(await t.services.reports.purge(30)).toBe(0);
    expect(await t.services.reports.purge(30, Date.now() + 31 * 86_400_000)).toBe(1);
    const all = await (
      await t.request("/api/v1/admin/reports?state=all", { headers: mod.auth() })
    ).json();
    expect(all.items.find((x: ReportJson) => x.id === withEmail.id).reporterEmail).toBe(null);
  });

  it("limits reports per address and hour", async () => {
    // The budget (6) counts every POST that passed the origin check: 2 filed, 1 bot,
    // 1 invalid, 1 missing target so far.
    const ok = await post({ event: event.id, category: "other", reason: "one more" });
    expect(ok.status).toBe(200);
    const over = await post({ event: event.id, category: "other", reason: "and another" });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await reports()).filter((r) => r.reason === "and another")).toEqual([]);
  });
});
