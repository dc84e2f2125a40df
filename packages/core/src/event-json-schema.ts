/**
 * Runtime schema of `EventJson` (json.ts), for code that receives event JSON from outside:
 * static-site loaders validating what a server sent, and content collections typing it.
 * Lenient where peers differ (lengths, unknown extra fields are stripped) and strict where a
 * wrong value would break a mapping (instants with offsets, IANA zones, enums).
 */
import { z } from "zod";
import { CATEGORIES } from "./categories.ts";
import type { EventJson } from "./json.ts";
import { EVENT_STATUSES, JOIN_MODES, VISIBILITIES } from "./model.ts";
import { isTimeZone } from "./time.ts";

const instant = z.iso.datetime({ offset: true, error: "must be an RFC 3339 date-time" });

/** Links end up in href and src attributes: only http(s), never javascript: or data:. */
const webUrl = z.url({ protocol: /^https?$/, error: "must be an http or https URL" });

export const addressJsonSchema = z.object({
  venue: z.string().optional(),
  street: z.string().optional(),
  locality: z.string().optional(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});

export const actorRefSchema = z.object({
  id: z.string(),
  handle: z.string(),
  name: z.string(),
  url: webUrl,
});

export const eventJsonSchema = z.object({
  id: z.string().min(1),
  url: webUrl,
  icsUrl: webUrl,
  title: z.string().min(1, "is required"),
  description: z.string(),
  beginsAt: instant,
  endsAt: instant.nullable(),
  timezone: z.string().refine(isTimeZone, "must be an IANA time zone"),
  allDay: z.boolean(),
  attendanceMode: z.enum(["offline", "online", "mixed"]),
  address: addressJsonSchema.nullable(),
  onlineUrl: webUrl.nullable(),
  category: z.enum(CATEGORIES),
  tags: z.array(z.string()),
  language: z.string(),
  banner: z
    .object({
      url: webUrl,
      alt: z.string(),
      mediaType: z.string(),
      width: z.number().optional(),
      height: z.number().optional(),
    })
    .nullable(),
  visibility: z.enum(VISIBILITIES),
  status: z.enum(EVENT_STATUSES),
  draft: z.boolean(),
  publishAt: instant.nullable(),
  joinMode: z.enum(JOIN_MODES),
  externalUrl: webUrl.nullable(),
  capacity: z.number().int().min(0),
  participantCount: z.number().int().min(0),
  rsvpOpen: z.boolean(),
  remainingCapacity: z.number().int().min(0).nullable(),
  organizer: actorRefSchema,
  group: actorRefSchema.nullable(),
  recurrence: z.object({ rrule: z.string(), exdates: z.array(z.string()) }).nullable(),
  occurrence: z.string().optional(),
  sequence: z.number().int().min(0),
  createdAt: instant,
  updatedAt: instant,
});

// Compile-time guard: the schema's output must stay assignable to the interface it mirrors.
type Check<T extends EventJson> = T;
export type EventJsonFromSchema = Check<z.output<typeof eventJsonSchema>>;
