/**
 * A real SMTP server (smtp-server) on loopback that keeps every email it receives, so tests
 * read what people would get instead of mocking the mailer.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  to: string;
  raw: string;
  /** Decoded text (quoted-printable undone). */
  text: string;
}

/** Undoes quoted-printable soft breaks and escapes so links can be read back. */
function decodeQp(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

export class SmtpSink {
  readonly mails: Received[] = [];
  #server: SMTPServer;
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          this.mails.push({
            to: session.envelope.rcptTo[0]?.address ?? "",
            raw,
            text: decodeQp(raw),
          });
          callback();
        });
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.port = (this.#server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Waits until `to` has received `count` emails and returns them. */
  async waitFor(to: string, count = 1, timeoutMs = 5000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const got = this.mails.filter((m) => m.to === to);
      if (got.length >= count) return got;
      if (Date.now() > until) throw new Error(`${to} received ${got.length} of ${count} emails`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function link(mail: Received, action: "confirm" | "cancel"): URL {
  const m = new RegExp(`https?://[^\\s"<>]*ev-action=${action}[^\\s"<>]*`).exec(mail.text);
  if (!m) throw new Error(`no ${action} link in:\n${mail.text.slice(0, 2000)}`);
  return new URL(m[0].replace(/&amp;/g, "&"));
}
