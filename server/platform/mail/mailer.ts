import nodemailer from "nodemailer";
import type { AppConfig } from "../../config/env.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** Sends e-mail to citizens; SMTP in every environment (the mail catcher in development). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createMailer(config: Pick<AppConfig, "SMTP_URL" | "MAIL_FROM">): Mailer {
  // Pooled and lazy: no connection until the first message, reused for the following ones.
  const transport = nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM });
  return {
    async send(mail) {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
    close: () => transport.close(),
  };
}
