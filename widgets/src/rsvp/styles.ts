import { base } from "../shared/styles.ts";
import { css } from "../shared/updating-element.ts";

export const styles = [
  base,
  css`
    :host {
      --_success: var(--ev-success, light-dark(#1a6b38, #86d49d));
    }
    .muted {
      color: var(--_muted);
    }
    input,
    textarea {
      font: inherit;
      color: inherit;
    }
    .title {
      font-size: 1.25em;
      font-weight: 700;
      margin-bottom: 0.5em;
    }
    form {
      display: grid;
      gap: 0.75em;
      max-width: 32em;
    }
    .field {
      display: grid;
      gap: 0.25em;
    }
    label {
      font-weight: 600;
    }
    input,
    textarea {
      width: 100%;
      padding: 0.45em 0.6em;
      border: 1px solid var(--_muted);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
    }
    [aria-invalid="true"] {
      border-color: var(--_danger);
      box-shadow: 0 0 0 1px var(--_danger);
    }
    .field-error,
    .alert {
      margin: 0;
      color: var(--_danger);
      font-weight: 600;
    }
    .notice {
      margin: 0 0 0.5em;
      font-weight: 600;
      color: var(--_warning);
    }
    .small {
      margin: 0;
      font-size: 0.85em;
    }
    button[type="submit"] {
      justify-self: start;
    }
    .hp {
      position: absolute;
      left: -10000px;
      width: 1px;
      height: 1px;
      overflow: hidden;
    }
    .result {
      padding: calc(var(--_space) * 0.75);
      border: 1px solid currentColor;
      border-left-width: 4px;
      border-radius: var(--_radius);
      color: var(--_success);
    }
    .result.bad {
      color: var(--_danger);
    }
    .result p {
      margin: 0 0 0.5em;
      color: var(--_fg);
    }
    .result p:last-child {
      margin: 0;
    }
    .result:focus {
      outline: 2px solid var(--_accent);
    }
    .buttons {
      display: flex;
      gap: 0.5em;
    }
  `,
];
