/**
 * Dates and times through Intl only: widgets cannot afford a date library, and every
 * fact (day of an instant in a zone, first weekday, zone names) must hold in the viewer's
 * browser whatever its own zone is.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: building one is far slower than using it. */
export function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/** The browser's own zone. */
export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
