/**
 * What every `ev-` element shares: the server (`src`), language, viewer zone and theme,
 * and the rendering of loading and error states.
 */
import { ApiError } from "@eventail/client/errors";
import { html, type TemplateResult } from "lit/html.js";
import { type Common, common, langOf, localeOf } from "./i18n.ts";
import { viewerZone } from "./time.ts";
import { type PropertyDeclarations, UpdatingElement } from "./updating-element.ts";
import { hostOf } from "./url.ts";

/** The connected elements, and the one observer of `lang` changes they share. */
const live = new Set<EvElement>();
let pageLang: MutationObserver | undefined;

export abstract class EvElement extends UpdatingElement {
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
    // biome-ignore lint/complexity/noThisInStatic: `super` must read the subclass's attributes.
    return [...super.observedAttributes, "lang"];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === "lang") this.requestUpdate();
    else super.attributeChangedCallback(name, old, value);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    live.add(this);
    // A page that switches language sets `lang` on <html> or on some ancestor: one
    // observer for the whole page's light DOM re-renders every element (changes inside
    // another component's shadow root are not seen; the element's own `lang` always is).
    pageLang ??= new MutationObserver(() => {
      for (const el of live) el.requestUpdate();
    });
    pageLang.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["lang"],
      subtree: true,
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    live.delete(this);
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

/**
 * Registers an element once, so two copies of the bundle on one page do not throw; where
 * there is no registry (Node, for server rendering or type tools) the module still loads.
 */
export function define(name: string, ctor: CustomElementConstructor): void {
  const registry = globalThis.customElements;
  if (registry && !registry.get(name)) registry.define(name, ctor);
}

/** A `src` resolved against the page, or undefined when unset. */
export const hasSrc = (src: string | undefined): src is string => !!src && src.trim() !== "";
