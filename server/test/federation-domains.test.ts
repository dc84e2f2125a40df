/**
 * A policy set on a domain covers its subdomains (a whole domain blocked at once), and only
 * them: a look-alike name or a parent's sibling is not caught.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnv, type TestEnv, type TestUser } from "./helpers.ts";

describe("instance policies on domains", () => {
  let t: TestEnv;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createEnv("sqlite");
    admin = await t.user({ role: "admin" });
  });
  afterAll(() => t.close());

  it("blocks a domain and every host below it, and nothing else", async () => {
    const res = await t.send(
      "PUT",
      "/api/v1/admin/federation/instances/spam.example",
      { level: "block", reason: "a spam farm" },
      admin.auth(),
    );
    expect(res.status).toBe(200);
    const policies = t.services.federation.instances;
    for (const host of ["spam.example", "a.spam.example", "deep.b.spam.example", "SPAM.example"])
      expect(policies.refused(host), host).toBe(true);
    for (const host of ["notspam.example", "example", "spam.example.org", "other.example"])
      expect(policies.refused(host), host).toBe(false);
    expect(policies.refusedUrl("https://x.spam.example/users/bot")).toBe(true);
    // A host's own policy wins over its domain's.
    await t.send(
      "PUT",
      "/api/v1/admin/federation/instances/good.spam.example",
      { level: "limit", reason: "" },
      admin.auth(),
    );
    expect(policies.refused("good.spam.example")).toBe(false);
    expect(policies.limited("good.spam.example")).toBe(true);
  });
});
