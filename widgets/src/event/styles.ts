import { base } from "../shared/styles.ts";
import { css } from "../shared/updating-element.ts";

export const styles = [
  base,
  css`
    .muted {
      color: var(--_muted);
    }
    .prose > :first-child {
      margin-top: 0;
    }
    .prose > :last-child {
      margin-bottom: 0;
    }
    .banner {
      display: block;
      width: 100%;
      max-height: 22em;
      object-fit: cover;
      border-radius: var(--_radius);
      margin-bottom: var(--_space);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.5em;
      margin-bottom: 0.5em;
    }
    .title {
      font-size: 1.5em;
      font-weight: 700;
      line-height: 1.2;
    }
    .cancelled .title {
      text-decoration: line-through;
    }
    .details {
      display: grid;
      gap: 0.5em;
      margin: 0 0 var(--_space);
      padding: calc(var(--_space) * 0.75);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .details > div {
      display: grid;
      grid-template-columns: minmax(6em, max-content) 1fr;
      gap: 0.75em;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .zone {
      color: var(--_muted);
    }
    .tags {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      list-style: none;
      padding: 0;
      color: var(--_muted);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em 1.5em;
      align-items: center;
      margin: var(--_space) 0;
    }
    .calendar,
    .share {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3em 0.75em;
      align-items: center;
    }
  `,
];
