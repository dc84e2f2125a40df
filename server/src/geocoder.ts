/**
 * Geocoding through a Nominatim-compatible search endpoint the admin configures
 * (`EVENTAIL_GEOCODER_URL`). The server asks it, never the browser: the console makes no
 * request outside its own server, and the provider sees the instance, not each organizer.
 *
 * The URL is the admin's own configuration and is trusted as such (like SMTP_HOST): it may be
 * a provider on the local network. Only the query text comes from users, as a parameter.
 * Answers are bounded (time, bytes, count), redirects are refused, and the JSON is checked
 * field by field before anything of it is passed on.
 */
import { z } from "zod";

export interface GeoCandidate {
  /** The provider's one-line description ("Maison des associations, 12 rue …, Lyon, France"). */
  label: string;
  latitude: number;
  longitude: number;
  address: {
    street?: string;
    postalCode?: string;
    locality?: string;
    country?: string;
  };
}

export type GeocoderFailure = "timeout" | "unavailable" | "invalid";

export class GeocoderError extends Error {
  readonly kind: GeocoderFailure;
  constructor(kind: GeocoderFailure, message: string) {
    super(message);
    this.name = "GeocoderError";
    this.kind = kind;
  }
}

export interface GeocoderOptions {
  /** The search endpoint, e.g. https://nominatim.openstreetmap.org/search */
  url: string;
  /** Sent as User-Agent, naming the instance (Nominatim's usage policy asks for it). */
  userAgent: string;
  timeoutMs?: number;
  maxBytes?: number;
  limit?: number;
}

const text = (max: number) => z.string().max(max);
const coordinate = (max: number) =>
  z
    .union([z.string().max(40), z.number()])
    .transform((v) => Number(v))
    .refine((n) => Number.isFinite(n) && Math.abs(n) <= max);

/** One entry of Nominatim's `format=jsonv2` (or `json`) answer: the fields we use. */
const placeSchema = z.object({
  lat: coordinate(90),
  lon: coordinate(180),
  display_name: text(1000),
  address: z
    .object({
      house_number: text(100).optional(),
      road: text(300).optional(),
      pedestrian: text(300).optional(),
      postcode: text(50).optional(),
      city: text(200).optional(),
      town: text(200).optional(),
      village: text(200).optional(),
      municipality: text(200).optional(),
      country: text(200).optional(),
    })
    .partial()
    .optional(),
});

export class Geocoder {
  readonly #url: URL;
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #limit: number;

  constructor(opts: GeocoderOptions) {
    this.#url = new URL(opts.url);
    if (this.#url.protocol !== "http:" && this.#url.protocol !== "https:")
      throw new Error("the geocoder URL must be http(s)");
    this.#userAgent = opts.userAgent;
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#maxBytes = opts.maxBytes ?? 256 * 1024;
    this.#limit = opts.limit ?? 5;
  }

  /** Places matching `query`, best first (at most `limit`). */
  async search(query: string, language?: string): Promise<GeoCandidate[]> {
    const url = new URL(this.#url);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "jsonv2");
    url.searchParams.set("addressdetails", "1");
    url.searchParams.set("limit", String(this.#limit));
    const headers: Record<string, string> = {
      "user-agent": this.#userAgent,
      accept: "application/json",
    };
    if (language) headers["accept-language"] = language;
    let res: Response;
    try {
      res = await fetch(url, {
        headers,
        redirect: "error",
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      const name = (e as Error).name;
      if (name === "TimeoutError" || name === "AbortError")
        throw new GeocoderError("timeout", "the geocoding service did not answer in time");
      throw new GeocoderError("unavailable", "the geocoding service cannot be reached");
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new GeocoderError(
        "unavailable",
        `the geocoding service answered ${res.status}${res.status === 429 ? " (too many requests)" : ""}`,
      );
    }
    const body = await this.#read(res);
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      throw new GeocoderError("invalid", "the geocoding service's answer is not JSON");
    }
    if (!Array.isArray(raw))
      throw new GeocoderError("invalid", "the geocoding service's answer is not a list of places");
    const out: GeoCandidate[] = [];
    for (const item of raw.slice(0, this.#limit)) {
      const parsed = placeSchema.safeParse(item);
      // One malformed entry is skipped, not trusted; the others still help.
      if (!parsed.success) continue;
      const p = parsed.data;
      const a = p.address ?? {};
      const road = a.road ?? a.pedestrian;
      const street = road ? (a.house_number ? `${a.house_number} ${road}` : road) : undefined;
      const locality = a.city ?? a.town ?? a.village ?? a.municipality;
      out.push({
        label: p.display_name.replace(/[\p{Cc}\p{Cf}]/gu, " ").trim(),
        latitude: p.lat,
        longitude: p.lon,
        address: {
          ...(street ? { street } : {}),
          ...(a.postcode ? { postalCode: a.postcode } : {}),
          ...(locality ? { locality } : {}),
          ...(a.country ? { country: a.country } : {}),
        },
      });
    }
    if (raw.length > 0 && out.length === 0)
      throw new GeocoderError("invalid", "the geocoding service's places could not be read");
    return out;
  }

  /** The body as text, refused past `maxBytes` (a provider is not a way to fill our memory). */
  async #read(res: Response): Promise<string> {
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > this.#maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new GeocoderError("invalid", "the geocoding service's answer is too large");
    }
    const reader = res.body?.getReader();
    if (!reader) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.#maxBytes) {
          await reader.cancel().catch(() => {});
          throw new GeocoderError("invalid", "the geocoding service's answer is too large");
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof GeocoderError) throw e;
      const name = (e as Error).name;
      throw new GeocoderError(
        name === "TimeoutError" || name === "AbortError" ? "timeout" : "unavailable",
        "the geocoding service's answer was cut short",
      );
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  }
}
