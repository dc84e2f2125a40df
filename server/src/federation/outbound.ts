/**
 * The activities we send about events, as raw JSON: the Event object is exactly
 * `toActivityStreamsEvent` (Mobilizon / FEP-8a8e fields, offsets kept), which Fedify's typed
 * vocabulary would drop or rewrite. Activity ids are fresh each time: a Create, an Update
 * and a second Update of one event are different activities.
 */
import { AS_PUBLIC, EVENT_CONTEXT, type EventJson, toActivityStreamsEvent } from "@eventail/core";
import { newId } from "../domain/secrets.ts";

export interface EventActors {
  /** ActivityPub id of the sending actor (the group when the event has one). */
  sender: string;
  /** Followers collection of the sender. */
  followers: string;
  /** ActivityPub id of the organizer identity. */
  organizer: string;
  /** ActivityPub id of the group, if any. */
  group?: string;
}

export type RawActivity = Record<string, unknown> & { id: string; type: string; actor: string };

/** What the Event says beyond the event itself. */
export interface EventExtras {
  /** Mobilizon's `commentsEnabled`: false when the comment policy is closed. */
  commentsEnabled?: boolean;
}

/** The Event object as we serve and send it (with its @context). */
export function eventObject(
  e: EventJson,
  a: EventActors,
  extras: EventExtras = {},
): Record<string, unknown> {
  const o = toActivityStreamsEvent(e, {
    actor: a.organizer,
    followers: a.followers,
    group: a.group,
  });
  return extras.commentsEnabled === undefined
    ? o
    : { ...o, commentsEnabled: extras.commentsEnabled };
}

function envelope(
  type: "Create" | "Update",
  e: EventJson,
  a: EventActors,
  extras: EventExtras,
): RawActivity {
  const { "@context": context, ...object } = eventObject(e, a, extras);
  return {
    "@context": context,
    id: `${e.url}#${type.toLowerCase()}-${newId()}`,
    type,
    actor: a.sender,
    published: new Date().toISOString(),
    to: object.to,
    cc: object.cc,
    object,
  };
}

export function createActivity(
  e: EventJson,
  a: EventActors,
  extras: EventExtras = {},
): RawActivity {
  return envelope("Create", e, a, extras);
}

/** Any change, cancellation included (the object then says status CANCELLED). */
export function updateActivity(
  e: EventJson,
  a: EventActors,
  extras: EventExtras = {},
): RawActivity {
  return envelope("Update", e, a, extras);
}

/** Deletion (or the event stopped being visible): a Tombstone, as Mobilizon sends it. */
export function deleteActivity(eventUrl: string, a: EventActors, wasPublic: boolean): RawActivity {
  const to = wasPublic ? [AS_PUBLIC] : [a.followers];
  const cc = wasPublic ? [a.followers] : [];
  return {
    "@context": EVENT_CONTEXT,
    id: `${eventUrl}#delete-${newId()}`,
    type: "Delete",
    actor: a.sender,
    published: new Date().toISOString(),
    to,
    cc,
    object: {
      id: eventUrl,
      type: "Tombstone",
      formerType: "Event",
      deleted: new Date().toISOString(),
    },
  };
}

/** A comment as a `Note` replying to its event (what Mastodon shows in the thread). */
export interface NoteParts {
  id: string;
  author: string;
  authorFollowers: string;
  /** ActivityPub id of the event replied to. */
  inReplyTo: string;
  /** Who sent the event (group or organizer): named so its thread owner sees the reply. */
  eventActor: string;
  content: string;
  published: Date;
  isPublic: boolean;
}

function noteAudience(n: NoteParts) {
  return n.isPublic
    ? { to: [AS_PUBLIC], cc: [n.authorFollowers, n.eventActor] }
    : { to: [n.eventActor], cc: [n.authorFollowers] };
}

export function noteObject(n: NoteParts): Record<string, unknown> {
  return {
    id: n.id,
    type: "Note",
    attributedTo: n.author,
    inReplyTo: n.inReplyTo,
    content: n.content,
    published: n.published.toISOString(),
    url: n.id,
    ...noteAudience(n),
    tag: [{ type: "Mention", href: n.eventActor }],
  };
}

export function createNoteActivity(n: NoteParts): RawActivity {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${n.id}#create-${newId()}`,
    type: "Create",
    actor: n.author,
    published: n.published.toISOString(),
    ...noteAudience(n),
    object: noteObject(n),
  };
}

export function deleteNoteActivity(n: NoteParts): RawActivity {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${n.id}#delete-${newId()}`,
    type: "Delete",
    actor: n.author,
    ...noteAudience(n),
    object: { id: n.id, type: "Tombstone", formerType: "Note", deleted: new Date().toISOString() },
  };
}
