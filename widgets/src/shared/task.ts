/**
 * Lit's Task (@lit/task), cut to what the widgets use, at about half its weight
 * (the event list's 9 KB budget has no room for the rest): the same API subset
 * (`new Task(host, { task, args })`, `value`, `run()`, `render({ … })`, `initialState`)
 * and the same behaviour. It runs before an update when its args change (compared item by
 * item with ===), aborts the run it supersedes, ignores a stale result, keeps the last
 * value while a new run is pending, and clears it on error.
 */
import type { Controller, UpdatingElement } from "./updating-element.ts";

/** What a task returns when there is nothing to fetch: the task stays in its initial state. */
export const initialState: unique symbol = Symbol();

export interface TaskConfig<A extends readonly unknown[], T> {
  task: (args: A, options: { signal: AbortSignal }) => Promise<T | typeof initialState>;
  args: () => A;
}

export interface TaskRenderers<T, R> {
  initial?: () => R;
  pending?: () => R;
  complete?: (value: T) => R;
  error?: (error: unknown) => R;
}

export class Task<A extends readonly unknown[], T> implements Controller {
  /** The last result (kept while the next run is pending, cleared by an error). */
  value?: T;
  error: unknown;
  /** 0 initial, 1 pending, 2 complete, 3 error (Lit's TaskStatus). */
  status: 0 | 1 | 2 | 3 = 0;
  #host: UpdatingElement;
  #config: TaskConfig<A, T>;
  #args?: A;
  #abort?: AbortController;
  #run = 0;

  constructor(host: UpdatingElement, config: TaskConfig<A, T>) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  hostUpdate(): void {
    const args = this.#config.args();
    const last = this.#args;
    if (!last || last.length !== args.length || args.some((a, i) => a !== last[i])) this.run(args);
  }

  /** Runs now (a retry button), with the current args unless given. */
  async run(args: A = this.#config.args()): Promise<void> {
    this.#args = args;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const id = ++this.#run;
    this.status = 1;
    this.#host.requestUpdate();
    let value: T | typeof initialState | undefined;
    let failed = false;
    try {
      value = await this.#config.task(args, { signal: abort.signal });
    } catch (e) {
      failed = true;
      this.error = e;
    }
    if (id !== this.#run) return; // superseded: a newer run owns the state
    if (value === initialState) this.status = 0;
    else {
      this.status = failed ? 3 : 2;
      this.value = value;
    }
    this.#host.requestUpdate();
  }

  render<R>(r: TaskRenderers<T, R>): R | undefined {
    const s = this.status;
    return s === 0
      ? r.initial?.()
      : s === 1
        ? r.pending?.()
        : s === 2
          ? r.complete?.(this.value as T)
          : r.error?.(this.error);
  }
}
