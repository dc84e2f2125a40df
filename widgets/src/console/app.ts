/**
 * `<ev-console>`: the organizer and admin console served at /console. It knows who is
 * signed in (GET /api/v1/me), which identity acts, the language, and which screen the
 * location hash names; each screen is its own element in this folder.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations } from "lit";
import { keyed } from "lit/directives/keyed.js";
import "./account.ts";
import "./admin.ts";
import { ConsoleApi, type Identity, type Me, Problem } from "./api.ts";
import "./events.ts";
import "./groups.ts";
import "./participants.ts";
import { type Strings, tables } from "./strings.ts";
import { themeStyles } from "./theme.ts";
import { define } from "./view.ts";

const LANG_KEY = "eventail-console-lang";

export class EventailConsole extends LitElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        min-height: 100vh;
        display: grid;
        grid-template-rows: auto 1fr;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        align-items: center;
        padding: 0.6rem 1rem;
        border-bottom: 1px solid var(--_border);
        background: var(--_surface);
      }
      img.avatar {
        width: 2rem;
        height: 2rem;
        border-radius: 50%;
        object-fit: cover;
        vertical-align: middle;
      }
      .brand {
        font-weight: 700;
        margin-inline-end: auto;
      }
      nav ul {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: 0.4rem 0.1rem;
      }
      nav a[aria-current="page"] {
        font-weight: 700;
        text-decoration-thickness: 3px;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      select {
        font: inherit;
        color: inherit;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) / 2);
        padding: 0.3em 0.4em;
        min-height: 2.5rem;
      }
      main {
        padding: 1rem;
        max-width: 64rem;
        width: 100%;
        margin: 0 auto;
      }
      main:focus {
        outline: none;
      }
      .skip {
        position: absolute;
        inset-inline-start: 0.5rem;
        top: -4rem;
        background: var(--_bg);
        z-index: 1;
      }
      .skip:focus {
        top: 0.5rem;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    me: { state: true },
    route: { state: true },
    lang: { state: true },
    ready: { state: true },
    error: { state: true },
  };

  declare me: Me | null;
  declare route: string;
  declare lang: "en" | "fr";
  declare ready: boolean;
  declare error: string;

  readonly api = new ConsoleApi();

  constructor() {
    super();
    this.me = null;
    this.ready = false;
    this.error = "";
    this.route = routeOf(location.hash);
    const stored = localStorage.getItem(LANG_KEY);
    this.lang =
      stored === "fr" || stored === "en"
        ? stored
        : navigator.language.startsWith("fr")
          ? "fr"
          : "en";
  }

  #onHash = () => {
    this.route = routeOf(location.hash);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this.#onHash);
    this.addEventListener("console-refresh", () => void this.#loadMe());
    this.#applyLang();
    void this.#loadMe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.#onHash);
  }

  get t(): Strings {
    return tables[this.lang];
  }

  #applyLang() {
    document.documentElement.lang = this.lang;
    document.title = this.t.title;
  }

  async #loadMe() {
    try {
      const me = await this.api.get<Me>("/api/v1/me");
      const chosen = me.identities.find((i) => i.id === this.api.identity) ?? me.identities[0];
      this.api.setIdentity(chosen?.id ?? null);
      this.me = me;
      this.error = "";
    } catch (e) {
      this.me = null;
      if (!(e instanceof Problem && e.status === 401)) this.error = String((e as Error).message);
    }
    this.ready = true;
  }

  get identity(): Identity | null {
    return this.me?.identities.find((i) => i.id === this.api.identity) ?? null;
  }

  override render() {
    const t = this.t;
    if (!this.ready) return html`<main><p role="status">${t.loading}</p></main>`;
    const signedIn = !!this.me;
    let route = this.route;
    const open = ["register", "forgot"].includes(route) || route.startsWith("reset/");
    if (!signedIn && !open) route = "login";
    if (signedIn && ["login", "register", "forgot", ""].includes(route)) route = "events";
    return html`<header>
        <button type="button" class="skip secondary" @click=${this.#skip}>${t.skip}</button>
        <span class="brand">${t.title}</span>
        ${signedIn ? this.#nav(route) : nothing}
        <div class="tools">
          <label class="visually-hidden" for="lang">${t.language}</label>
          <select id="lang" @change=${this.#setLang}>
            <option value="en" ?selected=${this.lang === "en"} lang="en">English</option>
            <option value="fr" ?selected=${this.lang === "fr"} lang="fr">Français</option>
          </select>
          ${signedIn ? this.#identityTools() : nothing}
        </div>
      </header>
      <main id="main" tabindex="-1">
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
        ${this.#screen(route)}
      </main>`;
  }

  #nav(route: string) {
    const t = this.t;
    const admin = this.me?.account.role === "admin";
    const moderator = admin || this.me?.account.role === "moderator";
    const links: [string, string][] = [
      ["events", t.events],
      ["groups", t.groups],
      ["identities", t.identities],
      ["tokens", t.tokens],
      ...(admin
        ? ([
            ["admin/settings", t.settings],
            ["admin/users", t.users],
          ] as [string, string][])
        : []),
      ...(moderator
        ? ([
            ["admin/reports", t.reports],
            ["admin/federation", t.federation],
          ] as [string, string][])
        : []),
    ];
    const section = route.startsWith("admin/")
      ? route.split("/").slice(0, 2).join("/")
      : route.split("/")[0];
    return html`<nav aria-label=${t.nav}>
      <ul>
        ${links.map(
          ([r, label]) =>
            html`<li><a href="#/${r}" aria-current=${section === r ? "page" : nothing}>${label}</a></li>`,
        )}
      </ul>
    </nav>`;
  }

  #identityTools() {
    const t = this.t;
    const me = this.me!;
    const avatar = this.identity?.avatar;
    // Beside the identity's name: decorative here (its description is on the Identities screen).
    return html`${avatar ? html`<img class="avatar" src=${avatar.url} alt="" />` : nothing}${
      me.identities.length > 1
        ? html`<label for="identity">${t.actingAs}</label>
          <select id="identity" @change=${this.#switchIdentity}>
            ${me.identities.map(
              (i) =>
                html`<option value=${i.id} ?selected=${i.id === this.api.identity}>${i.name} (@${i.handle})</option>`,
            )}
          </select>`
        : html`<span>${this.identity?.name ?? ""}</span>`
    }
      <button type="button" class="secondary" @click=${this.#signOut}>${t.signOut}</button>`;
  }

  #screen(route: string) {
    const common = { api: this.api, me: this.me, identity: this.identity, t: this.t };
    const [head, id, sub] = route.split("/");
    // A screen is re-created when the identity or the item changes: it loads on connection.
    const key = this.api.identity ?? "";
    switch (head) {
      case "login":
        return html`<ev-console-login .api=${common.api} .t=${common.t}></ev-console-login>`;
      case "register":
        return html`<ev-console-register .api=${common.api} .t=${common.t}></ev-console-register>`;
      case "forgot":
        return html`<ev-console-forgot .api=${common.api} .t=${common.t}></ev-console-forgot>`;
      case "reset":
        return html`<ev-console-reset .api=${common.api} .t=${common.t} .token=${id ?? ""}></ev-console-reset>`;
      case "identities":
        return html`<ev-console-identities .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-identities>`;
      case "tokens":
        return html`<ev-console-tokens .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-tokens>`;
      case "groups":
        return id
          ? keyed(
              `${key}/${id}`,
              html`<ev-console-group .api=${this.api} .me=${this.me} .t=${this.t} .handle=${id}></ev-console-group>`,
            )
          : keyed(
              key,
              html`<ev-console-groups .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-groups>`,
            );
      case "admin":
        if (id === "settings")
          return html`<ev-console-settings .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-settings>`;
        if (id === "reports")
          return html`<ev-console-reports .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-reports>`;
        if (id === "users")
          return html`<ev-console-users .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-users>`;
        return html`<ev-console-federation .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-federation>`;
      default:
        if (head === "events" && id === "new")
          return keyed(
            key,
            html`<ev-console-event-form .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-event-form>`,
          );
        if (head === "events" && id && sub === "participants")
          return keyed(
            `${key}/${id}`,
            html`<ev-console-participants .api=${this.api} .me=${this.me} .t=${this.t} .eventId=${id}></ev-console-participants>`,
          );
        if (head === "events" && id)
          return keyed(
            `${key}/${id}`,
            html`<ev-console-event-form .api=${this.api} .me=${this.me} .t=${this.t} .eventId=${id}></ev-console-event-form>`,
          );
        return keyed(
          key,
          html`<ev-console-events .api=${this.api} .me=${this.me} .t=${this.t}></ev-console-events>`,
        );
    }
  }

  #skip() {
    this.renderRoot.querySelector<HTMLElement>("main")?.focus();
  }

  #setLang(e: Event) {
    this.lang = (e.target as HTMLSelectElement).value === "fr" ? "fr" : "en";
    localStorage.setItem(LANG_KEY, this.lang);
    this.#applyLang();
  }

  #switchIdentity(e: Event) {
    this.api.setIdentity((e.target as HTMLSelectElement).value);
    this.requestUpdate();
  }

  async #signOut() {
    await this.api.request("DELETE", "/api/v1/session").catch(() => undefined);
    this.api.setIdentity(null);
    this.me = null;
    location.hash = "#/login";
  }
}

/** "#/events/abc" → "events/abc". */
const routeOf = (hash: string): string => hash.replace(/^#\/?/, "").replace(/\/$/, "");

define("ev-console", EventailConsole);
