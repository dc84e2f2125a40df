/** A moderation report as the admin API returns it (server) and the console shows it. */
export interface ReportJson {
  id: string;
  /**
   * "local": filed by an account here; "remote": a `Flag` from another instance; "public":
   * filed from a public page by a visitor (maybe anonymous).
   */
  source: "local" | "remote" | "public";
  reporter: string | null;
  /** The email a public reporter left, for the moderators only (never shown publicly). */
  reporterEmail: string | null;
  originHost: string | null;
  target: { kind: string; id: string; label: string; url: string | null };
  /** A category chosen on the public form (spam, abuse, illegal, other), or "". */
  category: string;
  reason: string;
  /**
   * The remote actor behind the target (the publisher of a remote event, the author of a
   * remote comment), which moderators may suspend or forward the report to; null otherwise.
   */
  remoteActor: string | null;
  /** The instance the report was forwarded to (a `Flag` from this instance), and when. */
  forwardedTo: string | null;
  forwardedAt: string | null;
  state: "open" | "resolved";
  resolution: string;
  createdAt: string;
  resolvedAt: string | null;
}
