/** The few authenticated calls publishing needs, with problem+json turned into readable errors. */
import type { CreateEventInput, EventJson, GroupJson } from "@eventail/core";

export interface ServerApiOptions {
  server: string;
  token: string;
  /** Id of the acting identity (`Eventail-Identity`), when the account has several. */
  identity?: string;
}

export class ServerApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = "ServerApiError";
    this.status = status;
  }
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

export class ServerApi {
  readonly origin: string;
  readonly #headers: Record<string, string>;
  readonly #groups = new Map<string, Promise<string>>();

  constructor(opts: ServerApiOptions) {
    this.origin = new URL(opts.server).origin;
    this.#headers = {
      authorization: `Bearer ${opts.token}`,
      accept: "application/json",
      ...(opts.identity ? { "eventail-identity": opts.identity } : {}),
    };
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.origin}${path}`, {
        method,
        headers: {
          ...this.#headers,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new ServerApiError(`${method} ${path}: ${(e as Error).message}`, 0);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!res.ok) {
      let problem: Problem = {};
      try {
        problem = JSON.parse(text) as Problem;
      } catch {}
      const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
      const reason = [problem.title ?? res.statusText, problem.detail, fields].filter(Boolean);
      throw new ServerApiError(
        `${method} ${path}: ${res.status} ${reason.join(" — ")}`,
        res.status,
      );
    }
    return JSON.parse(text) as T;
  }

  create(body: CreateEventInput): Promise<EventJson> {
    return this.#call("POST", "/api/v1/events", body);
  }

  update(id: string, body: CreateEventInput): Promise<EventJson> {
    return this.#call("PATCH", `/api/v1/events/${encodeURIComponent(id)}`, body);
  }

  delete(id: string): Promise<void> {
    return this.#call("DELETE", `/api/v1/events/${encodeURIComponent(id)}`);
  }

  /** A group's id from its handle, asked once per run. */
  groupId(handle: string): Promise<string> {
    let id = this.#groups.get(handle);
    if (!id) {
      id = this.#call<GroupJson>("GET", `/api/v1/groups/${encodeURIComponent(handle)}`).then(
        (g) => g.id,
      );
      this.#groups.set(handle, id);
    }
    return id;
  }
}
