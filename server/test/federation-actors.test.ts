/**
 * Actors and discovery, and events going out — on both dialects: WebFinger, NodeInfo 2.1,
 * actor documents with RSA and Ed25519 keys at the pages' URLs, Follow → Accept, paged
 * followers, and exactly what goes on the wire for Create / Update / cancel / Delete.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventObject } from "../src/federation/outbound.ts";
import { createFedEnv, RemoteStub, type StubActor, until } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  inDays,
  type TestEnv,
  type TestUser,
  tinyPng,
} from "./helpers.ts";

const AP = { accept: "application/activity+json" };
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

describe.each(dialects)("federation actors and events out on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let owner: TestUser;
  let bob: StubActor;
  let carol: StubActor;
  let group: string;

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    owner = await t.user({ handle: `own_${dialect}` });
    group = `grp_${dialect}`;
    const res = await t.send(
      "POST",
      "/api/v1/groups",
      { handle: group, name: "Climate <Lyon>" },
      owner.auth(),
    );
    expect(res.status).toBe(201);
    bob = await stub.actor("bob");
    carol = await stub.actor("carol");
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("answers WebFinger and NodeInfo 2.1", async () => {
    const wf = await t.request(`/.well-known/webfinger?resource=acct:${group}@events.test`);
    expect(wf.status).toBe(200);
    const jrd = await wf.json();
    expect(jrd.links).toContainEqual(
      expect.objectContaining({
        rel: "self",
        type: "application/activity+json",
        href: `http://events.test/@${group}`,
      }),
    );
    const relay = await (
      await t.request("/.well-known/webfinger?resource=acct:relay@events.test")
    ).json();
    expect(relay.links[0].href).toBe("http://events.test/@relay");
    expect(
      (await t.request("/.well-known/webfinger?resource=acct:nobody@events.test")).status,
    ).toBe(404);

    const links = await (await t.request("/.well-known/nodeinfo")).json();
    expect(links.links[0].href).toBe("http://events.test/nodeinfo/2.1");
    const ni = await (await t.request("/nodeinfo/2.1")).json();
    expect(ni.version).toBe("2.1");
    expect(ni.software.name).toBe("eventail");
    expect(ni.protocols).toEqual(["activitypub"]);
    expect(ni.usage.users.total).toBeGreaterThanOrEqual(1);
  });

  it("serves actors as ActivityPub JSON at the pages' URLs, HTML to browsers", async () => {
    const res = await t.request(`/@${group}`, { headers: AP });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/activity\+json/);
    expect(res.headers.get("vary")).toMatch(/Accept/);
    const g = await res.json();
    expect(g.type).toBe("Group");
    expect(g.id).toBe(`http://events.test/@${group}`);
    expect(g.preferredUsername).toBe(group);
    expect(g.name).toBe("Climate <Lyon>");
    expect(g.inbox).toBe(`http://events.test/@${group}/inbox`);
    expect(g.outbox).toBe(`http://events.test/@${group}/outbox`);
    expect(g.followers).toBe(`http://events.test/@${group}/followers`);
    expect(g.endpoints.sharedInbox).toBe("http://events.test/inbox");
    expect(g.publicKey.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const multikeys = [g.assertionMethod].flat();
    expect(
      multikeys.some((k: { publicKeyMultibase: string }) =>
        k.publicKeyMultibase.startsWith("z6Mk"),
      ),
    ).toBe(true);

    const person = await (await t.request(`/@${owner.identity.handle}`, { headers: AP })).json();
    expect(person.type).toBe("Person");
    expect(person.icon).toBeUndefined();
    // An identity's avatar is its actor's icon, described by its alt text.
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(tinyPng(4, 4))], { type: "image/png" }), "a.png");
    const uploaded = await (
      await t.request("/api/v1/media", { method: "POST", headers: owner.auth(), body: form })
    ).json();
    const patched = await t.send(
      "PATCH",
      `/api/v1/identities/${owner.identity.handle}`,
      { avatar: { uploadId: uploaded.id, alt: "A bicycle" } },
      owner.auth(),
    );
    expect(patched.status).toBe(200);
    const pictured = await (await t.request(`/@${owner.identity.handle}`, { headers: AP })).json();
    expect(pictured.icon).toEqual({
      type: "Image",
      url: uploaded.url,
      mediaType: "image/png",
      name: "A bicycle",
    });
    const relay = await (await t.request("/@relay", { headers: AP })).json();
    expect(relay.type).toBe("Application");

    // Keys are stored, and the same on every request.
    const again = await (await t.request(`/@${group}`, { headers: AP })).json();
    expect(again.publicKey.publicKeyPem).toBe(g.publicKey.publicKeyPem);
    const stored = await t.services.store.db.selectFrom("actor_keys").select("actor").execute();
    expect(stored.map((r) => r.actor)).toEqual(expect.arrayContaining([group, "relay"]));

    const html = await t.request(`/@${group}`, { headers: { accept: "text/html" } });
    expect(html.headers.get("content-type")).toMatch(/text\/html/);
    expect(html.headers.get("vary")).toMatch(/Accept/);
    expect((await t.request("/@nobody_here", { headers: AP })).status).toBe(404);
  });

  it("accepts a Follow, lists the follower in a paged collection", async () => {
    for (const who of [bob, carol]) {
      const res = await stub.send(
        t,
        `/@${group}/inbox`,
        {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${who.id}#follow-1`,
          type: "Follow",
          actor: who.id,
          object: `http://events.test/@${group}`,
        },
        who,
      );
      expect(res.status).toBe(202);
    }
    await t.services.federation.drained();
    const accepts = await until(() => {
      const a = stub.inboxed("Accept");
      return a.length >= 2 && a;
    }, "two Accepts");
    expect(accepts[0]!.json.actor).toBe(`http://events.test/@${group}`);
    expect(accepts[0]!.json.object.type).toBe("Follow");
    expect(accepts[0]!.headers.signature ?? accepts[0]!.headers["signature-input"]).toBeTruthy();

    const col = await (await t.request(`/@${group}/followers`, { headers: AP })).json();
    expect(col.totalItems).toBe(2);
    const first = await (
      await t.request(
        new URL(col.first.id ?? col.first).pathname + new URL(col.first.id ?? col.first).search,
        { headers: AP },
      )
    ).json();
    expect(first.orderedItems ?? first.items).toEqual([bob.id, carol.id]);
  });

  it("sends Create, Update, cancel and Delete with the raw Event JSON, once per shared inbox", async () => {
    stub.received.length = 0;
    const e = await t.event(owner, {
      title: "Repair café",
      description: "<p>Bring <b>things</b></p>",
      beginsAt: inDays(10, 13),
      endsAt: inDays(10, 17),
      timezone: "Europe/Paris",
      address: {
        venue: "Maison des Passages",
        locality: "Lyon",
        country: "FR",
        latitude: 45.76,
        longitude: 4.83,
      },
      onlineUrl: "https://meet.example/repair",
      capacity: 30,
      groupId: (await t.services.groups.byHandle(group)).id,
      tags: ["repair"],
    });
    await t.services.federation.drained();
    const creates = await until(
      () => stub.inboxed("Create").length === 1 && stub.inboxed("Create"),
      "Create",
    );
    // Two followers share one inbox: one delivery.
    expect(creates[0]!.path).toBe("/inbox");
    const create = creates[0]!.json;
    expect(create.actor).toBe(`http://events.test/@${group}`);
    expect(create.to).toEqual([PUBLIC]);
    expect(create.cc).toEqual([`http://events.test/@${group}/followers`]);
    const ev = create.object;
    expect(ev.id).toBe(e.url);
    expect(ev.type).toBe("Event");
    expect(ev.url).toBe(e.url);
    expect(ev.name).toBe("Repair café");
    expect(ev.startTime).toBe(e.beginsAt);
    expect(ev.startTime).toMatch(/\+0[12]:00$/);
    expect(ev.timezone).toBe("Europe/Paris");
    expect(ev.joinMode).toBe("free");
    expect(ev.maximumAttendeeCapacity).toBe(30);
    expect(ev.summary).toMatch(/Lyon/);
    expect(ev.attributedTo).toBe(`http://events.test/@${group}`);
    expect(ev.actor).toBe(`http://events.test/@${owner.identity.handle}`);
    expect(ev.location).toEqual([
      expect.objectContaining({
        type: "Place",
        name: "Maison des Passages",
        latitude: 45.76,
        longitude: 4.83,
      }),
      { type: "VirtualLocation", url: "https://meet.example/repair" },
    ]);
    expect(ev.status).toBe("CONFIRMED");
    expect(ev.tag).toEqual([{ type: "Hashtag", name: "#repair" }]);
    // The body on the wire is exactly what we built: the extension fields survived Fedify.
    expect(creates[0]!.headers["content-type"]).toMatch(/activity\+json/);
    const record = (await t.services.repos.events.get(e.id))!;
    const { "@context": context, ...expected } = eventObject(
      await t.services.events.oneToJson(record),
      await t.services.federation.eventActors(record),
      { commentsEnabled: true }, // the default policy, open
    );
    expect(ev).toEqual(expected);
    expect(create["@context"]).toEqual(context);

    // The object is served as the same raw JSON at the page's URL.
    const served = await (await t.request(`/events/${e.id}`, { headers: AP })).json();
    expect(served.timezone).toBe("Europe/Paris");
    expect(served.startTime).toBe(e.beginsAt);
    expect((await t.request(`/events/${e.id}`)).headers.get("content-type")).toMatch(/text\/html/);

    // Outbox embeds the raw object.
    const outbox = await (await t.request(`/@${group}/outbox`, { headers: AP })).json();
    expect(outbox.totalItems).toBe(1);
    const page = await (await t.request(`/@${group}/outbox?page=first`, { headers: AP })).json();
    expect(page.orderedItems[0].object.timezone).toBe("Europe/Paris");

    await t.send(
      "PATCH",
      `/api/v1/events/${e.id}`,
      { title: "Repair café (new room)" },
      owner.auth(),
    );
    await t.services.federation.drained();
    const update = (await until(() => stub.inboxed("Update")[0], "Update")).json;
    expect(update.object.name).toBe("Repair café (new room)");
    expect(update.id).not.toBe(create.id);

    expect(
      (await t.send("POST", `/api/v1/events/${e.id}/cancel`, undefined, owner.auth())).status,
    ).toBe(200);
    await t.services.federation.drained();
    const cancel = (await until(() => stub.inboxed("Update")[1], "cancel Update")).json;
    expect(cancel.object.status).toBe("CANCELLED");

    expect((await t.send("DELETE", `/api/v1/events/${e.id}`, undefined, owner.auth())).status).toBe(
      204,
    );
    await t.services.federation.drained();
    const del = (await until(() => stub.inboxed("Delete")[0], "Delete")).json;
    expect(del.object).toMatchObject({ id: e.url, type: "Tombstone", formerType: "Event" });
    expect(del.to).toEqual([PUBLIC]);
    expect((await t.request(`/events/${e.id}`, { headers: AP })).status).toBe(404);
  });

  it("addresses unlisted events to followers only, and sends nothing for private ones", async () => {
    stub.received.length = 0;
    const groupId = (await t.services.groups.byHandle(group)).id;
    await t.event(owner, {
      title: "Members only",
      beginsAt: inDays(5),
      timezone: "UTC",
      visibility: "unlisted",
      groupId,
    });
    await t.event(owner, {
      title: "Secret",
      beginsAt: inDays(5),
      timezone: "UTC",
      visibility: "private",
      groupId,
    });
    await t.event(owner, {
      title: "Draft",
      beginsAt: inDays(5),
      timezone: "UTC",
      draft: true,
      groupId,
    });
    await t.services.federation.drained();
    const creates = await until(
      () => stub.inboxed("Create").length >= 1 && stub.inboxed("Create"),
      "Create",
    );
    await t.services.federation.drained();
    expect(stub.inboxed("Create")).toHaveLength(1);
    expect(creates[0]!.json.object.name).toBe("Members only");
    expect(creates[0]!.json.to).toEqual([`http://events.test/@${group}/followers`]);
    expect(JSON.stringify(creates[0]!.json)).not.toContain(PUBLIC);
  });

  it("announces a scheduled event when its publication time comes, once", async () => {
    stub.received.length = 0;
    const groupId = (await t.services.groups.byHandle(group)).id;
    const publishAt = new Date(Date.now() + 60_000).toISOString();
    const e = await t.event(owner, {
      title: "Later",
      beginsAt: inDays(9),
      timezone: "UTC",
      publishAt,
      groupId,
    });
    await t.services.federation.drained();
    expect(stub.inboxed("Create")).toHaveLength(0);
    const fed = t.services.federation;
    expect(await fed.publishDue(Date.now())).toBe(0);
    expect(await fed.publishDue(Date.now() + 61_000)).toBe(1);
    expect(await fed.publishDue(Date.now() + 62_000)).toBe(0);
    await fed.drained();
    const create = await until(() => stub.inboxed("Create")[0], "Create of the scheduled event");
    expect(create.json.object.id).toBe(e.url);
  });
});
