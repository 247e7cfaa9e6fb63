/**
 * Sending e-mail with nodemailer to SMTP_URL. In development with no SMTP_URL, mail goes to a local
 * catcher (started on first use) and is shown on /dev/mail. In production or tests with no SMTP_URL
 * there is no mailer: notices stay queued until one is configured.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyInstance } from 'fastify';
import type { Catcher, CaughtMessage } from './catcher.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** The language the e-mail is written in (the recipient's): sent as Content-Language. */
  locale?: string;
  /** Files made by Stafett itself (a meeting's calendar file); never a user's upload. */
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface Mailer {
  /** True when mail can be sent (an SMTP server is configured, or the development catcher). */
  readonly enabled: boolean;
  send(mail: OutgoingMail): Promise<void>;
  /** What the development catcher received, newest first; empty outside development. */
  caught(): CaughtMessage[];
  close(): Promise<void>;
}

const mailers = new WeakMap<FastifyInstance['config'], Mailer>();

/**
 * The app's one mailer (so the development catcher and /dev/mail see every e-mail, notices and account
 * e-mails alike). Keyed by the app's configuration object, which every plugin context of one app shares.
 */
export function mailerFor(app: FastifyInstance): Mailer {
  let mailer = mailers.get(app.config);
  if (!mailer) {
    mailer = createMailer(app);
    mailers.set(app.config, mailer);
  }
  return mailer;
}

export function createMailer(app: FastifyInstance): Mailer {
  const { smtpUrl, env, mailFrom } = app.config;
  const useCatcher = !smtpUrl && env === 'development';
  const caughtMessages: CaughtMessage[] = [];
  let catcher: Promise<Catcher> | null = null;
  let transport: Promise<Transporter> | null = null;

  const transporter = () =>
    (transport ??= (async () => {
      let url = smtpUrl;
      if (useCatcher) {
        catcher ??= import('./catcher.js').then((m) => m.startCatcher({ messages: caughtMessages }));
        url = (await catcher).url;
        app.log.info(`development mail catcher on ${url}; read the mail on /dev/mail`);
      }
      return nodemailer.createTransport({
        url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    })());

  return {
    enabled: Boolean(smtpUrl) || useCatcher,
    async send(mail) {
      const t = await transporter();
      await t.sendMail({
        from: mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.locale ? { headers: { 'Content-Language': mail.locale } } : {}),
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      });
    },
    caught: () => [...caughtMessages].reverse(),
    async close() {
      if (transport) (await transport.catch(() => null))?.close();
      if (catcher) await (await catcher.catch(() => null))?.close();
      transport = null;
      catcher = null;
    },
  };
}
