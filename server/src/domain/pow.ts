/**
 * Optional proof of work on RSVPs: a cheap brake on scripted floods with no third-party
 * captcha. The server hands out an HMAC-signed, timestamped challenge; the browser finds a
 * nonce such that SHA-256(challenge ":" nonce) starts with `bits` zero bits.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const VALIDITY_MS = 10 * 60_000;

export class ProofOfWork {
  readonly bits: number;
  readonly #key = randomBytes(32);
  readonly #used = new Map<string, number>();

  constructor(bits: number) {
    this.bits = bits;
  }

  issue(now = Date.now()): { challenge: string; bits: number } {
    const payload = `${now.toString(36)}.${randomBytes(9).toString("base64url")}`;
    const mac = createHmac("sha256", this.#key).update(payload).digest("base64url").slice(0, 22);
    return { challenge: `${payload}.${mac}`, bits: this.bits };
  }

  /** True for a fresh, authentic, unused challenge with a valid nonce. */
  verify(challenge: string, nonce: string, now = Date.now()): boolean {
    if (this.bits === 0) return true;
    const parts = challenge.split(".");
    if (parts.length !== 3 || nonce.length > 64) return false;
    const [time, rand, mac] = parts as [string, string, string];
    const expected = createHmac("sha256", this.#key)
      .update(`${time}.${rand}`)
      .digest("base64url")
      .slice(0, 22);
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected)))
      return false;
    const issued = Number.parseInt(time, 36);
    if (!(now - issued < VALIDITY_MS && issued <= now)) return false;
    if (this.#used.has(challenge)) return false;
    if (
      !hasLeadingZeroBits(createHash("sha256").update(`${challenge}:${nonce}`).digest(), this.bits)
    )
      return false;
    this.#used.set(challenge, issued);
    for (const [c, t] of this.#used) if (now - t > VALIDITY_MS) this.#used.delete(c);
    return true;
  }
}

export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  let i = 0;
  for (; bits >= 8; bits -= 8, i++) if (hash[i] !== 0) return false;
  return bits === 0 || hash[i]! >> (8 - bits) === 0;
}
