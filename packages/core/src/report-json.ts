/** A moderation report as the admin API returns it (server) and the console shows it. */
export interface ReportJson {
  id: string;
  /** "local": filed by an account here; "remote": a `Flag` from another instance. */
  source: "local" | "remote";
  reporter: string | null;
  originHost: string | null;
  target: { kind: string; id: string; label: string; url: string | null };
  reason: string;
  state: "open" | "resolved";
  resolution: string;
  createdAt: string;
  resolvedAt: string | null;
}
