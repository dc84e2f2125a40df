/**
 * A @web/test-runner plugin that starts, for the whole run, a real Eventail server with the
 * demo data (from the repository's sources) and the fake RSVP/WebFinger server, and tells
 * the tests their URLs at GET /__env.json. It also lets tests emulate a browser time zone.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";
import { startFakeServer } from "./fake-server.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitFor(url, child, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`the Eventail server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Eventail server did not answer ${url} within ${ms} ms`);
}

/**
 * A real SMTP server receiving what the Eventail server sends, so tests can follow the links
 * in a confirmation email. Quoted-printable is undone so links read whole.
 */
export async function startMailSink() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("latin1");
        const text = Buffer.from(
          raw
            .replace(/=\r?\n/g, "")
            .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16))),
          "latin1",
        ).toString("utf8");
        mails.push({ to: session.envelope.rcptTo[0]?.address ?? "", text });
        done();
      });
    },
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    port: server.server.address().port,
    mails,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Starts `eventail serve --demo` on a free loopback port; Node 24 runs its TypeScript. */
export async function startEventail(extraEnv = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "eventail-widgets-"));
  // The project pins Node 24 (package `node`); npm scripts put it first on PATH.
  const local = join(repo, "node_modules/.bin/node");
  const node = existsSync(local) ? local : process.execPath;
  const child = spawn(
    node,
    [
      "server/src/cli.ts",
      "serve",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--data",
      data,
      "--demo",
    ],
    {
      cwd: repo,
      env: {
        ...process.env,
        LOG_LEVEL: "warn",
        EVENTAIL_ORIGIN: `http://127.0.0.1:${port}`,
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/healthz`, child);
  } catch (e) {
    child.kill();
    rmSync(data, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export function eventailServers() {
  let eventail = null;
  let fake = null;
  let mail = null;
  return {
    name: "eventail-servers",
    async serverStart({ config }) {
      mail = await startMailSink();
      // The test pages' origin may embed RSVP forms: the real cross-origin case.
      const pageOrigin = `http://${config.hostname ?? "localhost"}:${config.port}`;
      [eventail, fake] = await Promise.all([
        startEventail({
          SMTP_HOST: "127.0.0.1",
          SMTP_PORT: String(mail.port),
          EVENTAIL_EMBED_ORIGINS: pageOrigin,
          EVENTAIL_RSVP_LIMIT: "0",
        }),
        startFakeServer(),
      ]);
    },
    async serverStop() {
      await Promise.all([eventail?.close(), fake?.close(), mail?.close()]);
    },
    serve(context) {
      if (context.path === "/__env.json")
        return { body: JSON.stringify({ eventail: eventail.url, fake: fake.url }), type: "json" };
    },
    async executeCommand({ command, payload, session }) {
      if (command === "read-mail") {
        // The newest email to payload.to, waiting up to 10 s for it to arrive.
        const until = Date.now() + 10_000;
        while (Date.now() < until) {
          const found = mail.mails.filter((m) => m.to === payload.to).at(-1);
          if (found) return found.text;
          await new Promise((r) => setTimeout(r, 50));
        }
        return null;
      }
      if (command !== "emulate-timezone") return undefined;
      const page = session.browser.getPage(session.id);
      await page.emulateTimezone(payload?.timezone || undefined);
      return true;
    },
  };
}
