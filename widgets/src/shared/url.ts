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

/**
 * An image the element may load: http(s) only, and, when the element reads from a server
 * (`src`), only from that server. A legitimate server serves its images itself (remote
 * events carry none), so an image elsewhere could only track the page's visitors.
 */
export function safeImageUrl(value: unknown, src: string | undefined): string | undefined {
  const url = safeUrl(value);
  if (!url || !src) return url;
  try {
    return new URL(url).origin === new URL(src, document.baseURI).origin ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Host of a server URL, for messages ("events.example.org"). */
export function hostOf(src: string | undefined): string {
  try {
    return new URL(src ?? "", document.baseURI).host;
  } catch {
    return src ?? "";
  }
}
