/**
 * What every `ev-` element shares: the server (`src`), language, viewer zone and theme,
 * and the rendering of loading and error states.
 */
import { ApiError } from "@eventail/client/errors";
import { html, LitElement, type PropertyDeclarations, type TemplateResult } from "lit";
import { type Common, common, langHolder, langOf, localeOf } from "./i18n.ts";
import { viewerZone } from "./time.ts";
import { hostOf } from "./url.ts";

export abstract class EvElement extends LitElement {
  static override properties: PropertyDeclarations = {
    src: {},
    theme: { reflect: true },
    timezone: {},
  };

  /** Base URL of the Eventail server to fetch from, e.g. "https://events.example.org". */
  declare src?: string;
  /** "light" or "dark"; unset follows the visitor's `prefers-color-scheme`. */
  declare theme?: "light" | "dark";
  /** IANA zone standing for the viewer's (default: the browser's). */
  declare timezone?: string;

  // `lang` stays the native attribute; it only needs to trigger a render.
  static override get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: `super` must run Lit's getter for the subclass.
    return [...super.observedAttributes, "lang"];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === "lang") this.requestUpdate();
  }

  #langObserver?: MutationObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watchLang();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#langObserver?.disconnect();
  }

  /**
   * A page that switches language sets `lang` on some ancestor or on <html>: watch the
   * nearest ancestor holding one and the document element (a `lang` added in between later
   * is seen when either changes). Per element, so nothing global is set up.
   */
  #watchLang(): void {
    this.#langObserver ??= new MutationObserver(() => {
      this.#watchLang();
      this.requestUpdate();
    });
    const o = this.#langObserver;
    o.disconnect();
    for (const el of new Set([langHolder(this.parentNode), document.documentElement]))
      if (el) o.observe(el, { attributes: true, attributeFilter: ["lang"] });
  }

  /** BCP 47 tag used for dates and numbers. */
  get locale(): string {
    return localeOf(this);
  }

  /** Shared strings in the element's language. */
  get common(): Common {
    return common[langOf(this.locale)];
  }

  /** Picks this element's own table for its language. */
  protected strings<T>(tables: { en: T; fr: T }): T {
    return tables[langOf(this.locale)];
  }

  get viewerZone(): string {
    return this.timezone || viewerZone();
  }

  /** `src` resolved against the page, so relative server URLs work too. */
  protected base(src: string): string {
    return new URL(src, document.baseURI).href;
  }

  protected loading(): TemplateResult {
    return html`<p part="status loading" class="status" role="status">${this.common.loading}</p>`;
  }

  /** An error that says what happened, with a way to try again. */
  protected failure(error: unknown, retry?: () => void): TemplateResult {
    const t = this.common;
    const text =
      error instanceof ApiError
        ? error.status === 0
          ? t.unreachable(hostOf(this.src))
          : error.status === 404
            ? t.notFound
            : t.failed(error.detail)
        : t.failed(String(error));
    return html`<div part="status error" class="status error" role="alert">
      <p>${text}</p>
      ${retry ? html`<button part="button retry" type="button" @click=${retry}>${t.retry}</button>` : ""}
    </div>`;
  }
}

/** Registers an element once, so two copies of the bundle on one page do not throw. */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/** A `src` resolved against the page, or undefined when unset. */
export const hasSrc = (src: string | undefined): src is string => !!src && src.trim() !== "";
