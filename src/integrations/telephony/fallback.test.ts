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
