import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startEventail } from "../../test/live-server.ts";
import { MemoryCache } from "../cache.ts";
import { loadSource } from "../source.ts";
import { eventailSource } from "./eventail.ts";

let live: LiveServer;
beforeAll(async () => {
  live = await startEventail();
});
afterAll(() => live?.stop());

describe("eventail source against a live demo server", () => {
  it("imports every demo event, following `next` cursors", async () => {
    const all = await loadSource(
      eventailSource({ server: live.origin, pageSize: 5, allowPrivateNetwork: true }),
    );
    const direct = (await (await fetch(`${live.origin}/api/v1/events?limit=100`)).json()) as {
      items: Array<{ id: string; occurrence?: string }>;
    };
    expect(all.events.length).toBeGreaterThan(5);
    expect(all.events.map((e) => `${e.id}${e.occurrence ?? ""}`)).toEqual(
      direct.items.map((e) => `${e.id}${e.occurrence ?? ""}`),
    );
    expect(all.status).toBe("fetched");
    const grouped = await loadSource(
      eventailSource({ server: live.origin, group: "climate_lyon", allowPrivateNetwork: true }),
    );
    expect(grouped.events.length).toBeGreaterThan(0);
    expect(grouped.events.every((e) => e.group?.handle.startsWith("climate_lyon"))).toBe(true);
  });

  it("revalidates with the server's ETag and gets 304 the second time", async () => {
    const cache = new MemoryCache();
    const source = eventailSource({ server: live.origin, allowPrivateNetwork: true });
    const first = await loadSource(source, { cache });
    const second = await loadSource(source, { cache });
    expect(second.status).toBe("unchanged");
    expect(second.events).toEqual(first.events);
  });
});
