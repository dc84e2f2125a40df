import { base } from "../shared/styles.ts";
import { css } from "../shared/updating-element.ts";

export const styles = [
  base,
  css`
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: calc(var(--_space) * 0.75);
    }
    .item {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.75em;
      align-items: start;
      /* Long lists: items out of view skip layout and paint until scrolled to. */
      content-visibility: auto;
      contain-intrinsic-size: auto 4.5em;
    }
    .date {
      display: grid;
      justify-items: center;
      min-width: 3.4em;
      padding: 0.25em 0.4em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      line-height: 1.15;
      font-size: 0.85em;
    }
    .dom {
      font-size: 1.5em;
      font-weight: 700;
    }
    .dow,
    .mon {
      text-transform: uppercase;
      font-size: 0.8em;
      color: var(--_muted);
    }
    .title {
      font-weight: 600;
      font-size: 1.05em;
    }
    .meta {
      margin: 0.15em 0 0;
      color: var(--_muted);
      font-size: 0.92em;
    }
    .cancelled .title a {
      text-decoration: line-through;
    }
    .compact {
      gap: 0.25em;
    }
    .compact .item {
      display: block;
      contain-intrinsic-size: auto 1.5em;
    }
    .compact .date {
      display: none;
    }
    .compact .title,
    .compact .meta {
      display: inline;
      font-size: 1em;
    }
    .compact .title::after {
      content: " — ";
      color: var(--_muted);
    }
    .cards {
      grid-template-columns: repeat(auto-fill, minmax(15em, 1fr));
    }
    .cards .item {
      grid-template-columns: 1fr;
      grid-template-rows: auto;
      padding: calc(var(--_space) * 0.75);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .cards .date {
      justify-self: start;
      background: var(--_bg);
    }
    .banner {
      width: 100%;
      aspect-ratio: 16 / 9;
      object-fit: cover;
      border-radius: calc(var(--_radius) / 2);
    }
    .more {
      margin-top: var(--_space);
    }
  `,
];
