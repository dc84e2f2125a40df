/**
 * `<ev-rich-text>`: a small rich-text editor for descriptions. A `contenteditable` region
 * with a toolbar (bold, italic, link, bulleted and numbered list, heading), Ctrl+B/I/K, and an
 * "HTML source" view. It takes part in its form like a textarea (form-associated, `name`).
 *
 * What it produces is limited to the allowlist the server enforces
 * (packages/core/src/html-allowlist.ts): every value and every paste goes through
 * `normalizeHtml`, which rebuilds the content from an inert DOMParser document keeping only
 * allowed elements, no attribute but a checked link `href` (and `lang`), no style, class or
 * handler. Editing goes through `execCommand`, so the browser's undo (Ctrl+Z) keeps working.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations } from "lit";
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  DROPPED_WITH_CONTENT,
  isAllowedLink,
} from "../../../packages/core/src/html-allowlist.ts";
import { tables } from "./strings.ts";
import { themeStyles } from "./theme.ts";

/** What the editor writes for elements the browser creates (b → strong, i → em, div → p). */
const RENAME: Record<string, string> = { b: "strong", i: "em", div: "p", h1: "h2" };
const ALLOWED = new Set(ALLOWED_TAGS);
const DROPPED = new Set([
  ...DROPPED_WITH_CONTENT,
  "x-dropped",
  "head",
  "iframe",
  "object",
  "embed",
  "select",
  "img",
  "video",
  "audio",
  "picture",
  "canvas",
  "input",
  "button",
]);
const BLOCKS = new Set(["p", "ul", "ol", "blockquote", "pre", "h2", "h3", "h4", "hr"]);

function copyInto(from: Node, to: Node, doc: Document): void {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(doc.createTextNode(node.nodeValue ?? ""));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const source = node as Element;
    const raw = source.localName.toLowerCase();
    if (DROPPED.has(raw)) continue;
    const tag = RENAME[raw] ?? raw;
    if (!ALLOWED.has(tag) || (tag === "span" && !source.getAttribute("lang"))) {
      copyInto(source, to, doc);
      continue;
    }
    const el = doc.createElement(tag);
    for (const name of ALLOWED_ATTRIBUTES[tag] ?? []) {
      const value = source.getAttribute(name);
      if (value === null) continue;
      if (name === "href" && !isAllowedLink(value)) continue;
      el.setAttribute(name, value);
    }
    if (tag === "a" && !el.hasAttribute("href")) {
      copyInto(source, to, doc);
      continue;
    }
    copyInto(source, el, doc);
    to.appendChild(el);
  }
}

/**
 * Renames handler and style attributes and `<style>`, `<base>`, `<meta>` and `<link>` elements
 * before parsing. Not a safety
 * measure (the copy above keeps none of them, and the page's CSP would block them): an inert
 * parse still reports them to the page's CSP, and a paste should not fill the console with
 * violation reports.
 */
function defang(html: string): string {
  return html
    .replace(/<(\/?)(style|base|meta|link)\b/gi, "<$1x-dropped")
    .replace(/<[a-z](?:[^>"']|"[^"]*"|'[^']*')*>?/gi, (tag) =>
      tag.replace(/([\s"'/])(on[a-z-]*|style)(?=[\s=/>]|$)/gi, "$1data-dropped"),
    );
}

/**
 * `html` limited to the allowlist, as a fragment of `doc`'s nodes: inline runs at the top
 * level are wrapped in paragraphs, empty paragraphs are dropped.
 */
export function normalizeFragment(html: string, doc: Document = document): DocumentFragment {
  const inert = new DOMParser().parseFromString(`<body>${defang(html)}</body>`, "text/html");
  const flat = doc.createDocumentFragment();
  copyInto(inert.body, flat, doc);
  const out = doc.createDocumentFragment();
  let para: HTMLElement | null = null;
  for (const node of [...flat.childNodes]) {
    const block = node.nodeType === Node.ELEMENT_NODE && BLOCKS.has((node as Element).localName);
    if (block) {
      para = null;
      out.appendChild(node);
    } else if (
      node.nodeType === Node.ELEMENT_NODE &&
      (node as Element).localName === "br" &&
      para === null
    ) {
      // A stray line break between blocks carries nothing.
    } else {
      para ??= out.appendChild(doc.createElement("p"));
      para.appendChild(node);
    }
  }
  for (const p of [...out.querySelectorAll("p, h2, h3, h4, li")]) {
    while (p.lastChild?.nodeName === "BR" && p.childNodes.length > 0) p.lastChild.remove();
    if (!p.textContent?.trim() && p.localName !== "li") p.remove();
  }
  return out;
}

/** `html` limited to the allowlist, as a string (what the editor submits). */
export function normalizeHtml(html: string): string {
  const box = document.createElement("div");
  box.appendChild(normalizeFragment(html));
  return box.innerHTML;
}

type Command = "bold" | "italic" | "link" | "ul" | "ol" | "h3";

/** The editor's labels: the console's tables hold them in each language. */
export type RichTextStrings = (typeof tables)["en"]["richText"];

/**
 * A rich-text field. Set `name` (form field), `label` (the editing region's accessible name),
 * `value` (initial HTML) and optionally `strings`; `describedby` text is read as its description.
 */
export class RichText extends LitElement {
  static formAssociated = true;
  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
      }
      [role="toolbar"] {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        padding: 0.25rem;
        border: 1px solid var(--_border);
        border-bottom: none;
        border-radius: calc(var(--_radius) / 2) calc(var(--_radius) / 2) 0 0;
        background: var(--_surface);
      }
      [role="toolbar"] button {
        min-height: 2.5rem;
        min-width: 2.5rem;
        padding: 0.2em 0.6em;
        background: var(--_bg);
        color: inherit;
        border: 1px solid var(--_border);
      }
      [role="toolbar"] button[aria-pressed="true"] {
        background: var(--_accent);
        color: var(--_accent-fg);
        border-color: var(--_accent);
      }
      .b {
        font-weight: 700;
      }
      .i {
        font-style: italic;
      }
      .editor,
      textarea {
        font: inherit;
        color: inherit;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: 0 0 calc(var(--_radius) / 2) calc(var(--_radius) / 2);
        padding: 0.45em 0.6em;
        min-height: 8rem;
        width: 100%;
        box-sizing: border-box;
        overflow-wrap: anywhere;
      }
      textarea {
        resize: vertical;
        font-family: ui-monospace, monospace;
      }
      .editor:focus-visible,
      textarea:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: 1px;
      }
      .editor > :first-child {
        margin-top: 0;
      }
      .editor h3 {
        font-size: 1.1rem;
      }
      .link-row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        padding: 0.5rem;
        border: 1px solid var(--_border);
        border-bottom: none;
      }
      .link-row label {
        display: grid;
        gap: 0.25rem;
        flex: 1 1 14rem;
        font-weight: 600;
      }
      .link-row input {
        font: inherit;
        color: inherit;
        background: var(--_bg);
        border: 1px solid var(--_border);
        padding: 0.45em 0.6em;
        min-height: 2.5rem;
      }
      .hint {
        font-size: 0.9em;
        color: var(--_muted);
        margin: 0.25rem 0 0;
      }
      .error {
        color: var(--_danger);
        margin: 0;
        flex-basis: 100%;
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    name: { reflect: true },
    label: {},
    hint: {},
    value: {},
    invalid: { type: Boolean },
    strings: { attribute: false },
    pressed: { state: true },
    linkOpen: { state: true },
    linkError: { state: true },
    sourceMode: { state: true },
  };
  declare name: string;
  declare label: string;
  /** Help text read as the editing region's description. */
  declare hint: string;
  /** The HTML the editor starts from (normalized before it is shown). */
  declare value: string;
  declare invalid: boolean;
  declare strings: RichTextStrings;
  declare pressed: Record<Command, boolean>;
  declare linkOpen: boolean;
  declare linkError: boolean;
  declare sourceMode: boolean;

  #internals = this.attachInternals();
  #editor: HTMLElement | null = null;
  #range: Range | null = null;
  #loaded: string | undefined;
  #focusIndex = 0;
  #sourceText = "";
  #onSelection = () => this.#selectionChanged();

  constructor() {
    super();
    this.name = "";
    this.label = "";
    this.hint = "";
    this.value = "";
    this.invalid = false;
    this.strings = tables.en.richText;
    this.pressed = { bold: false, italic: false, link: false, ul: false, ol: false, h3: false };
    this.linkOpen = false;
    this.linkError = false;
    this.sourceMode = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("selectionchange", this.#onSelection);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("selectionchange", this.#onSelection);
  }

  /** The current content, normalized to the allowlist. */
  get html(): string {
    if (this.sourceMode) {
      const ta = this.renderRoot.querySelector("textarea");
      return normalizeHtml(ta?.value ?? "");
    }
    if (!this.#editor) return normalizeHtml(this.value);
    return normalizeHtml(this.#editor.innerHTML);
  }

  /** Resets the form value when the form is reset. */
  formResetCallback(): void {
    this.#load(this.value);
  }

  override render() {
    const s = this.strings;
    const button = (cmd: Command, index: number, text: string, cls = "") =>
      html`<button
        type="button"
        class=${cls || nothing}
        tabindex=${index === this.#focusIndex ? "0" : "-1"}
        aria-pressed=${this.pressed[cmd] ? "true" : "false"}
        data-command=${cmd}
        ?disabled=${this.sourceMode}
        @mousedown=${(e: Event) => e.preventDefault()}
        @click=${() => this.#command(cmd)}
      >${text}</button>`;
    return html`<div
        role="toolbar"
        aria-label=${`${s.toolbar}: ${this.label}`}
        aria-controls="editor"
        @keydown=${this.#toolbarKey}
      >
        ${button("bold", 0, s.bold, "b")} ${button("italic", 1, s.italic, "i")}
        ${button("link", 2, s.link)} ${button("ul", 3, s.bulletList)}
        ${button("ol", 4, s.numberedList)} ${button("h3", 5, s.heading)}
        <button
          type="button"
          tabindex=${this.#focusIndex === 6 ? "0" : "-1"}
          aria-pressed=${this.sourceMode ? "true" : "false"}
          data-command="source"
          @click=${this.#toggleSource}
        >${s.source}</button>
      </div>
      ${
        this.linkOpen
          ? html`<div class="link-row">
            <label
              >${s.linkUrl}
              <input
                id="link-url"
                type="url"
                inputmode="url"
                aria-invalid=${this.linkError ? "true" : "false"}
                aria-describedby=${this.linkError ? "link-error" : nothing}
                @keydown=${this.#linkKey}
            /></label>
            <button type="button" @click=${this.#applyLink}>${s.linkApply}</button>
            ${
              this.pressed.link
                ? html`<button type="button" class="secondary" @click=${this.#unlink}>${s.linkRemove}</button>`
                : nothing
            }
            <button type="button" class="secondary" @click=${this.#closeLink}>${s.cancel}</button>
            ${this.linkError ? html`<p class="error" id="link-error" role="alert">${s.linkInvalid}</p>` : nothing}
          </div>`
          : nothing
      }
      <div
        id="editor"
        class="editor"
        role="textbox"
        aria-multiline="true"
        aria-label=${this.label}
        aria-invalid=${this.invalid ? "true" : "false"}
        aria-describedby=${this.hint ? "hint" : nothing}
        contenteditable="true"
        ?hidden=${this.sourceMode}
        @input=${this.#changed}
        @blur=${this.#saveRange}
        @keydown=${this.#key}
        @paste=${this.#paste}
        @drop=${this.#drop}
      ></div>
      ${
        this.sourceMode
          ? html`<textarea
            aria-label=${`${this.label} (${s.source})`}
            aria-describedby=${this.hint ? "hint" : nothing}
            .value=${this.#sourceText}
            @input=${this.#sourceChanged}
          ></textarea>`
          : nothing
      }
      ${this.hint ? html`<p class="hint" id="hint">${this.hint}</p>` : nothing}`;
  }

  protected override firstUpdated(): void {
    this.#editor = this.renderRoot.querySelector<HTMLElement>("#editor");
    this.#load(this.value);
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has("value") && this.#editor && this.value !== this.#loaded) this.#load(this.value);
  }

  #load(value: string): void {
    this.#loaded = value;
    if (!this.#editor) return;
    this.#editor.replaceChildren(normalizeFragment(value));
    this.#sync();
  }

  #sync(): void {
    this.#internals.setFormValue(this.html);
  }

  #changed(): void {
    this.#sync();
    this.#selectionChanged();
  }

  #sourceChanged(): void {
    this.#sync();
  }

  #selection(): Selection | null {
    const root = this.renderRoot as ShadowRoot & { getSelection?: () => Selection | null };
    return root.getSelection?.() ?? document.getSelection();
  }

  /** The selection's range when it lies in the editing region. */
  #currentRange(): Range | null {
    const sel = this.#selection();
    if (!sel || sel.rangeCount === 0 || !this.#editor) return null;
    const r = sel.getRangeAt(0);
    return this.#editor.contains(r.commonAncestorContainer) ? r : null;
  }

  #selectionChanged(): void {
    const r = this.#currentRange();
    if (!r) return;
    this.#range = r.cloneRange();
    const within = (tags: string[]) => {
      let n: Node | null = r.startContainer;
      while (n && n !== this.#editor) {
        if (n.nodeType === Node.ELEMENT_NODE && tags.includes((n as Element).localName))
          return true;
        n = n.parentNode;
      }
      return false;
    };
    const next: Record<Command, boolean> = {
      bold: within(["strong", "b"]),
      italic: within(["em", "i"]),
      link: within(["a"]),
      ul: within(["ul"]),
      ol: within(["ol"]),
      h3: within(["h3"]),
    };
    if ((Object.keys(next) as Command[]).some((k) => next[k] !== this.pressed[k]))
      this.pressed = next;
  }

  /** Puts focus and the last selection back in the editing region (after a toolbar click). */
  #restore(): void {
    if (!this.#editor) return;
    // Still focused (toolbar buttons keep the focus on mouse down): the live selection counts.
    if (this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement === this.#editor)
      return;
    this.#editor.focus();
    const sel = this.#selection();
    // Focusing puts the caret at the start: the range saved when the region lost focus wins.
    if (this.#range && sel) {
      sel.removeAllRanges();
      sel.addRange(this.#range);
    }
  }

  #saveRange(): void {
    const r = this.#currentRange();
    if (r) this.#range = r.cloneRange();
  }

  #exec(command: string, value?: string): void {
    this.#restore();
    document.execCommand("styleWithCSS", false, "false");
    document.execCommand("defaultParagraphSeparator", false, "p");
    document.execCommand(command, false, value);
    this.#changed();
  }

  #command(cmd: Command): void {
    if (cmd === "link") {
      void this.#openLink();
      return;
    }
    const [command, value] = {
      bold: ["bold"],
      italic: ["italic"],
      ul: ["insertUnorderedList"],
      ol: ["insertOrderedList"],
      h3: ["formatBlock", this.pressed.h3 ? "<p>" : "<h3>"],
    }[cmd] as [string, string?];
    this.#exec(command, value);
  }

  async #openLink(): Promise<void> {
    this.#range = this.#currentRange()?.cloneRange() ?? this.#range;
    this.linkOpen = true;
    this.linkError = false;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>("#link-url");
    if (!input) return;
    let n: Node | null = this.#range?.startContainer ?? null;
    while (n && n !== this.#editor && !(n instanceof HTMLAnchorElement)) n = n.parentNode;
    input.value = n instanceof HTMLAnchorElement ? (n.getAttribute("href") ?? "") : "";
    input.focus();
  }

  #linkKey(e: KeyboardEvent): void {
    if (e.key === "Enter") {
      e.preventDefault();
      this.#applyLink();
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.#closeLink();
    }
  }

  #applyLink(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>("#link-url");
    const url = input?.value.trim() ?? "";
    if (!isAllowedLink(url)) {
      this.linkError = true;
      input?.focus();
      return;
    }
    this.linkOpen = false;
    this.linkError = false;
    this.#restore();
    const r = this.#currentRange();
    if (r?.collapsed) {
      // Nothing selected: the address itself becomes the link's text.
      this.#exec("insertText", url);
      const at = this.#currentRange();
      const node = at?.startContainer;
      if (node?.nodeType === Node.TEXT_NODE && at!.startOffset >= url.length)
        this.#selection()?.setBaseAndExtent(
          node,
          at!.startOffset - url.length,
          node,
          at!.startOffset,
        );
    }
    this.#exec("createLink", url);
  }

  #unlink(): void {
    this.linkOpen = false;
    this.#exec("unlink");
  }

  #closeLink(): void {
    this.linkOpen = false;
    this.linkError = false;
    this.#restore();
  }

  #key(e: KeyboardEvent): void {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const k = e.key.toLowerCase();
    const cmd: Command | undefined =
      k === "b" ? "bold" : k === "i" ? "italic" : k === "k" ? "link" : undefined;
    if (!cmd) return;
    e.preventDefault();
    this.#command(cmd);
  }

  /** Arrow keys move between toolbar buttons; one of them is in the tab order. */
  #toolbarKey(e: KeyboardEvent): void {
    const buttons = [
      ...this.renderRoot.querySelectorAll<HTMLButtonElement>("[role=toolbar] button"),
    ];
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    let next = i;
    if (e.key === "ArrowRight") next = (i + 1) % buttons.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + buttons.length) % buttons.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = buttons.length - 1;
    else return;
    e.preventDefault();
    this.#focusIndex = next;
    this.requestUpdate();
    buttons[next]!.focus();
  }

  /**
   * Pasted or dropped content is inserted only after normalization: no image, script or style.
   * Plain text goes through `insertText` (undoable); rich HTML is placed with DOM ranges, as
   * `insertHTML` would wrap it in inline-styled spans the page's CSP refuses.
   */
  #insertClean(data: DataTransfer | null): void {
    if (!data) return;
    const rich = data.getData("text/html");
    if (!rich) {
      const text = data.getData("text/plain");
      if (text) this.#exec("insertText", text);
      return;
    }
    this.#restore();
    const r = this.#currentRange();
    if (!r) return;
    const fragment = normalizeFragment(rich);
    const last = fragment.lastChild;
    if (!last) return;
    r.deleteContents();
    r.insertNode(fragment);
    const sel = this.#selection();
    const after = document.createRange();
    after.setStartAfter(last);
    after.collapse(true);
    sel?.removeAllRanges();
    sel?.addRange(after);
    this.#changed();
  }

  #paste(e: ClipboardEvent): void {
    e.preventDefault();
    this.#insertClean(e.clipboardData);
  }

  #drop(e: DragEvent): void {
    e.preventDefault();
    this.#insertClean(e.dataTransfer);
  }

  async #toggleSource(): Promise<void> {
    if (this.sourceMode) {
      const ta = this.renderRoot.querySelector("textarea");
      const value = ta?.value ?? "";
      this.sourceMode = false;
      await this.updateComplete;
      this.#editor?.replaceChildren(normalizeFragment(value));
      this.#sync();
      this.#editor?.focus();
    } else {
      this.#sourceText = this.html;
      this.sourceMode = true;
      await this.updateComplete;
      this.renderRoot.querySelector("textarea")?.focus();
    }
  }
}

if (!customElements.get("ev-rich-text")) customElements.define("ev-rich-text", RichText);
