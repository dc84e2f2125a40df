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
  send(mail: Mail): Promise<void>;
  close(): void;
}

export async function createMailer(
  smtp: SmtpConfig | null,
  repos: Repos,
  log: Logger,
  print: (s: string) => void,
): Promise<Mailer> {
  if (!smtp) {
    return {
      kind: "outbox",
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
      close() {},
    };
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
  return {
    kind: "smtp",
    async send(mail) {
      try {
        await transport.sendMail({
          from: smtp.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: mail.attachments,
        });
      } catch (err) {
        // Never log the address: say what failed, not to whom.
        log.error("email not sent", { subject: mail.subject, error: (err as Error).message });
        throw err;
      }
    },
    close() {
      transport.close();
    },
  };
}
