/**
 * The reactive half of LitElement, cut to what the widgets use, over Lit's own templating
 * (lit-html). LitElement plus ReactiveElement weigh about 2.8 KB gzipped; this is a tenth of
 * that, and it is what lets the event list fit its 9 KB budget with Lit's renderer included
 * (decision 0012). Same names and order as Lit, so the elements read like Lit elements:
 *
 * - `static properties` ({ attribute, type: Number | Boolean, reflect, state }) become
 *   accessors; attributes convert as Lit's default converter does;
 * - a change schedules one update per microtask: `willUpdate(changed)`, the controllers'
 *   `hostUpdate()`, reflection, `render()` into an open shadow root, `updated(changed)`;
 *   `updateComplete` resolves after it;
 * - `static styles` (strings from `css```, or arrays of them) are adopted as one
 *   constructable stylesheet per class (no <style>, so a strict CSP holds);
 * - properties set before the element was defined (a lazy-loaded bundle) are kept.
 *
 * Not supported, because nothing here needs it: custom converters and `hasChanged`,
 * `shouldUpdate`, `firstUpdated`, async directives' reconnection, other controller hooks.
 */
import { render } from "lit/html.js";

export interface PropertyDeclaration {
  /** Attribute name (default, or true: the property name lowercased); false for none. */
  attribute?: string | boolean;
  type?: typeof Number | typeof Boolean;
  reflect?: boolean;
  /** Internal state: documents intent (it also needs `attribute: false`). */
  state?: boolean;
}
export type PropertyDeclarations = Record<string, PropertyDeclaration>;
/** Changed property names with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;

/** Something updated with its host: the widgets' Task. */
export interface Controller {
  hostUpdate(): void;
}

/** A static stylesheet's text (minified at build time; see rollup.config.js). */
export const css = (strings: TemplateStringsArray): string => strings.join("");

type Styles = string | Styles[];

interface Finalized {
  decls: PropertyDeclarations;
  /** attribute name → property name */
  attrs: Map<string, string>;
  sheet?: CSSStyleSheet;
}

const attributeOf = (key: string, d: PropertyDeclaration) =>
  typeof d.attribute === "string" ? d.attribute : key.toLowerCase();

const classes = new WeakMap<object, Finalized>();

/** The element class's merged declarations and accessors, made once per class. */
function finalize(cls: typeof UpdatingElement): Finalized {
  let f = classes.get(cls);
  if (f) return f;
  const decls: PropertyDeclarations = {};
  // Own declarations first, so a subclass overrides its parent's.
  for (let c = cls; c !== UpdatingElement; c = Object.getPrototypeOf(c))
    if (Object.hasOwn(c, "properties")) for (const k in c.properties) decls[k] ??= c.properties[k]!;
  const attrs = new Map<string, string>();
  for (const [key, d] of Object.entries(decls)) {
    if (d.attribute !== false) attrs.set(attributeOf(key, d), key);
    Object.defineProperty(cls.prototype, key, {
      get(this: UpdatingElement) {
        return this.__values.get(key);
      },
      set(this: UpdatingElement, value: unknown) {
        const old = this.__values.get(key);
        if (old !== value) {
          this.__values.set(key, value);
          this.requestUpdate(key, old);
        }
      },
      configurable: true,
    });
  }
  f = { decls, attrs };
  classes.set(cls, f);
  return f;
}

// Node (server rendering, type tools) has no DOM: the modules still load there.
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

export abstract class UpdatingElement extends Base {
  static properties: PropertyDeclarations = {};
  static styles?: Styles;

  static get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: the subclass being defined, not this class.
    return [...finalize(this).attrs.keys()];
  }

  /** The open shadow root everything renders into (made on first connection). */
  declare renderRoot: ShadowRoot;
  /** @internal property values behind the accessors */
  __values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  #controllers: Controller[] = [];
  #saved = new Map<string, unknown>();
  #connect!: () => void;
  #connected = new Promise<void>((r) => {
    this.#connect = r;
  });
  #pending = false;
  #update: Promise<boolean> = Promise.resolve(true);

  constructor() {
    super();
    const { decls } = finalize(this.constructor as typeof UpdatingElement);
    // Properties set on the element before its class was defined shadow the accessors:
    // take them back, and apply them at the first update (after the defaults).
    for (const key in decls)
      if (Object.hasOwn(this, key)) {
        this.#saved.set(key, this[key as keyof this]);
        delete this[key as keyof this];
      }
    this.requestUpdate();
  }

  addController(c: Controller): void {
    this.#controllers.push(c);
  }

  connectedCallback(): void {
    if (!this.renderRoot) {
      this.renderRoot = this.attachShadow({ mode: "open" });
      const cls = this.constructor as typeof UpdatingElement;
      const f = finalize(cls);
      if (!f.sheet && cls.styles) {
        f.sheet = new CSSStyleSheet();
        f.sheet.replaceSync(([cls.styles] as unknown[]).flat(9).join(""));
      }
      if (f.sheet) this.renderRoot.adoptedStyleSheets = [f.sheet];
    }
    this.#connect();
  }

  disconnectedCallback(): void {}

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    const { attrs, decls } = finalize(this.constructor as typeof UpdatingElement);
    const key = attrs.get(name);
    if (!key) return;
    const type = decls[key]!.type;
    (this as Record<string, unknown>)[key] =
      type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value;
  }

  /** Schedules an update (batched per microtask); `name` marks a changed property. */
  requestUpdate(name?: PropertyKey, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    if (this.#pending) return;
    this.#pending = true;
    this.#update = this.#enqueue();
  }

  /** Resolves once the pending update has rendered; true when no other one is pending. */
  get updateComplete(): Promise<boolean> {
    return this.#update;
  }

  async #enqueue(): Promise<boolean> {
    await this.#connected;
    for (const [key, value] of this.#saved) (this as Record<string, unknown>)[key] = value;
    this.#saved.clear();
    const changed = this.#changed;
    this.willUpdate(changed);
    for (const c of this.#controllers) c.hostUpdate();
    const { decls } = finalize(this.constructor as typeof UpdatingElement);
    for (const key of changed.keys()) {
      const d = decls[key as string];
      if (!d?.reflect) continue;
      const attr = attributeOf(key as string, d);
      const value = (this as Record<string, unknown>)[key as string];
      // The attribute's echo sets the same value again: no change, no update.
      if (value == null || value === false) this.removeAttribute(attr);
      else this.setAttribute(attr, value === true ? "" : String(value));
    }
    // Changes from here on (render, updated) schedule the next update.
    this.#changed = new Map();
    this.#pending = false;
    render(this.render(), this.renderRoot, { host: this });
    this.updated(changed);
    return !this.#pending;
  }

  protected willUpdate(_changed: PropertyValues): void {}
  protected abstract render(): unknown;
  protected updated(_changed: PropertyValues): void {}
}
