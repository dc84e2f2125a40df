/** Address search for the event form, answered by the configured geocoding provider. */
import { z } from "zod";
import { GeocoderError } from "../../geocoder.ts";
import { requireAccount } from "../auth.ts";
import { problemResponse } from "../problem.ts";
import { limit } from "../rate-limit.ts";
import type { Api } from "../route.ts";

const MINUTE = 60_000;
/** Searches per account per minute, and per instance (a public provider allows about one a second). */
export const GEOCODE_ACCOUNT_LIMIT = 10;
export const GEOCODE_INSTANCE_LIMIT = 60;

export function geocodeRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/geocode",
      summary:
        "Places matching an address, from the instance's geocoding provider (EVENTAIL_GEOCODER_URL)",
      tag: "events",
      auth: "account",
      query: z.object({
        q: z.string().trim().min(3).max(300),
        lang: z
          .string()
          .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$/)
          .optional(),
      }),
      responses: {
        200: "{ items: [{ label, latitude, longitude, address: { street, postalCode, locality, country } }] }",
        400: "No or bad query",
        404: "Geocoding is not set up on this instance",
        429: "Too many searches",
        502: "The provider failed or gave an unreadable answer",
        504: "The provider did not answer in time",
      },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const account = requireAccount(c);
      if (!s.geocoder)
        return problemResponse(
          404,
          "geocoding is not set up on this instance: enter the latitude and longitude yourself",
          undefined,
          c.req.path,
        );
      const limited =
        limit(c, `geocode:${account.id}`, GEOCODE_ACCOUNT_LIMIT, MINUTE) ??
        limit(c, "geocode", GEOCODE_INSTANCE_LIMIT, MINUTE);
      if (limited) return limited;
      try {
        const items = await s.geocoder.search(query.q, query.lang);
        return c.json({ items }, 200, { "cache-control": "no-store" });
      } catch (e) {
        if (!(e instanceof GeocoderError)) throw e;
        s.log.warn("geocoding failed", { kind: e.kind });
        return problemResponse(e.kind === "timeout" ? 504 : 502, e.message, undefined, c.req.path);
      }
    },
  );
}
