/**
 * Outboxes and Event objects, served here rather than by Fedify: each item is a `Create` embedding the raw
 * Event JSON (Mobilizon fields, offsets kept), which a typed Fedify collection would drop.
 * A group's outbox holds its events, an identity's the events it organizes outside groups,
 * the instance's (relay) every public event. Newest first, paged by a keyset cursor.
 */
import { EVENT_CONTEXT, type EventRecord } from "@eventail/core";
import type { Context } from "hono";
import type { Env } from "../http/env.ts";
import { problemResponse } from "../http/problem.ts";
import { eventObject } from "./outbound.ts";
import type { OutboxScope } from "./repo.ts";

const PAGE = 20;
const AP_JSON = "application/activity+json; charset=utf-8";

/** One local, visible event as raw ActivityStreams JSON. */
export async function eventResponse(c: Context<Env>, id: string): Promise<Response> {
  const s = c.get("services");
  const event = await s.repos.events.get(id);
  if (!event || !s.federation.federatable(event))
    return problemResponse(404, "no such ActivityPub object");
  const json = await s.events.oneToJson(event);
  const body = eventObject(json, await s.federation.eventActors(event), {
    commentsEnabled: await s.federation.commentsEnabled(event.id),
  });
  return new Response(JSON.stringify(body), {
    headers: { "content-type": AP_JSON, vary: "Accept", "cache-control": "public, max-age=60" },
  });
}

/** A local comment as its `Note` (peers such as Mastodon dereference reply ids). */
export async function noteResponse(c: Context<Env>, id: string): Promise<Response> {
  const body = await c.get("services").federation.noteJson(id);
  if (!body) return problemResponse(404, "no such ActivityPub object");
  return new Response(JSON.stringify(body), {
    headers: { "content-type": AP_JSON, vary: "Accept", "cache-control": "public, max-age=60" },
  });
}

export async function outboxResponse(c: Context<Env>, handle: string): Promise<Response> {
  const s = c.get("services");
  const svc = s.federation;
  const local = await svc.localActor(handle);
  if (!local) return problemResponse(404, "no such actor");
  const scope: OutboxScope =
    local.kind === "relay"
      ? "all"
      : local.kind === "group"
        ? { groupId: local.group.id }
        : { organizerId: local.identity.id };
  const id = `${svc.actorUri(handle)}/outbox`;
  const page = c.req.query("page");
  const headers = {
    "content-type": AP_JSON,
    vary: "Accept",
    "cache-control": "public, max-age=60",
  };
  if (page === undefined) {
    const body = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id,
      type: "OrderedCollection",
      totalItems: await svc.repo.countOutbox(scope),
      first: `${id}?page=first`,
    };
    return new Response(JSON.stringify(body), { headers });
  }
  let before: { at: number; id: string } | undefined;
  if (page !== "first") {
    const m = /^(\d{1,15})\.([A-Za-z0-9]{1,40})$/.exec(Buffer.from(page, "base64url").toString());
    if (!m) return problemResponse(400, "invalid page cursor");
    before = { at: Number(m[1]), id: m[2]! };
  }
  const rows = await svc.repo.outboxEvents(scope, PAGE, before);
  const records = (await Promise.all(rows.map((r) => s.repos.events.get(r.id)))).filter(
    (e): e is EventRecord => e !== null,
  );
  const json = await s.events.toJson(records.map((event) => ({ event })));
  const items = [];
  for (let i = 0; i < records.length; i++) {
    const a = await svc.eventActors(records[i]!);
    const { "@context": _context, ...object } = eventObject(json[i]!, a);
    items.push({
      id: `${json[i]!.url}#create`,
      type: "Create",
      actor: a.sender,
      published: json[i]!.createdAt,
      to: object.to,
      cc: object.cc,
      object,
    });
  }
  const last = rows.at(-1);
  const body = {
    "@context": EVENT_CONTEXT,
    id: `${id}?page=${page}`,
    type: "OrderedCollectionPage",
    partOf: id,
    orderedItems: items,
    ...(rows.length === PAGE && last
      ? { next: `${id}?page=${Buffer.from(`${last.created_at}.${last.id}`).toString("base64url")}` }
      : {}),
  };
  return new Response(JSON.stringify(body), { headers });
}
