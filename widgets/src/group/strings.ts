export const strings = {
  en: {
    upcoming: "Upcoming events",
    resources: "Resources",
    posts: "Posts",
    follow: "Follow from the fediverse",
    followHelp:
      "Follow this group from your Mastodon, Mobilizon or other fediverse account: enter your address and confirm on your instance.",
    handleLabel: "Your fediverse address",
    placeholder: "@you@example.social",
    followButton: "Follow",
    resolving: "Looking up your instance…",
    badHandle: "Enter an address like @you@example.social.",
    notFound: (host: string) => `Could not find how to follow from ${host}.`,
    manual: (handle: string) => `You can also search for ${handle} in your app.`,
    opened: (host: string) => `A new tab opened on ${host} to confirm.`,
    blocked: (host: string) => `Your browser blocked the new tab: open ${host} and confirm there.`,
  },
  fr: {
    upcoming: "Événements à venir",
    resources: "Ressources",
    posts: "Publications",
    follow: "Suivre depuis le fédivers",
    followHelp:
      "Suivez ce groupe depuis votre compte Mastodon, Mobilizon ou autre du fédivers : saisissez votre adresse puis confirmez sur votre instance.",
    handleLabel: "Votre adresse sur le fédivers",
    placeholder: "@vous@exemple.social",
    followButton: "Suivre",
    resolving: "Recherche de votre instance…",
    badHandle: "Saisissez une adresse comme @vous@exemple.social.",
    notFound: (host: string) => `Impossible de trouver comment suivre depuis ${host}.`,
    manual: (handle: string) => `Vous pouvez aussi chercher ${handle} dans votre application.`,
    opened: (host: string) => `Un nouvel onglet s’est ouvert sur ${host} pour confirmer.`,
    blocked: (host: string) =>
      `Votre navigateur a bloqué le nouvel onglet : ouvrez ${host} et confirmez-y.`,
  },
};
