/**
 * Web Push (RFC 8030) with the `web-push` library: the payload is encrypted for the one browser
 * (aes128gcm, RFC 8291) and the request is signed with our VAPID key (RFC 8292). The push services
 * (Mozilla autopush, Google FCM, Apple) only speak HTTPS; tests hand in an `https.Agent` that trusts a
 * loopback stand-in's certificate, production uses the system CAs.
 */
import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import webpush, { type RequestOptions } from 'web-push';
import { DeliveryError, type PushReceipt, type PushRequest, type PushSender } from '../messaging.js';

const PROVIDER = 'web-push';

export interface VapidKeyPair {
  /** Uncompressed P-256 public key, base64url without padding (65 bytes). */
  publicKey: string;
  /** P-256 private scalar, base64url without padding (32 bytes). Never log it. */
  privateKey: string;
}

export interface WebPushOptions {
  vapid: VapidKeyPair & {
    /** `mailto:…` or an `https:` URL where the push service can reach us about our traffic. */
    subject: string;
  };
  /** Only for tests: an agent that trusts a stand-in's certificate. */
  agent?: Agent;
  /** Socket timeout of one request; default 10 s like the other providers. */
  timeoutMs?: number;
}

/** A fresh VAPID key pair; generated once per installation and kept (subscriptions are bound to it). */
export function generateVapidKeyPair(): VapidKeyPair {
  return webpush.generateVAPIDKeys();
}

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/** True when `key` is base64url without padding and decodes to exactly `bytes` bytes. */
export function isBase64UrlOfLength(key: string, bytes: number): boolean {
  return URL_SAFE.test(key) && Buffer.from(key, 'base64url').length === bytes;
}

/**
 * A `Topic` header value for a key (e.g. an incident id): at most 32 URL-safe characters, the key itself
 * when it already is (a UUID without dashes is exactly 32), else a hash of it.
 */
export function pushTopic(key: string): string {
  const compact = key.replace(/-/g, '');
  if (compact.length > 0 && compact.length <= 32 && URL_SAFE.test(compact)) return compact;
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

/** The library's options for one request: never its 4-week default TTL, always aes128gcm. */
export function webPushRequestOptions(request: PushRequest, options: WebPushOptions): RequestOptions {
  if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds < 0)
    throw new DeliveryError('web push: TTL must be a whole number of seconds', {
      provider: PROVIDER,
      code: 'INVALID_INPUT',
      retryable: false,
    });
  if (request.topic !== undefined && (request.topic.length > 32 || !URL_SAFE.test(request.topic)))
    throw new DeliveryError('web push: a topic is at most 32 URL-safe characters', {
      provider: PROVIDER,
      code: 'INVALID_INPUT',
      retryable: false,
    });
  return {
    vapidDetails: {
      subject: options.vapid.subject,
      publicKey: options.vapid.publicKey,
      privateKey: options.vapid.privateKey,
    },
    TTL: request.ttlSeconds,
    urgency: request.urgency,
    contentEncoding: 'aes128gcm',
    timeout: options.timeoutMs ?? 10_000,
    ...(request.topic ? { topic: request.topic } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
  };
}

/** The origin of an endpoint, for messages: the path is a capability and stays out of logs. */
export function endpointOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(invalid endpoint)';
  }
}

function retryAfterSeconds(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.['retry-after'];
  const value = typeof raw === 'string' ? Number(raw) : undefined;
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * What went wrong, in the outbox's terms. 404/410: the subscription is gone for good. 429 and 5xx may
 * pass; other answers (400 bad request, 401/403 a VAPID key the subscription was not made with, 413 too
 * large) will not. No answer at all (connection, TLS, socket timeout) is worth another try; an error
 * before any request (malformed keys) is not.
 */
export function pushDeliveryError(error: unknown, endpoint: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const where = endpointOrigin(endpoint);
  if (error instanceof webpush.WebPushError) {
    const status = error.statusCode;
    if (status === 404 || status === 410)
      return new DeliveryError(`web push: ${where} answered ${status}: the subscription is gone`, {
        provider: PROVIDER,
        code: 'SUBSCRIPTION_GONE',
        retryable: false,
        status,
      });
    const retryAfter = retryAfterSeconds(error.headers as Record<string, unknown> | undefined);
    return new DeliveryError(`web push: ${where} answered ${status}`, {
      provider: PROVIDER,
      code: 'HTTP',
      retryable: status === 429 || status >= 500,
      status,
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    });
  }
  const e = (error ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (message === 'Socket timeout')
    return new DeliveryError(`web push: ${where} did not answer in time`, {
      provider: PROVIDER,
      code: 'TIMEOUT',
      retryable: true,
    });
  if (typeof e.code === 'string')
    return new DeliveryError(`web push: could not reach ${where} (${e.code})`, {
      provider: PROVIDER,
      code: 'NETWORK',
      retryable: true,
    });
  return new DeliveryError(`web push: refused before sending: ${message.slice(0, 200)}`, {
    provider: PROVIDER,
    code: 'INVALID_INPUT',
    retryable: false,
  });
}

export function createWebPushSender(options: WebPushOptions): PushSender {
  return {
    vapidPublicKey: options.vapid.publicKey,
    async send(request: PushRequest): Promise<PushReceipt> {
      const { endpoint, keys } = request.subscription;
      if (!endpoint.startsWith('https://'))
        throw new DeliveryError('web push: the endpoint is not an https URL', {
          provider: PROVIDER,
          code: 'INVALID_INPUT',
          retryable: false,
        });
      try {
        const result = await webpush.sendNotification(
          { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } },
          request.payload,
          webPushRequestOptions(request, options),
        );
        const location = result.headers.location;
        return { provider: PROVIDER, providerMessageId: typeof location === 'string' ? location : '' };
      } catch (error) {
        throw pushDeliveryError(error, endpoint);
      }
    },
  };
}
