/** RFC 9457 problem details turned into one typed error the UI can switch on. */

export interface FieldError {
  /** Dotted path of the field, e.g. "email" or "address.locality". */
  path: string;
  message: string;
}

export interface ApiErrorInit {
  status: number;
  title?: string;
  detail: string;
  type?: string;
  errors?: FieldError[];
  externalUrl?: string;
  retryAfter?: number;
  cause?: unknown;
}

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached or answered garbage. */
  declare readonly status: number;
  /** Problem `title` ("Conflict"), or the status text. */
  declare readonly title: string;
  /** Problem `detail`: what happened, in the server's words. */
  declare readonly detail: string;
  /** Problem `type` URI ("about:blank" by default). */
  declare readonly type: string;
  /** Field-level problems of a 422, empty otherwise. */
  declare readonly errors: FieldError[];
  /** Registration link of an event with `joinMode: "external"` (409). */
  declare readonly externalUrl?: string;
  /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
  declare readonly retryAfter?: number;

  constructor(init: ApiErrorInit) {
    super(init.detail);
    // Plain assignment keeps this small in browser bundles; undefined fields stay absent.
    const self = this as Record<string, unknown>;
    for (const [k, v] of Object.entries(init)) if (v !== undefined) self[k] = v;
    self.name = "ApiError";
    self.title ??= "";
    self.type ??= "about:blank";
    self.errors ??= [];
  }

  /** The message of the first error on `path`, if any. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Builds an ApiError from a non-2xx response, reading problem+json when it is one. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  // Whatever the body holds (a proxy's broken JSON, an array, null), an object to read.
  const body: Record<string, unknown> = /[/+]json\b/.test(res.headers.get("content-type") ?? "")
    ? Object(await res.json().catch(() => null))
    : {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const errors = Array.isArray(body.errors)
    ? body.errors
        .filter((e) => typeof e?.path === "string" && typeof e.message === "string")
        .map(({ path, message }: FieldError) => ({ path, message }))
    : [];
  return new ApiError({
    status: res.status,
    title: str(body.title) ?? res.statusText,
    detail: str(body.detail) ?? str(body.title) ?? (res.statusText || `HTTP ${res.status}`),
    type: str(body.type),
    errors,
    externalUrl: str(body.externalUrl),
    retryAfter: parseRetryAfter(res.headers.get("retry-after")),
  });
}
