import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  createFedEnv,
  PUBLIC,
  RemoteStub,
  type StubActor,
  until,
} from "./federation-helpers.ts";
import {
  createEnv,
  type DialectName,
  dialects,
  problem,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

describe.each(dialects)("following remote actors on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let admin: TestUser;
  let person: TestUser;
  let grp: StubActor;
  let club: StubActor;

  const event = (slug: string, by: StubActor, over: object = {}) => ({
    id: `${stub.origin}/events/${slug}`,
    type: "Event",
    name: `Event ${slug}`,
    startTime: "2031-06-01T10:00:00+02:00",
    timezone: "Europe/Paris",
    attributedTo: by.id,
    to: [PUBLIC],
    ...over,
  });
  const copy = (slug: string) =>
    t.services.federation.repo.remoteEventByApId(`${stub.origin}/events/${slug}`);

  /** Follows `target` as `as`, and has the target accept. */
  async function follow(target: StubActor, user: TestUser, as?: string) {
    const res = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: target.id, ...(as ? { as } : {}) },
      user.auth(),
    );
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await t.services.federation.drained();
    const sent = (await until(() => stub.inboxed("Follow").find((r) => r.json.id === id), "Follow"))
      .json;
    await stub.send(t, "/inbox", activity("Accept", target, sent), target);
    await t.services.federation.drained();
    expect((await t.services.federation.repo.followingById(id))?.state).toBe("accepted");
    return id as string;
  }

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    admin = await t.user({ handle: `fadm_${dialect}`, role: "admin" });
    person = await t.user({ handle: `fper_${dialect}` });
    grp = await stub.actor("grp", "Group");
    club = await stub.actor("club", "Group");
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("keeps events from an identity's follow unlisted, and lists them once the instance follows", async () => {
    await follow(grp, person);
    await stub.send(t, "/inbox", activity("Create", grp, event("p1", grp)), grp);
    await t.services.federation.drained();
    const stored = await until(() => copy("p1"), "remote event");
    const one = await (await t.request(`/api/v1/events/${stored.eventId}`)).json();
    expect(one.visibility).toBe("unlisted");
    const listing = async () =>
      (await (await t.request("/api/v1/events?from=2031-01-01T00:00:00Z")).json()).items.map(
        (i: { id: string }) => i.id,
      );
    expect(await listing()).not.toContain(stored.eventId);
    // An identity may not act as the relay.
    const denied = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: grp.id, as: "relay" },
      person.auth(),
    );
    expect(denied.status).toBe(403);

    await follow(grp, admin, "relay");
    await stub.send(
      t,
      "/inbox",
      activity(
        "Update",
        grp,
        event("p1", grp, { name: "Event p1 (listed)", updated: new Date().toISOString() }),
      ),
      grp,
    );
    await t.services.federation.drained();
    expect(await listing()).toContain(stored.eventId);
    const following = await (
      await t.send("GET", "/api/v1/federation/follows?as=relay", undefined, admin.auth())
    ).json();
    expect(following.items).toMatchObject([{ target: grp.id, state: "accepted" }]);
  });

  it("refuses a referenced object whose fetched document is not what its id says", async () => {
    const elsewhere = await RemoteStub.start();
    try {
      // The id names another URL than the one fetched.
      stub.documents.set("/events/liar", { body: event("someone-else", grp) });
      // A redirect to another host serving a document that claims the original id.
      stub.documents.set("/events/moved", { status: 302, location: `${elsewhere.origin}/copy` });
      elsewhere.documents.set("/copy", { body: event("moved", grp) });
      // A faithful reference is fetched and stored.
      stub.documents.set("/events/fine", { body: event("fine", grp) });
      for (const slug of ["liar", "moved", "fine"])
        await stub.send(t, "/inbox", activity("Create", grp, `${stub.origin}/events/${slug}`), grp);
      await t.services.federation.drained();
      expect(await copy("fine")).toBeTruthy();
      expect(await copy("liar")).toBeNull();
      expect(await copy("someone-else")).toBeNull();
      expect(await copy("moved")).toBeNull();
    } finally {
      await elsewhere.close();
    }
  });

  it("forgets an actor deleted at its origin, even when its key is gone (410)", async () => {
    await stub.send(t, "/inbox", activity("Create", club, event("c1", club)), club);
    await t.services.federation.drained();
    await until(() => copy("c1"), "club's event (the instance follows the host)");
    // Gone: its actor document and key answer 410, and our key cache has forgotten it.
    stub.documents.set("/users/club", { status: 410 });
    for await (const entry of t.services.federation.kv.list(["_fedify", "publicKey"]))
      await t.services.federation.kv.delete(entry.key);
    const res = await stub.send(t, "/inbox", activity("Delete", club, club.id), club);
    expect(res.status).toBe(202);
    await t.services.federation.drained();
    expect(await copy("c1")).toBeNull();
  });

  it("unfollows with Undo and purges what nobody here follows any more", async () => {
    expect(await copy("p1")).toBeTruthy();
    const res = await t.send(
      "DELETE",
      `/api/v1/federation/follows?as=relay&target=${encodeURIComponent(grp.id)}`,
      undefined,
      admin.auth(),
    );
    expect(res.status).toBe(204);
    await t.services.federation.drained();
    const undo = await until(() => stub.inboxed("Undo")[0], "Undo");
    expect(undo.json.object).toMatchObject({ type: "Follow", object: grp.id });
    // The identity still follows grp: its events stay.
    expect(await copy("p1")).toBeTruthy();
    await t.send(
      "DELETE",
      `/api/v1/federation/follows?target=${encodeURIComponent(grp.id)}`,
      undefined,
      person.auth(),
    );
    await t.services.federation.drained();
    expect(await copy("p1")).toBeNull();
    expect(await copy("fine")).toBeNull();
  });
});

describe("outbound fetches without the test-only setting", () => {
  let t: TestEnv;
  let stub: RemoteStub;
  beforeAll(async () => {
    t = await createEnv("sqlite");
    stub = await RemoteStub.start();
    await stub.actor("grp", "Group");
  });
  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("never fetches loopback or private addresses (Fedify's SSRF guard stays on)", async () => {
    const admin = await t.user({ role: "admin" });
    for (const target of [
      `${stub.origin}/users/grp`,
      "http://10.0.0.1/users/x",
      "http://169.254.169.254/latest",
      "file:///etc/passwd",
    ]) {
      const res = await t.send(
        "POST",
        "/api/v1/federation/follows",
        { target, as: "relay" },
        admin.auth(),
      );
      expect(res.status).toBe(422);
      expect((await problem(res)).errors?.[0]?.path).toBe("target");
    }
    expect(stub.received).toHaveLength(0);
  });
});
