/**
 * E-mail over SMTP with nodemailer. `smtpUrl` is a nodemailer connection URL, e.g.
 * `smtps://user:pass@mail.example:465` (implicit TLS), `smtp://user:pass@mail.example:587?requireTLS=true`
 * (STARTTLS required) or, for a loopback sink in tests, `smtp://127.0.0.1:2525?ignoreTLS=true`.
 * Query parameters override the defaults below (nodemailer merges URL options last).
 */
import nodemailer, { type NodemailerError } from 'nodemailer';
import type { Config } from '../../config/config.js';
import { DeliveryError, type EmailReceipt, type EmailRequest, type EmailSender } from '../messaging.js';
import { safeAddress, safeHeaderText } from './header-safety.js';

export type SmtpConfig = Pick<Config, 'smtpUrl' | 'mailFrom'>;

export interface SmtpOptions {
  /** Connection, greeting and socket inactivity timeout each. Default 15 s. */
  timeoutMs?: number;
}

const PROVIDER = 'smtp';

export function createSmtpEmailSender(config: SmtpConfig, options: SmtpOptions = {}): EmailSender {
  let url: URL;
  try {
    url = new URL(config.smtpUrl);
  } catch {
    throw new Error('the SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('the SMTP URL must be smtp: or smtps:');
  const from = safeHeaderText(config.mailFrom, 500);
  if (from === '') throw new Error('the sender address (mailFrom) is empty');
  const secrets = [decodeURIComponent(url.password), url.password].filter((s) => s.length >= 4);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(request: EmailRequest): Promise<EmailReceipt> {
      const recipients = (Array.isArray(request.to) ? request.to : [request.to]).map(safeAddress);
      if (recipients.length === 0 || recipients.some((r) => r === undefined))
        throw new DeliveryError('e-mail: a recipient is not a plain address (local@domain)', {
          provider: PROVIDER,
          code: 'INVALID_INPUT',
          retryable: false,
        });
      try {
        const info = await transport.sendMail({
          from,
          to: recipients as string[],
          subject: safeHeaderText(request.subject),
          text: request.text,
          ...(request.html === undefined ? {} : { html: request.html }),
        });
        return { providerMessageId: info.messageId };
      } catch (error) {
        throw smtpError(error, secrets);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/** SMTP 4xx (and 503) may succeed later, 5xx never will; a broken or timed-out connection may. */
function smtpError(error: unknown, secrets: string[]): DeliveryError {
  const e = (error ?? {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  let retryable: boolean;
  if (responseCode !== undefined)
    retryable = e.permanent === undefined ? responseCode < 500 || responseCode === 503 : !e.permanent;
  else retryable = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL'].includes(code);
  const kind =
    code === 'ETIMEDOUT' ? 'TIMEOUT' : responseCode === undefined && retryable ? 'NETWORK' : 'SMTP';
  const reply =
    typeof e.response === 'string'
      ? // eslint-disable-next-line no-control-regex
        `: ${e.response.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200)}`
      : '';
  let message = `e-mail could not be sent (${code}${responseCode === undefined ? '' : ` ${responseCode}`})${reply}`;
  for (const secret of secrets) message = message.split(secret).join('[redacted]');
  return new DeliveryError(message, {
    provider: PROVIDER,
    code: kind,
    retryable,
    ...(responseCode === undefined ? {} : { status: responseCode }),
  });
}
