/**
 * RSVP routes (docs/rsvp-api.md): anonymous participation from embeds, token actions from
 * the email's links, and the organizer's tools.
 */
import { DomainError, emailSchema, handleSchema, PARTICIPATION_STATES } from "@eventail/core";
import type { Context } from "hono";
import { z } from "zod";
import type { Services } from "../../services.ts";
import type { ParticipationRow } from "../../storage/index.ts";
import { actingIdentity } from "../auth.ts";
import { clientAddress } from "../client-address.ts";
import type { Env } from "../env.ts";
import { limit as limitHits } from "../rate-limit.ts";
import type { Api } from "../route.ts";

const WINDOW_MS = 10 * 60_000;

export const rsvpBodySchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  email: emailSchema,
  message: z.string().trim().max(1000).optional(),
  // Honeypot: hidden from people, filled in by bots.
  website: z.string().max(500).optional(),
  returnUrl: z.string().max(2000).optional(),
  language: z.enum(["en", "fr"]).optional(),
  pow: z.strictObject({ challenge: z.string().max(200), nonce: z.string().max(64) }).optional(),
});

const tokenBody = z.strictObject({ token: z.string().min(10).max(200) });

/** A 429 answer (with Retry-After) once `key` has used up its budget, else null. */
function limit(c: Context<Env>, key: string, max: number): Response | null {
  return limitHits(c, key, max, WINDOW_MS);
}

function participantJson(p: ParticipationRow) {
  return {
    id: p.id,
    kind: p.kind,
    state: p.state,
    name: p.name,
    email: p.email,
    message: p.message,
    actorUrl: p.actorUrl,
    createdAt: p.createdAt.toISOString(),
  };
}

export function participationRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/pow",
      summary: "A proof-of-work challenge for the RSVP form (bits = 0 when none is required)",
      tag: "participations",
      responses: { 200: "{ challenge, bits }" },
    },
    (c) => {
      const s = c.get("services");
      c.header("cache-control", "no-store");
      return c.json(s.config.rsvpPow > 0 ? s.pow.issue() : { challenge: "", bits: 0 });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/participations",
      summary: "RSVP: anonymously (name + email, confirmed by email), or as the signed-in identity",
      tag: "participations",
      body: rsvpBodySchema.partial({ name: true, email: true }),
      responses: {
        200: "Already answered (duplicate: true) or, for an identity, the resulting state",
        202: "Stored; a confirmation email is on its way",
        403: "Invitation only",
        404: "No such public event",
        409: "Closed, cancelled, over, or registration is external (externalUrl in errors)",
        422: "Invalid fields",
        429: "Too many attempts (Retry-After)",
      },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const eventId = c.req.param("id")!;
      const ip = clientAddress(c, s.config.trustProxy);
      const limited =
        limit(c, `rsvp-ip:${ip}`, s.config.rsvpLimit) ??
        limit(c, `rsvp-event:${eventId}`, s.config.rsvpLimit * 50);
      if (limited) return limited;
      if (c.get("account")) {
        const identity = await actingIdentity(c);
        return c.json(await s.participations.joinAsIdentity(eventId, identity), 200);
      }
      if (!body.name || !body.email) {
        throw new DomainError("validation", "name and email are required", [
          ...(!body.name ? [{ path: "name", message: "is required" }] : []),
          ...(!body.email ? [{ path: "email", message: "is required" }] : []),
        ]);
      }
      if (s.config.rsvpPow > 0 && !(body.pow && s.pow.verify(body.pow.challenge, body.pow.nonce)))
        throw new DomainError(
          "validation",
          "solve the proof-of-work challenge from GET /api/v1/pow",
          [{ path: "pow", message: "missing, expired or wrong" }],
        );
      if (body.website) {
        // A bot filled the honeypot: answer like a success so it learns nothing, store nothing.
        return c.json(
          {
            state: "awaiting_email",
            message: "Almost done: check your email and click the link to confirm.",
            remainingCapacity: null,
          },
          202,
        );
      }
      const { result, created } = await s.participations.request(eventId, {
        name: body.name,
        email: body.email,
        message: body.message,
        returnUrl: body.returnUrl,
        language: body.language,
      });
      return c.json(result, created ? 202 : 200);
    },
  );

  // Token actions from the email's links: the token is the authorization.
  const tokenActions: {
    name: "confirm" | "lookup" | "cancel" | "erase";
    summary: string;
    responses: Record<number, string>;
    run: (s: Services, token: string) => Promise<unknown>;
  }[] = [
    {
      name: "confirm",
      summary: "Confirm an RSVP with the single-use token from the email",
      responses: {
        200: "confirmed, waitlisted or awaiting_approval",
        410: "Expired or already used",
      },
      run: (s, token) => s.participations.confirm(token),
    },
    {
      name: "lookup",
      summary: "A participant's own data (manage token from the email)",
      responses: { 200: "The participation", 404: "Unknown token" },
      run: (s, token) => s.participations.lookup(token),
    },
    {
      name: "cancel",
      summary: "Cancel an RSVP (manage token); frees the seat for the waitlist",
      responses: { 200: "Cancelled", 404: "Unknown token" },
      run: (s, token) => s.participations.cancel(token),
    },
    {
      name: "erase",
      summary: "Erase a participant's personal data (manage token)",
      responses: { 204: "Erased", 404: "Unknown token" },
      run: async (s, token) => {
        await s.participations.erase(token);
        return null;
      },
    },
  ];
  for (const action of tokenActions) {
    api.route(
      {
        method: "post",
        path: `/api/v1/participations/${action.name}`,
        summary: action.summary,
        tag: "participations",
        body: tokenBody,
        responses: { ...action.responses, 429: "Too many attempts (Retry-After)" },
      },
      async (c, { body }) => {
        const s = c.get("services");
        const key = `token:${clientAddress(c, s.config.trustProxy)}`;
        const limited = limit(c, key, s.config.rsvpLimit * 5);
        if (limited) return limited;
        const result = await action.run(s, body.token);
        c.header("cache-control", "no-store");
        return result === null ? c.body(null, 204) : c.json(result);
      },
    );
  }

  // ---------------------------------------------------------------- organizers

  api.route(
    {
      method: "get",
      path: "/api/v1/events/:id/participants",
      summary: "Participants of your event, with counts per state (organizers)",
      tag: "participations",
      auth: "identity",
      query: z.strictObject({ state: z.enum(PARTICIPATION_STATES).optional() }),
      responses: { 200: "{ items, counts }", 403: "Not an organizer", 404: "No such event" },
    },
    async (c, { query }) => {
      const s = c.get("services");
      const { items, counts } = await s.participations.list(
        await actingIdentity(c),
        c.req.param("id")!,
        query.state,
      );
      c.header("cache-control", "private, no-store");
      return c.json({ items: items.map(participantJson), counts });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/events/:id/participants.csv",
      summary: "Participants as CSV (organizers)",
      tag: "participations",
      auth: "identity",
      responses: { 200: "text/csv", 403: "Not an organizer" },
    },
    async (c) => {
      const s = c.get("services");
      const id = c.req.param("id")!;
      const csv = await s.participations.csv(await actingIdentity(c), id);
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="participants-${id}.csv"`,
        "cache-control": "private, no-store",
      });
    },
  );

  for (const [action, approve] of [
    ["approve", true],
    ["reject", false],
  ] as const) {
    api.route(
      {
        method: "post",
        path: `/api/v1/events/:id/participants/:pid/${action}`,
        summary: `${approve ? "Approve" : "Reject"} a participant (organizers; the participant is emailed)`,
        tag: "participations",
        auth: "identity",
        responses: {
          200: "{ state }",
          403: "Not an organizer",
          404: "No such participant",
          409: "Not in a state that allows it",
        },
      },
      async (c) => {
        const s = c.get("services");
        const state = await s.participations.decide(
          await actingIdentity(c),
          c.req.param("id")!,
          c.req.param("pid")!,
          approve,
        );
        return c.json({ state });
      },
    );
  }

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/invitations",
      summary: "Invite an identity of this instance (invite-only events take only invited people)",
      tag: "participations",
      auth: "identity",
      body: z.strictObject({ handle: handleSchema }),
      responses: { 200: "{ state }", 403: "Not an organizer", 422: "No such identity" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const state = await s.participations.invite(
        await actingIdentity(c),
        c.req.param("id")!,
        body.handle,
      );
      return c.json({ state });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/rsvp-status",
      summary: "Close or reopen RSVPs (organizers)",
      tag: "participations",
      auth: "identity",
      body: z.strictObject({ open: z.boolean() }),
      responses: { 200: "{ open }", 403: "Not an organizer" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      await s.participations.setClosed(await actingIdentity(c), c.req.param("id")!, !body.open);
      return c.json({ open: body.open });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/events/:id/participants/message",
      summary: "Email every confirmed participant (organizers)",
      tag: "participations",
      auth: "identity",
      body: z.strictObject({
        subject: z.string().trim().max(150).default(""),
        body: z.string().trim().min(1).max(10_000),
      }),
      responses: { 200: "{ sent }", 403: "Not an organizer" },
    },
    async (c, { body }) => {
      const s = c.get("services");
      const sent = await s.participations.message(
        await actingIdentity(c),
        c.req.param("id")!,
        body.subject,
        body.body,
      );
      return c.json({ sent });
    },
  );
}
