/** Atom 1.0 feed of events (RFC 4287). */
import type { EventJson } from "./json.ts";
import { escapeXml, formatWhenWhere } from "./text.ts";

export interface FeedInfo {
  /** The feed's own URL (rel=self). */
  id: string;
  title: string;
  subtitle?: string;
  /** HTML page the feed belongs to. */
  url: string;
  /** Most recent change; defaults to the newest entry's updatedAt. */
  updated?: string;
}

export function toAtom(events: EventJson[], info: FeedInfo): string {
  const updated =
    info.updated ??
    // biome-ignore lint/complexity/useMathMinMax: ISO strings compare as text; Math.max would give NaN.
    events.reduce((max, e) => (e.updatedAt > max ? e.updatedAt : max), "1970-01-01T00:00:00.000Z");
  const entries = events.map((e) => {
    const author = e.group ?? e.organizer;
    const when = formatWhenWhere(e);
    const body = `<p><strong>${escapeXml(when)}</strong></p>${e.description}`;
    return [
      "  <entry>",
      `    <id>${escapeXml(e.occurrence ? `${e.url}#${e.occurrence}` : e.url)}</id>`,
      `    <title>${escapeXml(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>`,
      `    <link rel="related" type="text/calendar" href="${escapeXml(e.icsUrl)}"/>`,
      `    <updated>${e.updatedAt}</updated>`,
      `    <published>${e.createdAt}</published>`,
      `    <author><name>${escapeXml(author.name)}</name><uri>${escapeXml(author.url)}</uri></author>`,
      ...[e.category, ...e.tags].map((t) => `    <category term="${escapeXml(t)}"/>`),
      `    <summary>${escapeXml(when)}</summary>`,
      `    <content type="html">${escapeXml(body)}</content>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(info.id)}</id>`,
    `  <title>${escapeXml(info.title)}</title>`,
    ...(info.subtitle ? [`  <subtitle>${escapeXml(info.subtitle)}</subtitle>`] : []),
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(info.id)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(info.url)}"/>`,
    `  <updated>${updated}</updated>`,
    '  <generator uri="https://eventail.org">Eventail</generator>',
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
