/** Instance administration: settings, accounts, federation (follows and instance policies). */

import type { ReportJson } from "@eventail/client";
import { html, nothing, type PropertyDeclarations } from "lit";
import type { Account } from "./api.ts";
import { ConsoleView, define, formValues } from "./view.ts";

interface Settings {
  name: string;
  description: string;
  registration: string;
  embedOrigins: string[];
  rules: string;
  moderationPolicy: string;
}

export class ConsoleSettings extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    settings: { state: true },
  };
  declare settings: Settings | null;

  constructor() {
    super();
    this.settings = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      this.settings = await this.api.get<Settings>("/api/v1/admin/settings");
    });
  }

  override render() {
    const t = this.t;
    const s = this.settings;
    return html`<h1 tabindex="-1">${t.settings}</h1>
      ${this.status()}
      ${
        s
          ? html`<form @submit=${this.#save}>
            ${this.input("name", t.instanceName, s.name, { required: true })}
            ${this.textarea("description", t.instanceDescription, s.description)}
            ${this.select("registration", t.registration, s.registration, Object.entries(t.registrations))}
            ${this.textarea("embedOrigins", t.embedOrigins, s.embedOrigins.join("\n"), {
              hint: t.embedOriginsHint,
            })}
            ${this.textarea("rules", t.rules, s.rules ?? "", { hint: t.publicPlainHint })}
            ${this.textarea("moderationPolicy", t.moderationPolicy, s.moderationPolicy ?? "", {
              hint: t.publicPlainHint,
            })}
            <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.save}</button></div>
          </form>`
          : nothing
      }
      <h2>${t.email}</h2>
      <p>${t.smtpTestIntro}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${this.#smtpTest} ?disabled=${this.busy}>
          ${t.smtpTest}
        </button>
      </div>
      <h2 id="announce">${t.announcement}</h2>
      <form aria-labelledby="announce" @submit=${this.#announce}>
        ${this.input("subject", t.subject, "", { required: true })}
        ${this.textarea("body", t.message, "")}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.sendToAll}</button></div>
      </form>`;
  }

  async #smtpTest() {
    const out = await this.run(() =>
      this.api.request<{ transport: string }>("POST", "/api/v1/admin/smtp-test"),
    );
    if (out) this.notice = this.t.smtpTestSent(this.me.account.email, out.transport);
  }

  async #announce(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    if (!confirm(this.t.confirmAnnouncement)) return;
    const out = await this.run(() =>
      this.api.request<{ sent: number }>("POST", "/api/v1/admin/announcements", {
        subject: v.subject ?? "",
        body: v.body ?? "",
      }),
    );
    if (out) {
      form.reset();
      this.notice = this.t.announced(out.sent);
    }
  }

  async #save(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const out = await this.run(
      () =>
        this.api.request<Settings>("PATCH", "/api/v1/admin/settings", {
          name: v.name,
          description: v.description ?? "",
          registration: v.registration,
          embedOrigins: (v.embedOrigins ?? "")
            .split(/\s+/)
            .map((o) => o.trim())
            .filter(Boolean),
          rules: v.rules ?? "",
          moderationPolicy: v.moderationPolicy ?? "",
        }),
      this.t.saved,
    );
    if (out) this.settings = out;
  }
}

export class ConsoleUsers extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    accounts: { state: true },
    query: { state: true },
    next: { state: true },
  };
  declare accounts: Account[] | null;
  /** The search the list shows (the server matches email, identity handle or name). */
  declare query: string;
  /** Offset of the next page, or null. */
  declare next: number | null;

  constructor() {
    super();
    this.accounts = null;
    this.query = "";
    this.next = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(notice = "", more = false) {
    await this.run(async () => {
      const offset = more && this.next !== null ? this.next : 0;
      const page = await this.api.get<{ items: Account[]; next: number | null }>(
        `/api/v1/admin/accounts?q=${encodeURIComponent(this.query)}&limit=100&offset=${offset}`,
      );
      this.accounts = more ? [...(this.accounts ?? []), ...page.items] : page.items;
      this.next = page.next;
    }, notice);
  }

  override render() {
    const t = this.t;
    const shown = this.accounts ?? [];
    return html`<h1 tabindex="-1">${t.users}</h1>
      ${this.status()}
      <form role="search" aria-label=${t.searchUsers} @submit=${this.#search}>
        <div class="field">
          <label for="search">${t.searchUsers}</label>
          <input id="search" name="search" type="search" maxlength="200" .value=${this.query} />
        </div>
        <div class="actions">
          <button type="submit" class="secondary" ?disabled=${this.busy}>${t.search}</button>
        </div>
      </form>
      ${
        this.accounts && shown.length === 0
          ? html`<p>${t.noAccounts}</p>`
          : html`<div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t.users}</caption>
          <thead>
            <tr>
              <th scope="col">${t.email}</th>
              <th scope="col">${t.role}</th>
              <th scope="col">${t.accountState}</th>
              <th scope="col">${t.createdAt}</th>
              <th scope="col">${t.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map((a) => this.#row(a))}
          </tbody>
        </table>
      </div>`
      }
      ${
        this.next !== null
          ? html`<div class="actions">
            <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.#load("", true)}>
              ${t.showMore}
            </button>
          </div>`
          : nothing
      }`;
  }

  async #search(e: SubmitEvent) {
    e.preventDefault();
    this.query = (formValues(e.target as HTMLFormElement).search ?? "").trim();
    await this.#load();
  }

  #row(a: Account) {
    const t = this.t;
    const self = a.id === this.me.account.id;
    return html`<tr>
      <td>${a.email}</td>
      <td>
        <label class="visually-hidden" for="role-${a.id}">${t.role} ${a.email}</label>
        <select
          id="role-${a.id}"
          ?disabled=${self || this.busy}
          @change=${(e: Event) => this.#patch(a, { role: (e.target as HTMLSelectElement).value })}
        >
          ${["user", "moderator", "admin"].map(
            (r) => html`<option value=${r} ?selected=${a.role === r}>${t.roles[r]}</option>`,
          )}
        </select>
      </td>
      <td>${t.accountStates[a.state]}</td>
      <td>${new Date(a.createdAt).toLocaleDateString(document.documentElement.lang || "en")}</td>
      <td class="actions">
        ${
          self
            ? nothing
            : a.state === "active"
              ? html`<button type="button" class="danger" @click=${() => this.#patch(a, { state: "suspended" })}>
                  ${t.suspend}<span class="visually-hidden"> ${a.email}</span>
                </button>`
              : html`<button type="button" @click=${() => this.#patch(a, { state: "active" })}>
                  ${t.reactivate}<span class="visually-hidden"> ${a.email}</span>
                </button>`
        }
      </td>
    </tr>`;
  }

  async #patch(a: Account, body: Record<string, string>) {
    const ok = await this.run(() =>
      this.api.request("PATCH", `/api/v1/admin/accounts/${a.id}`, body),
    );
    if (ok) await this.#load(this.t.saved);
  }
}

interface Follow {
  id: string;
  target: string;
  state: string;
  createdAt: string;
}

interface Policy {
  host: string;
  level: string;
  reason: string;
  createdAt: string;
}

export class ConsoleFederation extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    follows: { state: true },
    followers: { state: true },
    policies: { state: true },
    mode: { state: true },
    suspended: { state: true },
  };
  /** Remote actors suspended instance-wide (usually from a report). */
  declare suspended: { actor: string; host: string; reason: string }[] | null;
  declare follows: Follow[] | null;
  /** Who follows this instance's relay: other instances and people. */
  declare followers: { actor: string; host: string }[] | null;
  declare policies: Policy[] | null;
  declare mode: string;

  constructor() {
    super();
    this.follows = null;
    this.followers = null;
    this.policies = null;
    this.mode = "";
    this.suspended = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(notice = "") {
    const admin = this.me.account.role === "admin";
    await this.run(async () => {
      const [follows, followers, policies, suspended] = await Promise.all([
        admin
          ? this.api.get<{ items: Follow[] }>("/api/v1/federation/follows?as=relay")
          : { items: [] },
        admin
          ? this.api.get<{ items: { actor: string; host: string }[] }>(
              "/api/v1/federation/followers?as=relay",
            )
          : { items: [] },
        this.api.get<{ mode: string; items: Policy[] }>("/api/v1/admin/federation/instances"),
        this.api.get<{ items: { actor: string; host: string; reason: string }[] }>(
          "/api/v1/admin/federation/suspended-actors",
        ),
      ]);
      this.suspended = suspended.items;
      this.follows = follows.items;
      this.followers = followers.items;
      this.policies = policies.items;
      this.mode = policies.mode;
    }, notice);
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.federation}</h1>
      ${this.status()}
      ${this.mode ? html`<p>${t.federationMode(this.mode)}</p>` : nothing}
      <h2 id="policies">${t.policies}</h2>
      <form aria-labelledby="policies" @submit=${this.#setPolicy}>
        <div class="row">
          ${this.input("host", t.host, "", { required: true })}
          ${this.select("level", t.level, "block", Object.entries(t.levels))}
        </div>
        ${this.input("reason", t.reason, "")}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.apply}</button></div>
      </form>
      ${
        this.policies?.length
          ? html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">${t.policies}</caption>
              <thead>
                <tr>
                  <th scope="col">${t.host}</th>
                  <th scope="col">${t.level}</th>
                  <th scope="col">${t.reason}</th>
                  <th scope="col">${t.actions}</th>
                </tr>
              </thead>
              <tbody>
                ${this.policies.map(
                  (p) => html`<tr>
                    <td>${p.host}</td>
                    <td>${t.levels[p.level] ?? p.level}</td>
                    <td>${p.reason}</td>
                    <td>
                      <button type="button" class="secondary" @click=${() => this.#lift(p.host)}>
                        ${t.lift}<span class="visually-hidden"> ${p.host}</span>
                      </button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
          : this.policies
            ? html`<p>${t.noPolicies}</p>`
            : nothing
      }
      <h2 id="suspended">${t.suspendedActors}</h2>
      <form aria-labelledby="suspended" @submit=${this.#suspend}>
        ${this.input("actor", t.actorUrl, "", { required: true, type: "url" })}
        ${this.input("suspendReason", t.reason, "")}
        <div class="actions">
          <button type="submit" class="danger" ?disabled=${this.busy}>${t.suspendActor}</button>
        </div>
      </form>
      ${
        this.suspended?.length
          ? html`<ul class="cards">
            ${this.suspended.map(
              (a) => html`<li>
                <span class="card-title">${a.actor}</span>
                ${a.reason ? html`<span class="muted">${a.reason}</span>` : nothing}
                <div class="actions">
                  <button type="button" class="secondary" @click=${() => this.#unsuspend(a.actor)}>
                    ${t.lift}<span class="visually-hidden"> ${a.actor}</span>
                  </button>
                </div>
              </li>`,
            )}
          </ul>`
          : this.suspended
            ? html`<p>${t.noSuspendedActors}</p>`
            : nothing
      }
      <h2 id="purge">${t.purgeTitle}</h2>
      <p>${t.purgeIntro}</p>
      <form aria-labelledby="purge" @submit=${this.#purge}>
        ${this.input("purgeHost", t.host, "", { required: true })}
        <div class="actions">
          <button type="submit" class="danger" ?disabled=${this.busy}>${t.purgeContent}</button>
        </div>
      </form>
      ${this.me.account.role === "admin" ? this.#followsSection() : nothing}`;
  }

  async #suspend(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    if (!confirm(this.t.confirmSuspendActor(v.actor ?? ""))) return;
    const out = await this.run(() =>
      this.api.request<{ purged: Record<string, number> }>(
        "POST",
        "/api/v1/admin/federation/suspended-actors",
        { actor: v.actor ?? "", reason: v.suspendReason ?? "" },
      ),
    );
    if (out) {
      form.reset();
      await this.#load(this.t.purgedDetail(out.purged));
    }
  }

  async #unsuspend(actor: string) {
    const ok = await this.run(() =>
      this.api
        .request(
          "DELETE",
          `/api/v1/admin/federation/suspended-actors?actor=${encodeURIComponent(actor)}`,
        )
        .then(() => true),
    );
    if (ok) await this.#load(this.t.saved);
  }

  async #purge(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const host = (formValues(form).purgeHost ?? "").trim();
    if (!host || !confirm(this.t.confirmPurge(host))) return;
    const out = await this.run(() =>
      this.api.request<{ purged: Record<string, number> }>(
        "POST",
        `/api/v1/admin/federation/instances/${encodeURIComponent(host)}/purge`,
      ),
    );
    if (out) {
      form.reset();
      this.notice = this.t.purgedDetail(out.purged);
    }
  }

  #followsSection() {
    const t = this.t;
    return html`<h2 id="follows">${t.follows}</h2>
      <form aria-labelledby="follows" @submit=${this.#follow}>
        ${this.input("target", t.followTarget, "", { required: true })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.follow}</button></div>
      </form>
      ${
        this.follows?.length
          ? html`<ul class="cards">
            ${this.follows.map(
              (f) => html`<li>
                <span class="card-title">${f.target}</span>
                <span class="muted">${f.state}</span>
                <div class="actions">
                  <button type="button" class="secondary" @click=${() => this.#unfollow(f.target)}>
                    ${t.unfollow}<span class="visually-hidden"> ${f.target}</span>
                  </button>
                </div>
              </li>`,
            )}
          </ul>`
          : html`<p>${t.noFollows}</p>`
      }
      <h2>${t.followers}</h2>
      ${this.followers ? this.followerList("relay", this.followers, () => this.#load()) : nothing}`;
  }

  async #setPolicy(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const out = await this.run(() =>
      this.api.request<{ purged: Record<string, number> }>(
        "PUT",
        `/api/v1/admin/federation/instances/${encodeURIComponent(v.host ?? "")}`,
        { level: v.level, reason: v.reason ?? "" },
      ),
    );
    if (out) {
      form.reset();
      const n = Object.values(out.purged ?? {}).reduce((a, b) => a + (Number(b) || 0), 0);
      await this.#load(`${this.t.saved} ${this.t.purged(n)}`);
    }
  }

  async #lift(host: string) {
    const ok = await this.run(() =>
      this.api
        .request("DELETE", `/api/v1/admin/federation/instances/${encodeURIComponent(host)}`)
        .then(() => true),
    );
    if (ok) await this.#load(this.t.saved);
  }

  async #follow(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const ok = await this.run(() =>
      this.api.request("POST", "/api/v1/federation/follows", { target: v.target, as: "relay" }),
    );
    if (ok) {
      form.reset();
      await this.#load(this.t.saved);
    }
  }

  async #unfollow(target: string) {
    const ok = await this.run(() =>
      this.api
        .request(
          "DELETE",
          `/api/v1/federation/follows?as=relay&target=${encodeURIComponent(target)}`,
        )
        .then(() => true),
    );
    if (ok) await this.#load(this.t.saved);
  }
}

define("ev-console-settings", ConsoleSettings);
define("ev-console-users", ConsoleUsers);
define("ev-console-federation", ConsoleFederation);

/** Reports from local accounts and other instances (Flag), for moderators to resolve. */
export class ConsoleReports extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    reports: { state: true },
    showing: { state: true },
  };
  declare reports: ReportJson[] | null;
  declare showing: "open" | "resolved";

  constructor() {
    super();
    this.reports = null;
    this.showing = "open";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(notice = "") {
    await this.run(async () => {
      this.reports = (
        await this.api.get<{ items: ReportJson[] }>(`/api/v1/admin/reports?state=${this.showing}`)
      ).items;
    }, notice);
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.reports}</h1>
      ${this.status()}
      <div class="field">
        <label for="showing">${t.state}</label>
        <select
          id="showing"
          @change=${(e: Event) => {
            this.showing =
              (e.target as HTMLSelectElement).value === "resolved" ? "resolved" : "open";
            void this.#load();
          }}
        >
          <option value="open" ?selected=${this.showing === "open"}>${t.reportStates.open}</option>
          <option value="resolved" ?selected=${this.showing === "resolved"}>${t.reportStates.resolved}</option>
        </select>
      </div>
      ${
        this.reports === null
          ? nothing
          : this.reports.length === 0
            ? html`<p>${t.noReports}</p>`
            : html`<ul class="cards">
              ${this.reports.map((r) => this.#report(r))}
            </ul>`
      }`;
  }

  #report(r: ReportJson) {
    const t = this.t;
    const suspendable =
      !r.remoteActor && (r.target.kind === "identity" || r.target.kind === "event");
    const remoteHost = r.remoteActor ? new URL(r.remoteActor).host : "";
    const label = `${t.reportKinds[r.target.kind] ?? r.target.kind}: ${r.target.label}`;
    return html`<li>
      <span class="card-title">
        ${r.target.url ? html`<a href=${r.target.url}>${label}</a>` : label}
      </span>
      <span class="muted">
        ${
          r.source === "remote"
            ? t.fromInstance(r.originHost ?? "?")
            : r.source === "public"
              ? t.fromPublic
              : t.fromLocal
        } ·
        ${new Date(r.createdAt).toLocaleString(document.documentElement.lang || "en")}
      </span>
      ${r.category ? html`<span>${t.reportCategories[r.category] ?? r.category}</span>` : nothing}
      <span>${r.reason}</span>
      ${
        r.reporterEmail
          ? html`<span class="muted">${t.reporterEmail}: ${r.reporterEmail}</span>
              <div class="actions">
                <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.#eraseEmail(r)}>
                  ${t.eraseEmail}<span class="visually-hidden"> ${r.reporterEmail}</span>
                </button>
              </div>`
          : nothing
      }
      ${r.remoteActor ? html`<span class="muted">${t.remoteActor}: ${r.remoteActor}</span>` : nothing}
      ${r.forwardedTo ? html`<span class="muted">${t.forwardedTo(r.forwardedTo)}</span>` : nothing}
      ${
        r.state === "resolved"
          ? html`<span class="muted">${t.resolution}: ${r.resolution}</span>`
          : html`<form aria-label=${`${t.resolve}: ${label}`} @submit=${(e: SubmitEvent) => this.#resolve(e, r)}>
              ${this.input(`resolution-${r.id}`, t.resolution, "", { path: "resolution" })}
              ${
                suspendable
                  ? html`<label class="check">
                      <input type="checkbox" name="suspend" /> ${t.suspendReported}
                    </label>`
                  : nothing
              }
              ${
                r.remoteActor
                  ? html`<label class="check">
                        <input type="checkbox" name="suspendRemote" /> ${t.suspendRemote(remoteHost)}
                      </label>
                      ${
                        r.forwardedTo
                          ? nothing
                          : html`<label class="check">
                            <input type="checkbox" name="forward" /> ${t.forwardTo(remoteHost)}
                          </label>`
                      }`
                  : nothing
              }
              <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.resolve}</button></div>
            </form>`
      }
    </li>`;
  }

  async #eraseEmail(r: ReportJson) {
    if (!confirm(this.t.confirmEraseEmail)) return;
    const ok = await this.run(() =>
      this.api.request("DELETE", `/api/v1/admin/reports/${r.id}/reporter-email`).then(() => true),
    );
    if (ok) await this.#load(this.t.saved);
  }

  async #resolve(e: SubmitEvent, r: ReportJson) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const ok = await this.run(() =>
      this.api.request("POST", `/api/v1/admin/reports/${r.id}/resolve`, {
        resolution: v[`resolution-${r.id}`] ?? "",
        suspend: v.suspend === "on",
        suspendRemote: v.suspendRemote === "on",
        forward: v.forward === "on",
      }),
    );
    if (ok) await this.#load(this.t.saved);
  }
}

define("ev-console-reports", ConsoleReports);
