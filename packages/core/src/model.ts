/**
 * Domain records and the runtime schemas that validate what comes in at every boundary.
 * Field schemas carry no defaults so one definition serves create (defaults filled by
 * `withEventDefaults`) and partial update alike.
 */
import { z } from "zod";
import { CATEGORIES, type Category, DEFAULT_CATEGORY } from "./categories.ts";
import { parseRRule } from "./recurrence.ts";
import { isTimeZone } from "./time.ts";

export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export const EVENT_STATUSES = ["tentative", "confirmed", "cancelled", "postponed"] as const;
export const JOIN_MODES = ["free", "restricted", "invite", "external"] as const;
export const ROLES = ["user", "moderator", "admin"] as const;
export const ACCOUNT_STATES = ["active", "pending", "suspended"] as const;
export const REGISTRATION_MODES = ["open", "approval", "closed"] as const;
export const PARTICIPATION_STATES = [
  "awaiting_email",
  "awaiting_approval",
  "confirmed",
  "waitlisted",
  "rejected",
  "cancelled",
  /** Invited by the organizer (invite-only events); becomes confirmed when accepted. */
  "invited",
] as const;
export const PARTICIPATION_KINDS = ["anonymous", "identity", "remote"] as const;

export type Visibility = (typeof VISIBILITIES)[number];
export type EventStatus = (typeof EVENT_STATUSES)[number];
export type JoinMode = (typeof JOIN_MODES)[number];
export type Role = (typeof ROLES)[number];
export type AccountState = (typeof ACCOUNT_STATES)[number];
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];
export type ParticipationState = (typeof PARTICIPATION_STATES)[number];
export type ParticipationKind = (typeof PARTICIPATION_KINDS)[number];

/** Far enough for any real event, near enough that date arithmetic never overflows. */
export const MIN_DATE = Date.UTC(1970, 0, 1);
export const MAX_DATE = Date.UTC(2200, 0, 1);

// ---------------------------------------------------------------- field schemas

export const handleSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,30}$/, "use 1 to 30 lowercase letters, digits or underscores");

export const emailSchema = z.email("must be an email address").max(254).toLowerCase();

export const httpUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http or https URL" })
  .max(2000);

export const instantSchema = z.iso
  .datetime({ offset: true, error: "must be an RFC 3339 date-time with an offset or Z" })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= MIN_DATE && t < MAX_DATE;
  }, "must be between 1970 and 2200");

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris");

const plain = (max: number) => z.string().trim().max(max);

export const addressSchema = z
  .strictObject({
    venue: plain(200).optional(),
    street: plain(200).optional(),
    locality: plain(100).optional(),
    region: plain(100).optional(),
    postalCode: plain(20).optional(),
    country: plain(100).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .refine((a) => (a.latitude === undefined) === (a.longitude === undefined), {
    message: "give latitude and longitude together",
    path: ["latitude"],
  });

export const recurrenceSchema = z.strictObject({
  rrule: z
    .string()
    .max(500)
    .refine((r) => parseRRule(r).ok, "must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=TU"),
  exdates: z.array(instantSchema).max(500).optional(),
});

export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .transform((t) => normalizeTag(t))
  .refine((t) => t.length > 0, "must contain letters or digits");

export const bannerInputSchema = z.strictObject({
  /** Id returned by the upload endpoint; without it, the current image gets this `alt`. */
  uploadId: z
    .string()
    .regex(/^[a-z0-9]{8,40}$/, "must be an upload id")
    .optional(),
  alt: z.string().trim().min(1, "alt text is required").max(500),
});

/** A group's link to one of its tools: http(s) only (never javascript: or data:). */
export const groupResourceSchema = z.strictObject({
  title: z.string().trim().min(1, "is required").max(200),
  url: z
    .string()
    .max(2000)
    .url()
    // Runs even when .url() failed: never let a parse error escape as a 500.
    .refine(
      (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
      "must be an http(s) URL",
    ),
});

/** Every writable event field; none required, none defaulted. */
export const eventFieldsSchema = z.strictObject({
  title: z.string().trim().min(1, "is required").max(200),
  description: z.string().max(50_000),
  beginsAt: instantSchema,
  endsAt: instantSchema.nullable(),
  timezone: timeZoneSchema,
  allDay: z.boolean(),
  address: addressSchema.nullable(),
  onlineUrl: httpUrlSchema.nullable(),
  category: z.enum(CATEGORIES),
  tags: z.array(tagSchema).max(20),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as en or fr-CA"),
  banner: bannerInputSchema.nullable(),
  visibility: z.enum(VISIBILITIES),
  status: z.enum(EVENT_STATUSES),
  draft: z.boolean(),
  publishAt: instantSchema.nullable(),
  joinMode: z.enum(JOIN_MODES),
  externalUrl: httpUrlSchema.nullable(),
  capacity: z.int().min(0).max(1_000_000),
  groupId: z.string().max(40).nullable(),
  recurrence: recurrenceSchema.nullable(),
});

export const createEventSchema = eventFieldsSchema.partial().required({
  title: true,
  beginsAt: true,
  timezone: true,
});
export const updateEventSchema = eventFieldsSchema.partial();

export type EventFields = z.output<typeof eventFieldsSchema>;
export type CreateEventInput = z.output<typeof createEventSchema>;
export type UpdateEventInput = z.output<typeof updateEventSchema>;

export function withEventDefaults(input: CreateEventInput): EventFields {
  return {
    description: "",
    endsAt: null,
    allDay: false,
    address: null,
    onlineUrl: null,
    category: DEFAULT_CATEGORY,
    tags: [],
    language: "en",
    banner: null,
    visibility: "public",
    status: "confirmed",
    draft: false,
    publishAt: null,
    joinMode: "free",
    externalUrl: null,
    capacity: 0,
    groupId: null,
    recurrence: null,
    ...input,
  };
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "address.latitude". */
  path: string;
  message: string;
}

/** Rules that span several fields, checked on the merged event (after defaults or a patch). */
export function checkEventRules(e: EventFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const begin = Date.parse(e.beginsAt);
  if (e.endsAt !== null && Date.parse(e.endsAt) <= begin) {
    issues.push({ path: "endsAt", message: "must be after beginsAt" });
  }
  if (e.endsAt !== null && Date.parse(e.endsAt) - begin > 366 * 86_400_000) {
    issues.push({ path: "endsAt", message: "an event may last at most a year" });
  }
  if (e.joinMode === "external" && !e.externalUrl) {
    issues.push({ path: "externalUrl", message: "is required when joinMode is external" });
  }
  if (e.publishAt !== null && !e.draft && Date.parse(e.publishAt) > MAX_DATE) {
    issues.push({ path: "publishAt", message: "is too far in the future" });
  }
  return issues;
}

// ---------------------------------------------------------------- records

export interface Address {
  venue?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

export interface Recurrence {
  rrule: string;
  exdates: Date[];
}

export interface Banner {
  /** Path under the instance origin, e.g. "/media/abc123.jpg". */
  path: string;
  alt: string;
  width?: number;
  height?: number;
  mediaType: string;
}

export interface Account {
  id: string;
  email: string;
  role: Role;
  state: AccountState;
  createdAt: Date;
}

/** A public profile. Several belong to one account; nothing public links them. */
export interface Identity {
  id: string;
  accountId: string;
  handle: string;
  name: string;
  bio: string;
  /** Profile picture (uploaded, with its description); null when none. */
  avatar: Banner | null;
  createdAt: Date;
}

/** A link to one of a group's own tools (a pad, a chat, a drive…). */
export interface GroupResource {
  title: string;
  url: string;
}

export interface Group {
  id: string;
  handle: string;
  name: string;
  description: string;
  avatar: Banner | null;
  banner: Banner | null;
  resources: GroupResource[];
  /** Sites (origins) allowed to embed this group's RSVP forms. */
  embedOrigins: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface EventRecord {
  id: string;
  organizerId: string;
  groupId: string | null;
  title: string;
  description: string;
  beginsAt: Date;
  endsAt: Date | null;
  timezone: string;
  allDay: boolean;
  address: Address | null;
  onlineUrl: string | null;
  category: Category;
  tags: string[];
  language: string;
  banner: Banner | null;
  visibility: Visibility;
  status: EventStatus;
  draft: boolean;
  publishAt: Date | null;
  joinMode: JoinMode;
  externalUrl: string | null;
  capacity: number;
  recurrence: Recurrence | null;
  /** The organizer stopped taking RSVPs. */
  rsvpClosed: boolean;
  /** iCalendar SEQUENCE: bumped on every change attendees should hear about. */
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Participation {
  id: string;
  eventId: string;
  kind: ParticipationKind;
  state: ParticipationState;
  name: string;
  email: string | null;
  identityId: string | null;
  actorUrl: string | null;
  message: string;
  createdAt: Date;
}

export const participationInputSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  email: emailSchema,
  message: z.string().trim().max(1000).optional(),
});

// ---------------------------------------------------------------- helpers

/** Lowercase, accents kept, spaces to dashes, "#" dropped: "#Vélo Lyon" → "vélo-lyon". */
export function normalizeTag(tag: string): string {
  return tag
    .normalize("NFC")
    .replace(/^#+/, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
}

/** A published event visible to the public right now (drafts and scheduled ones are not). */
export function isPubliclyListed(e: EventRecord, now = new Date()): boolean {
  return e.visibility === "public" && !e.draft && (e.publishAt === null || e.publishAt <= now);
}

/** Whether an event is physical, online or both (schema.org eventAttendanceMode). */
export function attendanceMode(e: {
  address: Address | null;
  onlineUrl: string | null;
}): "offline" | "online" | "mixed" {
  if (e.onlineUrl && e.address) return "mixed";
  if (e.onlineUrl) return "online";
  return "offline";
}
