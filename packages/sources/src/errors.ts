/**
 * One error type for everything a source can do wrong, naming what a site builder needs to
 * find the problem: which source, which event (id or UID) and which field.
 */

export type SourceErrorKind =
  /** Unreachable, timed out, or answered with an HTTP error: the cache may stand in. */
  | "unavailable"
  /** Answered, but the data does not have the expected shape. */
  | "invalid"
  /** The request was refused before it left: scheme, private address, size. */
  | "refused";

export interface SourceErrorDetails {
  source: string;
  kind: SourceErrorKind;
  /** Id or UID of the offending event, when the problem is inside one. */
  event?: string;
  /** Dotted path of the offending field, e.g. "place.latitude". */
  field?: string;
  url?: string;
  cause?: unknown;
}

export class SourceError extends Error {
  readonly source: string;
  readonly kind: SourceErrorKind;
  readonly event: string | undefined;
  readonly field: string | undefined;
  readonly url: string | undefined;

  constructor(message: string, details: SourceErrorDetails) {
    const where = [
      `source "${details.source}"`,
      details.event !== undefined ? `event "${details.event}"` : "",
      details.field !== undefined ? `field "${details.field}"` : "",
    ]
      .filter(Boolean)
      .join(", ");
    super(`${where}: ${message}`, { cause: details.cause });
    this.name = "SourceError";
    this.source = details.source;
    this.kind = details.kind;
    this.event = details.event;
    this.field = details.field;
    this.url = details.url;
  }
}

/** "a.b.0.c" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}
