/**
 * What Fedify serves: actor documents (instance, groups, identities) with their keys,
 * WebFinger, NodeInfo 2.1, Event objects (raw JSON), followers and following collections
 * (paged). The outbox is served by middleware.ts (its items embed raw Event JSON, which a
 * typed Fedify collection cannot carry).
 */
import { type Banner, escapeXml } from "@eventail/core";
import { Application, Endpoints, Event, Group, Image, Person, type Recipient } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { eventObject } from "./outbound.ts";
import type { FederationService } from "./service.ts";

const PAGE = 50;

const encodeCursor = (s: string) => Buffer.from(s).toString("base64url");
const decodeCursor = (s: string) => (s ? Buffer.from(s, "base64url").toString() : undefined);

export function registerDispatchers(svc: FederationService): void {
  const { federation } = svc;
  const { repos, settings, links, events } = svc.deps;

  federation
    .setActorDispatcher("/@{identifier}", async (ctx, identifier) => {
      const local = await svc.localActor(identifier);
      if (!local) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
        indexable: true,
      };
      if (local.kind === "relay") {
        const s = await settings.get();
        return new Application({
          ...common,
          name: s.name,
          summary: escapeXml(s.description),
          url: new URL(`${links.origin}/`),
        });
      }
      // A profile picture: its URL on this instance, its type, its description as `name`.
      const icon = (b: Banner | null) =>
        b
          ? new Image({
              url: new URL(`${links.origin}${b.path}`),
              mediaType: b.mediaType,
              name: b.alt,
            })
          : null;
      if (local.kind === "group")
        return new Group({
          ...common,
          icon: icon(local.group.avatar),
          name: local.group.name,
          summary: local.group.description,
          url: new URL(links.actorUrl(identifier)),
          published: Temporal.Instant.fromEpochMilliseconds(local.group.createdAt.getTime()),
        });
      return new Person({
        ...common,
        icon: icon(local.identity.avatar),
        name: local.identity.name,
        summary: escapeXml(local.identity.bio),
        url: new URL(links.actorUrl(identifier)),
        published: Temporal.Instant.fromEpochMilliseconds(local.identity.createdAt.getTime()),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) =>
      (await svc.localActor(identifier)) ? svc.keys.pairs(identifier) : [],
    );

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => {
    const s = await settings.get();
    const stats = await svc.repo.stats();
    return {
      software: {
        name: "eventail",
        version: svc.deps.version,
        homepage: new URL(`${links.origin}/`),
      },
      protocols: ["activitypub"],
      openRegistrations: s.registration === "open",
      usage: {
        users: { total: stats.identities },
        localPosts: stats.localEvents,
        localComments: 0,
      },
      metadata: { nodeName: s.name, nodeDescription: s.description },
    };
  });

  // Local, visible events as raw JSON (Event.fromJsonLd keeps what it was given).
  federation.setObjectDispatcher(Event, "/events/{id}", async (_ctx, values) => {
    const event = await repos.events.get(values.id);
    if (!event || !svc.federatable(event)) return null;
    const json = await events.oneToJson(event);
    return Event.fromJsonLd(eventObject(json, await svc.eventActors(event)));
  });

  federation
    .setFollowersDispatcher("/@{identifier}/followers", async (_ctx, identifier, cursor) => {
      if (cursor === null || !(await svc.localActor(identifier))) return null;
      const rows = await svc.repo.followersPage(identifier, PAGE, decodeCursor(cursor));
      const items: Recipient[] = rows.map((r) => ({
        id: new URL(r.follower),
        inboxId: new URL(r.inbox),
        endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null,
      }));
      return {
        items,
        nextCursor: rows.length === PAGE ? encodeCursor(rows.at(-1)!.follower) : null,
      };
    })
    .setCounter(async (_ctx, identifier) =>
      (await svc.localActor(identifier)) ? svc.repo.countFollowers(identifier) : null,
    )
    .setFirstCursor(async (_ctx, identifier) => ((await svc.localActor(identifier)) ? "" : null));

  federation
    .setFollowingDispatcher("/@{identifier}/following", async (_ctx, identifier, cursor) => {
      if (cursor === null || !(await svc.localActor(identifier))) return null;
      const rows = await svc.repo.followingPage(identifier, PAGE, decodeCursor(cursor));
      return {
        items: rows.map((r) => new URL(r.target)),
        nextCursor: rows.length === PAGE ? encodeCursor(rows.at(-1)!.target) : null,
      };
    })
    .setCounter(async (_ctx, identifier) =>
      (await svc.localActor(identifier)) ? svc.repo.countFollowing(identifier) : null,
    )
    .setFirstCursor(async (_ctx, identifier) => ((await svc.localActor(identifier)) ? "" : null));
}
