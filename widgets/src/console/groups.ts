/** Groups: the ones you are in, creating one, editing it, and the embed helper. */

import { widgetSnippet } from "@eventail/core/widget-html";
import { html, nothing, type PropertyDeclarations } from "lit";
import { bare, ConsoleView, define, formValues } from "./view.ts";
import { loadWidgetElements } from "./widgets-bundle.ts";

interface Image {
  url: string;
  alt: string;
}

interface Group {
  id: string;
  handle: string;
  name: string;
  url: string;
  description: string;
  avatar?: Image | null;
  banner?: Image | null;
  resources?: { title: string; url: string }[];
}

/** "Title | https://…" lines → resources (lines without a bar are taken as a bare link). */
export function parseResources(text: string): { title: string; url: string }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const bar = l.lastIndexOf("|");
      if (bar < 0) return { title: l, url: l };
      return { title: l.slice(0, bar).trim(), url: l.slice(bar + 1).trim() };
    });
}

interface Membership {
  group: Group;
  role: "admin" | "moderator" | "member";
}

export class ConsoleGroups extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    items: { state: true },
  };
  declare items: Membership[] | null;

  constructor() {
    super();
    this.items = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    const out = await this.run(() => this.api.get<{ items: Membership[] }>("/api/v1/me/groups"));
    if (out) this.items = out.items;
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.groups}</h1>
      ${this.status()}
      ${
        this.items === null
          ? nothing
          : this.items.length === 0
            ? html`<p>${t.noGroups}</p>`
            : html`<ul class="cards">
              ${this.items.map(
                (m) => html`<li>
                  <a class="card-title" href="#/groups/${bare(m.group.handle)}">${m.group.name}</a>
                  <span class="muted">@${m.group.handle} · ${t.roles[m.role]}</span>
                </li>`,
              )}
            </ul>`
      }
      <h2 id="new-group">${t.newGroup}</h2>
      <form aria-labelledby="new-group" @submit=${this.#create}>
        ${this.input("handle", t.handle, "", { required: true, hint: t.handleHint })}
        ${this.input("name", t.name, "", { required: true })}
        ${this.richText("description", t.description, "", { hint: t.descriptionHint })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.create}</button></div>
      </form>`;
  }

  async #create(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const g = await this.run(() =>
      this.api.request<Group>("POST", "/api/v1/groups", {
        handle: v.handle,
        name: v.name,
        ...(v.description ? { description: v.description } : {}),
      }),
    );
    if (g) this.goWith(`#/groups/${bare(g.handle)}`, this.t.saved);
  }
}

export class ConsoleGroup extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    handle: { attribute: false },
    group: { state: true },
    role: { state: true },
    widget: { state: true },
    previewReady: { state: true },
    members: { state: true },
    followers: { state: true },
  };
  declare members: { identity: { handle: string; name: string }; role: string }[] | null;
  declare followers: { actor: string; host: string }[] | null;
  declare handle: string;
  declare group: Group | null;
  declare role: string | null;
  declare widget: "event-list" | "calendar";
  declare previewReady: boolean;

  constructor() {
    super();
    this.group = null;
    this.role = null;
    this.widget = "event-list";
    this.previewReady = false;
    this.members = null;
    this.followers = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    void this.#loadWidgets();
  }

  async #load() {
    const notice = this.notice;
    await this.run(async () => {
      const [group, mine] = await Promise.all([
        this.api.get<Group>(`/api/v1/groups/${this.handle}`),
        this.api.get<{ items: Membership[] }>("/api/v1/me/groups"),
      ]);
      this.group = group;
      this.role = mine.items.find((m) => m.group.id === group.id)?.role ?? null;
      await this.#loadPeople();
    });
    this.notice ||= notice;
  }

  /** Members (for members) and remote followers (for admins). */
  async #loadPeople() {
    const [members, followers] = await Promise.all([
      this.role
        ? this.api.get<{ members: NonNullable<ConsoleGroup["members"]> }>(
            `/api/v1/groups/${this.handle}/members`,
          )
        : null,
      this.role === "admin"
        ? this.api.get<{ items: NonNullable<ConsoleGroup["followers"]> }>(
            `/api/v1/federation/followers?as=${this.handle}`,
          )
        : null,
    ]);
    this.members = members?.members ?? null;
    this.followers = followers?.items ?? null;
  }

  async #loadWidgets() {
    this.previewReady = await loadWidgetElements(["ev-event-list", "ev-calendar"]);
  }

  override render() {
    const t = this.t;
    const g = this.group;
    if (!g)
      return html`<h1 tabindex="-1">${this.handle}</h1>
        ${this.status()}`;
    const origin = location.origin;
    // The same writer as the playground's and the Eleventy shortcode's.
    const snippet = widgetSnippet({
      scriptUrl: `${origin}/widgets/eventail.js`,
      element: this.widget,
      attributes: { src: origin, group: this.handle },
    });
    return html`<h1 tabindex="-1">${g.name}</h1>
      ${this.status()}
      <p class="muted">@${g.handle}${this.role ? ` · ${t.roles[this.role]}` : ""} · <a href=${g.url}>${t.publicPage}</a></p>
      ${
        this.role === "admin"
          ? html`<form @submit=${this.#save} aria-label=${t.edit}>
            ${this.input("name", t.name, g.name, { required: true })}
            ${this.richText("description", t.description, g.description, { hint: t.descriptionHint })}
            ${this.#image("avatar", t.avatar, g.avatar ?? null)}
            ${this.#image("banner", t.banner, g.banner ?? null)}
            ${this.textarea(
              "resources",
              t.resources,
              (g.resources ?? []).map((r) => `${r.title} | ${r.url}`).join("\n"),
              { hint: t.resourcesHint },
            )}
            <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.save}</button></div>
          </form>`
          : nothing
      }
      ${this.#people()}
      <h2>${t.embed}</h2>
      <p>${t.embedIntro}</p>
      ${this.select("widget", t.widget, this.widget, [
        ["event-list", t.eventList],
        ["calendar", t.calendar],
      ])}
      <h3 id="snippet-label">${t.snippet}</h3>
      <pre aria-labelledby="snippet-label" tabindex="0"><code>${snippet}</code></pre>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.#copy(snippet)}>${t.copy}</button>
      </div>
      <h3>${t.livePreview}</h3>
      <div class="preview">
        ${
          this.previewReady
            ? this.widget === "calendar"
              ? html`<ev-calendar src=${origin} group=${this.handle} lang=${document.documentElement.lang}></ev-calendar>`
              : html`<ev-event-list
                  src=${origin}
                  group=${this.handle}
                  lang=${document.documentElement.lang}
                  heading-level="4"
                ></ev-event-list>`
            : html`<p class="muted">${t.loading}</p>`
        }
      </div>`;
  }

  override updated(): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>("#widget");
    if (select && !select.dataset.bound) {
      select.dataset.bound = "1";
      select.addEventListener("change", () => {
        this.widget = select.value as "event-list" | "calendar";
      });
    }
  }

  #people() {
    const t = this.t;
    const admin = this.role === "admin";
    return html`${
      this.members
        ? html`<h2 id="members">${t.members}</h2>
          <div class="table-wrap">
            <table aria-labelledby="members">
              <thead>
                <tr>
                  <th scope="col">${t.name}</th>
                  <th scope="col">${t.role}</th>
                  ${admin ? html`<th scope="col">${t.actions}</th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${this.members.map((m) => {
                  const h = bare(m.identity.handle);
                  return html`<tr>
                    <td>${m.identity.name} <span class="muted">@${m.identity.handle}</span></td>
                    <td>
                      ${
                        admin
                          ? html`<label class="visually-hidden" for="role-${h}">${t.role} ${m.identity.name}</label>
                            <select
                              id="role-${h}"
                              @change=${(e: Event) => this.#setMember(h, (e.target as HTMLSelectElement).value)}
                            >
                              ${["member", "moderator", "admin"].map(
                                (r) =>
                                  html`<option value=${r} ?selected=${m.role === r}>${t.roles[r]}</option>`,
                              )}
                            </select>`
                          : t.roles[m.role]
                      }
                    </td>
                    ${
                      admin
                        ? html`<td>
                          <button type="button" class="danger" @click=${() => this.#removeMember(h)}>
                            ${t.remove}<span class="visually-hidden"> ${m.identity.name}</span>
                          </button>
                        </td>`
                        : nothing
                    }
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>
          ${
            admin
              ? html`<form aria-label=${t.addMember} @submit=${this.#addMember}>
                <div class="row">
                  ${this.input("member", t.memberHandle, "", { required: true })}
                  ${this.select("memberRole", t.role, "member", [
                    ["member", t.roles.member!],
                    ["moderator", t.roles.moderator!],
                    ["admin", t.roles.admin!],
                  ])}
                </div>
                <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.addMember}</button></div>
              </form>`
              : nothing
          }`
        : nothing
    }
    ${
      this.followers
        ? html`<h2>${t.followers}</h2>
          ${this.followerList(this.handle, this.followers, () => this.#loadPeople())}`
        : nothing
    }`;
  }

  async #setMember(member: string, role: string) {
    const ok = await this.run(
      () =>
        this.api
          .request("PUT", `/api/v1/groups/${this.handle}/members/${member}`, { role })
          .then(() => true),
      this.t.saved,
    );
    if (ok) await this.run(() => this.#loadPeople(), this.t.saved);
  }

  async #removeMember(member: string) {
    if (!confirm(this.t.confirmDelete)) return;
    const ok = await this.run(() =>
      this.api
        .request("DELETE", `/api/v1/groups/${this.handle}/members/${member}`)
        .then(() => true),
    );
    if (ok) await this.run(() => this.#loadPeople(), this.t.saved);
  }

  async #addMember(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const handle = bare((v.member ?? "").replace(/^@/, ""));
    const ok = await this.run(() =>
      this.api
        .request("PUT", `/api/v1/groups/${this.handle}/members/${handle}`, {
          role: v.memberRole ?? "member",
        })
        .then(() => true),
    );
    if (ok) {
      form.reset();
      await this.run(() => this.#loadPeople(), this.t.saved);
    }
  }

  async #copy(text: string) {
    await this.run(() => navigator.clipboard.writeText(text), this.t.copied);
  }

  #image(kind: "avatar" | "banner", legend: string, current: Image | null) {
    const t = this.t;
    return html`<fieldset>
      <legend>${legend}</legend>
      ${
        current
          ? html`<img class="banner" src=${current.url} alt=${current.alt} />
              <label class="check"><input type="checkbox" name="${kind}Remove" /> ${t.removeImage}</label>`
          : nothing
      }
      ${this.field(
        `${kind}File`,
        current ? t.replaceBanner : t.bannerFile,
        (describedBy, invalid) => html`<input
          id="${kind}File"
          name="${kind}File"
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp"
          aria-describedby=${describedBy ?? nothing}
          aria-invalid=${invalid ? "true" : "false"}
        />`,
      )}
      ${this.input(`${kind}Alt`, t.bannerAlt, current?.alt, { hint: t.bannerAltHint, path: `${kind}.alt` })}
    </fieldset>`;
  }

  #imageInput(form: HTMLFormElement, kind: "avatar" | "banner", v: Record<string, string>) {
    const file = (form.elements.namedItem(`${kind}File`) as HTMLInputElement | null)?.files?.[0];
    return this.imageInput(file, v[`${kind}Alt`], v[`${kind}Remove`] === "on", this.group?.[kind]);
  }

  async #save(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const g = await this.run(async () => {
      const [avatar, banner] = [
        await this.#imageInput(form, "avatar", v),
        await this.#imageInput(form, "banner", v),
      ];
      return this.api.request<Group>("PATCH", `/api/v1/groups/${this.handle}`, {
        name: v.name,
        description: v.description ?? "",
        resources: parseResources(v.resources ?? ""),
        ...(avatar !== undefined ? { avatar } : {}),
        ...(banner !== undefined ? { banner } : {}),
      });
    }, this.t.saved);
    if (g) {
      this.group = g;
      for (const kind of ["avatar", "banner"]) {
        const input = form.elements.namedItem(`${kind}File`) as HTMLInputElement | null;
        if (input) input.value = "";
      }
    }
  }
}

define("ev-console-groups", ConsoleGroups);
define("ev-console-group", ConsoleGroup);
