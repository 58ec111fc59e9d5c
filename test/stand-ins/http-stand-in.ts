/**
 * The plumbing shared by the HTTP provider stand-ins (46elks, Twilio): a node:http server on
 * 127.0.0.1:0 that records every request, checks Basic auth, and can be told to fail or stall.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/a1/sms`. */
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The form body (`application/x-www-form-urlencoded`), first value per name; `{}` otherwise. */
  form: Record<string, string>;
  /** The Basic credentials presented, decoded; undefined without them. */
  basicAuth: { username: string; password: string } | undefined;
  /** Whether they matched the stand-in's credentials. */
  authorized: boolean;
  /** The status the stand-in answered with (0: none, it hung). */
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface StandInReply {
  status: number;
  /** Serialised as JSON unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type StandInHandler = (request: RecordedRequest) => StandInReply;

export type OutageMode = { status: number } | { hangMs: number };

export interface HttpStandInOptions {
  username: string;
  password: string;
  /** Answers a request whose credentials did not match. */
  unauthorized: () => StandInReply;
  /** Answers a request failed on purpose with `failNext(n, status)`. */
  failure: (status: number) => StandInReply;
  handle: StandInHandler;
}

export interface HttpStandIn {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** The next `n` requests (after the auth check) answer `status` (5xx, 4xx, 429 …). */
  failNext(n: number, status: number): void;
  /** The next `n` requests are answered only after `ms` (for client timeouts). */
  delayNext(n: number, ms: number): void;
  /** The next `n` requests are taken by nobody: no answer, the connection dropped after `ms`. */
  hangNext(n: number, ms: number): void;
  /**
   * An outage until called again with null: every request whose path contains `pathIncludes` (every
   * request when omitted) is answered `status`, or hangs (`hangMs`: no answer, dropped after that
   * long). Either way the provider takes nothing. Recorded in `requests` with status 0 when hanging.
   */
  outage(mode: OutageMode | null, pathIncludes?: string): void;
  close(): Promise<void>;
}

export async function startHttpStandIn(options: HttpStandInOptions): Promise<HttpStandIn> {
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
  const delays: number[] = [];
  const hangs: number[] = [];
  let outage: { mode: OutageMode; pathIncludes: string | undefined } | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const hang = (res: ServerResponse, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.destroy();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const form: Record<string, string> = {};
      if (isForm) for (const [k, v] of new URLSearchParams(rawBody)) if (!(k in form)) form[k] = v;
      const basicAuth = parseBasic(req.headers.authorization);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody,
        form,
        basicAuth,
        authorized: basicAuth?.username === options.username && basicAuth.password === options.password,
        status: 0,
        at: Date.now(),
      };
      requests.push(recorded);
      let reply: StandInReply;
      const down =
        outage !== null && (outage.pathIncludes === undefined || recorded.path.includes(outage.pathIncludes))
          ? outage.mode
          : undefined;
      const hangMs = recorded.authorized
        ? down && 'hangMs' in down
          ? down.hangMs
          : hangs.shift()
        : undefined;
      if (hangMs !== undefined) return hang(res, hangMs);
      if (!recorded.authorized) reply = options.unauthorized();
      else if (down && 'status' in down) reply = options.failure(down.status);
      else {
        const failWith = failures.shift();
        reply = failWith === undefined ? options.handle(recorded) : options.failure(failWith);
      }
      recorded.status = reply.status;
      const delay = delays.shift();
      if (delay === undefined) send(res, reply);
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(res, reply);
        }, delay);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    delayNext(n, ms) {
      for (let i = 0; i < n; i++) delays.push(ms);
    },
    hangNext(n, ms) {
      for (let i = 0; i < n; i++) hangs.push(ms);
    },
    outage(mode, pathIncludes) {
      outage = mode === null ? null : { mode, pathIncludes };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, reply: StandInReply): void {
  if (res.destroyed) return;
  const isText = typeof reply.body === 'string';
  const body = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(body);
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A random lowercase hex string of `length` characters. */
export function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

export interface WebhookDelivery {
  status: number;
  contentType: string | undefined;
  body: string;
  /** How many POSTs it took (1 when the first answer was 2xx). */
  attempts: number;
}

/**
 * POSTs a form to a webhook as a provider does. Credentials in the URL (`https://user:pass@host/…`) are
 * sent as a Basic `Authorization` header, like 46elks does (fetch refuses URLs with credentials).
 * Non-2xx answers are retried `retries` times, `retryDelayMs` apart (a compressed provider schedule).
 */
export async function postWebhookForm(
  url: string,
  fields: Record<string, string>,
  options: { retries?: number; retryDelayMs?: number; headers?: Record<string, string> } = {},
): Promise<WebhookDelivery> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    ...options.headers,
  };
  if (target.username !== '' || target.password !== '') {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const retries = options.retries ?? 0;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(target, {
      method: 'POST',
      headers,
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    if (ok || attempt > retries)
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body,
        attempts: attempt,
      };
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 50));
  }
}
