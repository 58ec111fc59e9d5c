import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { start46elksStandIn, type ElksStandIn } from '../../../test/stand-ins/elks-stand-in.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../../test/stand-ins/twilio-stand-in.js';
import type { Config } from '../../config/config.js';
import { DeliveryError, type SmsSender } from '../messaging.js';
import { createTelephony } from './create-telephony.js';
import { createElksTelephony } from './elks.js';
import { withFallback } from './fallback.js';
import { createTwilioTelephony } from './twilio.js';

let elks: ElksStandIn;
let twilio: TwilioStandIn;
let config: Pick<Config, 'elks' | 'twilio'>;

beforeAll(async () => {
  [elks, twilio] = await Promise.all([start46elksStandIn(), startTwilioStandIn()]);
  config = {
    elks: {
      apiUrl: elks.url,
      username: elks.username,
      password: elks.password,
      webhookSecret: 'w',
      fromNumber: '+46766860000',
      greetingAudioUrl: '',
      pageAudioUrl: '',
    },
    twilio: {
      apiUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      fromNumber: '+46101234567',
    },
  };
});
afterAll(() => Promise.all([elks.close(), twilio.close()]));
beforeEach(() => {
  for (const list of [elks.requests, elks.sms, twilio.requests, twilio.messages, twilio.calls])
    list.length = 0;
});

describe('withFallback', () => {
  it('a failing 46elks (503) falls back to Twilio, which delivers; the receipt names Twilio', async () => {
    const failovers: DeliveryError[] = [];
    const sms = withFallback(createElksTelephony(config.elks), createTwilioTelephony(config.twilio), {
      onFailover: (e) => failovers.push(e),
    });
    elks.failNext(1, 503);
    const receipt = await sms.send({ to: '+46701234567', message: 'Larm på db1 – åäö' });
    expect(receipt.provider).toBe('twilio');
    expect(receipt.providerMessageId).toBe(twilio.messages[0]?.sid);
    expect(twilio.messages[0]?.body).toBe('Larm på db1 – åäö');
    expect(elks.requests).toHaveLength(1);
    expect(failovers.map((e) => [e.provider, e.status])).toEqual([['46elks', 503]]);
  });

  it('falls back on a non-retryable failure as well (e.g. 46elks credentials revoked)', async () => {
    const sms = withFallback(
      createElksTelephony({ ...config.elks, password: 'revoked' }),
      createTwilioTelephony(config.twilio),
    );
    expect((await sms.send({ to: '+46701234567', message: 'x' })).provider).toBe('twilio');
  });

  it('a working primary is used alone', async () => {
    const sms = withFallback(createElksTelephony(config.elks), createTwilioTelephony(config.twilio));
    expect((await sms.send({ to: '+46701234567', message: 'x' })).provider).toBe('46elks');
    expect(twilio.requests).toHaveLength(0);
  });

  it('both failing: the error carries both, retryable when either was', async () => {
    const sms = withFallback(createElksTelephony(config.elks), createTwilioTelephony(config.twilio));
    elks.failNext(1, 500);
    twilio.failNext(1, 400);
    const error = await sms.send({ to: '+46701234567', message: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ provider: 'twilio', status: 400, retryable: true });
    const causes = (error as DeliveryError).causes;
    expect(causes.map((c) => [c.provider, c.status])).toEqual([['46elks', 500]]);
    expect((error as DeliveryError).message).toMatch(/^46elks answered 500.*; fallback: twilio answered 400/);
  });

  it('voice: 46elks without a Swedish recording (UNSUPPORTED) is covered by Twilio <Say>', async () => {
    const voice = withFallback(createElksTelephony(config.elks), createTwilioTelephony(config.twilio));
    const receipt = await voice.call({ to: '+46701234567', message: 'Larm för Exempel AB' });
    expect(receipt.provider).toBe('twilio');
    expect(twilio.calls[0]?.twiml).toContain('<Say language="sv-SE">Larm för Exempel AB</Say>');
  });

  it('does not swallow programming errors', async () => {
    const broken: SmsSender = {
      send: () => Promise.reject(new TypeError('bug')),
    };
    const sms = withFallback(broken, createTwilioTelephony(config.twilio));
    await expect(sms.send({ to: '+46701234567', message: 'x' })).rejects.toThrow(TypeError);
    expect(twilio.requests).toHaveLength(0);
  });
});

describe('createTelephony', () => {
  it('46elks first, Twilio as fallback when both are configured', async () => {
    const telephony = createTelephony(config);
    expect(telephony.providers).toEqual(['46elks', 'twilio']);
    elks.failNext(1, 502);
    expect((await telephony.send({ to: '+46701234567', message: 'x' })).provider).toBe('twilio');
  });

  it('only what is configured', async () => {
    const telephony = createTelephony({ ...config, twilio: { ...config.twilio, accountSid: '' } });
    expect(telephony.providers).toEqual(['46elks']);
    elks.failNext(1, 502);
    await expect(telephony.send({ to: '+46701234567', message: 'x' })).rejects.toMatchObject({
      provider: '46elks',
      retryable: true,
    });
  });

  it('nothing configured: NOT_CONFIGURED, non-retryable', async () => {
    const telephony = createTelephony({
      elks: { ...config.elks, username: '' },
      twilio: { ...config.twilio, authToken: '' },
    });
    expect(telephony.providers).toEqual([]);
    await expect(telephony.call({ to: '+46701234567', message: 'x' })).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      retryable: false,
    });
  });
});

describe('createTelephony with the hang breaker', () => {
  const TIMEOUT_MS = 200;
  let now = 0;
  const changes: { operation: string; open: boolean }[] = [];
  // With a recording 46elks takes calls itself (without one it leaves them to Twilio <Say>).
  const make = () =>
    createTelephony(
      { ...config, elks: { ...config.elks, pageAudioUrl: 'https://desk.example/page.mp3' } },
      {
        timeoutMs: TIMEOUT_MS,
        hangBreaker: {
          openMs: 30_000,
          now: () => now,
          onChange: (operation, change) => changes.push({ operation, open: change.open }),
        },
      },
    );
  const elksSms = () => elks.requests.filter((r) => r.path.endsWith('/sms')).length;

  it('skips a hanging 46elks after two timeouts: the next pages go to Twilio at once; a probe after the cool-down brings 46elks back', async () => {
    now = 1_000_000;
    changes.length = 0;
    const telephony = make();
    elks.outage({ hangMs: 5_000 }, '/a1/sms');
    try {
      // Two pages wait for the timeout, then go through Twilio.
      for (const message of ['sida 1', 'sida 2']) {
        const receipt = await telephony.send({ to: '+46701234567', message });
        expect(receipt.provider).toBe('twilio');
      }
      expect(elksSms()).toBe(2);
      expect(changes).toEqual([{ operation: 'sms', open: true }]);

      // The third is not held by the hang: 46elks is not asked, Twilio takes it well within the timeout.
      const started = performance.now();
      expect((await telephony.send({ to: '+46701234567', message: 'sida 3' })).provider).toBe('twilio');
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
      expect(elksSms()).toBe(2);
      // Calls are a different operation: 46elks still takes them (with a recording: its speech is English).
      const call = { to: '+46701234567', message: 'samtal', audioUrl: 'https://desk.example/page.mp3' };
      expect((await telephony.call(call)).provider).toBe('46elks');

      // After the cool-down one page tries 46elks again: still hanging, so skipped for another while.
      now += 30_000;
      expect((await telephony.send({ to: '+46701234567', message: 'sida 4' })).provider).toBe('twilio');
      expect(elksSms()).toBe(3);
      expect((await telephony.send({ to: '+46701234567', message: 'sida 5' })).provider).toBe('twilio');
      expect(elksSms()).toBe(3);

      // 46elks is back: the next probe goes through it, and so does everything after.
      elks.outage(null);
      now += 30_000;
      expect((await telephony.send({ to: '+46701234567', message: 'sida 6' })).provider).toBe('46elks');
      expect((await telephony.send({ to: '+46701234567', message: 'sida 7' })).provider).toBe('46elks');
      expect(changes).toEqual([
        { operation: 'sms', open: true },
        { operation: 'sms', open: true },
        { operation: 'sms', open: false },
      ]);
      expect(twilio.messages.map((m) => m.body)).toEqual(['sida 1', 'sida 2', 'sida 3', 'sida 4', 'sida 5']);
    } finally {
      elks.outage(null);
    }
  });

  it('skipped 46elks and a failing Twilio: the error says 46elks was skipped, retryable', async () => {
    now = 2_000_000;
    const telephony = make();
    elks.outage({ hangMs: 5_000 }, '/a1/sms');
    twilio.outage({ status: 503 }, '/Messages.json');
    try {
      for (let i = 0; i < 2; i++)
        await expect(telephony.send({ to: '+46701234567', message: `x${i}` })).rejects.toBeInstanceOf(
          DeliveryError,
        );
      const error = await telephony.send({ to: '+46701234567', message: 'x2' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'twilio', retryable: true });
      expect((error as DeliveryError).message).toMatch(
        /^46elks skipped: it did not answer its last requests \(tried again from .*\); fallback: twilio answered 503/,
      );
      expect(elksSms()).toBe(2);
    } finally {
      elks.outage(null);
      twilio.outage(null);
    }
  });
});
