/**
 * The two reads the console is built on: the events an identity manages (drafts, private and
 * past ones included, its groups' when it moderates them) and the groups it belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnv, type DialectName, dialects, inDays, type TestEnv, unique } from "./helpers.ts";

describe.each(dialects)("console reads on %s", (dialect: DialectName) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createEnv(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists what the acting identity manages, and only that", async () => {
    const owner = await t.user();
    const moderator = await t.user();
    const member = await t.user();
    const stranger = await t.user();
    const handle = unique("g");
    const g = await t.send("POST", "/api/v1/groups", { handle, name: "G" }, owner.auth());
    expect(g.status).toBe(201);
    const groupId = (await g.json()).id as string;
    for (const [u, role] of [
      [moderator, "moderator"],
      [member, "member"],
    ] as const) {
      const r = await t.send(
        "PUT",
        `/api/v1/groups/${handle}/members/${u.identity.handle}`,
        { role },
        owner.auth(),
      );
      expect(r.status).toBe(204);
    }
    const draft = await t.event(owner, {
      title: "Draft",
      beginsAt: inDays(10),
      timezone: "Europe/Paris",
      draft: true,
    });
    const priv = await t.event(owner, {
      title: "Private",
      beginsAt: inDays(5),
      timezone: "UTC",
      visibility: "private",
    });
    const past = await t.event(owner, { title: "Past", beginsAt: inDays(-30), timezone: "UTC" });
    const inGroup = await t.event(member, {
      title: "Group event",
      beginsAt: inDays(3),
      timezone: "UTC",
      groupId,
    });
    await t.event(stranger, { title: "Not ours", beginsAt: inDays(3), timezone: "UTC" });

    const list = async (u: typeof owner) => {
      const r = await t.request("/api/v1/me/events", { headers: u.auth() });
      expect(r.status).toBe(200);
      expect(r.headers.get("cache-control")).toBe("private, no-store");
      return ((await r.json()).items as { id: string; draft: boolean }[]).map((e) => e.id);
    };
    // Latest start first; the group admin manages the member's group event too.
    expect(await list(owner)).toEqual([draft.id, priv.id, inGroup.id, past.id]);
    expect(await list(moderator)).toEqual([inGroup.id]);
    expect(await list(member)).toEqual([inGroup.id]);
    expect(await list(stranger)).toHaveLength(1);
    expect((await t.request("/api/v1/me/events")).status).toBe(401);

    const groups = async (u: typeof owner) => {
      const r = await t.request("/api/v1/me/groups", { headers: u.auth() });
      expect(r.status).toBe(200);
      return (await r.json()).items.map((m: { group: { handle: string }; role: string }) => [
        m.group.handle,
        m.role,
      ]);
    };
    expect(await groups(owner)).toEqual([[`${handle}@events.test`, "admin"]]);
    expect(await groups(moderator)).toEqual([[`${handle}@events.test`, "moderator"]]);
    expect(await groups(stranger)).toEqual([]);
    expect((await t.request("/api/v1/me/groups")).status).toBe(401);
  });

  it("takes empty patches of an identity and of an account as no change (was a 500)", async () => {
    const u = await t.user();
    const admin = await t.user({ role: "admin" });
    const r = await t.send("PATCH", `/api/v1/identities/${u.identity.handle}`, {}, u.auth());
    expect(r.status).toBe(200);
    expect((await r.json()).name).toBe(u.identity.name);
    const a = await t.send("PATCH", `/api/v1/admin/accounts/${u.accountId}`, {}, admin.auth());
    expect(a.status).toBe(200);
    expect((await a.json()).state).toBe("active");
  });

  it("shows the admins' rules and moderation policy publicly, escaped", async () => {
    const admin = await t.user({ role: "admin" });
    const r = await t.send(
      "PATCH",
      "/api/v1/admin/settings",
      {
        rules: "Be kind.\n\nNo <script>ads</script>.",
        moderationPolicy: "Two moderators decide;\nwrite to mods@example.test to appeal.",
      },
      admin.auth(),
    );
    expect(r.status).toBe(200);
    const instance = await (await t.request("/api/v1/instance")).json();
    expect(instance.rules).toBe("Be kind.\n\nNo <script>ads</script>.");
    expect(instance.moderationPolicy).toContain("to appeal");
    const home = await (await t.request("/")).text();
    expect(home).toContain(
      '<section id="rules"><h2>Rules</h2><p>Be kind.</p><p>No &lt;script&gt;ads&lt;/script&gt;.</p></section>',
    );
    expect(home).toContain(
      "<p>Two moderators decide;<br>write to mods@example.test to appeal.</p>",
    );
    const plain = await t.user();
    expect(
      (await t.send("PATCH", "/api/v1/admin/settings", { rules: "" }, plain.auth())).status,
    ).toBe(403);
  });
});
