/**
 * A live Eventail server for integration tests: `node server/src/cli.ts serve --demo` as a
 * child process on a free loopback port, with an API token of the demo organizer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DEMO_EMAIL = "organizer@demo.eventail.test";
export const DEMO_PASSWORD = "demo-organizer-2026";

export interface LiveServer {
  origin: string;
  /** API token of the demo organizer. */
  token: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export async function startEventail(): Promise<LiveServer> {
  const data = await mkdtemp(join(tmpdir(), "eventail-live-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "server/src/cli.ts",
      "serve",
      "--port",
      String(port),
      "--data",
      data,
      "--demo",
      "--origin",
      origin,
    ],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((res, rej) => {
    let out = "";
    const timer = setTimeout(() => rej(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("is running")) {
        clearTimeout(timer);
        res();
      }
    });
    child.stderr!.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("exit", (code) => rej(new Error(`server exited ${code}: ${out}`)));
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((res) => child.once("exit", res));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(data, { recursive: true, force: true });
  };
  try {
    const session = await fetch(`${origin}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
    const cookie = session.headers.get("set-cookie")?.split(";")[0] ?? "";
    const created = await fetch(`${origin}/api/v1/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin },
      body: JSON.stringify({ name: "tests" }),
    });
    const { token } = (await created.json()) as { token: string };
    if (!token) throw new Error(`no token (${created.status})`);
    return { origin, token, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
