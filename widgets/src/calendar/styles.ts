import { base } from "../shared/styles.ts";
import { css } from "../shared/updating-element.ts";

export const styles = [
  base,
  css`
    .muted {
      color: var(--_muted);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5em;
      margin-bottom: 0.5em;
    }
    .nav,
    .views {
      display: flex;
      gap: 0.25em;
    }
    .title {
      font-weight: 700;
      font-size: 1.15em;
    }
    .grid {
      width: 100%;
      table-layout: fixed;
      border-collapse: collapse;
    }
    th {
      padding: 0.25em;
      font-weight: 600;
      font-size: 0.85em;
      color: var(--_muted);
    }
    td {
      vertical-align: top;
      height: 5.5em;
      padding: 0.2em;
      border: 1px solid var(--_border);
    }
    td.outside {
      background: var(--_surface);
      color: var(--_muted);
    }
    td.today .num {
      background: var(--_accent);
      color: var(--_accent-fg);
      border-radius: 999px;
      padding: 0 0.4em;
    }
    td.selected {
      box-shadow: inset 0 0 0 2px var(--_accent);
    }
    td:focus-visible {
      outline-offset: -3px;
    }
    .num {
      display: inline-block;
      font-size: 0.85em;
      font-weight: 600;
    }
    .events {
      list-style: none;
      margin: 0.15em 0 0;
      padding: 0;
      font-size: 0.78em;
    }
    .event a,
    .event > span {
      display: block;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
      padding: 0 0.3em;
      margin-bottom: 1px;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      color: var(--_fg);
      text-decoration: none;
    }
    /* Pieces of a multi-day event reach over the cell padding and border to the next. */
    .event.continues a {
      border-top-right-radius: 0;
      border-bottom-right-radius: 0;
      margin-right: calc(-0.2em / 0.78 - 1px);
    }
    .event.continued a {
      border-top-left-radius: 0;
      border-bottom-left-radius: 0;
      margin-left: calc(-0.2em / 0.78 - 1px);
      padding-left: calc(0.3em + 0.2em / 0.78 + 1px);
    }
    .event a,
    .event > span,
    .gap {
      min-height: 1.45em;
    }
    .gap {
      margin-bottom: 1px;
    }
    /* The titled piece of a multi-day event covers the n days it spans in its row: n cell
       widths plus the padding (0.2em of the cell's font) and border between them. */
    .event[class*="span"] {
      position: relative;
      z-index: 1;
    }
    .span2 {
      width: calc(200% + 0.4em / 0.78 + 1px);
    }
    .span3 {
      width: calc(300% + 0.8em / 0.78 + 2px);
    }
    .span4 {
      width: calc(400% + 1.2em / 0.78 + 3px);
    }
    .span5 {
      width: calc(500% + 1.6em / 0.78 + 4px);
    }
    .span6 {
      width: calc(600% + 2em / 0.78 + 5px);
    }
    .span7 {
      width: calc(700% + 2.4em / 0.78 + 6px);
    }
    .event a:hover {
      text-decoration: underline;
    }
    .event.cancelled a {
      text-decoration: line-through;
    }
    .time {
      color: var(--_muted);
    }
    .more {
      padding: 0 0.3em;
      color: var(--_muted);
    }
    .panel {
      margin-top: var(--_space);
    }
    .panel-title {
      font-weight: 700;
      margin-bottom: 0.25em;
    }
    .panel ul,
    .agenda,
    .agenda ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .agenda-day {
      margin-bottom: var(--_space);
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      padding: 0.2em 0;
    }
    .line time {
      min-width: 7em;
      color: var(--_muted);
    }
  `,
];
