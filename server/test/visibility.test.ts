/**
 * Private, draft and not-yet-published events never leak, and unlisted ones only reach those
 * who have the link: every public surface is swept for their titles — API listings and
 * search, iCalendar and Atom feeds (instance, group, identity), HTML pages, ActivityPub
 * outboxes (group, identity, instance relay) and what the widgets read — on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFedEnv } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  inDays,
  type TestEnv,
  type TestUser,
  unique,
} from "./helpers.ts";

const AP = "application/activity+json";

describe.each(dialects)("visibility on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let organizer: TestUser;
  const G = `vis${unique()}`.slice(0, 28);
  const titles: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    organizer = await t.user();
    const g = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: G, name: "Visibility" },
      organizer.auth(),
    );
    expect(g.status).toBe(201);
    const groupId = (await g.json()).id;
    const variants: Record<string, Record<string, unknown>> = {
      public: {},
      unlisted: { visibility: "unlisted" },
      private: { visibility: "private" },
      draft: { draft: true },
      scheduled: { publishAt: inDays(5) },
    };
    for (const [kind, extra] of Object.entries(variants))
      for (const inGroup of [true, false]) {
        const key = `${kind}${inGroup ? "-group" : ""}`;
        // A distinctive word per event, searched for in every response body.
        titles[key] = `Zq${kind}${inGroup ? "G" : "I"}${unique("w")}`;
        ids[key] = (
          await t.event(organizer, {
            title: titles[key],
            description: `<p>about ${titles[key]}</p>`,
            beginsAt: inDays(12),
            timezone: "Europe/Paris",
            tags: ["sweep"],
            ...(inGroup ? { groupId } : {}),
            ...extra,
          })
        ).id;
      }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const read = async (path: string, accept = "*/*") => {
    const res = await t.request(path, { headers: { accept } });
    return { status: res.status, body: await res.text() };
  };

  it("lists, searches, feeds, pages and federates only public events", async () => {
    const handle = organizer.identity.handle;
    const surfaces: [string, string?][] = [
      ["/api/v1/events?limit=100"],
      ["/api/v1/events?q=Zq&limit=100"],
      ["/api/v1/events?tag=sweep&limit=100"],
      [`/api/v1/events?group=${G}&limit=100`],
      [`/api/v1/events?organizer=${handle}&limit=100`],
      ["/api/v1/events?from=2000-01-01T00:00:00Z&limit=100"],
      ["/events.ics"],
      ["/events.atom"],
      [`/@${G}/events.ics`],
      [`/@${G}/events.atom`],
      [`/@${handle}/events.ics`],
      [`/@${handle}/events.atom`],
      ["/", "text/html"],
      [`/@${G}`, "text/html"],
      [`/@${handle}`, "text/html"],
      [`/@${G}/outbox?page=first`, AP],
      [`/@${handle}/outbox?page=first`, AP],
      ["/@relay/outbox?page=first", AP],
    ];
    const leaks: string[] = [];
    for (const [path, accept] of surfaces) {
      const { status, body } = await read(path, accept);
      expect(status, path).toBe(200);
      for (const [key, title] of Object.entries(titles)) {
        const shown = body.includes(title);
        // Group surfaces show the group's events; an identity's outbox its events outside groups.
        const scope =
          path.includes(`@${G}`) || path.includes(`group=${G}`)
            ? "group"
            : path.startsWith(`/@${handle}/outbox`)
              ? "solo"
              : "all";
        const inScope = scope === "all" || (scope === "group") === key.endsWith("-group");
        const expected = key.startsWith("public") && inScope;
        if (shown !== expected) leaks.push(`${path}: ${key} ${shown ? "shown" : "missing"}`);
      }
    }
    expect(leaks).toEqual([]);
    // Collections count only what they list.
    const outbox = JSON.parse((await read(`/@${G}/outbox`, AP)).body);
    expect(outbox.totalItems).toBe(1);
  });

  it("serves an unlisted event to whoever has its link, and hides the others", async () => {
    for (const key of ["unlisted", "unlisted-group", "public"]) {
      expect((await read(`/api/v1/events/${ids[key]}`)).status, key).toBe(200);
      expect((await read(`/events/${ids[key]}`, "text/html")).status, key).toBe(200);
      expect((await read(`/events/${ids[key]}.ics`)).status, key).toBe(200);
    }
    for (const key of [
      "private",
      "private-group",
      "draft",
      "draft-group",
      "scheduled",
      "scheduled-group",
    ]) {
      expect((await read(`/api/v1/events/${ids[key]}`)).status, key).toBe(404);
      const page = await read(`/events/${ids[key]}`, "text/html");
      expect(page.status, key).toBe(404);
      expect(page.body).not.toContain(titles[key]);
      expect((await read(`/events/${ids[key]}.ics`)).status, key).toBe(404);
      const ap = await read(`/events/${ids[key]}`, AP);
      expect(ap.status, `${key} as ActivityPub`).toBe(404);
      expect(ap.body).not.toContain(titles[key]);
    }
    // The organizer still sees its own.
    const own = await t.request(`/api/v1/events/${ids.private}`, { headers: organizer.auth() });
    expect(own.status).toBe(200);
  });
});
