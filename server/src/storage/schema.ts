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

export interface ReportsTable {
  id: string;
  source: "local" | "remote" | "public";
  reporter_account_id: string | null;
  reporter_actor: string | null;
  origin_host: string | null;
  activity_id: string | null;
  target_kind: "event" | "comment" | "identity" | "group" | "remote";
  target_id: string;
  target_label: string;
  reason: string;
  state: "open" | "resolved";
  resolution: string;
  resolved_by: string | null;
  created_at: number;
  resolved_at: number | null;
  forwarded_to: string | null;
  forwarded_at: number | null;
  category: string;
  reporter_email: string | null;
}

export interface SuspendedActorsTable {
  actor: string;
  host: string;
  reason: string;
  created_at: number;
}

export interface PasswordResetsTable {
  token_hash: string;
  account_id: string;
  expires_at: number;
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
  /** JSON of a Banner (path under /media, alt, type, size) or null (migration 9). */
  avatar: string | null;
  created_at: number;
}

export interface GroupsTable {
  id: string;
  handle: string;
  name: string;
  description: string;
  /** JSON array of origins allowed to embed this group's RSVP forms. */
  embed_origins: string;
  /** JSON of a Banner, or null (also `banner`). */
  avatar: string | null;
  banner: string | null;
  /** JSON array of { title, url }. */
  resources: string;
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
  /**
   * The local organizer. Null (since migration 3) for remote events received over
   * ActivityPub, whose origin is in `remote_events`; typed as string because every code path
   * that reads it either handles a missing organizer or only sees local events.
   */
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

/**
 * An event write whose followers have not been told yet, recorded in the write's own
 * transaction (a transactional outbox): deleted once federation took it, replayed if the
 * process died in between.
 */
export interface EventChangesTable {
  id: string;
  event_id: string;
  kind: "created" | "updated" | "deleted";
  /** JSON of the event's EventRef before the write; null for a creation. */
  before: string | null;
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

// ---------------------------------------------------------------- federation (migration 3)

export interface FedifyKvTable {
  /** JSON of the key (a string array). */
  key: string;
  /** JSON of the value. */
  value: string;
  expires_at: number | null;
}

export interface FedifyQueueTable {
  id: string;
  /** "inbox", "outbox" or "fanout". */
  queue: string;
  /** Enqueue order (milliseconds × 1000 + a per-process counter). */
  seq: number;
  /** JSON of the message. */
  message: string;
  ordering_key: string | null;
  /** Host of the target inbox (outbox messages): the per-host concurrency limit applies to it. */
  host: string | null;
  available_at: number;
  /** Lease: a worker owns the message until then. */
  locked_until: number | null;
  locked_by: string | null;
  attempts: number;
  created_at: number;
}

export interface ActorKeysTable {
  /** Local actor identifier: a handle, or "relay" for the instance actor. */
  actor: string;
  rsa_public: string;
  rsa_private: string;
  ed25519_public: string;
  ed25519_private: string;
  created_at: number;
}

export interface ApFollowersTable {
  actor: string;
  follower: string;
  follow_id: string | null;
  inbox: string;
  shared_inbox: string | null;
  host: string;
  created_at: number;
}

export interface ApFollowingTable {
  id: string;
  actor: string;
  target: string;
  target_host: string;
  /** "pending", "accepted" or "rejected". */
  state: string;
  created_at: number;
  updated_at: number;
}

export interface RemoteActorsTable {
  url: string;
  type: string;
  handle: string;
  name: string;
  page_url: string;
  inbox: string | null;
  shared_inbox: string | null;
  host: string;
  updated_at: number;
}

export interface RemoteEventsTable {
  event_id: string;
  ap_id: string;
  actor: string;
  attributed_to: string | null;
  host: string;
  url: string;
  /** JSON ActorRef. */
  organizer: string;
  /** JSON ActorRef or null. */
  group_ref: string | null;
  participant_count: number;
  raw: string;
  received_at: number;
  updated_at: number;
}

export interface ApRsvpsTable {
  id: string;
  identity_id: string;
  event_id: string;
  /** "pending", "accepted", "rejected", "cancelled". */
  state: string;
  created_at: number;
  updated_at: number;
}

export interface CommentsTable {
  id: string;
  event_id: string;
  /** ActivityPub id: the remote Note's, or our own URL for local comments. */
  ap_id: string;
  author_identity_id: string | null;
  author_actor: string | null;
  author_name: string;
  author_url: string;
  /** Origin host of a remote comment; null for local ones. */
  host: string | null;
  /** Sanitized HTML. */
  content: string;
  /** "published" or "pending" (moderated events). */
  state: string;
  created_at: number;
  updated_at: number;
}

export interface EventCommentPoliciesTable {
  event_id: string;
  /** "open", "moderated" or "closed". */
  policy: string;
}

export interface InstancePoliciesTable {
  host: string;
  /** "block", "limit" or "allow". */
  level: string;
  reason: string;
  created_at: number;
}

export interface ApFollowRequestsTable {
  actor: string;
  follower: string;
  follow_id: string;
  inbox: string;
  shared_inbox: string | null;
  host: string;
  created_at: number;
}

export interface ApBlockedFollowersTable {
  actor: string;
  follower: string;
  created_at: number;
}

export interface ApActorSettingsTable {
  actor: string;
  manual_approval: number;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  reports: ReportsTable;
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
  event_changes: EventChangesTable;
  eventail_migrations: MigrationsTable;
  fedify_kv: FedifyKvTable;
  fedify_queue: FedifyQueueTable;
  actor_keys: ActorKeysTable;
  ap_followers: ApFollowersTable;
  ap_following: ApFollowingTable;
  remote_actors: RemoteActorsTable;
  remote_events: RemoteEventsTable;
  ap_rsvps: ApRsvpsTable;
  comments: CommentsTable;
  event_comment_policies: EventCommentPoliciesTable;
  instance_policies: InstancePoliciesTable;
  suspended_actors: SuspendedActorsTable;
  ap_follow_requests: ApFollowRequestsTable;
  ap_blocked_followers: ApBlockedFollowersTable;
  ap_actor_settings: ApActorSettingsTable;
}

export type { Generated };
