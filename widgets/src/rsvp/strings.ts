const minutes = (s: number) => Math.max(1, Math.ceil(s / 60));

export const strings = {
  en: {
    title: "Register",
    name: "Your name",
    email: "Your email",
    message: "Message to the organizers (optional)",
    honeypot: "Leave this field empty",
    submit: "Register",
    sending: "Sending…",
    privacy:
      "Your email is only used for this event: to confirm and, if needed, to tell you about changes.",
    fullNotice: "This event is full: you will join the waiting list.",
    sent: (email: string) =>
      `Check your email: we sent a link to ${email}. Open it within 48 hours to confirm.`,
    duplicate: "You had already answered for this event with this email.",
    confirmed: "You are registered. See you there!",
    waitlisted: (n: number | null | undefined) =>
      n
        ? `You are on the waiting list, position ${n}. We will email you if a place frees up.`
        : "You are on the waiting list. We will email you if a place frees up.",
    awaitingApproval: "Your request has been sent to the organizers; they will answer by email.",
    cancelled: "Your participation is cancelled.",
    rejected: "The organizers declined this participation.",
    closed: "Registration is closed for this event.",
    eventCancelled: "This event is cancelled.",
    external: "Registration for this event happens on another site:",
    externalLink: (host: string) => `Register on ${host}`,
    invite: "This event is by invitation only.",
    limited: (s: number | undefined) =>
      s
        ? `Too many attempts. Try again in ${minutes(s)} minute${minutes(s) === 1 ? "" : "s"}.`
        : "Too many attempts. Try again later.",
    expired: "This link has expired or was already used.",
    working: "One moment…",
    askCancel: (name: string) =>
      name ? `Cancel the participation of ${name}?` : "Cancel your participation?",
    yesCancel: "Yes, cancel",
    keep: "No, keep it",
    kept: "Your participation is kept.",
    fix: "Please correct the highlighted fields.",
    failed: (detail: string) => `Something went wrong: ${detail}`,
    retry: "Try again",
    again: "Register someone else",
  },
  fr: {
    title: "Participer",
    name: "Votre nom",
    email: "Votre courriel",
    message: "Message aux organisateurs (facultatif)",
    honeypot: "Laissez ce champ vide",
    submit: "S’inscrire",
    sending: "Envoi…",
    privacy:
      "Votre courriel ne sert qu’à cet événement : pour confirmer et, si besoin, vous prévenir d’un changement.",
    fullNotice: "L’événement est complet : vous serez en liste d’attente.",
    sent: (email: string) =>
      `Consultez vos courriels : nous avons envoyé un lien à ${email}. Ouvrez-le sous 48 heures pour confirmer.`,
    duplicate: "Vous aviez déjà répondu pour cet événement avec ce courriel.",
    confirmed: "Vous êtes inscrit·e. À bientôt !",
    waitlisted: (n: number | null | undefined) =>
      n
        ? `Vous êtes en liste d’attente, position ${n}. Nous vous écrirons si une place se libère.`
        : "Vous êtes en liste d’attente. Nous vous écrirons si une place se libère.",
    awaitingApproval:
      "Votre demande a été transmise aux organisateurs ; ils vous répondront par courriel.",
    cancelled: "Votre participation est annulée.",
    rejected: "Les organisateurs ont refusé cette participation.",
    closed: "Les inscriptions sont closes pour cet événement.",
    eventCancelled: "Cet événement est annulé.",
    external: "L’inscription à cet événement se fait sur un autre site :",
    externalLink: (host: string) => `S’inscrire sur ${host}`,
    invite: "Cet événement est sur invitation uniquement.",
    limited: (s: number | undefined) =>
      s
        ? `Trop de tentatives. Réessayez dans ${minutes(s)} minute${minutes(s) === 1 ? "" : "s"}.`
        : "Trop de tentatives. Réessayez plus tard.",
    expired: "Ce lien a expiré ou a déjà été utilisé.",
    working: "Un instant…",
    askCancel: (name: string) =>
      name ? `Annuler la participation de ${name} ?` : "Annuler votre participation ?",
    yesCancel: "Oui, annuler",
    keep: "Non, la garder",
    kept: "Votre participation est maintenue.",
    fix: "Veuillez corriger les champs signalés.",
    failed: (detail: string) => `Une erreur est survenue : ${detail}`,
    retry: "Réessayer",
    again: "Inscrire une autre personne",
  },
};

export type Strings = (typeof strings)["en"];
