import { Agent } from 'node:https';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../messaging.js';
import {
  createWebPushSender,
  generateVapidKeyPair,
  isBase64UrlOfLength,
  pushDeliveryError,
  pushTopic,
  webPushRequestOptions,
} from './web-push.js';

const vapid = { ...generateVapidKeyPair(), subject: 'mailto:jour@example.se' };
const subscription = {
  endpoint: 'https://push.example.net/wpush/v2/abc',
  keys: { p256dh: 'x', auth: 'y' },
};
const request = { subscription, payload: '{}', ttlSeconds: 300, urgency: 'high' as const };
const endpoint = 'https://updates.push.services.mozilla.com/wpush/v2/secret-capability-path';

describe('web push request options', () => {
  it('maps a page to TTL, high urgency, topic and aes128gcm, never the 4-week default', () => {
    const options = webPushRequestOptions({ ...request, topic: 'abc123' }, { vapid });
    expect(options).toEqual({
      vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      TTL: 300,
      urgency: 'high',
      contentEncoding: 'aes128gcm',
      timeout: 10_000,
      topic: 'abc123',
    });
  });

  it('passes a test agent and a timeout through, and leaves the topic out when there is none', () => {
    const agent = new Agent();
    const options = webPushRequestOptions({ ...request, ttlSeconds: 0 }, { vapid, agent, timeoutMs: 2000 });
    expect(options.agent).toBe(agent);
    expect(options.timeout).toBe(2000);
    expect(options.TTL).toBe(0);
    expect(options).not.toHaveProperty('topic');
  });

  it('refuses a topic the push services would refuse, and a TTL that is not whole seconds', () => {
    for (const topic of ['a'.repeat(33), 'has space', 'ä']) {
      expect(() => webPushRequestOptions({ ...request, topic }, { vapid })).toThrow(/topic/);
    }
    expect(() => webPushRequestOptions({ ...request, ttlSeconds: 1.5 }, { vapid })).toThrow(/TTL/);
    expect(() => webPushRequestOptions({ ...request, ttlSeconds: -1 }, { vapid })).toThrow(/TTL/);
  });

  it('the library turns the options into the headers a push service reads', () => {
    const browser = generateVapidKeyPair();
    const details = webpush.generateRequestDetails(
      { endpoint, keys: { p256dh: browser.publicKey, auth: Buffer.alloc(16, 3).toString('base64url') } },
      '{"title":"t"}',
      webPushRequestOptions({ ...request, topic: pushTopic('incident') }, { vapid }),
    );
    expect(details.headers).toMatchObject({
      TTL: 300,
      Urgency: 'high',
      Topic: pushTopic('incident'),
      'Content-Encoding': 'aes128gcm',
    });
    expect(String(details.headers.Authorization)).toMatch(
      new RegExp(`^vapid t=[^,]+, k=${vapid.publicKey}$`),
    );
  });
});

describe('push topics', () => {
  it('uses an incident id without dashes (32 hex characters) as it is', () => {
    expect(pushTopic('0b6f6c52-8f1e-4f5e-9d59-3c1a3f0e2b7d')).toBe('0b6f6c528f1e4f5e9d593c1a3f0e2b7d');
  });

  it('hashes anything longer or unsafe into 32 URL-safe characters, the same each time', () => {
    const topic = pushTopic('shift-reminder:rotation/2026-12-01T08:00+01:00');
    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushTopic('shift-reminder:rotation/2026-12-01T08:00+01:00')).toBe(topic);
    expect(pushTopic('shift-reminder:rotation/2026-12-02T08:00+01:00')).not.toBe(topic);
  });
});

describe('push failures', () => {
  const answered = (status: number, headers: Record<string, string> = {}) =>
    pushDeliveryError(
      new webpush.WebPushError('Received unexpected response code', status, headers, '', endpoint),
      endpoint,
    );

  it('calls 404 and 410 a gone subscription, never retried', () => {
    for (const status of [404, 410]) {
      expect(answered(status)).toMatchObject({ code: 'SUBSCRIPTION_GONE', retryable: false, status });
    }
  });

  it('retries 429 (with Retry-After) and 5xx, not other refusals', () => {
    expect(answered(429, { 'retry-after': '30' })).toMatchObject({
      code: 'HTTP',
      retryable: true,
      status: 429,
      retryAfterSeconds: 30,
    });
    expect(answered(503)).toMatchObject({ code: 'HTTP', retryable: true, status: 503 });
    for (const status of [400, 401, 403, 413])
      expect(answered(status)).toMatchObject({ code: 'HTTP', retryable: false, status });
  });

  it('retries no answer at all (connection, TLS, timeout), not a refusal before sending', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(pushDeliveryError(refused, endpoint)).toMatchObject({ code: 'NETWORK', retryable: true });
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(pushDeliveryError(tls, endpoint)).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(pushDeliveryError(new Error('Socket timeout'), endpoint)).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    expect(pushDeliveryError(new Error('To send a message with a payload, …'), endpoint)).toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
    });
  });

  it('names the push service, never the capability path of the endpoint', () => {
    expect(answered(410).message).toContain('https://updates.push.services.mozilla.com');
    expect(answered(410).message).not.toContain('secret-capability-path');
  });

  it('refuses a plain-http endpoint before contacting anyone', async () => {
    const sender = createWebPushSender({ vapid });
    const error = await sender
      .send({ ...request, subscription: { ...subscription, endpoint: 'http://push.example.net/x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(sender.vapidPublicKey).toBe(vapid.publicKey);
  });
});

describe('VAPID keys', () => {
  it('generates a 65-byte public and 32-byte private key, base64url', () => {
    const pair = generateVapidKeyPair();
    expect(isBase64UrlOfLength(pair.publicKey, 65)).toBe(true);
    expect(isBase64UrlOfLength(pair.privateKey, 32)).toBe(true);
    expect(isBase64UrlOfLength(`${pair.privateKey}=`, 32)).toBe(false);
  });
});
