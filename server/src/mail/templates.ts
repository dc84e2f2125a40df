/**
 * Participant emails in English and French, plain text and HTML. Everything that came from
 * people (names, event titles, messages) is escaped in the HTML part.
 */
import { type EventJson, escapeXml as esc, formatAddress, formatWhen } from "@eventail/core";

export type Lang = "en" | "fr";

interface Strings {
  confirmSubject(title: string): string;
  confirmIntro(name: string, title: string): string;
  confirmAction: string;
  confirmExpiry: string;
  cancelAction: string;
  ignore: string;
  when: string;
  where: string;
  online: string;
  decisionSubject(title: string, approved: boolean): string;
  approved(name: string, title: string): string;
  rejected(name: string, title: string): string;
  promotedSubject(title: string): string;
  promoted(name: string, title: string): string;
  messageSubject(title: string): string;
  messageIntro(title: string): string;
  footer: string;
}

const STRINGS: Record<Lang, Strings> = {
  en: {
    confirmSubject: (t) => `Confirm your registration: ${t}`,
    confirmIntro: (n, t) => `Hello ${n}, you asked to take part in “${t}”.`,
    confirmAction: "Confirm my registration",
    confirmExpiry: "This link works once, within 48 hours.",
    cancelAction: "Cancel my registration",
    ignore: "If you did not ask for this, ignore this email: nothing happens without a click.",
    when: "When",
    where: "Where",
    online: "Online",
    decisionSubject: (t, ok) => (ok ? `You're in: ${t}` : `Registration declined: ${t}`),
    approved: (n, t) => `Hello ${n}, the organizers approved your registration to “${t}”.`,
    rejected: (n, t) => `Hello ${n}, the organizers could not accept your registration to “${t}”.`,
    promotedSubject: (t) => `A place opened up: ${t}`,
    promoted: (n, t) => `Hello ${n}, a place opened up and you are now registered for “${t}”.`,
    messageSubject: (t) => `Message from the organizers: ${t}`,
    messageIntro: (t) => `The organizers of “${t}” wrote to the participants:`,
    footer: "Sent by Eventail for the event's organizers. Your data is erased after the event.",
  },
  fr: {
    confirmSubject: (t) => `Confirmez votre inscription : ${t}`,
    confirmIntro: (n, t) => `Bonjour ${n}, vous avez demandé à participer à « ${t} ».`,
    confirmAction: "Confirmer mon inscription",
    confirmExpiry: "Ce lien ne fonctionne qu'une fois, pendant 48 heures.",
    cancelAction: "Annuler mon inscription",
    ignore: "Si vous n'avez rien demandé, ignorez ce message : rien ne se passe sans clic.",
    when: "Quand",
    where: "Où",
    online: "En ligne",
    decisionSubject: (t, ok) => (ok ? `Inscription acceptée : ${t}` : `Inscription refusée : ${t}`),
    approved: (n, t) => `Bonjour ${n}, les organisateurs ont accepté votre inscription à « ${t} ».`,
    rejected: (n, t) =>
      `Bonjour ${n}, les organisateurs n'ont pas pu accepter votre inscription à « ${t} ».`,
    promotedSubject: (t) => `Une place s'est libérée : ${t}`,
    promoted: (n, t) => `Bonjour ${n}, une place s'est libérée : vous êtes inscrit·e à « ${t} ».`,
    messageSubject: (t) => `Message des organisateurs : ${t}`,
    messageIntro: (t) => `Les organisateurs de « ${t} » écrivent aux participants :`,
    footer:
      "Envoyé par Eventail pour les organisateurs. Vos données sont effacées après l'événement.",
  },
};

function details(e: EventJson, lang: Lang): { text: string; html: string } {
  const s = STRINGS[lang];
  const when = formatWhen(e, lang);
  const where = formatAddress(e.address);
  const lines = [
    `${s.when}: ${when}`,
    ...(where ? [`${s.where}: ${where}`] : []),
    ...(e.onlineUrl ? [`${s.online}: ${e.onlineUrl}`] : []),
    e.url,
  ];
  const html = `<p><strong>${esc(s.when)}</strong> ${esc(when)}${where ? `<br><strong>${esc(s.where)}</strong> ${esc(where)}` : ""}${
    e.onlineUrl
      ? `<br><strong>${esc(s.online)}</strong> <a href="${esc(e.onlineUrl)}">${esc(e.onlineUrl)}</a>`
      : ""
  }<br><a href="${esc(e.url)}">${esc(e.url)}</a></p>`;
  return { text: lines.join("\n"), html };
}

function page(body: string, lang: Lang): string {
  return `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">${body}<p style="color:#666;font-size:.85em">${esc(STRINGS[lang].footer)}</p></body></html>`;
}

function button(href: string, label: string): string {
  return `<p><a href="${esc(href)}" style="display:inline-block;padding:.6em 1.2em;background:#3b5bdb;color:#fff;border-radius:.4em;text-decoration:none">${esc(label)}</a></p>`;
}

export function confirmationMail(
  e: EventJson,
  p: { name: string; lang: Lang; confirmUrl: string; cancelUrl: string },
) {
  const s = STRINGS[p.lang];
  const d = details(e, p.lang);
  return {
    subject: s.confirmSubject(e.title),
    text: [
      s.confirmIntro(p.name, e.title),
      "",
      d.text,
      "",
      `${s.confirmAction}: ${p.confirmUrl}`,
      s.confirmExpiry,
      "",
      `${s.cancelAction}: ${p.cancelUrl}`,
      "",
      s.ignore,
      "",
      s.footer,
    ].join("\n"),
    html: page(
      `<p>${esc(s.confirmIntro(p.name, e.title))}</p>${d.html}${button(p.confirmUrl, s.confirmAction)}<p>${esc(s.confirmExpiry)}</p><p><a href="${esc(p.cancelUrl)}">${esc(s.cancelAction)}</a></p><p>${esc(s.ignore)}</p>`,
      p.lang,
    ),
  };
}

export function decisionMail(
  e: EventJson,
  p: { name: string; lang: Lang; approved: boolean; cancelUrl: string },
) {
  const s = STRINGS[p.lang];
  const d = details(e, p.lang);
  const intro = p.approved ? s.approved(p.name, e.title) : s.rejected(p.name, e.title);
  const cancel = p.approved ? `\n\n${s.cancelAction}: ${p.cancelUrl}` : "";
  return {
    subject: s.decisionSubject(e.title, p.approved),
    text: `${intro}\n\n${d.text}${cancel}\n\n${s.footer}`,
    html: page(
      `<p>${esc(intro)}</p>${d.html}${p.approved ? `<p><a href="${esc(p.cancelUrl)}">${esc(s.cancelAction)}</a></p>` : ""}`,
      p.lang,
    ),
  };
}

export function promotedMail(e: EventJson, p: { name: string; lang: Lang; cancelUrl: string }) {
  const s = STRINGS[p.lang];
  const d = details(e, p.lang);
  const intro = s.promoted(p.name, e.title);
  return {
    subject: s.promotedSubject(e.title),
    text: `${intro}\n\n${d.text}\n\n${s.cancelAction}: ${p.cancelUrl}\n\n${s.footer}`,
    html: page(
      `<p>${esc(intro)}</p>${d.html}<p><a href="${esc(p.cancelUrl)}">${esc(s.cancelAction)}</a></p>`,
      p.lang,
    ),
  };
}

export function organizerMessageMail(
  e: EventJson,
  p: { lang: Lang; subject: string; body: string },
) {
  const s = STRINGS[p.lang];
  const d = details(e, p.lang);
  return {
    subject: `${s.messageSubject(e.title)}${p.subject ? ` · ${p.subject}` : ""}`,
    text: `${s.messageIntro(e.title)}\n\n${p.body}\n\n${d.text}\n\n${s.footer}`,
    html: page(
      `<p>${esc(s.messageIntro(e.title))}</p><blockquote style="white-space:pre-wrap">${esc(p.body)}</blockquote>${d.html}`,
      p.lang,
    ),
  };
}

const RESET = {
  en: {
    subject: (instance: string) => `Reset your password on ${instance}`,
    intro: (instance: string) =>
      `Someone (hopefully you) asked to reset the password of your account on ${instance}.`,
    action: "Choose a new password",
    expiry:
      "This link works once, within one hour. Choosing a new password signs you out everywhere.",
    ignore: "If you did not ask for this, ignore this email: your password stays as it is.",
  },
  fr: {
    subject: (instance: string) => `Réinitialiser votre mot de passe sur ${instance}`,
    intro: (instance: string) =>
      `Quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte sur ${instance}.`,
    action: "Choisir un nouveau mot de passe",
    expiry:
      "Ce lien ne fonctionne qu'une fois, pendant une heure. Choisir un nouveau mot de passe vous déconnecte partout.",
    ignore: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
  },
} as const;

/** The password reset link (to the console's reset screen). */
export function passwordResetMail(p: { lang: Lang; instance: string; url: string }) {
  const s = RESET[p.lang];
  return {
    subject: s.subject(p.instance),
    text: [s.intro(p.instance), "", `${s.action}: ${p.url}`, "", s.expiry, "", s.ignore].join("\n"),
    html: `<!doctype html><html lang="${p.lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem"><p>${esc(s.intro(p.instance))}</p>${button(p.url, s.action)}<p>${esc(s.expiry)}</p><p style="color:#666">${esc(s.ignore)}</p></body></html>`,
  };
}

/** The admin's SMTP test. */
export function smtpTestMail(instance: string, origin: string) {
  const text = `This is a test email from ${instance} (${origin}): outgoing email works.`;
  return {
    subject: `Test email from ${instance}`,
    text,
    html: `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif"><p>${esc(text)}</p></body></html>`,
  };
}

/** An announcement from the instance's admins to every active account (plain text). */
export function announcementMail(instance: string, origin: string, subject: string, body: string) {
  const footer = `Sent to every account of ${instance} (${origin}) by its administrators.`;
  return {
    subject: `[${instance}] ${subject}`,
    text: `${body}\n\n-- \n${footer}`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem"><div style="white-space:pre-wrap">${esc(body)}</div><p style="color:#666;font-size:.85em">${esc(footer)}</p></body></html>`,
  };
}
