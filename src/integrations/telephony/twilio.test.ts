import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../../../test/stand-ins/twilio-stand-in.js';
import { DeliveryError } from '../messaging.js';
import { createTwilioTelephony, type TwilioConfig } from './twilio.js';

let twilio: TwilioStandIn;
let config: TwilioConfig;

beforeAll(async () => {
  twilio = await startTwilioStandIn();
  config = {
    apiUrl: twilio.url,
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    fromNumber: '+46101234567',
  };
});
afterAll(() => twilio.close());
beforeEach(() => {
  twilio.requests.length = 0;
  twilio.messages.length = 0;
  twilio.calls.length = 0;
});

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Twilio SMS', () => {
  it('POSTs To/From/Body/StatusCallback to Messages.json with SID:token Basic auth; returns the sid', async () => {
    const receipt = await createTwilioTelephony(config).send({
      to: '+46701234567',
      message: 'Larm: ärende 42 – disk full på db1 (åäö ÅÄÖ)',
      statusCallbackUrl: 'https://desk.example/webhooks/twilio/sms-status',
    });
    expect(receipt).toEqual({
      provider: 'twilio',
      providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request?.basicAuth).toEqual({ username: twilio.accountSid, password: twilio.authToken });
    expect(request?.form).toEqual({
      To: '+46701234567',
      From: '+46101234567',
      Body: 'Larm: ärende 42 – disk full på db1 (åäö ÅÄÖ)',
      StatusCallback: 'https://desk.example/webhooks/twilio/sms-status',
    });
    expect(request?.rawBody).toContain('%C3%A4rende');
  });

  it('wrong token: 401 non-retryable, token not in the message', async () => {
    const sender = createTwilioTelephony({ ...config, authToken: 'not-the-right-token' });
    const error = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ provider: 'twilio', code: 'HTTP', status: 401, retryable: false });
    expect(error.message).toContain('Authenticate (code 20003)');
    expect(error.message).not.toContain('not-the-right-token');
    expect(error.message).not.toContain(twilio.authToken);
  });

  it('5xx and 429: retryable; 400: not', async () => {
    const sender = createTwilioTelephony(config);
    twilio.failNext(1, 500);
    expect(await deliveryError(sender.send({ to: '+46701234567', message: 'x' }))).toMatchObject({
      status: 500,
      retryable: true,
    });
    twilio.failNext(1, 429);
    expect(await deliveryError(sender.send({ to: '+46701234567', message: 'x' }))).toMatchObject({
      status: 429,
      retryable: true,
    });
    twilio.failNext(1, 400);
    const badNumber = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(badNumber).toMatchObject({ status: 400, retryable: false });
    expect(badNumber.message).toContain('code 21211');
  });

  it('timeout: retryable', async () => {
    twilio.delayNext(1, 1000);
    const error = await deliveryError(
      createTwilioTelephony(config, { timeoutMs: 100 }).send({ to: '+46701234567', message: 'x' }),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('refuses a malformed account SID (it goes into the path)', () => {
    expect(() => createTwilioTelephony({ ...config, accountSid: '../x' })).toThrow(/account SID/);
    expect(() => createTwilioTelephony({ ...config, accountSid: '' })).toThrow(/account SID/);
  });
});

describe('Twilio calls', () => {
  it('POSTs To/From/Twiml (<Say language="sv-SE">, XML-escaped)/StatusCallback/Timeout to Calls.json', async () => {
    const receipt = await createTwilioTelephony(config).call({
      to: '+46701234567',
      message: 'Larm: "R&D" <db1> på Åre',
      statusCallbackUrl: 'https://desk.example/webhooks/twilio/call-status',
      ringTimeoutSeconds: 30,
    });
    expect(receipt).toEqual({
      provider: 'twilio',
      providerCallId: expect.stringMatching(/^CA[0-9a-f]{32}$/),
    });
    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Calls.json`);
    expect(request?.form).toEqual({
      To: '+46701234567',
      From: '+46101234567',
      Twiml:
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="sv-SE">Larm: &quot;R&amp;D&quot; &lt;db1&gt; på Åre</Say></Response>',
      StatusCallback: 'https://desk.example/webhooks/twilio/call-status',
      Timeout: '30',
    });
  });

  it('with acknowledgeUrl the message is said inside a one-digit <Gather>', async () => {
    await createTwilioTelephony(config, { speech: { voice: 'Polly.Astrid' } }).call({
      to: '+46701234567',
      message: 'Tryck 1 för att kvittera',
      acknowledgeUrl: 'https://desk.example/webhooks/twilio/ack?page=7&step=1',
    });
    const twiml = twilio.calls[0]?.twiml ?? '';
    expect(twiml).toContain(
      '<Gather input="dtmf" numDigits="1" timeout="10" action="https://desk.example/webhooks/twilio/ack?page=7&amp;step=1" method="POST">' +
        '<Say language="sv-SE" voice="Polly.Astrid">Tryck 1 för att kvittera</Say></Gather>',
    );
  });

  it('auth failure on a call: non-retryable', async () => {
    const error = await deliveryError(
      createTwilioTelephony({ ...config, authToken: 'nope-nope' }).call({ to: '+46701234567', message: 'x' }),
    );
    expect(error).toMatchObject({ status: 401, retryable: false });
  });
});
