import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/shared/domain-error.js';
import { validatePushSubscription } from './push-subscriptions.js';

function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

function pathsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
}

describe('a browser push subscription', () => {
  const keys = browserKeys();
  const good = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def', expirationTime: null, keys };

  it('is accepted as the browser gives it, padding or not', () => {
    expect(validatePushSubscription(good)).toEqual({
      endpoint: good.endpoint,
      p256dh: keys.p256dh,
      auth: keys.auth,
      expiresAtMs: null,
    });
    const padded = validatePushSubscription({ ...good, keys: { ...keys, auth: `${keys.auth}==` } });
    expect(padded.auth).toBe(keys.auth);
    expect(validatePushSubscription({ ...good, expirationTime: 1_800_000_000_000 }).expiresAtMs).toBe(
      1_800_000_000_000,
    );
  });

  it('names every bad field', () => {
    expect(
      pathsOf(() =>
        validatePushSubscription({
          endpoint: 'http://push.example.net/x',
          expirationTime: -5,
          keys: { p256dh: 'short', auth: randomBytes(12).toString('base64url') },
        }),
      ),
    ).toEqual(['/endpoint', '/keys/p256dh', '/keys/auth', '/expirationTime']);
  });

  it('refuses endpoints that are not plain https URLs', () => {
    for (const endpoint of ['not a url', 'ftp://push.example.net/x', 'https://user:pw@push.example.net/x'])
      expect(pathsOf(() => validatePushSubscription({ ...good, endpoint }))).toEqual(['/endpoint']);
    expect(
      pathsOf(() => validatePushSubscription({ ...good, endpoint: `https://p.example/${'a'.repeat(2100)}` })),
    ).toEqual(['/endpoint']);
  });

  it('refuses a 65-byte key that is not a point on P-256 (nothing could be encrypted for it)', () => {
    const notAPoint = Buffer.alloc(65, 0xff);
    notAPoint[0] = 4;
    expect(
      pathsOf(() =>
        validatePushSubscription({ ...good, keys: { ...keys, p256dh: notAPoint.toString('base64url') } }),
      ),
    ).toEqual(['/keys/p256dh']);
    const compressed = createECDH('prime256v1');
    compressed.generateKeys();
    expect(
      pathsOf(() =>
        validatePushSubscription({
          ...good,
          keys: { ...keys, p256dh: compressed.getPublicKey(undefined, 'compressed').toString('base64url') },
        }),
      ),
    ).toEqual(['/keys/p256dh']);
  });
});
