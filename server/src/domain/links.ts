/** Public URLs of the instance's objects: the one place that knows the URL layout. */
import type { ActorRef, Group, Identity } from "@eventail/core";

export class Links {
  readonly origin: string;
  readonly host: string;

  constructor(origin: string) {
    this.origin = origin.replace(/\/+$/, "");
    this.host = new URL(this.origin).host;
  }

  actorUrl(handle: string): string {
    return `${this.origin}/@${handle}`;
  }

  actorRef(a: Identity | Group): ActorRef {
    return {
      id: a.id,
      handle: `${a.handle}@${this.host}`,
      name: a.name,
      url: this.actorUrl(a.handle),
    };
  }

  event(id: string): string {
    return `${this.origin}/events/${id}`;
  }
}
