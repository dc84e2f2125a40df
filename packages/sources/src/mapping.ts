/** Helpers every adapter uses to turn a peer's record into a valid `EventJson`. */
import {
  type AddressJson,
  type EventJson,
  escapeXml,
  eventJsonSchema,
  isTimeZone,
  toZonedIso,
} from "@eventail/core";
import type { z } from "zod";
import { fieldPath, SourceError } from "./errors.ts";
import type { SourceOptions, SourceRun } from "./source.ts";

/** Parses one raw record; a mismatch names the source, the event and the field. */
export function parseRecord<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  source: string,
  eventId: string | undefined,
): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new SourceError(issue.message, {
    source,
    kind: "invalid",
    field: fieldPath(issue.path) || "(record)",
    ...(eventId !== undefined ? { event: eventId } : {}),
  });
}

/** Final check of a mapped event against the public shape, so no adapter hands out junk. */
export function checkEvent(e: EventJson, source: string): EventJson {
  return parseRecord(eventJsonSchema, e, source, e.id) as EventJson;
}

/** A raw record's id for error messages, before it is known to be valid. */
export function rawId(raw: unknown, ...keys: string[]): string | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  for (const k of keys) {
    const v = (raw as Record<string, unknown>)[k];
    if (typeof v === "string" || typeof v === "number") return String(v);
  }
  return undefined;
}

/**
 * Maps every raw record, applying the source's `onInvalidEvent` policy: by default the first
 * invalid record stops the import; with "skip" it is reported and left out.
 */
export function mapAll<T>(
  raws: readonly T[],
  map: (raw: T) => EventJson | null,
  options: SourceOptions,
  run: SourceRun,
): EventJson[] {
  const out: EventJson[] = [];
  for (const raw of raws) {
    try {
      const e = map(raw);
      if (e) out.push(e);
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind !== "invalid") throw err;
      if (options.onInvalidEvent !== "skip") throw err;
      run.warn(`skipped: ${err.message}`);
    }
  }
  return out;
}

/** The first candidate that is an IANA zone this runtime knows. */
export function pickZone(...candidates: Array<string | null | undefined>): string | undefined {
  return candidates.find((z): z is string => typeof z === "string" && isTimeZone(z));
}

/**
 * A zone that shows the wall clock of a timestamp's own offset when no IANA zone is known:
 * "+01:00" → "Etc/GMT-1" (POSIX signs are inverted). Whole hours only; otherwise UTC.
 */
export function zoneOfOffset(iso: string): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (m?.[3] !== "00") return "UTC";
  const hours = Number(m[2]);
  if (hours === 0 || hours > 14) return "UTC";
  return `Etc/GMT${m[1] === "+" ? "-" : "+"}${hours}`;
}

/** RFC 3339 in `zone` from anything Date can read; throws a field error when unreadable. */
export function zoned(
  value: string | number | Date,
  zone: string,
  ctx: { source: string; event: string; field: string },
): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new SourceError(`not a date: ${String(value)}`, { ...ctx, kind: "invalid" });
  return toZonedIso(d, zone);
}

export function isoUtc(value: string | number | Date | null | undefined, fallback: string): string {
  if (value === null || value === undefined) return fallback;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString();
}

const MEDIA_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
};

/** Media type guessed from a URL's extension (peers often leave it out). */
export function mediaTypeOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? "";
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && MEDIA_TYPES[ext]) ?? "image/jpeg";
}

/** Plain text (iCalendar DESCRIPTION) as HTML paragraphs, ready for the sanitizer. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter(Boolean)
    .map((p) => `<p>${escapeXml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** Drops empty parts; null when nothing is left. */
export function compactAddress(a: AddressJson): AddressJson | null {
  const out: AddressJson = {};
  for (const key of ["venue", "street", "locality", "region", "postalCode", "country"] as const) {
    const v = a[key]?.trim();
    if (v) out[key] = v;
  }
  if (
    typeof a.latitude === "number" &&
    typeof a.longitude === "number" &&
    Number.isFinite(a.latitude) &&
    Number.isFinite(a.longitude)
  ) {
    out.latitude = a.latitude;
    out.longitude = a.longitude;
  }
  return Object.keys(out).length ? out : null;
}

export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** "https://a.example/x" → "a.example"; used for default source names and handles. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
