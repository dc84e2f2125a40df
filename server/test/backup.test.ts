/**
 * Backup and restore by round trip while the server runs and keeps taking writes: every
 * event acknowledged before the backup started is in the restored instance.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "server/src/cli.ts");
const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--data", dataDir], {
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((res, rej) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("is running")) res();
    });
    child.on("exit", (code) => rej(new Error(`server exited ${code}: ${out}`)));
  });
  return child;
}

describe("eventail backup / restore (SQLite)", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("backs up a running, writing server and restores every acknowledged write", async () => {
    const base = await mkdtemp(join(tmpdir(), "eventail-backup-"));
    dirs.push(base);
    const data = join(base, "data");
    const env = { ...process.env, LOG_LEVEL: "warn", EVENTAIL_DATA: data };
    const created = await run(
      process.execPath,
      [
        CLI,
        "user",
        "create",
        "--email",
        "b@backup.test",
        "--handle",
        "backup_admin",
        "--name",
        "B",
        "--password",
        "backup-password-1",
        "--role",
        "admin",
      ],
      { env },
    );
    expect(created.stdout).toContain("created admin");

    const port = await freePort();
    const server = await startServer(data, port);
    children.push(server);
    const origin = `http://localhost:${port}`;
    const login = await fetch(`${origin}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "b@backup.test", password: "backup-password-1" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const token = (
      await (
        await fetch(`${origin}/api/v1/tokens`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie, origin },
          body: JSON.stringify({ name: "backup test" }),
        })
      ).json()
    ).token as string;
    const create = async (i: number) => {
      const res = await fetch(`${origin}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          title: `Event ${i}`,
          beginsAt: new Date(Date.now() + (i + 1) * 3_600_000).toISOString(),
          timezone: "UTC",
        }),
      });
      expect(res.status).toBe(201);
      return (await res.json()).id as string;
    };
    const before: string[] = [];
    for (let i = 0; i < 40; i++) before.push(await create(i));

    // Keep writing while the backup runs.
    let writing = true;
    const during: Promise<string[]> = (async () => {
      const ids: string[] = [];
      for (let i = 100; writing && i < 400; i++) ids.push(await create(i));
      return ids;
    })();
    const dest = join(base, "backup");
    const backup = await run(process.execPath, [CLI, "backup", dest], { env });
    writing = false;
    await during;
    expect(backup.stdout).toMatch(/backed up \d+ KiB of database/);

    // A second backup into the same (non-empty) directory is refused, clearly.
    await expect(run(process.execPath, [CLI, "backup", dest], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining("is not empty"),
    });

    const restored = join(base, "restored");
    const restore = await run(process.execPath, [CLI, "restore", dest], {
      env: { ...env, EVENTAIL_DATA: restored },
    });
    expect(restore.stdout).toContain("restored");
    // Restoring over an existing database needs --force.
    await expect(
      run(process.execPath, [CLI, "restore", dest], { env: { ...env, EVENTAIL_DATA: restored } }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining("--force") });

    const port2 = await freePort();
    const copy = await startServer(restored, port2);
    children.push(copy);
    for (const id of before) {
      const res = await fetch(`http://localhost:${port2}/api/v1/events/${id}`);
      expect(res.status, `event ${id} acknowledged before the backup`).toBe(200);
    }
    const health = await (await fetch(`http://localhost:${port2}/healthz`)).json();
    expect(health.status).toBe("ok");
  }, 90_000);
});
