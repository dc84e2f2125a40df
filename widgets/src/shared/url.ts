/** Only http(s) (and, where asked, mailto) links are ever rendered: no javascript: or data:. */
export function safeUrl(value: unknown, mailto = false): string | undefined {
  if (typeof value !== "string" || !value) return undefined;
  try {
    const u = new URL(value, document.baseURI);
    if (u.protocol === "http:" || u.protocol === "https:" || (mailto && u.protocol === "mailto:"))
      return u.href;
  } catch {
    // Not a URL at all.
  }
  return undefined;
}

/** Host of a server URL, for messages ("events.example.org"). */
export function hostOf(src: string | undefined): string {
  try {
    return new URL(src ?? "", document.baseURI).host;
  } catch {
    return src ?? "";
  }
}
