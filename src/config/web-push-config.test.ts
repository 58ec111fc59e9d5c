import { describe, expect, it } from 'vitest';
import { generateVapidKeyPair } from '../integrations/push/web-push.js';
import { loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/ballou');

describe('web push settings', () => {
  it('default to keys kept in the database and a mailto: subject from the mail sender', () => {
    expect(load({}).webPush).toEqual({
      vapidPublicKey: '',
      vapidPrivateKey: '',
      vapidSubject: 'mailto:jour@example.se',
      caFile: '',
    });
    expect(load({ BALLOU_MAIL_FROM: 'jour@hosting.example' }).webPush.vapidSubject).toBe(
      'mailto:jour@hosting.example',
    );
    expect(
      load({ BALLOU_MAIL_FROM: 'Jouren', BALLOU_SELLER_EMAIL: 'info@hosting.example' }).webPush.vapidSubject,
    ).toBe('mailto:info@hosting.example');
  });

  it('take a configured key pair and subject', () => {
    const pair = generateVapidKeyPair();
    const config = load({
      BALLOU_VAPID_PUBLIC_KEY: pair.publicKey,
      BALLOU_VAPID_PRIVATE_KEY: pair.privateKey,
      BALLOU_VAPID_SUBJECT: 'https://ballou.example/kontakt',
    });
    expect(config.webPush).toMatchObject({
      vapidPublicKey: pair.publicKey,
      vapidPrivateKey: pair.privateKey,
      vapidSubject: 'https://ballou.example/kontakt',
    });
  });

  it('refuse half a pair, keys of the wrong length and a subject push services refuse', () => {
    const pair = generateVapidKeyPair();
    expect(() => load({ BALLOU_VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/both/);
    expect(() => load({ BALLOU_VAPID_PRIVATE_KEY: pair.privateKey })).toThrow(/both/);
    expect(() =>
      load({ BALLOU_VAPID_PUBLIC_KEY: pair.privateKey, BALLOU_VAPID_PRIVATE_KEY: pair.privateKey }),
    ).toThrow(/BALLOU_VAPID_PUBLIC_KEY/);
    expect(() =>
      load({ BALLOU_VAPID_PUBLIC_KEY: pair.publicKey, BALLOU_VAPID_PRIVATE_KEY: pair.publicKey }),
    ).toThrow(/BALLOU_VAPID_PRIVATE_KEY/);
    expect(() => load({ BALLOU_VAPID_SUBJECT: 'http://ballou.example' })).toThrow(/BALLOU_VAPID_SUBJECT/);
    expect(() => load({ BALLOU_VAPID_SUBJECT: 'jour@example.se' })).toThrow(/BALLOU_VAPID_SUBJECT/);
  });

  it('never put the private key in an error message', () => {
    const pair = generateVapidKeyPair();
    let message = '';
    try {
      load({ BALLOU_VAPID_PUBLIC_KEY: 'nope', BALLOU_VAPID_PRIVATE_KEY: pair.privateKey });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/BALLOU_VAPID_PUBLIC_KEY/);
    expect(message).not.toContain(pair.privateKey);
  });
});
