/**
 * Every recorded payload in fixtures/activitypub (both folders) through the real
 * inbox path of an instance, on both dialects: HTTP signature verification, key ownership,
 * the inbox rules and storage. Each fixture's hosts are served by their own stub server on
 * loopback (URLs rewritten host by host, so origins stay distinct); the fixtures are unsigned
 * bodies, so each is signed at replay by its actor's key, published in that actor's
 * document (the fixture's own document where one is recorded). That is the only relaxation:
 * nothing skips verification. The two recorded signed requests are replayed verbatim.
 *
 * TABLE names each fixture's expected outcome: stored (and the fields asserted) or refused
 * (with the reason the inbox logs, asserted).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exportSpki, generateCryptoKeyPair } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFedEnv, RemoteStub, type StubActor, until } from "./federation-helpers.ts";
import {
  type DialectName,
  dialects,
  type EventJsonLike,
  inDays,
  ORIGIN,
  type TestEnv,
  type TestUser,
} from "./helpers.ts";

const FIXTURES =
  process.env.EVENTAIL_AP_FIXTURES ?? join(import.meta.dirname, "../../fixtures/activitypub");
const AS = "https://www.w3.org/ns/activitystreams";
const SEC = "https://w3id.org/security/v1";
/** Vocabulary hosts: namespaces and preloaded contexts, never rewritten. */
/** Already on loopback (a URL rewritten before): left as it is. */
const kept = (host: string) => VOCAB.has(host) || host.startsWith("127.0.0.1");
const VOCAB = new Set([
  "www.w3.org",
  "w3id.org",
  "schema.org",
  "joinmobilizon.org",
  "joinmastodon.org",
  "joinpeertube.org",
  "ostatus.org",
  "purl.org",
  "events.test",
]);

// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON
type Json = any;

const TABLE: Record<string, string> = {
  "interop/SOURCES.txt": "(provenance list, not a payload)",
  "interop/fedify__actor-oeee.cafe-person.json":
    "stored: as the actor of a Follow of the relay — follower kept, actor mapped (handle, name, type)",
  "interop/fedify__actor-remote.domain-bob.json":
    "refused: 'follower has no inbox' (the recorded actor has none)",
  "interop/fedify__bad-cross-origin-actor-create.json":
    "refused: 'activity id on another host than its actor'",
  "interop/fedify__signed-request-draft-cavage-hs2019.json":
    "refused with 401: replayed verbatim long after its Date (inbound.test.ts verifies it at its recorded time)",
  "interop/fedify__signed-request-rfc9421-mastodon-vector.json":
    "refused with 400: a signed GET carries no activity to deliver (inbound.test.ts verifies its signature)",
  "interop/gancio__location-multiple-mixed-locations.json":
    "stored: as the location of a followed actor's Event — first Place as venue, VirtualLocation as online URL",
  "interop/gancio__location-physical-location-with-postal-address.json":
    "stored: as the location of a followed actor's Event — PostalAddress fields",
  "interop/lemmy__group-actor.json":
    "stored: as the actor of a Follow (AS context added: Lemmy's asset has it stripped) — Group mapped",
  "interop/mastodon__activitypub-actor.body.json":
    "stored: as the actor of a Follow of the relay — Person mapped",
  "interop/mobilizon-repo__gancio-actor.json":
    "stored: as the actor of a Follow of the relay — Application mapped",
  "interop/mobilizon-repo__gancio-event-activity.json":
    "stored: Create(Event) from a followed Gancio instance (AS context added, as Gancio's envelope carries it) — title, start, zone, venue, tags, external registration",
  "interop/mobilizon-repo__mastodon-accept-activity.json":
    "stored: Accept of our relay's Follow (the inner Follow mapped to ours) — follow accepted",
  "interop/mobilizon-repo__mastodon-actor.json":
    "stored: as the actor of a Follow of the relay — Person mapped",
  "interop/mobilizon-repo__mastodon-delete-user.json":
    "refused with 400 as recorded (its reduced @context lacks ActivityStreams: Fedify reads no actor); with it, the actor deletes itself — its follow of our relay removed",
  "interop/mobilizon-repo__mastodon-follow-activity.json":
    "stored: Follow of a local identity (object mapped to it) — follower kept, Accept sent",
  "interop/mobilizon-repo__mastodon-reject-activity.json":
    "stored: Reject of our relay's Follow (the inner Follow mapped to ours) — follow rejected",
  "interop/mobilizon-repo__mobilizon-invite-activity.json":
    "refused: an Invite to a group membership is not taken (202, nothing stored)",
  "interop/mobilizon-repo__mobilizon-leave-activity.json":
    "stored: Leave of our event (object mapped) after its Join — the seat is freed",
  "interop/wp-event-bridge__gancio-v1.22-event.json":
    "refused: 'the event has no valid startTime' (the recorded Event has none)",
  "mobilizon/SOURCES.txt": "(provenance list, not a payload)",
  "mobilizon/fedidevs__actor-index__mobilizon.fr_framasoft_group.json":
    "stored: as the actor of a Follow of the relay — Group mapped",
  "mobilizon/mastodon-announce.json":
    "refused: 'object could not be fetched' (the boosted status is not served)",
  "mobilizon/mastodon-delete.json":
    "refused with 400 as recorded (reduced @context, no actor read); with ActivityStreams in it, Delete(Tombstone) of a comment by its author — the comment is gone",
  "mobilizon/mastodon-post-activity.json":
    "refused: 'note replying to nothing' (inReplyTo null); as a reply to our event, stored as a sanitized comment",
  "mobilizon/mastodon-update.json":
    "refused with 400 as recorded ('unparseable activity': its embedded publicKeyPem is no valid PEM); without that key, Update(Person) refreshes the actor's name",
  "mobilizon/mobilizon-join-activity.json":
    "stored: Join of our event (object mapped) — confirmed remote participant, Accept sent",
  "mobilizon/mobilizon-members-collection.json":
    "refused: not an activity (Fedify answers 400, nothing stored)",
  "mobilizon/mobilizon-post-activity-group.json":
    "stored: Create(Event) by a member for a followed group, addressed to the group — unlisted, group and organizer kept",
  "mobilizon/mobilizon-post-activity-media-2.json":
    "stored: Create(Event) from a followed actor — title, banner variant",
  "mobilizon/mobilizon-post-activity.json":
    "stored: Create(Event) from a followed actor — title, start, address, listed",
  "mobilizon/rebased__mobilizon-event-join-accept.json":
    "refused: 'answer to a Join from another actor than the event's organizer' (its actor is on another host than the event)",
  "mobilizon/rebased__mobilizon.org-event.json":
    "stored: Create(Event) wrapping the recorded Event — status, category, join mode, tags, address, end",
  "mobilizon/vcr_fetch_mobilizon_post_activity__response0_person_mobilizon.fr_metacartes.json":
    "stored: as the actor of a Follow of the relay — Person mapped",
  "mobilizon/vcr_fetch_relay_follow__response1_relay_application_actor.json":
    "stored: as the actor of a Follow of the relay — Mobilizon relay Application mapped",
  "mobilizon/vcr_group_post_update_activities__request0_announce_article.json":
    "refused: 'the object is not an Event' (a group post, Article)",
};

const read = (file: string) => readFileSync(join(FIXTURES, file), "utf8");
const load = (file: string): Json => JSON.parse(read(file));

describe.each(dialects)("fixture replay through the inbox on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let organizer: TestUser;
  let guest: TestUser;
  let event: EventJsonLike;
  const stubs = new Map<string, RemoteStub>();
  const actors = new Map<string, StubActor>();
  const keyPairs = new Map<string, CryptoKeyPair>();
  let warnings: string[] = [];
  let seq = 0;

  /** Starts a stub for every non-vocabulary host named in `text`. */
  async function hostsOf(text: string) {
    for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+(?::\d+)?)/gi)) {
      const host = m[1]!.toLowerCase();
      if (!kept(host) && !stubs.has(host)) stubs.set(host, await RemoteStub.start());
    }
  }
  /** The fixture's URLs, host by host, on their stubs. */
  const rw = (text: string) =>
    text.replace(/https?:\/\/([a-z0-9.-]+(?::\d+)?)/gi, (m, h: string) =>
      kept(h.toLowerCase()) ? m : stubs.get(h.toLowerCase())!.origin,
    );
  /** A fixture URL as replayed. */
  const R = (url: string) => rw(url);

  async function rewritten(text: string, replace: Record<string, string> = {}): Promise<Json> {
    for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
    await hostsOf(text);
    return JSON.parse(rw(text));
  }

  /** Serves an actor (the given document, else a minimal one) with a fresh key. */
  async function actor(url: string, doc: Json = null, type = "Person"): Promise<StubActor> {
    const id = R(url);
    const known = actors.get(id);
    if (known && !doc) return known;
    await hostsOf(url);
    // One key per actor for the whole run: peers cache keys by their id.
    const keys = keyPairs.get(id) ?? (await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"));
    keyPairs.set(id, keys);
    const u = new URL(id);
    const { assertionMethod: _a, ...rest } = doc ?? {
      type,
      preferredUsername: u.pathname.split(/[/@]/).filter(Boolean).at(-1),
      inbox: `${id}/inbox`,
    };
    // Our key is published under the security vocabulary, whatever the recorded context.
    const context = [rest["@context"] ?? AS].flat();
    if (!context.includes(SEC)) context.push(SEC);
    const document = {
      ...rest,
      "@context": context,
      id,
      publicKey: {
        id: `${id}#main-key`,
        owner: id,
        publicKeyPem: await exportSpki(keys.publicKey),
      },
    };
    for (const s of stubs.values())
      if (s.origin === u.origin) s.documents.set(u.pathname, { body: document });
    const a: StubActor = {
      id,
      keyId: `${id}#main-key`,
      inbox: document.inbox,
      privateKey: keys.privateKey,
      document,
    };
    actors.set(id, a);
    return a;
  }

  function stubOf(url: string): RemoteStub {
    const origin = new URL(url).origin;
    return [...stubs.values()].find((s) => s.origin === origin)!;
  }

  /** Signs `activity` as `as` and posts it to our inbox; waits for the queues. */
  async function post(activity: Json, as: StubActor, path = "/inbox") {
    const res = await stubOf(as.id).send(t, path, activity, as);
    await t.services.federation.drained();
    return res;
  }

  async function relayFollows(url: string) {
    const id = `${ORIGIN}/@relay#follows/fx${++seq}`;
    await t.services.federation.repo.addFollowing({
      id,
      actor: "relay",
      target: url,
      targetHost: new URL(url).host,
    });
    const row = await t.services.federation.repo.following("relay", url);
    await t.services.federation.repo.setFollowingState(row!.id, "accepted");
    return row!.id;
  }

  const eventJson = async (apId: string) => {
    const info = await until(
      () => t.services.federation.repo.remoteEventByApId(apId),
      `remote event ${apId}`,
    );
    return { info, json: await (await t.request(`/api/v1/events/${info.eventId}`)).json() };
  };
  const refusedWith = (reason: string) => expect(warnings).toContain(`inbox: refused, ${reason}`);

  /** Actor fixtures: the actor follows our relay; what we keep of it is asserted. */
  async function followingActor(file: string, addContext = false) {
    const raw = load(file);
    const doc = await rewritten(JSON.stringify(addContext ? { "@context": [AS], ...raw } : raw));
    const a = await actor(raw.id, doc, doc.type);
    const res = await post(
      {
        "@context": AS,
        id: `${a.id}#follow-${++seq}`,
        type: "Follow",
        actor: a.id,
        object: `${ORIGIN}/@relay`,
      },
      a,
    );
    expect(res.status).toBe(202);
    return { a, doc };
  }
  async function expectActorKept(file: string, addContext = false) {
    const { a, doc } = await followingActor(file, addContext);
    expect(await t.services.federation.repo.isFollower("relay", a.id)).toBe(true);
    const kept = await t.services.federation.repo.remoteActor(a.id);
    expect(kept).toMatchObject({
      url: a.id,
      type: doc.type,
      handle: `${doc.preferredUsername}@${new URL(a.id).host}`,
      name: doc.name || doc.preferredUsername,
      inbox: doc.inbox,
    });
  }

  async function createEventFrom(file: string, wrap = false, addContext = false) {
    const raw = load(file);
    const text = JSON.stringify(
      wrap
        ? {
            "@context": raw["@context"] ?? [AS],
            id: `${raw.id}#create`,
            type: "Create",
            actor: raw.actor ?? raw.attributedTo,
            to: [`${AS}#Public`],
            object: raw,
          }
        : addContext
          ? { "@context": [AS], ...raw }
          : raw,
    );
    const activity = await rewritten(text);
    const sender = await actor(activity.actor);
    const obj = activity.object;
    for (const who of [obj.actor, obj.attributedTo]) if (typeof who === "string") await actor(who);
    await relayFollows(typeof obj.attributedTo === "string" ? obj.attributedTo : sender.id);
    await relayFollows(sender.id);
    const res = await post(activity, sender);
    expect(res.status).toBe(202);
    return activity;
  }

  /** An Event around a recorded location, from a followed actor. */
  async function eventWithLocation(file: string) {
    await hostsOf("https://gancio.fixture.test");
    const sender = await actor(
      "https://gancio.fixture.test/federation/u/gancio",
      null,
      "Application",
    );
    await relayFollows(sender.id);
    const location = await rewritten(read(file));
    const object = {
      id: `${sender.id.replace(/\/u\/gancio$/, "")}/m/${++seq}`,
      type: "Event",
      name: "Located",
      startTime: "2031-01-01T10:00:00+01:00",
      location,
      attributedTo: sender.id,
      to: [`${AS}#Public`],
    };
    const res = await post(
      {
        "@context": AS,
        id: `${object.id}#create`,
        type: "Create",
        actor: sender.id,
        to: [`${AS}#Public`],
        object,
      },
      sender,
    );
    expect(res.status).toBe(202);
    return (await eventJson(object.id)).json;
  }

  const CASES: Record<string, () => Promise<void>> = {
    "interop/SOURCES.txt": async () => {},
    "mobilizon/SOURCES.txt": async () => {},
    "interop/fedify__actor-oeee.cafe-person.json": () =>
      expectActorKept("interop/fedify__actor-oeee.cafe-person.json"),
    "interop/mastodon__activitypub-actor.body.json": () =>
      expectActorKept("interop/mastodon__activitypub-actor.body.json"),
    "interop/mobilizon-repo__mastodon-actor.json": () =>
      expectActorKept("interop/mobilizon-repo__mastodon-actor.json"),
    "interop/mobilizon-repo__gancio-actor.json": () =>
      expectActorKept("interop/mobilizon-repo__gancio-actor.json"),
    "interop/lemmy__group-actor.json": () =>
      expectActorKept("interop/lemmy__group-actor.json", true),
    "mobilizon/fedidevs__actor-index__mobilizon.fr_framasoft_group.json": () =>
      expectActorKept("mobilizon/fedidevs__actor-index__mobilizon.fr_framasoft_group.json"),
    "mobilizon/vcr_fetch_mobilizon_post_activity__response0_person_mobilizon.fr_metacartes.json":
      () =>
        expectActorKept(
          "mobilizon/vcr_fetch_mobilizon_post_activity__response0_person_mobilizon.fr_metacartes.json",
        ),
    "mobilizon/vcr_fetch_relay_follow__response1_relay_application_actor.json": () =>
      expectActorKept("mobilizon/vcr_fetch_relay_follow__response1_relay_application_actor.json"),

    "interop/fedify__actor-remote.domain-bob.json": async () => {
      const { a } = await followingActor("interop/fedify__actor-remote.domain-bob.json");
      expect(await t.services.federation.repo.isFollower("relay", a.id)).toBe(false);
      refusedWith("follower has no inbox");
    },

    "interop/fedify__bad-cross-origin-actor-create.json": async () => {
      const activity = await rewritten(read("interop/fedify__bad-cross-origin-actor-create.json"));
      const a = await actor(activity.actor);
      await relayFollows(a.id);
      expect((await post(activity, a)).status).toBe(202);
      refusedWith("activity id on another host than its actor");
    },

    "interop/fedify__signed-request-draft-cavage-hs2019.json": async () => {
      const fx = load("interop/fedify__signed-request-draft-cavage-hs2019.json");
      const res = await t.request("/inbox", { method: "POST", headers: fx.headers, body: fx.body });
      expect(res.status).toBe(401);
      expect(await t.services.federation.repo.listFollowing("relay")).not.toContainEqual(
        expect.objectContaining({ state: "accepted", target: JSON.parse(fx.body).actor }),
      );
    },
    "interop/fedify__signed-request-rfc9421-mastodon-vector.json": async () => {
      const fx = load("interop/fedify__signed-request-rfc9421-mastodon-vector.json");
      const res = await t.request("/inbox", {
        method: "POST",
        headers: { ...fx.headers, "content-type": "application/activity+json" },
        body: "{}",
      });
      expect(res.status).toBe(400);
    },

    "interop/gancio__location-multiple-mixed-locations.json": async () => {
      const e = await eventWithLocation("interop/gancio__location-multiple-mixed-locations.json");
      expect(e.address).toEqual({ venue: "Location with a name" });
      expect(e.onlineUrl).toBe(
        "https://virtual.location.org/".replace(
          /^https:\/\/[^/]+/,
          R("https://virtual.location.org"),
        ),
      );
    },
    "interop/gancio__location-physical-location-with-postal-address.json": async () => {
      const e = await eventWithLocation(
        "interop/gancio__location-physical-location-with-postal-address.json",
      );
      expect(e.address).toEqual({
        venue: "Location with a postal address",
        street: "15 Fediverse Street",
        locality: "Fediverse Town",
        region: "Steiermark",
        postalCode: "8010",
        country: "Austria",
      });
    },

    "interop/mobilizon-repo__gancio-event-activity.json": async () => {
      const a = await createEventFrom(
        "interop/mobilizon-repo__gancio-event-activity.json",
        false,
        true,
      );
      const { json } = await eventJson(a.object.id);
      expect(json).toMatchObject({
        title: "Demo event",
        beginsAt: "2021-07-14T17:30:57+02:00",
        timezone: "Etc/GMT-2",
        address: { venue: "Colosseo" },
        tags: ["test"],
        joinMode: "external",
        externalUrl: R("https://demo.gancio.org/event/demo-event"),
        remote: { id: a.object.id, actor: a.actor },
      });
    },

    "interop/mobilizon-repo__mastodon-accept-activity.json": async () => {
      await hostsOf("http://mobilizon.test");
      const target = R("http://mobilizon.test/@thomas0");
      const followId = `${ORIGIN}/@relay#follows/acc${++seq}`;
      await t.services.federation.repo.addFollowing({
        id: followId,
        actor: "relay",
        target,
        targetHost: new URL(target).host,
      });
      const activity = await rewritten(
        read("interop/mobilizon-repo__mastodon-accept-activity.json"),
        {
          "http://mobilizon.test/follows/fdfds": followId,
          "http://mobilizon.test/@thomas1": `${ORIGIN}/@relay`,
        },
      );
      // Its embedded LD signature names mastodon.example.org's admin key: that actor exists
      // (peers cache what a key fetch answered, a 404 included).
      await actor(R("http://mastodon.example.org/users/admin"));
      expect((await post(activity, await actor(activity.actor))).status).toBe(202);
      expect((await t.services.federation.repo.followingById(followId))?.state).toBe("accepted");
    },
    "interop/mobilizon-repo__mastodon-reject-activity.json": async () => {
      await hostsOf("http://mastodon.example.org");
      const target = R("http://mastodon.example.org/users/admin");
      const followId = `${ORIGIN}/@relay#follows/rej${++seq}`;
      await t.services.federation.repo.addFollowing({
        id: followId,
        actor: "relay",
        target,
        targetHost: new URL(target).host,
      });
      const activity = await rewritten(
        read("interop/mobilizon-repo__mastodon-reject-activity.json"),
        {
          "http://localtesting.pleroma.lol/users/lain#follows/4": followId,
          "http://localtesting.pleroma.lol/users/lain": `${ORIGIN}/@relay`,
        },
      );
      expect((await post(activity, await actor(activity.actor))).status).toBe(202);
      expect((await t.services.federation.repo.followingById(followId))?.state).toBe("rejected");
    },

    "interop/mobilizon-repo__mastodon-delete-user.json": async () => {
      const raw = load("interop/mobilizon-repo__mastodon-delete-user.json");
      const verbatim = await rewritten(JSON.stringify(raw));
      expect((await post(verbatim, await actor(verbatim.actor))).status).toBe(400);
      const activity = await rewritten(
        JSON.stringify({ ...raw, "@context": [AS, ...raw["@context"]] }),
      );
      const a = await actor(activity.actor);
      await t.services.federation.repo.addFollower({
        actor: "relay",
        follower: a.id,
        follow_id: `${a.id}#f`,
        inbox: a.inbox,
        shared_inbox: null,
        host: new URL(a.id).host,
      });
      expect((await post(activity, a)).status).toBe(202);
      expect(await t.services.federation.repo.isFollower("relay", a.id)).toBe(false);
    },

    "interop/mobilizon-repo__mastodon-follow-activity.json": async () => {
      const local = `${ORIGIN}/@${organizer.identity.handle}`;
      const activity = await rewritten(
        read("interop/mobilizon-repo__mastodon-follow-activity.json"),
        {
          "http://localtesting.pleroma.lol/users/lain": local,
        },
      );
      const a = await actor(activity.actor);
      expect((await post(activity, a)).status).toBe(202);
      expect(await t.services.federation.repo.isFollower(organizer.identity.handle, a.id)).toBe(
        true,
      );
      await until(
        () =>
          stubOf(a.id)
            .inboxed("Accept")
            .find((r) => r.json.object?.id === activity.id),
        "Accept(Follow)",
      );
    },

    "interop/mobilizon-repo__mobilizon-invite-activity.json": async () => {
      const activity = await rewritten(
        read("interop/mobilizon-repo__mobilizon-invite-activity.json"),
      );
      const before = await t.services.federation.repo.knownHosts();
      expect((await post(activity, await actor(activity.actor))).status).toBe(202);
      expect(await t.services.federation.repo.knownHosts()).toEqual(before);
    },

    "mobilizon/mobilizon-join-activity.json": () => joinedOnce(),
    "interop/mobilizon-repo__mobilizon-leave-activity.json": async () => {
      await joinedOnce();
      const activity = await rewritten(
        read("interop/mobilizon-repo__mobilizon-leave-activity.json"),
        {
          "http://mobilizon.test/events/some-uuid": event.url,
        },
      );
      expect((await post(activity, await actor(activity.actor))).status).toBe(202);
      const one = await (await t.request(`/api/v1/events/${event.id}`)).json();
      expect(one.participantCount).toBe(0);
    },
  };

  /** Mobilizon's Join, replayed once: its Leave reuses its activity id. */
  let joined: Promise<void> | undefined;
  const joinedOnce = () => {
    joined ??= joinOnce();
    return joined;
  };
  async function joinOnce() {
    const activity = await rewritten(read("mobilizon/mobilizon-join-activity.json"), {
      "http://mobilizon.test/events/some-uuid": event.url,
    });
    const a = await actor(activity.actor);
    expect((await post(activity, a)).status).toBe(202);
    const parts = await (
      await t.send("GET", `/api/v1/events/${event.id}/participants`, undefined, organizer.auth())
    ).json();
    expect(parts.items).toContainEqual(
      expect.objectContaining({ kind: "remote", state: "confirmed", actorUrl: a.id }),
    );
    await until(
      () =>
        stubOf(a.id)
          .inboxed("Accept")
          .find((r) => r.json.object?.id === activity.id),
      "Accept(Join)",
    );
  }
  const MORE_CASES: Record<string, () => Promise<void>> = {
    "interop/wp-event-bridge__gancio-v1.22-event.json": async () => {
      const a = await createEventFrom("interop/wp-event-bridge__gancio-v1.22-event.json", true);
      expect(await t.services.federation.repo.remoteEventByApId(a.object.id)).toBeNull();
      refusedWith("the event has no valid startTime");
    },

    "mobilizon/mastodon-announce.json": async () => {
      const activity = await rewritten(read("mobilizon/mastodon-announce.json"));
      const a = await actor(activity.actor);
      await relayFollows(a.id);
      expect((await post(activity, a)).status).toBe(202);
      refusedWith("object could not be fetched");
    },

    "mobilizon/mastodon-post-activity.json": async () => {
      const text = read("mobilizon/mastodon-post-activity.json");
      const activity = await rewritten(text);
      const a = await actor(activity.actor);
      expect((await post(activity, a)).status).toBe(202);
      refusedWith("note replying to nothing");
      expect(await t.services.comments.byApId(activity.object.id)).toBeUndefined();
      // The same status as a reply to our event is a comment, its mention kept as a link.
      const reply = await rewritten(
        text
          .replace('"inReplyTo": null', `"inReplyTo": "${event.url}"`)
          .replace(/"id": "([^"]+)"/g, '"id": "$1-reply"'),
      );
      expect((await post(reply, a)).status).toBe(202);
      const c = await t.services.comments.byApId(reply.object.id);
      expect(c).toMatchObject({ event_id: event.id, author_actor: a.id, state: "published" });
      expect(c!.content).toContain(`href="${R("https://framapiaf.org/users/tcit")}"`);
    },

    "mobilizon/mastodon-delete.json": async () => {
      const raw = load("mobilizon/mastodon-delete.json");
      const verbatim = await rewritten(JSON.stringify(raw));
      expect((await post(verbatim, await actor(verbatim.actor))).status).toBe(400);
      const activity = await rewritten(
        JSON.stringify({ ...raw, "@context": [AS, ...raw["@context"]] }),
      );
      const a = await actor(activity.actor);
      const r = await t.services.comments.receive(
        await t.services.repos.events.get(event.id).then((e) => e!),
        {
          apId: activity.object.id,
          actor: a.id,
          name: "gargron",
          url: a.id,
          host: new URL(a.id).host,
          content: "<p>to be deleted</p>",
          published: null,
        },
      );
      expect(r.ok).toBe(true);
      expect((await post(activity, a)).status).toBe(202);
      expect(await t.services.comments.byApId(activity.object.id)).toBeUndefined();
    },

    "mobilizon/mastodon-update.json": async () => {
      const activity = await rewritten(read("mobilizon/mastodon-update.json"));
      const a = await actor(activity.actor, { ...activity.object, name: "old name" });
      await t.services.federation.rememberActor((await t.services.federation.lookupActor(a.id))!);
      expect((await t.services.federation.repo.remoteActor(a.id))?.name).toBe("old name");
      // As recorded, the embedded Person's publicKeyPem is no valid PEM: refused, 400.
      expect((await post(activity, a)).status).toBe(400);
      refusedWith("unparseable activity");
      // Without that key, the update is taken: the origin now serves the new document.
      const { publicKey: _k, ...person } = activity.object;
      await actor(activity.actor, person);
      const fixed = { ...activity, id: `${activity.id}-2`, object: person };
      expect((await post(fixed, a)).status).toBe(202);
      expect((await t.services.federation.repo.remoteActor(a.id))?.name).toBe("nextsoft");
    },

    "mobilizon/mobilizon-members-collection.json": async () => {
      const body = await rewritten(read("mobilizon/mobilizon-members-collection.json"));
      const a = await actor(R("http://mobilizon.test/@someone"));
      const res = await post(body, a);
      expect(res.status).toBe(400);
    },

    "mobilizon/mobilizon-post-activity-group.json": async () => {
      const a = await createEventFrom("mobilizon/mobilizon-post-activity-group.json");
      const { info, json } = await eventJson(a.object.id);
      expect(json.visibility ?? "unlisted").not.toBe("public");
      expect(info.attributedTo).toBe(R("http://mobilizon1.com/@group"));
      expect(json.organizer.id).toBe(R("http://mobilizon1.com/@user"));
      const page = await (await t.request("/api/v1/events?from=2000-01-01T00:00:00Z")).json();
      expect(page.items.map((i: { id: string }) => i.id)).not.toContain(info.eventId);
    },
    "mobilizon/mobilizon-post-activity-media-2.json": async () => {
      const a = await createEventFrom("mobilizon/mobilizon-post-activity-media-2.json");
      const { json } = await eventJson(a.object.id);
      expect(json.title).toBe("My first event");
    },
    "mobilizon/mobilizon-post-activity.json": async () => {
      const a = await createEventFrom("mobilizon/mobilizon-post-activity.json");
      const { info, json } = await eventJson(a.object.id);
      expect(json).toMatchObject({
        title: "My first event",
        address: {
          venue: "Locaux de Framasoft",
          street: "10 Rue Jangot",
          locality: "Lyon",
          region: "Auvergne Rhône Alpes",
          postalCode: "69007",
          country: "France",
        },
      });
      expect(Date.parse(json.beginsAt)).toBe(Date.parse("2018-02-12T14:08:20Z"));
      const page = await (await t.request("/api/v1/events?from=2000-01-01T00:00:00Z")).json();
      expect(page.items.map((i: { id: string }) => i.id)).toContain(info.eventId);
    },

    "mobilizon/rebased__mobilizon-event-join-accept.json": async () => {
      // Our guest's pending Join of a remote event from metacartes (stored above).
      const remote = await eventJson(
        R("https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93"),
      );
      const joinId = `${ORIGIN}/@${guest.identity.handle}#join/fx`;
      await t.services.federation.repo.saveRsvp({
        id: joinId,
        identityId: guest.identity.id,
        eventId: remote.info.eventId,
        state: "pending",
      });
      const activity = await rewritten(
        read("mobilizon/rebased__mobilizon-event-join-accept.json"),
        {
          "https://pleroma.mkljczk.pl/activities/7d1f3986-8b2c-48c2-b89e-d27ba8459777": joinId,
          "https://mobilizon.mkljczk.pl/events/d9d08e46-81af-4ee9-91e5-1298f49beea9":
            "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
        },
      );
      expect((await post(activity, await actor(activity.actor))).status).toBe(202);
      refusedWith("answer to a Join from another actor than the event's organizer");
      expect((await t.services.federation.repo.rsvpById(joinId))?.state).toBe("pending");
    },

    "mobilizon/rebased__mobilizon.org-event.json": async () => {
      const a = await createEventFrom("mobilizon/rebased__mobilizon.org-event.json", true);
      const { json } = await eventJson(a.object.id);
      expect(json).toMatchObject({
        title: "Mobilizon Launching Party",
        status: "confirmed",
        category: "MEETING",
        joinMode: "free",
        tags: ["mobilizon", "federation", "activitypub", "party"],
        address: {
          venue: "Cour du Château des Ducs de Bretagne",
          locality: "Nantes",
          region: "Pays de la Loire",
          country: "France",
        },
      });
      expect(Date.parse(json.endsAt)).toBe(Date.parse("2019-12-18T14:00:00Z"));
    },

    "mobilizon/vcr_group_post_update_activities__request0_announce_article.json": async () => {
      const activity = await rewritten(
        read("mobilizon/vcr_group_post_update_activities__request0_announce_article.json"),
      );
      const a = await actor(activity.actor, null, "Group");
      await relayFollows(a.id);
      expect((await post(activity, a)).status).toBe(202);
      refusedWith("the object is not an Event");
    },
  };
  Object.assign(CASES, MORE_CASES);

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    organizer = await t.user({ handle: `fxo_${dialect}` });
    guest = await t.user({ handle: `fxg_${dialect}` });
    event = await t.event(organizer, {
      title: "Fixture target",
      beginsAt: inDays(30, 18),
      timezone: "UTC",
      capacity: 5,
    });
    // The litepub context Mobilizon's payloads name: served by its (loopback) host as a
    // minimal context; we read payloads by their compacted keys.
    await hostsOf("https://litepub.social");
    stubs
      .get("litepub.social")!
      .documents.set("/litepub/context.jsonld", { body: { "@context": [AS, SEC] } });
    const spy = vi.spyOn(t.services.log, "warn");
    spy.mockImplementation((msg: string) => {
      warnings.push(msg);
    });
  });

  afterAll(async () => {
    await t?.close();
    await Promise.allSettled([...stubs.values()].map((s) => s.close()));
  });

  it("has an expected outcome for every fixture in both folders", () => {
    const files = ["interop", "mobilizon"].flatMap((d) =>
      readdirSync(join(FIXTURES, d)).map((f) => `${d}/${f}`),
    );
    expect(Object.keys(TABLE).sort()).toEqual(files.sort());
    expect(Object.keys(CASES).sort()).toEqual(files.sort());
  });

  for (const [file, expected] of Object.entries(TABLE))
    it(`${file}: ${expected}`, async () => {
      warnings = [];
      await CASES[file]!();
    }, 30_000);
});
