/**
 * Our Fedify KvStore and MessageQueue on both dialects: Fedify's own conformance suite
 * (`testMessageQueue` from @fedify/testing, ordering keys included), plus what we promise on
 * top: persistence across restarts, leases, the per-host concurrency limit, retry of a
 * throwing handler, TTLs and the sweep.
 */

import { testMessageQueue } from "@fedify/testing";
import { Temporal } from "@js-temporal/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbKvStore } from "../src/federation/kv.ts";
import { DbMessageQueue } from "../src/federation/mq.ts";
import { openStore, type Store } from "../src/storage/index.ts";
import { createPlace, dialects, type TestPlace } from "./helpers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

// Each run takes ~10 s of Fedify's fixed delays: run both dialects side by side.
describe.concurrent("Fedify's testMessageQueue suite", () => {
  it.each(dialects)(
    "passes on %s, ordering keys included",
    async (dialect) => {
      const place = await createPlace(dialect);
      const config = place.config();
      const store = await openStore({
        databaseUrl: config.databaseUrl,
        sqlitePath: `${config.dataDir}/eventail.sqlite`,
      });
      try {
        await testMessageQueue(
          () => new DbMessageQueue(store.db, { name: "conformance", pollMs: 200 }),
          ({ mq1, mq2, controller }) => {
            controller.abort();
            mq1.close();
            mq2.close();
          },
          { testOrderingKey: true },
        );
      } finally {
        await store.close();
        await place.dispose();
      }
    },
    60_000,
  );
});

describe.each(dialects)("federation storage on %s", (dialect) => {
  let place: TestPlace;
  let store: Store;

  beforeAll(async () => {
    place = await createPlace(dialect);
    const config = place.config();
    store = await openStore({
      databaseUrl: config.databaseUrl,
      sqlitePath: `${config.dataDir}/eventail.sqlite`,
    });
  });

  afterAll(async () => {
    await store?.close();
    await place?.dispose();
  });

  it("keeps messages across a restart, and takes back a crashed worker's lease", async () => {
    const first = new DbMessageQueue(store.db, { name: "restart", pollMs: 50 });
    await first.enqueue({ n: 1 });
    await first.enqueue({ n: 2 });
    first.close(); // never listened: the process "stopped" with work queued
    // A worker that claimed a message and died: its lease has ended.
    await store.db
      .updateTable("fedify_queue")
      .set({ locked_until: Date.now() - 1, locked_by: "dead" })
      .where("queue", "=", "restart")
      .where("message", "=", JSON.stringify({ n: 2 }))
      .execute();
    const second = new DbMessageQueue(store.db, { name: "restart", pollMs: 50 });
    const got: unknown[] = [];
    const controller = new AbortController();
    const listening = second.listen((m) => void got.push(m), { signal: controller.signal });
    await until(() => got.length === 2);
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    await until(async () => (await second.pending()) === 0);
    controller.abort();
    await listening;
  });

  it("renews the lease of a running handler: no second worker takes its message", async () => {
    // Two "processes" on one database, a lease of 150 ms, a handler running ~5 leases.
    const a = new DbMessageQueue(store.db, { name: "renew", pollMs: 20, leaseMs: 150 });
    const b = new DbMessageQueue(store.db, { name: "renew", pollMs: 20, leaseMs: 150 });
    const calls: string[] = [];
    const controller = new AbortController();
    const listeningA = a.listen(
      async () => {
        calls.push("a");
        await sleep(750);
      },
      { signal: controller.signal },
    );
    await a.enqueue({ slow: true });
    await until(() => calls.length === 1);
    const listeningB = b.listen(() => void calls.push("b"), { signal: controller.signal });
    await until(async () => (await a.pending()) === 0, 3000);
    await sleep(100);
    expect(calls).toEqual(["a"]);
    controller.abort();
    await Promise.all([listeningA, listeningB]);
  });

  it("limits concurrent deliveries per target host", async () => {
    const mq = new DbMessageQueue(store.db, { name: "hosts", workers: 8, perHost: 2, pollMs: 50 });
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    let done = 0;
    const controller = new AbortController();
    const listening = mq.listen(
      async (m) => {
        const host = new URL((m as { inbox: string }).inbox).host;
        const now = (active.get(host) ?? 0) + 1;
        active.set(host, now);
        peak.set(host, Math.max(peak.get(host) ?? 0, now));
        await sleep(30);
        active.set(host, (active.get(host) ?? 1) - 1);
        done++;
      },
      { signal: controller.signal },
    );
    const messages = [];
    for (let i = 0; i < 10; i++)
      messages.push({ type: "outbox", inbox: `https://slow.example/inbox?${i}` });
    for (let i = 0; i < 4; i++)
      messages.push({ type: "outbox", inbox: `https://other.example/inbox?${i}` });
    await mq.enqueueMany(messages);
    await until(() => done === 14);
    controller.abort();
    await listening;
    expect(peak.get("slow.example")).toBe(2);
    expect(peak.get("other.example")).toBeLessThanOrEqual(2);
    // The other host was not starved behind the slow one: it ran alongside.
    expect(peak.get("other.example")).toBeGreaterThanOrEqual(1);
  });

  it("retries a throwing handler with backoff, then drops the message", async () => {
    const mq = new DbMessageQueue(store.db, {
      name: "throws",
      pollMs: 50,
      maxHandlerAttempts: 2,
    });
    let calls = 0;
    const controller = new AbortController();
    const listening = mq.listen(
      () => {
        calls++;
        throw new Error("boom");
      },
      { signal: controller.signal },
    );
    await mq.enqueue("x");
    await until(() => calls === 1);
    const row = await store.db
      .selectFrom("fedify_queue")
      .selectAll()
      .where("queue", "=", "throws")
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.available_at).toBeGreaterThan(Date.now());
    // Fast-forward the backoff: the second failure drops it.
    await store.db
      .updateTable("fedify_queue")
      .set({ available_at: Date.now() })
      .where("queue", "=", "throws")
      .execute();
    await until(() => calls === 2);
    await until(
      async () =>
        (await store.db
          .selectFrom("fedify_queue")
          .select("id")
          .where("queue", "=", "throws")
          .executeTakeFirst()) === undefined,
    );
    controller.abort();
    await listening;
  });

  it("honours delays and reports its depth", async () => {
    const mq = new DbMessageQueue(store.db, { name: "depth", pollMs: 50 });
    await mq.enqueue("later", { delay: Temporal.Duration.from({ seconds: 30 }) });
    await mq.enqueue("now");
    expect(await mq.getDepth()).toEqual({ queued: 2, ready: 1, delayed: 1 });
  });

  it("stores, lists, expires, compares-and-swaps and sweeps key-value entries", async () => {
    let now = Date.UTC(2030, 0, 1);
    const kv = new DbKvStore(store.db, () => now);
    await kv.set(["_fedify", "doc", "https://a.example/x"], { a: 1 });
    await kv.set(["_fedify", "doc", "https://a.example/y%_"], [1, "two"], {
      ttl: Temporal.Duration.from({ seconds: 10 }),
    });
    await kv.set(["_fedify", "docs"], true);
    await kv.set(["other"], "o");
    expect(await kv.get(["_fedify", "doc", "https://a.example/x"])).toEqual({ a: 1 });
    expect(await kv.get(["missing"])).toBeUndefined();
    const listed = [];
    for await (const e of kv.list(["_fedify", "doc"])) listed.push(e);
    expect(listed.map((e) => e.key)).toEqual([
      ["_fedify", "doc", "https://a.example/x"],
      ["_fedify", "doc", "https://a.example/y%_"],
    ]);
    const all = [];
    for await (const e of kv.list()) all.push(e);
    expect(all.length).toBeGreaterThanOrEqual(4);

    expect(await kv.cas(["c"], undefined, 1)).toBe(true);
    expect(await kv.cas(["c"], undefined, 2)).toBe(false);
    expect(await kv.cas(["c"], 1, 3)).toBe(true);
    expect(await kv.cas(["c"], 1, 4)).toBe(false);
    expect(await kv.get(["c"])).toBe(3);

    now += 11_000;
    expect(await kv.get(["_fedify", "doc", "https://a.example/y%_"])).toBeUndefined();
    expect(await kv.sweep()).toBe(1);
    await kv.delete(["other"]);
    expect(await kv.get(["other"])).toBeUndefined();
  });
});
