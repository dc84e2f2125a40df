/**
 * What every console screen shares: the API, the signed-in account and acting identity,
 * strings in the console's language, form helpers that show the server's field errors
 * beside their fields, and one stylesheet on top of the widgets' theme tokens.
 */
import {
  css,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type TemplateResult,
} from "lit";
import { type ConsoleApi, type Identity, type Me, Problem } from "./api.ts";
import { themeStyles } from "./theme.ts";
import "./rich-text.ts";
import type { Strings } from "./strings.ts";

export const consoleStyles = css`
  :host {
    background: transparent;
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.2rem;
    margin: 1.5rem 0 0.75rem;
  }
  h1:focus {
    outline: none;
  }
  form {
    display: grid;
    gap: 0.9rem;
    max-width: 42rem;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75rem 1rem 1rem;
    display: grid;
    gap: 0.75rem;
  }
  legend {
    font-weight: 600;
    padding: 0 0.3em;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .field label,
  .field .label {
    font-weight: 600;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: end;
  }
  .row > .field {
    flex: 1 1 12rem;
  }
  .check {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }
  input:not([type="checkbox"]),
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.45em 0.6em;
    min-height: 2.5rem;
    width: 100%;
  }
  textarea {
    min-height: 8rem;
    resize: vertical;
  }
  [aria-invalid="true"] {
    border-color: var(--_danger);
  }
  .hint {
    font-size: 0.9em;
    color: var(--_muted);
    margin: 0;
  }
  .field-error {
    color: var(--_danger);
    margin: 0;
    font-size: 0.9em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  button,
  .button {
    min-height: 2.5rem;
  }
  a.button {
    display: inline-flex;
    align-items: center;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    padding: 0.4em 0.9em;
    text-decoration: none;
  }
  button.danger {
    background: transparent;
    color: var(--_danger);
    border-color: var(--_danger);
  }
  .notice {
    padding: 0.6rem 0.9rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    border: 1px solid var(--_border);
    margin: 0 0 1rem;
  }
  .notice.error {
    color: var(--_danger);
    border-color: var(--_danger);
  }
  .notice ul {
    margin: 0.3rem 0 0;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.5rem;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  ul.cards {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.75rem;
  }
  ul.cards > li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75rem 1rem;
    display: grid;
    gap: 0.4rem;
  }
  .card-title {
    font-weight: 600;
    font-size: 1.05rem;
  }
  pre {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75rem;
    overflow-x: auto;
    white-space: pre-wrap;
    word-break: break-all;
  }
  img.banner {
    max-width: 100%;
    max-height: 12rem;
    border-radius: var(--_radius);
    object-fit: cover;
  }
  .finder {
    display: grid;
    gap: 0.4rem;
  }
  .finder p {
    margin: 0;
  }
  ul.places {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.4rem;
  }
  ul.places li {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.4rem 0.6rem;
  }
  .occurrences ul {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.4rem;
  }
  .occurrences li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
  }
  .occurrences li.skipped > span:first-child {
    text-decoration: line-through;
    color: var(--_muted);
  }
  img.avatar {
    width: 4rem;
    height: 4rem;
    border-radius: 50%;
    object-fit: cover;
  }
  .preview {
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
  }
`;

export abstract class ConsoleView extends LitElement {
  static override styles = [themeStyles, consoleStyles];
  static override properties: PropertyDeclarations = {
    api: { attribute: false },
    me: { attribute: false },
    identity: { attribute: false },
    t: { attribute: false },
    busy: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare api: ConsoleApi;
  declare me: Me;
  declare identity: Identity | null;
  declare t: Strings;
  declare busy: boolean;
  /** The last error the server gave, shown above the form and beside its fields. */
  declare problem: Problem | null;
  /** A short confirmation ("Saved."), announced politely. */
  declare notice: string;

  constructor() {
    super();
    this.busy = false;
    this.problem = null;
    this.notice = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.notice = takeFlash();
  }

  /** Goes to another screen, which shows `message` when it opens. */
  protected goWith(hash: string, message: string): void {
    flash = message;
    this.go(hash);
  }

  /** Runs a server call, keeping busy/problem/notice up to date; the result or undefined. */
  /**
   * What to send for an image field: a chosen file, uploaded now, with its description; null
   * to remove the image; the description alone when only it changed; undefined to keep both.
   */
  protected async imageInput(
    file: File | undefined,
    alt: string | undefined,
    remove: boolean,
    current: { alt: string } | null | undefined,
  ): Promise<{ uploadId?: string; alt: string } | null | undefined> {
    if (file) return { uploadId: (await this.api.upload(file)).id, alt: alt ?? "" };
    if (remove) return null;
    if (current && alt !== undefined && alt !== current.alt) return { alt };
    return undefined;
  }

  protected async run<T>(work: () => Promise<T>, done?: string): Promise<T | undefined> {
    this.busy = true;
    this.problem = null;
    this.notice = "";
    try {
      const out = await work();
      if (done) this.notice = done;
      return out;
    } catch (e) {
      this.problem = e instanceof Problem ? e : new Problem(0, String(e));
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  protected go(hash: string): void {
    location.hash = hash;
  }

  /** Tells the shell that the account, identities or groups changed. */
  protected refreshShell(): void {
    this.dispatchEvent(new CustomEvent("console-refresh", { bubbles: true, composed: true }));
  }

  protected status(): TemplateResult {
    const p = this.problem;
    return html`<div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}
      </div>
      <div role="alert">
        ${
          p
            ? html`<div class="notice error">
              <p>${p.errors.length ? this.t.fixErrors : p.detail}</p>
              ${
                p.errors.length
                  ? html`<ul>
                    ${p.errors.map((e) => html`<li>${e.path ? `${e.path}: ` : ""}${e.message}</li>`)}
                  </ul>`
                  : nothing
              }
            </div>`
            : nothing
        }
      </div>`;
  }

  /** The server's message for `path` (or a path below it), if any. */
  protected errorFor(path: string): string | undefined {
    return this.problem?.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))
      ?.message;
  }

  /** A labelled field: the control gets its id, hint and error wired for assistive tech. */
  protected field(
    id: string,
    label: string,
    control: (describedBy: string | undefined, invalid: boolean) => TemplateResult,
    opts: { hint?: string; path?: string } = {},
  ): TemplateResult {
    const error = this.errorFor(opts.path ?? id);
    const ids = [opts.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control(ids.length ? ids.join(" ") : undefined, !!error)}
      ${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : nothing}
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  protected input(
    id: string,
    label: string,
    value: string | number | null | undefined,
    opts: {
      type?: string;
      hint?: string;
      path?: string;
      required?: boolean;
      autocomplete?: string;
      step?: string;
      min?: string;
    } = {},
  ): TemplateResult {
    return this.field(
      id,
      label,
      (describedBy, invalid) => html`<input
        id=${id}
        name=${id}
        type=${opts.type ?? "text"}
        .value=${value === null || value === undefined ? "" : String(value)}
        ?required=${!!opts.required}
        autocomplete=${opts.autocomplete ?? "off"}
        step=${opts.step ?? nothing}
        min=${opts.min ?? nothing}
        aria-describedby=${describedBy ?? nothing}
        aria-invalid=${invalid ? "true" : "false"}
      />`,
      opts,
    );
  }

  protected select(
    id: string,
    label: string,
    value: string,
    options: [string, string][],
    opts: { hint?: string; path?: string } = {},
  ): TemplateResult {
    return this.field(
      id,
      label,
      (describedBy, invalid) => html`<select
        id=${id}
        name=${id}
        aria-describedby=${describedBy ?? nothing}
        aria-invalid=${invalid ? "true" : "false"}
      >
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>`,
      opts,
    );
  }

  protected textarea(
    id: string,
    label: string,
    value: string,
    opts: { hint?: string; path?: string } = {},
  ): TemplateResult {
    return this.field(
      id,
      label,
      (describedBy, invalid) => html`<textarea
        id=${id}
        name=${id}
        .value=${value}
        aria-describedby=${describedBy ?? nothing}
        aria-invalid=${invalid ? "true" : "false"}
      ></textarea>`,
      opts,
    );
  }

  /** A rich-text description (`<ev-rich-text>`), submitted with its form under `id`. */
  protected richText(
    id: string,
    label: string,
    value: string,
    opts: { hint?: string; path?: string } = {},
  ): TemplateResult {
    const error = this.errorFor(opts.path ?? id);
    return html`<div class="field">
      <span class="label" id="${id}-label">${label}</span>
      <ev-rich-text
        id=${id}
        name=${id}
        label=${label}
        hint=${opts.hint ?? ""}
        .value=${value}
        .strings=${this.t.richText}
        ?invalid=${!!error}
      ></ev-rich-text>
      ${error ? html`<p class="field-error" id="${id}-error" role="alert">${error}</p>` : nothing}
    </div>`;
  }

  /**
   * Remote followers of a local actor (`as`: a group's handle or "relay"), each with a Remove
   * button; `done` reloads the screen after one is removed.
   */
  protected followerList(
    as: string,
    followers: { actor: string }[],
    done: () => Promise<void>,
  ): TemplateResult {
    const t = this.t;
    const remove = async (actor: string) => {
      const ok = await this.run(() =>
        this.api
          .request(
            "DELETE",
            `/api/v1/federation/followers?as=${encodeURIComponent(as)}&follower=${encodeURIComponent(actor)}`,
          )
          .then(() => true),
      );
      if (ok) await this.run(done, t.saved);
    };
    return followers.length
      ? html`<ul class="cards">
          ${followers.map(
            (f) => html`<li>
              <a class="card-title" href=${f.actor}>${f.actor}</a>
              <div class="actions">
                <button type="button" class="secondary" @click=${() => remove(f.actor)}>
                  ${t.remove}<span class="visually-hidden"> ${f.actor}</span>
                </button>
              </div>
            </li>`,
          )}
        </ul>`
      : html`<p>${t.noFollowers}</p>`;
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }
}

/** The local part of "handle@host". */
export const bare = (handle: string): string => handle.split("@")[0]!;

/** Values of a submitted form, as strings (trimmed). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (typeof v === "string") out[k] = v.trim();
  return out;
}

let flash = "";
function takeFlash(): string {
  const out = flash;
  flash = "";
  return out;
}

export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
