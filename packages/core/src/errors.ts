/**
 * Typed domain errors. The HTTP edge maps each kind once to an RFC 9457 problem; the
 * ActivityPub inbox maps them to its own answers.
 */
import type { FieldIssue } from "./model.ts";

export type DomainErrorKind =
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type";

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly issues: FieldIssue[];
  constructor(kind: DomainErrorKind, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.issues = issues;
  }
}

export const invalid = (message: string, issues: FieldIssue[] = []) =>
  new DomainError("validation", message, issues);
export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
export const forbidden = (message: string) => new DomainError("forbidden", message);
export const conflict = (message: string, issues: FieldIssue[] = []) =>
  new DomainError("conflict", message, issues);
