/**
 * The console's calls to its own server: same origin, session cookie, JSON in and out, the
 * acting identity in `Eventail-Identity`. Errors are the server's problem+json, kept whole
 * so forms can show each field's message next to the field.
 */

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];
  constructor(status: number, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }
}

export interface Account {
  id: string;
  email: string;
  role: "user" | "moderator" | "admin";
  state: "active" | "pending" | "suspended";
  createdAt: string;
}

export interface Identity {
  id: string;
  handle: string;
  name: string;
  url: string;
  bio?: string;
  /** Profile picture with its description; null when none. */
  avatar?: { url: string; alt: string } | null;
}

export interface Me {
  account: Account;
  identities: Identity[];
}

const IDENTITY_KEY = "eventail-console-identity";

export class ConsoleApi {
  /** Id of the identity that acts (remembered for this browser tab). */
  identity: string | null = sessionStorage.getItem(IDENTITY_KEY);

  setIdentity(id: string | null): void {
    this.identity = id;
    if (id) sessionStorage.setItem(IDENTITY_KEY, id);
    else sessionStorage.removeItem(IDENTITY_KEY);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.identity) headers["eventail-identity"] = this.identity;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new Problem(0, "the server could not be reached");
    }
    if (res.status === 204) return undefined as T;
    const type = res.headers.get("content-type") ?? "";
    const json = type.includes("json") ? await res.json().catch(() => null) : null;
    if (!res.ok) {
      const p = (json ?? {}) as { detail?: string; title?: string; errors?: FieldError[] };
      throw new Problem(res.status, p.detail ?? p.title ?? res.statusText, p.errors ?? []);
    }
    return json as T;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  /** Uploads an image (POST /api/v1/media, multipart); its id goes into a banner. */
  async upload(file: File): Promise<{ id: string; url: string }> {
    const body = new FormData();
    body.append("file", file);
    let res: Response;
    try {
      res = await fetch("/api/v1/media", { method: "POST", body, credentials: "same-origin" });
    } catch {
      throw new Problem(0, "the server could not be reached");
    }
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const p = (json ?? {}) as { detail?: string; errors?: FieldError[] };
      throw new Problem(res.status, p.detail ?? res.statusText, p.errors ?? []);
    }
    return json as { id: string; url: string };
  }

  /** A file the server sends as an attachment (CSV), fetched with the identity header. */
  async download(path: string, filename: string): Promise<void> {
    const res = await fetch(path, {
      headers: this.identity ? { "eventail-identity": this.identity } : {},
      credentials: "same-origin",
    });
    if (!res.ok) throw new Problem(res.status, res.statusText);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
