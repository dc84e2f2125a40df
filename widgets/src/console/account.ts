/** Signing in, registering, and the account's identities. */
import { html, nothing, type PropertyDeclarations } from "lit";
import type { Identity } from "./api.ts";
import { bare, ConsoleView, define, formValues } from "./view.ts";

export class ConsoleLogin extends ConsoleView {
  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.signIn}</h1>
      ${this.status()}
      <form @submit=${this.#submit}>
        ${this.input("email", t.email, "", { type: "email", required: true, autocomplete: "username" })}
        ${this.input("password", t.password, "", {
          type: "password",
          required: true,
          autocomplete: "current-password",
        })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.signIn}</button></div>
      </form>
      <p><a href="#/forgot">${t.forgot}</a></p>
      <p>${t.noAccount} <a href="#/register">${t.register}</a></p>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const ok = await this.run(() =>
      this.api.request("POST", "/api/v1/session", { email: v.email, password: v.password }),
    );
    if (ok) {
      this.go("#/events");
      this.refreshShell();
    }
  }
}

export class ConsoleRegister extends ConsoleView {
  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.register}</h1>
      ${this.status()}
      <form @submit=${this.#submit}>
        ${this.input("email", t.email, "", { type: "email", required: true, autocomplete: "email" })}
        ${this.input("password", t.password, "", {
          type: "password",
          required: true,
          hint: t.passwordHint,
          autocomplete: "new-password",
        })}
        ${this.input("handle", t.handle, "", { required: true, hint: t.handleHint })}
        ${this.input("name", t.name, "", { required: true, autocomplete: "name" })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.register}</button></div>
      </form>
      <p>${t.haveAccount} <a href="#/login">${t.signIn}</a></p>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const out = await this.run(() =>
      this.api.request<{ account: { state: string } }>("POST", "/api/v1/accounts", {
        email: v.email,
        password: v.password,
        handle: v.handle,
        name: v.name,
      }),
    );
    if (out) {
      form.reset();
      this.notice = out.account.state === "pending" ? this.t.registeredPending : this.t.registered;
    }
  }
}

export class ConsoleIdentities extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    editing: { state: true },
  };
  declare editing: string | null;

  constructor() {
    super();
    this.editing = null;
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.identities}</h1>
      <p>${t.identitiesIntro}</p>
      ${this.status()}
      <ul class="cards">
        ${this.me.identities.map((i) => this.#identity(i))}
      </ul>
      <h2 id="new-identity">${t.newIdentity}</h2>
      <form aria-labelledby="new-identity" @submit=${this.#create}>
        ${this.input("handle", t.handle, "", { required: true, hint: t.handleHint })}
        ${this.input("name", t.name, "", { required: true })}
        ${this.textarea("bio", t.bio, "")}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.create}</button></div>
      </form>`;
  }

  #identity(i: Identity) {
    const t = this.t;
    const h = bare(i.handle);
    if (this.editing === i.id)
      return html`<li>
        <form aria-label=${`${t.edit} ${i.handle}`} @submit=${(e: SubmitEvent) => this.#save(e, h)}>
          ${this.input(`name-${h}`, t.name, i.name, { required: true, path: "name" })}
          ${this.textarea(`bio-${h}`, t.bio, i.bio ?? "", { path: "bio" })}
          <fieldset>
            <legend>${t.avatar}</legend>
            ${
              i.avatar
                ? html`<img class="avatar" src=${i.avatar.url} alt=${i.avatar.alt} />
                  <label class="check"><input type="checkbox" name="avatarRemove" /> ${t.removeImage}</label>`
                : nothing
            }
            ${this.field(
              `avatarFile-${h}`,
              i.avatar ? t.replaceBanner : t.bannerFile,
              (describedBy, invalid) => html`<input
                id="avatarFile-${h}"
                name="avatarFile"
                type="file"
                accept="image/jpeg,image/png,image/gif,image/webp"
                aria-describedby=${describedBy ?? nothing}
                aria-invalid=${invalid ? "true" : "false"}
              />`,
              { path: "avatar.uploadId" },
            )}
            ${this.input(`avatarAlt-${h}`, t.bannerAlt, i.avatar?.alt, {
              hint: t.bannerAltHint,
              path: "avatar.alt",
            })}
          </fieldset>
          <div class="actions">
            <button type="submit" ?disabled=${this.busy}>${t.save}</button>
            <button type="button" class="secondary" @click=${() => (this.editing = null)}>${t.cancel}</button>
          </div>
        </form>
      </li>`;
    return html`<li>
      ${i.avatar ? html`<img class="avatar" src=${i.avatar.url} alt=${i.avatar.alt} />` : nothing}
      <span class="card-title">${i.name}</span>
      <span class="muted">@${i.handle}</span>
      ${i.bio ? html`<span>${i.bio}</span>` : nothing}
      <div class="actions">
        <button type="button" class="secondary" @click=${() => (this.editing = i.id)}>
          ${t.edit}<span class="visually-hidden"> ${i.handle}</span>
        </button>
        <button type="button" class="danger" @click=${() => this.#delete(h)}>
          ${t.delete}<span class="visually-hidden"> ${i.handle}</span>
        </button>
      </div>
    </li>`;
  }

  async #create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const ok = await this.run(
      () =>
        this.api.request("POST", "/api/v1/identities", {
          handle: v.handle,
          name: v.name,
          ...(v.bio ? { bio: v.bio } : {}),
        }),
      this.t.saved,
    );
    if (ok) {
      form.reset();
      this.refreshShell();
    }
  }

  async #save(e: SubmitEvent, handle: string) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const file = (form.elements.namedItem("avatarFile") as HTMLInputElement | null)?.files?.[0];
    const ok = await this.run(async () => {
      // As for group avatars: a chosen image is uploaded first; a description alone is sent
      // when only it changed.
      const avatar = await this.imageInput(
        file,
        v[`avatarAlt-${handle}`],
        v.avatarRemove === "on",
        this.me.identities.find((i) => i.handle === handle)?.avatar,
      );
      return this.api.request("PATCH", `/api/v1/identities/${handle}`, {
        name: v[`name-${handle}`],
        bio: v[`bio-${handle}`] ?? "",
        ...(avatar !== undefined ? { avatar } : {}),
      });
    }, this.t.saved);
    if (ok) {
      this.editing = null;
      this.refreshShell();
    }
  }

  async #delete(handle: string) {
    if (!confirm(this.t.confirmDelete)) return;
    await this.run(() => this.api.request("DELETE", `/api/v1/identities/${handle}`));
    if (!this.problem) this.refreshShell();
  }
}

/** Asking for a reset link by email. */
export class ConsoleForgot extends ConsoleView {
  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.forgot}</h1>
      <p>${t.forgotIntro}</p>
      ${this.status()}
      <form @submit=${this.#submit}>
        ${this.input("email", t.email, "", { type: "email", required: true, autocomplete: "email" })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.sendLink}</button></div>
      </form>
      <p><a href="#/login">${t.signIn}</a></p>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const ok = await this.run(
      () =>
        this.api
          .request("POST", "/api/v1/password-resets", {
            email: v.email,
            language: document.documentElement.lang === "fr" ? "fr" : "en",
          })
          .then(() => true),
      this.t.linkSent,
    );
    if (ok) form.reset();
  }
}

/** The emailed link's screen: the token comes from the location hash, never from the server. */
export class ConsoleReset extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    token: { attribute: false },
  };
  declare token: string;

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.newPassword}</h1>
      ${this.status()}
      <form @submit=${this.#submit}>
        ${this.input("password", t.password, "", {
          type: "password",
          required: true,
          hint: t.passwordHint,
          autocomplete: "new-password",
        })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.save}</button></div>
      </form>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const ok = await this.run(() =>
      this.api
        .request("POST", "/api/v1/password-resets/complete", {
          token: this.token,
          password: v.password ?? "",
        })
        .then(() => true),
    );
    if (ok) {
      // Every session of the account was signed out, this one included.
      this.goWith("#/login", this.t.passwordChanged);
      this.refreshShell();
    }
  }
}

interface Token {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** API tokens for scripts and static-site plugins: created (shown once), listed, revoked. */
export class ConsoleTokens extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    tokens: { state: true },
    fresh: { state: true },
  };
  declare tokens: Token[] | null;
  /** The secret of the token just created: shown once. */
  declare fresh: string;

  constructor() {
    super();
    this.tokens = null;
    this.fresh = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(notice = "") {
    await this.run(async () => {
      this.tokens = (await this.api.get<{ items: Token[] }>("/api/v1/tokens")).items;
    }, notice);
  }

  override render() {
    const t = this.t;
    const date = (iso: string | null) =>
      iso ? new Date(iso).toLocaleString(document.documentElement.lang || "en") : "—";
    return html`<h1 tabindex="-1">${t.tokens}</h1>
      <p>${t.tokensIntro}</p>
      ${this.status()}
      ${
        this.fresh
          ? html`<div class="notice">
            <p id="fresh-label">${t.tokenOnce}</p>
            <pre aria-labelledby="fresh-label" tabindex="0"><code>${this.fresh}</code></pre>
          </div>`
          : nothing
      }
      <form @submit=${this.#create}>
        ${this.input("tokenName", t.tokenName, "", { required: true, path: "name" })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.create}</button></div>
      </form>
      ${
        this.tokens?.length
          ? html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">${t.tokens}</caption>
              <thead>
                <tr>
                  <th scope="col">${t.name}</th>
                  <th scope="col">${t.createdAt}</th>
                  <th scope="col">${t.lastUsed}</th>
                  <th scope="col">${t.actions}</th>
                </tr>
              </thead>
              <tbody>
                ${this.tokens.map(
                  (k) => html`<tr>
                    <td>${k.name}</td>
                    <td>${date(k.createdAt)}</td>
                    <td>${date(k.lastUsedAt)}</td>
                    <td>
                      ${
                        k.revokedAt
                          ? t.revoked
                          : html`<button type="button" class="danger" @click=${() => this.#revoke(k)}>
                              ${t.revoke}<span class="visually-hidden"> ${k.name}</span>
                            </button>`
                      }
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
          : nothing
      }`;
  }

  async #create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const out = await this.run(() =>
      this.api.request<{ token: string }>("POST", "/api/v1/tokens", { name: v.tokenName ?? "" }),
    );
    if (out) {
      form.reset();
      this.fresh = out.token;
      await this.#load();
    }
  }

  async #revoke(k: Token) {
    if (!confirm(this.t.confirmDelete)) return;
    const ok = await this.run(() =>
      this.api.request("DELETE", `/api/v1/tokens/${k.id}`).then(() => true),
    );
    if (ok) await this.#load(this.t.saved);
  }
}

define("ev-console-tokens", ConsoleTokens);
define("ev-console-forgot", ConsoleForgot);
define("ev-console-reset", ConsoleReset);
define("ev-console-login", ConsoleLogin);
define("ev-console-register", ConsoleRegister);
define("ev-console-identities", ConsoleIdentities);
