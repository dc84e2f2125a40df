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
    input,
    textarea {
      font: inherit;
      color: inherit;
    }
    .banner {
      display: block;
      width: 100%;
      max-height: 14em;
      object-fit: cover;
      border-radius: var(--_radius);
    }
    .header {
      display: flex;
      align-items: center;
      gap: 0.75em;
      margin: var(--_space) 0 0.5em;
    }
    .avatar {
      width: 4em;
      height: 4em;
      border-radius: 50%;
      object-fit: cover;
      border: 2px solid var(--_bg);
    }
    .name {
      font-size: 1.5em;
      font-weight: 700;
      line-height: 1.2;
    }
    .name a {
      color: inherit;
      text-decoration: none;
    }
    .section {
      margin-top: calc(var(--_space) * 1.5);
    }
    .section-title {
      font-size: 1.15em;
      font-weight: 700;
      margin-bottom: 0.5em;
    }
    .resources,
    .posts {
      margin: 0;
      padding-left: 1.2em;
    }
    .post {
      margin-bottom: 0.5em;
    }
    .follow {
      padding: calc(var(--_space) * 0.75);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .follow p {
      margin: 0 0 0.5em;
    }
    .follow label {
      display: block;
      font-weight: 600;
      margin-bottom: 0.25em;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
    }
    .row input {
      flex: 1 1 14em;
      padding: 0.45em 0.6em;
      border: 1px solid var(--_muted);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
    }
    .follow #follow-status {
      margin: 0.5em 0 0;
    }
    .follow #follow-status:empty {
      display: none;
    }
  `,
];
