/**
 * Table shapes as the query layer sees them. Instants are integer milliseconds since the
 * epoch and booleans are 0/1 in both dialects, so every query is written once.
 */
import type { Generated } from "kysely";

export interface AccountsTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  state: string;
  created_at: number;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** One namespace for identity and group handles: both are `@handle@host` on the fediverse. */
export interface HandlesTable {
  handle: string;
  kind: string;
}

export interface IdentitiesTable {
  id: string;
  account_id: string;
  handle: string;
  name: string;
  bio: string;
  created_at: number;
}

export interface GroupsTable {
  id: string;
  handle: string;
  name: string;
  description: string;
  /** JSON array of origins allowed to embed this group's RSVP forms. */
  embed_origins: string;
  created_at: number;
  updated_at: number;
}

export interface GroupMembersTable {
  group_id: string;
  identity_id: string;
  role: string;
  created_at: number;
}

export interface EventsTable {
  id: string;
  organizer_id: string;
  group_id: string | null;
  title: string;
  description: string;
  begins_at: number;
  ends_at: number | null;
  /** End of the last occurrence; null for an endless recurrence. Equal to ends_at/begins_at otherwise. */
  last_ends_at: number | null;
  timezone: string;
  all_day: number;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  online_url: string | null;
  category: string;
  tags: string;
  language: string;
  banner: string | null;
  visibility: string;
  status: string;
  draft: number;
  publish_at: number | null;
  join_mode: string;
  external_url: string | null;
  capacity: number;
  rrule: string | null;
  exdates: string | null;
  sequence: number;
  rsvp_closed: number;
  /** Lowercased text for the `q` filter. */
  search: string;
  created_at: number;
  updated_at: number;
}

export interface EventTagsTable {
  event_id: string;
  tag: string;
}

export interface UploadsTable {
  id: string;
  account_id: string;
  file: string;
  media_type: string;
  size: number;
  width: number | null;
  height: number | null;
  created_at: number;
}

export interface ParticipationsTable {
  id: string;
  event_id: string;
  kind: string;
  state: string;
  name: string;
  email: string | null;
  identity_id: string | null;
  actor_url: string | null;
  message: string;
  created_at: number;
  confirm_token_hash: string | null;
  confirm_expires_at: number | null;
  manage_token_hash: string | null;
  language: string | null;
  return_url: string | null;
  /** Waitlist order: when the person joined the waitlist. */
  queued_at: number | null;
  updated_at: number | null;
}

export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  handles: HandlesTable;
  identities: IdentitiesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  events: EventsTable;
  event_tags: EventTagsTable;
  uploads: UploadsTable;
  participations: ParticipationsTable;
  settings: SettingsTable;
  outbox: OutboxTable;
  eventail_migrations: MigrationsTable;
}

export type { Generated };
