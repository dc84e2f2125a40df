/**
 * Fedify's MessageQueue on our storage layer (SQLite or PostgreSQL, one code path).
 *
 * - Persistent: every message is a row of `fedify_queue` until its handler has finished, so
 *   deliveries and inbox work survive restarts.
 * - Delays (Fedify's retries with exponential backoff are delayed re-enqueues) are an
 *   `available_at` instant.
 * - Several processes may share one PostgreSQL: a worker claims a row with a conditional
 *   UPDATE (a lease, `locked_until`); a crashed worker's rows come back when the lease ends.
 *   The lease is short (30 s) and renewed every third of it while the handler runs, so a
 *   killed process's deliveries resume within seconds of a restart, while a slow one (a
 *   peer taking minutes to answer) is never handed to a second worker mid-delivery.
 * - Ordering keys: a message is taken only when no earlier message with the same key is
 *   still in the table, so messages of one key run one at a time, in order.
 * - Concurrency: `workers` handlers at once per listener, and at most `perHost` of them for
 *   one target host (outbox messages carry their inbox URL), so one slow or huge instance
 *   cannot take every worker.
 * - A handler that throws (Fedify normally handles its own failures) is retried a few times
 *   with backoff, then dropped with a log line.
 */
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { type Kysely, sql } from "kysely";
import { newId } from "../domain/secrets.ts";
import type { Logger } from "../log.ts";
import type { Database } from "../storage/schema.ts";
import { durationMs } from "./kv.ts";

export interface DbQueueOptions {
  /** Name of the queue inside the shared table: "inbox", "outbox", "fanout"… */
  name: string;
  /** Handlers running at once per listener. */
  workers?: number;
  /** Handlers running at once for one target host. */
  perHost?: number;
  /** How often an idle listener looks for work written by other processes, ms. */
  pollMs?: number;
  /** How long a claimed message stays owned by its worker without renewal, ms. */
  leaseMs?: number;
  /** Attempts of a handler that throws before the message is dropped. */
  maxHandlerAttempts?: number;
  log?: Logger;
}

// Enqueue order: milliseconds × 1000 plus a counter, monotonic within this process and
// well inside Number's exact integer range.
let lastSeq = 0;
function nextSeq(): number {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
}

/** Listeners of every queue over the same database, to wake them on local enqueues. */
const wakers = new WeakMap<object, EventTarget>();
function wakerFor(db: object): EventTarget {
  let w = wakers.get(db);
  if (!w) {
    w = new EventTarget();
    wakers.set(db, w);
  }
  return w;
}

/** Host of the inbox an outbox message is for, if any. */
export function targetHost(message: unknown): string | null {
  if (!message || typeof message !== "object") return null;
  const m = message as { type?: unknown; inbox?: unknown };
  if (m.type !== "outbox" || typeof m.inbox !== "string") return null;
  try {
    return new URL(m.inbox).host;
  } catch {
    return null;
  }
}

export class DbMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  readonly name: string;
  readonly #db: Kysely<Database>;
  readonly #workers: number;
  readonly #perHost: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #maxHandlerAttempts: number;
  readonly #log: Logger | undefined;
  readonly #owner = newId();
  readonly #waker: EventTarget;
  #inFlight = 0;
  #closed = false;
  readonly #stop = new AbortController();

  constructor(db: Kysely<Database>, opts: DbQueueOptions) {
    this.#db = db;
    this.name = opts.name;
    this.#workers = Math.max(1, opts.workers ?? 8);
    this.#perHost = Math.max(1, opts.perHost ?? this.#workers);
    this.#pollMs = opts.pollMs ?? 1000;
    // Was a fixed 5-minute lease: after a SIGKILL the deliveries in flight waited 5 minutes
    // (delivery-crash.test.ts), and a delivery outlasting it (undici's own timeouts are 5
    // minutes) was claimed again by a second worker while the first still ran. Now short
    // and renewed (see #renew).
    this.#leaseMs = Math.max(30, opts.leaseMs ?? 30_000);
    this.#maxHandlerAttempts = opts.maxHandlerAttempts ?? 5;
    this.#log = opts.log;
    this.#waker = wakerFor(db);
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(
    messages: readonly unknown[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> {
    if (messages.length === 0) return;
    const now = Date.now();
    const delay = options?.delay ? Math.max(0, durationMs(options.delay)) : 0;
    const rows = messages.map((m) => ({
      id: newId(),
      queue: this.name,
      seq: nextSeq(),
      message: JSON.stringify(m),
      ordering_key: options?.orderingKey ?? null,
      host: targetHost(m),
      available_at: now + delay,
      locked_until: null,
      locked_by: null,
      attempts: 0,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await this.#db
        .insertInto("fedify_queue")
        .values(rows.slice(i, i + 500))
        .execute();
    this.#waker.dispatchEvent(new Event(this.name));
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const now = Date.now();
    const r = await this.#db
      .selectFrom("fedify_queue")
      .select([
        (eb) => eb.fn.countAll<number>().as("queued"),
        (eb) =>
          eb.fn
            .sum<number>(eb.case().when("available_at", "<=", now).then(1).else(0).end())
            .as("ready"),
      ])
      .where("queue", "=", this.name)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
      .executeTakeFirstOrThrow();
    const queued = Number(r.queued);
    const ready = Number(r.ready ?? 0);
    return { queued, ready, delayed: queued - ready };
  }

  /** Messages that are ready now or being handled (delayed ones excluded). */
  async pending(): Promise<number> {
    const r = await this.#db
      .selectFrom("fedify_queue")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("queue", "=", this.name)
      .where((eb) =>
        eb.or([eb("available_at", "<=", Date.now()), eb("locked_until", "is not", null)]),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n) + this.#inFlight;
  }

  /** Stops every listener of this instance (they finish the messages they hold). */
  close(): void {
    this.#closed = true;
    this.#stop.abort();
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options?: MessageQueueListenOptions,
  ): Promise<void> {
    const signal = options?.signal
      ? AbortSignal.any([options.signal, this.#stop.signal])
      : this.#stop.signal;
    const running = new Set<Promise<void>>();
    /** Ids of the messages this listener's handlers hold, their leases renewed while held. */
    const held = new Set<string>();
    const perHost = new Map<string, number>();
    const renewer = setInterval(() => void this.#renew(held), this.#leaseMs / 3);
    renewer.unref();
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    this.#waker.addEventListener(this.name, poke);
    signal.addEventListener("abort", poke);
    try {
      while (!signal.aborted) {
        let started = 0;
        const free = this.#workers - running.size;
        if (free > 0) {
          let candidates: { id: string; host: string | null; message: string }[] = [];
          try {
            candidates = await this.#candidates(Math.min(200, free * 4));
          } catch (err) {
            if (signal.aborted || this.#closed) break;
            this.#log?.error("queue poll failed", { queue: this.name, error: String(err) });
          }
          for (const c of candidates) {
            if (running.size >= this.#workers || signal.aborted) break;
            if (c.host && (perHost.get(c.host) ?? 0) >= this.#perHost) continue;
            if (!(await this.#claim(c.id))) continue;
            held.add(c.id);
            started++;
            if (c.host) perHost.set(c.host, (perHost.get(c.host) ?? 0) + 1);
            this.#inFlight++;
            const task = this.#run(c.id, c.message, handler).finally(() => {
              held.delete(c.id);
              this.#inFlight--;
              running.delete(task);
              if (c.host) {
                const n = (perHost.get(c.host) ?? 1) - 1;
                if (n <= 0) perHost.delete(c.host);
                else perHost.set(c.host, n);
              }
              poke();
            });
            running.add(task);
          }
        }
        if (started > 0 && running.size < this.#workers) continue;
        if (signal.aborted) break;
        const waitMs = running.size >= this.#workers ? this.#pollMs : await this.#idleWait();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } finally {
      this.#waker.removeEventListener(this.name, poke);
      signal.removeEventListener("abort", poke);
      await Promise.allSettled([...running]);
      clearInterval(renewer);
    }
  }

  /** Extends the leases of the messages still held (only rows this worker still owns). */
  async #renew(held: ReadonlySet<string>): Promise<void> {
    if (held.size === 0) return;
    try {
      await this.#db
        .updateTable("fedify_queue")
        .set({ locked_until: Date.now() + this.#leaseMs })
        .where("id", "in", [...held])
        .where("locked_by", "=", this.#owner)
        .execute();
    } catch (err) {
      if (!this.#closed)
        this.#log?.warn("queue lease renewal failed", { queue: this.name, error: String(err) });
    }
  }

  /** How long to sleep when there is nothing to do: until the next delayed message, at most pollMs. */
  async #idleWait(): Promise<number> {
    try {
      const r = await this.#db
        .selectFrom("fedify_queue")
        .select((eb) => eb.fn.min<number>("available_at").as("next"))
        .where("queue", "=", this.name)
        .where("locked_until", "is", null)
        .executeTakeFirst();
      const next = r?.next == null ? null : Number(r.next);
      if (next === null) return this.#pollMs;
      return Math.max(5, Math.min(this.#pollMs, next - Date.now() + 2));
    } catch {
      return this.#pollMs;
    }
  }

  async #candidates(limit: number) {
    const now = Date.now();
    return this.#db
      .selectFrom("fedify_queue as q")
      .select(["q.id", "q.host", "q.message"])
      .where("q.queue", "=", this.name)
      .where("q.available_at", "<=", now)
      .where((eb) => eb.or([eb("q.locked_until", "is", null), eb("q.locked_until", "<", now)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("fedify_queue as e")
              .select(sql.lit(1).as("one"))
              .whereRef("e.queue", "=", "q.queue")
              .whereRef("e.ordering_key", "=", "q.ordering_key")
              .whereRef("e.seq", "<", "q.seq"),
          ),
        ),
      )
      .orderBy("q.seq")
      .limit(limit)
      .execute();
  }

  async #claim(id: string): Promise<boolean> {
    const now = Date.now();
    const r = await this.#db
      .updateTable("fedify_queue")
      .set({ locked_until: now + this.#leaseMs, locked_by: this.#owner })
      .where("id", "=", id)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async #run(
    id: string,
    text: string,
    handler: (message: unknown) => Promise<void> | void,
  ): Promise<void> {
    try {
      await handler(JSON.parse(text));
      await this.#db.deleteFrom("fedify_queue").where("id", "=", id).execute();
    } catch (err) {
      const row = await this.#db
        .selectFrom("fedify_queue")
        .select("attempts")
        .where("id", "=", id)
        .executeTakeFirst()
        .catch(() => undefined);
      const attempts = (row?.attempts ?? 0) + 1;
      if (attempts >= this.#maxHandlerAttempts) {
        this.#log?.error("queue message dropped after repeated handler failures", {
          queue: this.name,
          attempts,
          error: String(err),
        });
        await this.#db
          .deleteFrom("fedify_queue")
          .where("id", "=", id)
          .execute()
          .catch(() => {});
      } else {
        this.#log?.warn("queue handler failed; retrying later", {
          queue: this.name,
          attempts,
          error: String(err),
        });
        await this.#db
          .updateTable("fedify_queue")
          .set({
            attempts,
            available_at: Date.now() + 1000 * 2 ** attempts,
            locked_until: null,
            locked_by: null,
          })
          .where("id", "=", id)
          .execute()
          .catch(() => {});
      }
    }
  }
}
