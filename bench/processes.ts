/**
 * Child processes of the benchmark (Eventail servers, the reference server, CLI commands):
 * started with the running Node, tracked, and always killed when the benchmark ends, fails
 * or is interrupted.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last few kilobytes of stdout and stderr, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

const live = new Set<Child>();

/** Environment for children: ours, minus settings that would change what the server does. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("EVENTAIL_") || key === "DATABASE_URL" || key === "PORT" || key === "HOST")
      delete env[key];
  }
  return { ...env, ...extra };
}

/** Starts `node <args>` (the same Node binary as this process). */
export function startNode(
  name: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Child {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args], {
    cwd: opts.cwd,
    env: opts.env ?? childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8192);
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const exited = new Promise<number | string>((resolve) => {
    proc.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const child: Child = { name, proc, pid: proc.pid, output: () => tail, exited };
  live.add(child);
  exited.then(() => live.delete(child));
  return child;
}

/** Waits until the child prints `pattern`; fails if it exits first or after `timeoutMs`. */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) done(null);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(
        new Error(
          `${child.name} exited (${code ?? signal}) before it was ready:\n${child.output()}`,
        ),
      );
    const timer = setTimeout(
      () => done(new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.output()}`)),
      timeoutMs,
    );
    const done = (err: Error | null) => {
      clearTimeout(timer);
      child.proc.stdout!.off("data", onData);
      child.proc.off("exit", onExit);
      if (err) reject(err);
      else resolve();
    };
    child.proc.stdout!.on("data", onData);
    child.proc.on("exit", onExit);
  });
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runNode(
  name: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const child = startNode(name, args, opts);
  let all = "";
  child.proc.stdout!.on("data", (c: Buffer) => {
    all += c.toString();
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${name} failed (${code}):\n${child.output()}`);
  return all;
}

/** Asks the child to stop (SIGTERM), then kills it (SIGKILL) if it is still there. */
export async function stop(child: Child, graceMs = 3000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGTERM");
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stop(c)));
}

/** Last resort, synchronous (from an "exit" handler): SIGKILL whatever is still running. */
export function killAllNow(): void {
  for (const c of live) {
    try {
      c.proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS, in kB). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}
