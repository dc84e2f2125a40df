/**
 * Outgoing email. With SMTP configured, nodemailer sends it; without (the demo, development),
 * messages land in a local outbox (`/dev/outbox`) and are printed to the console, so the whole
 * RSVP flow works from `npm start`.
 */
import type { SmtpConfig } from "../config.ts";
import { newId } from "../domain/secrets.ts";
import type { Logger } from "../log.ts";
import type { Repos } from "../storage/index.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface Mailer {
  readonly kind: "smtp" | "outbox";
  /** Queues `mail`; resolves once queued, not when delivered (requests never wait on SMTP). */
  send(mail: Mail): Promise<void>;
  /** Sends `mail` now, once, and rejects with the server's error (the admin's SMTP test). */
  sendNow(mail: Mail): Promise<void>;
  /** Resolves when every queued mail was sent or given up on. */
  idle(): Promise<void>;
  close(): void;
}

export async function createMailer(
  smtp: SmtpConfig | null,
  repos: Repos,
  log: Logger,
  print: (s: string) => void,
): Promise<Mailer> {
  if (!smtp) {
    const mailer: Mailer = {
      kind: "outbox",
      sendNow: (mail) => mailer.send(mail),
      async send(mail) {
        await repos.participations.addToOutbox({
          id: newId(),
          recipient: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
        print(
          `\n--- email (dev outbox, no SMTP configured) ---\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n--- end of email ---\n`,
        );
      },
      idle: async () => {},
      close() {},
    };
    return mailer;
  }
  const nodemailer = (await import("nodemailer")).default;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
    pool: true,
    maxConnections: 3,
  });
  const queue: Mail[] = [];
  let active = 0;
  let waiters: (() => void)[] = [];
  const CONCURRENCY = 4;
  const deliver = async (mail: Mail) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await transport.sendMail({
          from: smtp.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: mail.attachments,
        });
        return;
      } catch (err) {
        if (attempt >= 3) {
          // Never log the address: say what failed, not to whom.
          log.error("email not sent", { subject: mail.subject, error: (err as Error).message });
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * 4 ** (attempt - 1)));
      }
    }
  };
  const pump = () => {
    while (active < CONCURRENCY && queue.length > 0) {
      const mail = queue.shift()!;
      active++;
      void deliver(mail).finally(() => {
        active--;
        pump();
      });
    }
    if (active === 0 && queue.length === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  return {
    kind: "smtp",
    async sendNow(mail) {
      await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    async send(mail) {
      queue.push(mail);
      pump();
    },
    idle: () =>
      active === 0 && queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((r) => waiters.push(r)),
    close() {
      transport.close();
    },
  };
}
