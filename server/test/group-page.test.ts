/** A group's page data: avatar, banner and resources through the API, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEnv,
  dialects,
  ORIGIN,
  problem,
  type TestEnv,
  type TestUser,
  unique,
} from "./helpers.ts";

describe.each(dialects)("group page data on %s", (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newGroup(admin: TestUser): Promise<string> {
    const handle = unique("page");
    const res = await t.send(
      "POST",
      "/api/v1/groups",
      { handle, name: "Page group" },
      admin.auth(),
    );
    expect(res.status).toBe(201);
    const group = await res.json();
    // A new group has none of them, and says so.
    expect(group).toMatchObject({ avatar: null, banner: null, resources: [] });
    return handle;
  }

  it("sets, reads and removes the avatar, the banner and the resources", async () => {
    const admin = await t.user();
    const handle = await newGroup(admin);
    const avatar = await t.upload(admin);
    const banner = await t.upload(admin);
    const resources = [
      { title: "Shared notes", url: "https://pad.example.org/p/garden" },
      { title: "Chat", url: "http://chat.example.org/garden" },
    ];
    const set = await t.send(
      "PATCH",
      `/api/v1/groups/${handle}`,
      {
        avatar: { uploadId: avatar.id, alt: "Our logo" },
        banner: { uploadId: banner.id, alt: "The garden in June" },
        resources,
      },
      admin.auth(),
    );
    expect(set.status).toBe(200);
    const read = await (await t.request(`/api/v1/groups/${handle}`)).json();
    expect(read.avatar).toEqual({
      url: avatar.url,
      alt: "Our logo",
      mediaType: "image/png",
      width: 4,
      height: 4,
    });
    expect(read.avatar.url.startsWith(`${ORIGIN}/media/`)).toBe(true);
    expect(read.banner).toMatchObject({ url: banner.url, alt: "The garden in June" });
    expect(read.resources).toEqual(resources);
    // The media behind the URL is served.
    expect((await t.request(new URL(read.avatar.url).pathname)).status).toBe(200);

    // A patch without them leaves them; null and [] remove them.
    await t.send("PATCH", `/api/v1/groups/${handle}`, { name: "Renamed" }, admin.auth());
    const kept = await (await t.request(`/api/v1/groups/${handle}`)).json();
    expect(kept).toMatchObject({ name: "Renamed", resources });
    expect(kept.avatar).not.toBeNull();
    const cleared = await t.send(
      "PATCH",
      `/api/v1/groups/${handle}`,
      { avatar: null, banner: null, resources: [] },
      admin.auth(),
    );
    expect(await cleared.json()).toMatchObject({ avatar: null, banner: null, resources: [] });
  });

  it("refuses someone else's upload, scripted links and missing alt text with 422", async () => {
    const admin = await t.user();
    const stranger = await t.user();
    const handle = await newGroup(admin);
    const theirs = await t.upload(stranger);
    const mine = await t.upload(admin);
    const cases: [Record<string, unknown>, string][] = [
      [{ avatar: { uploadId: theirs.id, alt: "x" } }, "avatar.uploadId"],
      [{ banner: { uploadId: mine.id, alt: " " } }, "banner.alt"],
      [{ resources: [{ title: "Evil", url: "javascript:alert(1)" }] }, "resources.0.url"],
      [{ resources: [{ title: "Data", url: "data:text/html,<b>x</b>" }] }, "resources.0.url"],
      [{ resources: [{ title: "", url: "https://ok.example/" }] }, "resources.0.title"],
      [{ resources: [{ title: "Not a URL", url: "pad" }] }, "resources.0.url"],
    ];
    for (const [body, path] of cases) {
      const res = await t.send("PATCH", `/api/v1/groups/${handle}`, body, admin.auth());
      expect(res.status, JSON.stringify(body)).toBe(422);
      const p = await problem(res);
      expect(
        (p.errors as { path: string }[]).map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    // Nothing of it was stored.
    const read = await (await t.request(`/api/v1/groups/${handle}`)).json();
    expect(read).toMatchObject({ avatar: null, banner: null, resources: [] });
    // Only the group's admins change them.
    const denied = await t.send(
      "PATCH",
      `/api/v1/groups/${handle}`,
      { resources: [{ title: "Mine now", url: "https://x.example/" }] },
      stranger.auth(),
    );
    expect(denied.status).toBe(403);
  });
});
