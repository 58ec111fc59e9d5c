/**
 * A local SMTP sink on smtp-server (127.0.0.1:0, no TLS: STARTTLS is disabled, so point nodemailer at
 * `url` which carries `ignoreTLS=true`). Records each message with its envelope, decoded headers and
 * bodies; AUTH is optional (pass `auth` to require it); can refuse the next N messages with a reply code.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { decodeHeader, findPart, parseMime } from './mime.js';

export interface ReceivedMail {
  envelope: { from: string | undefined; to: string[] };
  /** The user that authenticated, if any. */
  user: string | undefined;
  /** Raw message source as received (CRLF line ends). */
  raw: string;
  /** Lower-case header name → decoded values, in order. */
  headers: Map<string, string[]>;
  /** Decoded first value of `Subject`. */
  subject: string | undefined;
  from: string | undefined;
  to: string | undefined;
  messageId: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

export interface SmtpStandInOptions {
  /** Require AUTH (PLAIN/LOGIN over plain TCP on loopback) with these credentials. */
  auth?: { user: string; pass: string };
}

export interface SmtpStandIn {
  /** The value for `Config.smtpUrl`, credentials included when `auth` is set. */
  url: string;
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** The next `n` messages are refused at end of DATA with this SMTP reply code (e.g. 451, 550). */
  failNext(n: number, status: number): void;
  /** The next `n` connections get their greeting only after `ms` (for client timeouts). */
  delayNext(n: number, ms: number): void;
  close(): Promise<void>;
}

export async function startSmtpStandIn(options: SmtpStandInOptions = {}): Promise<SmtpStandIn> {
  const messages: ReceivedMail[] = [];
  const failures: number[] = [];
  const delays: number[] = [];
  const { auth } = options;

  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    secure: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 2000,
    onConnect(_session, callback) {
      const delay = delays.shift();
      if (delay === undefined) callback();
      else setTimeout(() => callback(), delay);
    },
    onAuth(credentials, _session, callback) {
      if (auth !== undefined && credentials.username === auth.user && credentials.password === auth.pass)
        callback(null, { user: credentials.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const failWith = failures.shift();
        if (failWith !== undefined) {
          callback(
            Object.assign(new Error(`Refused by the stand-in (${failWith})`), { responseCode: failWith }),
          );
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMime(raw);
        const headers = new Map<string, string[]>();
        for (const [name, values] of parsed.headers) headers.set(name, values.map(decodeHeader));
        const first = (name: string) => headers.get(name)?.[0];
        messages.push({
          envelope: {
            from: session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          headers,
          subject: first('subject'),
          from: first('from'),
          to: first('to'),
          messageId: first('message-id'),
          text: findPart(parsed, 'text/plain')?.text,
          html: findPart(parsed, 'text/html')?.text,
        });
        callback(null, 'Queued by the stand-in');
      });
    },
  });
  server.on('error', () => {
    // connection-level errors (e.g. a client that gave up) are not test failures
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const credentials =
    auth === undefined ? '' : `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@`;

  return {
    url: `smtp://${credentials}127.0.0.1:${port}?ignoreTLS=true`,
    host: '127.0.0.1',
    port,
    messages,
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    delayNext(n, ms) {
      for (let i = 0; i < n; i++) delays.push(ms);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
