/**
 * What 46elks POSTs to us (form-encoded) and how we know it is 46elks. 46elks signs nothing; per API.md
 * every 46elks webhook URL carries Basic credentials (user `46elks`, password = the webhook secret),
 * which 46elks sends as an `Authorization: Basic` header.
 */
import { constantTimeEqual } from './constant-time.js';
import { readForm } from './webhook-form.js';

export const ELKS_WEBHOOK_USER = '46elks';

/**
 * True when `authorization` is `Basic base64(46elks:<webhookSecret>)`. Constant-time; fails closed when
 * the secret is not configured.
 */
export function checkElksWebhookAuth(authorization: string | undefined, webhookSecret: string): boolean {
  if (webhookSecret === '' || authorization === undefined) return false;
  const match = /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(authorization);
  const presented = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  return constantTimeEqual(presented, `${ELKS_WEBHOOK_USER}:${webhookSecret}`);
}

/**
 * The URL to give 46elks (number configuration, `whendelivered`, `whenhangup`, `next`): our public URL
 * with the webhook credentials in it.
 * @example elksWebhookUrl('https://desk.example', '/webhooks/46elks/voice', 's3cret')
 * // 'https://46elks:s3cret@desk.example/webhooks/46elks/voice'
 */
export function elksWebhookUrl(publicUrl: string, path: string, webhookSecret: string): string {
  const base = new URL(publicUrl);
  const url = new URL(
    `${base.origin}${base.pathname.replace(/\/$/, '')}${path.startsWith('/') ? '' : '/'}${path}`,
  );
  url.username = ELKS_WEBHOOK_USER;
  url.password = webhookSecret;
  return url.toString();
}

/** 46elks times are UTC without a zone, e.g. `2018-08-13T13:57:23.741000`; epoch ms, or undefined. */
export function parseElksTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!match) return undefined;
  const millis = match[3] === undefined ? '' : match[3].slice(0, 4).padEnd(4, '0');
  const ms = Date.parse(`${match[1]}T${match[2]}${millis}${match[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface ElksIncomingCall {
  /** `callid` (older pages call it `id`): the idempotency key. */
  callId: string;
  from: string;
  to: string;
  direction: string | undefined;
  created: string | undefined;
  createdMs: number | undefined;
}

/** The `voice_start` webhook of an incoming call: `callid` (or `id`), `from`, `to`, `direction`, `created`. */
export function parseElksIncomingCall(body: unknown): ElksIncomingCall {
  const f = readForm('46elks incoming call', body, ['callid|id', 'from', 'to'], ['direction', 'created']);
  return {
    callId: f['callid|id'],
    from: f.from,
    to: f.to,
    direction: f.direction,
    created: f.created,
    createdMs: parseElksTime(f.created),
  };
}

export interface ElksIncomingSms {
  id: string;
  from: string;
  to: string;
  message: string;
  created: string | undefined;
  createdMs: number | undefined;
}

/** An SMS to our number (`sms_url`): `id`, `from`, `to`, `message`, `created`. */
export function parseElksIncomingSms(body: unknown): ElksIncomingSms {
  const f = readForm('46elks incoming SMS', body, ['id', 'from', 'to', 'message'], ['created']);
  return {
    id: f.id,
    from: f.from,
    to: f.to,
    message: f.message,
    created: f.created,
    createdMs: parseElksTime(f.created),
  };
}

export interface ElksDeliveryReport {
  /** The SMS id we got when sending. */
  id: string;
  /** `sent`, `delivered` or `failed` (kept as sent, so new values are not lost). */
  status: string;
  delivered: string | undefined;
  deliveredMs: number | undefined;
}

/** A delivery report POSTed to `whendelivered`: `id`, `status`, `delivered`. Dedupe on id + status. */
export function parseElksDeliveryReport(body: unknown): ElksDeliveryReport {
  const f = readForm('46elks delivery report', body, ['id', 'status'], ['delivered']);
  return { id: f.id, status: f.status, delivered: f.delivered, deliveredMs: parseElksTime(f.delivered) };
}

export interface ElksActionResult {
  callId: string;
  /** `success`/`failed`/`busy` (connect, play) or the digits entered (ivr). */
  result: string;
  from: string | undefined;
}

/** What 46elks POSTs to an action's `next` URL: `callid`, `result` (+ `from` after an ivr). */
export function parseElksActionResult(body: unknown): ElksActionResult {
  const f = readForm('46elks call action result', body, ['callid|id', 'result'], ['from']);
  return { callId: f['callid|id'], result: f.result, from: f.from };
}

export interface ElksHangup {
  callId: string;
  state: string | undefined;
  from: string | undefined;
  to: string | undefined;
  direction: string | undefined;
  /** Seconds, when present. */
  duration: number | undefined;
}

/** The call record POSTed to `whenhangup` [G: field set]; identified by `id` (or `callid`). */
export function parseElksHangup(body: unknown): ElksHangup {
  const f = readForm('46elks hangup', body, ['id|callid'], ['state', 'from', 'to', 'direction', 'duration']);
  const duration = f.duration === undefined ? undefined : Number(f.duration);
  return {
    callId: f['id|callid'],
    state: f.state,
    from: f.from,
    to: f.to,
    direction: f.direction,
    duration: duration === undefined || Number.isNaN(duration) ? undefined : duration,
  };
}
