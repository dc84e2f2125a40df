/** An identity's avatar (migration 9) through the API, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnv, dialects, ORIGIN, problem, type TestEnv, type TestUser } from "./helpers.ts";

describe.each(dialects)("identity avatar on %s", (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  const patch = (u: TestUser, handle: string, body: unknown) =>
    t.send("PATCH", `/api/v1/identities/${handle}`, body, u.auth());

  it("sets, reads, keeps and removes it", async () => {
    const u = await t.user();
    const handle = u.identity.handle;
    expect((await (await t.request(`/api/v1/identities/${handle}`)).json()).avatar).toBeNull();
    const image = await t.upload(u);
    const set = await patch(u, handle, { avatar: { uploadId: image.id, alt: "A smiling face" } });
    expect(set.status).toBe(200);
    const expected = {
      url: image.url,
      alt: "A smiling face",
      mediaType: "image/png",
      width: 4,
      height: 4,
    };
    expect((await set.json()).avatar).toEqual(expected);
    expect(image.url.startsWith(`${ORIGIN}/media/`)).toBe(true);
    // Public profile and the account's own view.
    expect((await (await t.request(`/api/v1/identities/${handle}`)).json()).avatar).toEqual(
      expected,
    );
    const me = await (await t.request("/api/v1/me", { headers: u.auth() })).json();
    expect(me.identities.find((i: { id: string }) => i.id === u.identity.id).avatar).toEqual(
      expected,
    );
    expect((await t.request(new URL(image.url).pathname)).status).toBe(200);
    // The public profile page shows it with its description (escaped), and shares it.
    await patch(u, handle, { avatar: { uploadId: image.id, alt: 'A smiling face "<b>"' } });
    const page = await (
      await t.request(`/@${handle}`, { headers: { accept: "text/html" } })
    ).text();
    expect(page).toContain(
      `<img class="avatar" src="${image.url}" alt="A smiling face &quot;&lt;b&gt;&quot;">`,
    );
    expect(page).toContain(`<meta property="og:image" content="${image.url}">`);
    await patch(u, handle, { avatar: { uploadId: image.id, alt: "A smiling face" } });
    // A patch without it keeps it; null removes it.
    await patch(u, handle, { bio: "Hello" });
    expect((await (await t.request(`/api/v1/identities/${handle}`)).json()).avatar).toEqual(
      expected,
    );
    const cleared = await patch(u, handle, { avatar: null });
    expect((await cleared.json()).avatar).toBeNull();
  });

  it("refuses someone else's upload and a missing description, and other accounts", async () => {
    const u = await t.user();
    const stranger = await t.user();
    const theirs = await t.upload(stranger);
    const mine = await t.upload(u);
    for (const [body, path] of [
      [{ avatar: { uploadId: theirs.id, alt: "x" } }, "avatar.uploadId"],
      [{ avatar: { uploadId: mine.id, alt: " " } }, "avatar.alt"],
      [{ avatar: { uploadId: mine.id } }, "avatar.alt"],
    ] as const) {
      const res = await patch(u, u.identity.handle, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await problem(res)).errors as { path: string }[]).map((e) => e.path)).toContain(
        path,
      );
    }
    const denied = await patch(stranger, u.identity.handle, {
      avatar: { uploadId: theirs.id, alt: "Not you" },
    });
    expect([403, 404]).toContain(denied.status);
    expect(
      (await (await t.request(`/api/v1/identities/${u.identity.handle}`)).json()).avatar,
    ).toBeNull();
  });

  it("changes an image's description without a new upload, on identities, groups and events", async () => {
    const u = await t.user();
    const handle = u.identity.handle;
    const image = await t.upload(u);
    const alt = (json: { alt: string } | null) => json?.alt;
    // Nothing to describe yet: a clear 422 on each kind.
    expect(await problem(await patch(u, handle, { avatar: { alt: "Me" } }))).toMatchObject({
      status: 422,
      errors: [{ path: "avatar.uploadId", message: "is required: there is no image yet" }],
    });
    await patch(u, handle, { avatar: { uploadId: image.id, alt: "Old words" } });
    const described = await (await patch(u, handle, { avatar: { alt: "New words" } })).json();
    expect(described.avatar).toMatchObject({ url: image.url, alt: "New words", width: 4 });

    const group = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: `g${handle}`, name: "Described" },
      u.auth(),
    );
    expect(group.status).toBe(201);
    const groupPatch = (body: unknown) =>
      t.send("PATCH", `/api/v1/groups/g${handle}`, body, u.auth());
    expect((await groupPatch({ banner: { alt: "x" } })).status).toBe(422);
    await groupPatch({ banner: { uploadId: image.id, alt: "A banner" } });
    const g = await (
      await groupPatch({ banner: { alt: "The hall, seen from the street" } })
    ).json();
    expect(g.banner).toMatchObject({ url: image.url, alt: "The hall, seen from the street" });
    expect(g.avatar).toBeNull();

    const e = await t.event(u, {
      title: "Described",
      beginsAt: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: "Europe/Paris",
      banner: { uploadId: image.id, alt: "A poster" },
    });
    const edited = await t.send(
      "PATCH",
      `/api/v1/events/${e.id}`,
      { banner: { alt: "The poster: a bike and a wrench" } },
      u.auth(),
    );
    expect(edited.status).toBe(200);
    expect(alt((await edited.json()).banner)).toBe("The poster: a bike and a wrench");
    const fresh = await t.send(
      "POST",
      "/api/v1/events",
      {
        title: "No banner",
        beginsAt: new Date(Date.now() + 86_400_000).toISOString(),
        timezone: "Europe/Paris",
        banner: { alt: "Nothing" },
      },
      u.auth(),
    );
    expect(await problem(fresh)).toMatchObject({
      status: 422,
      errors: [{ path: "banner.uploadId", message: "is required: there is no image yet" }],
    });
  });
});
