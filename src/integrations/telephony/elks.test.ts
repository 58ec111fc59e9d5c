import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { start46elksStandIn, type ElksStandIn } from '../../../test/stand-ins/elks-stand-in.js';
import { DeliveryError } from '../messaging.js';
import { createElksTelephony, type ElksConfig } from './elks.js';

let elks: ElksStandIn;
let config: ElksConfig;

beforeAll(async () => {
  elks = await start46elksStandIn({ username: 'u1234', password: 'p4ssw0rd-secret' });
  config = { apiUrl: elks.url, username: elks.username, password: elks.password, fromNumber: 'Ballou' };
});
afterAll(() => elks.close());
beforeEach(() => {
  elks.requests.length = 0;
  elks.sms.length = 0;
  elks.calls.length = 0;
});

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('46elks SMS', () => {
  it('POSTs from/to/message/whendelivered form-encoded with Basic auth and returns the SMS id', async () => {
    const sender = createElksTelephony(config);
    const receipt = await sender.send({
      to: '+46701234567',
      message: 'Larm: disk full på db1',
      statusCallbackUrl: 'https://46elks:hemligt@desk.example/webhooks/46elks/dlr',
    });

    expect(receipt.provider).toBe('46elks');
    expect(receipt.providerMessageId).toMatch(/^s[0-9a-f]{32}$/);
    const [request] = elks.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/a1/sms');
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.basicAuth).toEqual({ username: 'u1234', password: 'p4ssw0rd-secret' });
    expect(request?.form).toEqual({
      from: 'Ballou',
      to: '+46701234567',
      message: 'Larm: disk full på db1',
      whendelivered: 'https://46elks:hemligt@desk.example/webhooks/46elks/dlr',
    });
    expect(elks.sms[0]?.id).toBe(receipt.providerMessageId);
  });

  it('keeps Swedish characters intact (UTF-8 percent-encoding on the wire)', async () => {
    const message = 'Åsa, ärendet på Östermalm är löst. ÅÄÖ åäö é';
    await createElksTelephony(config).send({ to: '+46701234567', message });
    const [request] = elks.requests;
    expect(request?.rawBody).toContain('%C3%85sa'); // Å
    expect(request?.rawBody).toContain('%C3%A4rendet'); // ä
    expect(request?.form.message).toBe(message);
    expect(request?.form).not.toHaveProperty('whendelivered');
  });

  it('wrong credentials: non-retryable, and the message does not contain the password', async () => {
    const sender = createElksTelephony({ ...config, password: 'wrong-password-1234' });
    const error = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ provider: '46elks', code: 'HTTP', status: 401, retryable: false });
    expect(error.message).toContain('credentials');
    expect(error.message).not.toContain('wrong-password-1234');
    expect(error.message).not.toContain('p4ssw0rd-secret');
  });

  it('5xx: retryable', async () => {
    elks.failNext(1, 503);
    const error = await deliveryError(createElksTelephony(config).send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ code: 'HTTP', status: 503, retryable: true });
  });

  it('429: retryable; 400 (e.g. a number 46elks refuses): not', async () => {
    const sender = createElksTelephony(config);
    elks.failNext(1, 429);
    expect(await deliveryError(sender.send({ to: '+46701234567', message: 'x' }))).toMatchObject({
      status: 429,
      retryable: true,
    });
    elks.failNext(1, 400);
    expect(await deliveryError(sender.send({ to: '+46701234567', message: 'x' }))).toMatchObject({
      status: 400,
      retryable: false,
    });
  });

  it('timeout: retryable', async () => {
    elks.delayNext(1, 1000);
    const sender = createElksTelephony(config, { timeoutMs: 100 });
    const error = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('nobody listening: retryable network error', async () => {
    const closed = await start46elksStandIn();
    await closed.close();
    const sender = createElksTelephony({ ...config, apiUrl: closed.url });
    const error = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses a number that is not E.164 without calling 46elks', async () => {
    const error = await deliveryError(createElksTelephony(config).send({ to: '0701234567', message: 'x' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(elks.requests).toHaveLength(0);
  });

  it('a 2xx answer without an id is a non-retryable BAD_RESPONSE (the SMS may have gone out)', async () => {
    const fakeFetch = async () => new Response('{"status":"created"}', { status: 200 });
    const sender = createElksTelephony(config, { fetch: fakeFetch });
    const error = await deliveryError(sender.send({ to: '+46701234567', message: 'x' }));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', retryable: false });
  });

  it('refuses an API URL with credentials in it', () => {
    expect(() => createElksTelephony({ ...config, apiUrl: 'https://u:p@api.46elks.com/a1' })).toThrow(
      /must not contain credentials/,
    );
  });
});

describe('46elks calls', () => {
  it('POSTs from/to/voice_start (play the recording)/whenhangup/timeout and returns the call id', async () => {
    const caller = createElksTelephony({ ...config, fromNumber: '+46766860000' });
    const receipt = await caller.call({
      to: '+46701234567',
      message: 'Larm för kund Exempel AB',
      audioUrl: 'https://desk.example/audio/page-123.mp3',
      statusCallbackUrl: 'https://46elks:s@desk.example/webhooks/46elks/hangup',
      ringTimeoutSeconds: 45,
    });
    expect(receipt).toEqual({ provider: '46elks', providerCallId: expect.stringMatching(/^c[0-9a-f]{32}$/) });
    const [request] = elks.requests;
    expect(request?.path).toBe('/a1/calls');
    expect(request?.form).toMatchObject({
      from: '+46766860000',
      to: '+46701234567',
      whenhangup: 'https://46elks:s@desk.example/webhooks/46elks/hangup',
      timeout: '45',
    });
    expect(JSON.parse(request?.form.voice_start ?? '')).toEqual({
      play: 'https://desk.example/audio/page-123.mp3',
      skippable: false,
    });
  });

  it('with acknowledgeUrl the voice_start is an ivr waiting for one digit', async () => {
    await createElksTelephony(config).call({
      to: '+46701234567',
      message: 'Tryck 1 för att kvittera',
      audioUrl: 'https://desk.example/audio/ack.mp3',
      acknowledgeUrl: 'https://46elks:s@desk.example/webhooks/46elks/ack?page=1',
    });
    expect(JSON.parse(elks.requests[0]?.form.voice_start ?? '')).toEqual({
      ivr: 'https://desk.example/audio/ack.mp3',
      digits: 1,
      timeout: 10,
      repeat: 3,
      next: 'https://46elks:s@desk.example/webhooks/46elks/ack?page=1',
    });
  });

  it('without audioUrl: UNSUPPORTED (46elks has no Swedish text-to-speech), nothing sent', async () => {
    const error = await deliveryError(
      createElksTelephony(config).call({ to: '+46701234567', message: 'Hej' }),
    );
    expect(error).toMatchObject({ code: 'UNSUPPORTED', retryable: false });
    expect(elks.requests).toHaveLength(0);
  });

  it('5xx on /calls: retryable; the stand-in can be asked for the call afterwards', async () => {
    const caller = createElksTelephony(config);
    elks.failNext(1, 502);
    const error = await deliveryError(
      caller.call({ to: '+46701234567', message: 'x', audioUrl: 'https://desk.example/a.mp3' }),
    );
    expect(error).toMatchObject({ status: 502, retryable: true });
    const receipt = await caller.call({
      to: '+46701234567',
      message: 'x',
      audioUrl: 'https://desk.example/a.mp3',
    });
    const answer = await fetch(`${elks.url}/calls/${receipt.providerCallId}`, {
      headers: { authorization: `Basic ${Buffer.from('u1234:p4ssw0rd-secret').toString('base64')}` },
    });
    expect(await answer.json()).toMatchObject({ id: receipt.providerCallId, state: 'ongoing' });
  });
});
