/**
 * Site-authored events: a Markdown file whose front matter holds the event's fields (the API's
 * own names) and whose body is its description. The schema is exported so an Astro content
 * collection over the same folder validates exactly what will be published.
 */
import {
  type CreateEventInput,
  checkEventRules,
  createEventSchema,
  type FieldIssue,
  isTimeZone,
  startOfLocalDay,
  toZonedIso,
  withEventDefaults,
} from "@eventail/core";
import { sanitizeDescription } from "@eventail/core/sanitize";
import { z } from "zod";

/** YAML gives a Date for unquoted timestamps (Astro's parser) or a string (ours): take both. */
const dateLike = z.union([z.string(), z.date()]);

/**
 * Front matter of an event file. Fields not listed (layout, permalink…) are left to the site
 * generator; `group` is a group handle, resolved to its id when publishing; `publish: false`
 * keeps a file off the server.
 */
export const eventFrontMatterSchema = z.object({
  title: z.string(),
  beginsAt: dateLike,
  endsAt: dateLike.nullish(),
  timezone: z.string(),
  allDay: z.boolean().optional(),
  address: z.record(z.string(), z.unknown()).nullish(),
  onlineUrl: z.string().nullish(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  language: z.string().optional(),
  visibility: z.string().optional(),
  status: z.string().optional(),
  draft: z.boolean().optional(),
  publishAt: dateLike.nullish(),
  joinMode: z.string().optional(),
  externalUrl: z.string().nullish(),
  capacity: z.number().optional(),
  recurrence: z.record(z.string(), z.unknown()).nullish(),
  group: z.string().nullish(),
  slug: z.string().optional(),
  publish: z.boolean().optional(),
});
export type EventFrontMatter = z.output<typeof eventFrontMatterSchema>;

/** A local event ready to send, or the reasons it cannot be. */
export type ParsedEvent =
  | { ok: true; body: CreateEventInput; group: string | null }
  | { ok: false; issues: FieldIssue[] };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A front-matter date as RFC 3339; a bare date is midnight of that day in `zone`. */
function instant(value: string | Date, zone: string, allDay: boolean): string {
  if (value instanceof Date) {
    // A YAML date without time parses as UTC midnight: keep its calendar day for all-day events.
    if (allDay) return instant(value.toISOString().slice(0, 10), zone, true);
    return value.toISOString();
  }
  if (DATE_ONLY.test(value) && isTimeZone(zone))
    return toZonedIso(startOfLocalDay(value, zone), zone);
  return value;
}

/** One readable issue per field (zod may report a field twice, e.g. format then range). */
function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const out = new Map<string, string>();
  for (const i of issues) {
    const path = i.path.join(".") || "(front matter)";
    const missing = i.code === "invalid_type" && /received undefined/.test(i.message);
    if (!out.has(path)) out.set(path, missing ? "is required" : i.message);
  }
  return [...out].map(([path, message]) => ({ path, message }));
}

/** Front matter plus rendered description → the API's create body, checked like the server does. */
export function toCreateBody(frontMatter: unknown, descriptionHtml: string): ParsedEvent {
  const fm = eventFrontMatterSchema.safeParse(frontMatter);
  if (!fm.success) return { ok: false, issues: fieldIssues(fm.error.issues) };
  const d = fm.data;
  const allDay = d.allDay ?? false;
  const candidate: Record<string, unknown> = {
    title: d.title,
    description: sanitizeDescription(descriptionHtml),
    beginsAt: instant(d.beginsAt, d.timezone, allDay),
    endsAt: d.endsAt ? instant(d.endsAt, d.timezone, allDay) : null,
    timezone: d.timezone,
    allDay,
    address: d.address ?? null,
    onlineUrl: d.onlineUrl ?? null,
    ...(d.category ? { category: d.category.toUpperCase() } : {}),
    tags: d.tags ?? [],
    ...(d.language ? { language: d.language } : {}),
    ...(d.visibility ? { visibility: d.visibility } : {}),
    ...(d.status ? { status: d.status } : {}),
    draft: d.draft ?? false,
    publishAt: d.publishAt ? instant(d.publishAt, d.timezone, false) : null,
    ...(d.joinMode ? { joinMode: d.joinMode } : {}),
    externalUrl: d.externalUrl ?? null,
    capacity: d.capacity ?? 0,
    recurrence: d.recurrence ?? null,
  };
  const parsed = createEventSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error.issues) };
  const rules = checkEventRules(withEventDefaults(parsed.data));
  if (rules.length) return { ok: false, issues: rules };
  return { ok: true, body: parsed.data, group: d.group ?? null };
}
