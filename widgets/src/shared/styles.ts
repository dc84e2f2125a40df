/**
 * Theme tokens. Every public knob is an `--ev-*` custom property read once here into a
 * private `--_*` one with its default; light and dark defaults come from `light-dark()`
 * and the `color-scheme` the `theme` attribute (or the visitor's preference) selects.
 * Text uses the host page's font unless `--ev-font` says otherwise.
 *
 * Only what every element needs is here (the event list, the most embedded, loads nothing
 * else): each element's styles.ts adds the rules only some need (`.muted`, `.prose`,
 * `.visually-hidden`, form fields, `--_success`), before its own.
 */
import { css } from "./updating-element.ts";

export const base = css`
  :host {
    --_fg: var(--ev-fg, light-dark(#1f2328, #e6e8eb));
    --_bg: var(--ev-bg, light-dark(#fff, #16181d));
    --_muted: var(--ev-muted, light-dark(#57606a, #a3acb6));
    --_border: var(--ev-border, light-dark(#d0d7de, #3d444d));
    --_surface: var(--ev-surface, light-dark(#f6f8fa, #20242b));
    --_accent: var(--ev-accent, light-dark(#0a57c2, #7fb2ff));
    --_accent-fg: var(--ev-accent-fg, light-dark(#fff, #0b1220));
    --_danger: var(--ev-danger, light-dark(#b3261e, #ff8f87));
    --_warning: var(--ev-warning, light-dark(#7a4a00, #ffc873));
    --_radius: var(--ev-radius, 8px);
    --_space: var(--ev-space, 1rem);
    display: block;
    color-scheme: light dark;
    font-family: var(--ev-font, inherit);
    font-size: var(--ev-font-size, inherit);
    line-height: 1.45;
    color: var(--_fg);
    background: var(--_bg);
  }
  :host([theme="light"]) {
    color-scheme: light;
  }
  :host([theme="dark"]) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  a {
    color: var(--_accent);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    padding: 0.4em 0.9em;
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .status {
    margin: 0;
    padding: calc(var(--_space) / 2) 0;
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
  .error p {
    margin: 0 0 0.5em;
  }
  .badges {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0.3em;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_warning);
  }
  .badge.cancelled,
  .badge.full {
    color: var(--_danger);
  }
`;
