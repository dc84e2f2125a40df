/** The delivery retry policy: exponential backoff, abandoned after the configured time. */
import { Temporal } from "@js-temporal/polyfill";
import { describe, expect, it } from "vitest";
import { durationMs } from "./kv.ts";
import { giveUpAfter } from "./service.ts";

describe("giveUpAfter", () => {
  const policy = giveUpAfter(48 * 3_600_000);
  const at = (hours: number, attempts: number) =>
    policy({ elapsedTime: Temporal.Duration.from({ minutes: Math.round(hours * 60) }), attempts });

  it("backs off exponentially, capped at six hours", () => {
    const delays = [0, 1, 2, 3, 4].map((n) => durationMs(at(0, n)));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    expect(durationMs(at(10, 40))).toBeLessThanOrEqual(6 * 3_600_000 * 1.5);
  });

  it("gives up once the configured time has passed, whatever the attempt count", () => {
    expect(at(47.9, 20)).not.toBeNull();
    expect(at(48, 3)).toBeNull();
    expect(at(100, 50)).toBeNull();
  });
});
