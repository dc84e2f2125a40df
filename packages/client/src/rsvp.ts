/**
 * The RSVP calls, apart from the reads so that a bundle showing events (the event list
 * widget) does not carry them: bundlers split by module.
 */
import type { ParticipationJson, RsvpRequest, RsvpResult } from "@eventail/core";
import { ApiError } from "./errors.ts";
import { type Base, type RequestOptions, request } from "./request.ts";

const id = encodeURIComponent;

/**
 * Anonymous RSVP: 202 `awaiting_email`, or 200 with `duplicate: true`. When the instance asks
 * for a proof of work (a 422 on `pow`), solves its challenge and sends again: instances without
 * one cost no extra request.
 */
export async function rsvp(
  base: Base,
  eventId: string,
  body: RsvpRequest,
  options?: RequestOptions,
): Promise<RsvpResult> {
  const send = (b: RsvpRequest) =>
    request<RsvpResult>(base, "POST", `/api/v1/events/${id(eventId)}/participations`, b, options);
  try {
    return await send(body);
  } catch (e) {
    if (
      !(e instanceof ApiError) ||
      e.status !== 422 ||
      body.pow ||
      !e.errors.some((f) => f.path === "pow")
    )
      throw e;
    const { challenge, bits } = await request<{ challenge: string; bits: number }>(
      base,
      "GET",
      "/api/v1/pow",
      undefined,
      options,
    );
    const nonce = await solvePow(challenge, bits, options?.signal);
    return send({ ...body, pow: { challenge, nonce } });
  }
}

/** The first nonce such that SHA-256(`${challenge}:${nonce}`) starts with `bits` zero bits. */
export async function solvePow(
  challenge: string,
  bits: number,
  signal?: AbortSignal,
): Promise<string> {
  const encoder = new TextEncoder();
  for (let n = 0; ; n++) {
    if (n % 1024 === 0) signal?.throwIfAborted();
    const hash = new Uint8Array(
      await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${n}`)),
    );
    let left = bits;
    let i = 0;
    while (left >= 8 && hash[i] === 0) {
      left -= 8;
      i++;
    }
    if (left <= 0 || (left < 8 && hash[i]! >> (8 - left) === 0)) return String(n);
  }
}

/** Confirms an RSVP with the single-use token from the email (410 when expired or used). */
export const confirm = (base: Base, token: string, options?: RequestOptions) =>
  request<RsvpResult>(base, "POST", "/api/v1/participations/confirm", { token }, options);

/** Cancels with the manage token. */
export const cancel = (base: Base, token: string, options?: RequestOptions) =>
  request<RsvpResult>(base, "POST", "/api/v1/participations/cancel", { token }, options);

/** The participant's own data, with the manage token. */
export const lookup = (base: Base, token: string, options?: RequestOptions) =>
  request<ParticipationJson>(base, "POST", "/api/v1/participations/lookup", { token }, options);

/** Erases the participant's name, email and message (204). */
export const erase = (base: Base, token: string, options?: RequestOptions) =>
  request<void>(base, "POST", "/api/v1/participations/erase", { token }, options);
