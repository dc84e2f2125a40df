/**
 * English and French strings, picked per element from its own or the nearest `lang`
 * (element, ancestors across shadow roots, document, browser). Plain tables rather than
 * @lit/localize: a global localization setup would collide with a host page's own Lit.
 */
export type Lang = "en" | "fr";

export const langOf = (locale: string): Lang =>
  locale.toLowerCase().startsWith("fr") ? "fr" : "en";

/** The element whose `lang` applies to `node`: itself or its nearest ancestor (across shadow roots). */
export function langHolder(node: Node | null): HTMLElement | null {
  for (let n = node; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null))
    if (n instanceof HTMLElement && n.lang) return n;
  return null;
}

/** The BCP 47 tag that applies to `el`: its own `lang` or the nearest ancestor's. */
export const localeOf = (el: Element): string => langHolder(el)?.lang || navigator.language || "en";

/** Strings most elements share (the event list uses them all; each element has its own table too). */
export const common = {
  en: {
    loading: "Loading…",
    retry: "Try again",
    unreachable: (host: string) => `Could not reach the event server ${host}.`,
    notFound: "This was not found on the event server.",
    failed: (detail: string) => `The event server answered with an error: ${detail}`,
    noSource: "No data: set the src attribute or the data property.",
    online: "Online",
    cancelled: "Cancelled",
    postponed: "Postponed",
    tentative: "To be confirmed",
    full: "Full",
    more: "More events",
    noEvents: "No upcoming events.",
    noPastEvents: "No past events.",
  },
  fr: {
    loading: "Chargement…",
    retry: "Réessayer",
    unreachable: (host: string) => `Impossible de joindre le serveur d’événements ${host}.`,
    notFound: "Introuvable sur le serveur d’événements.",
    failed: (detail: string) => `Le serveur d’événements a répondu par une erreur : ${detail}`,
    noSource: "Aucune donnée : indiquez l’attribut src ou la propriété de données.",
    online: "En ligne",
    cancelled: "Annulé",
    postponed: "Reporté",
    tentative: "À confirmer",
    full: "Complet",
    more: "Plus d’événements",
    noEvents: "Aucun événement à venir.",
    noPastEvents: "Aucun événement passé.",
  },
};

export type Common = (typeof common)["en"];
