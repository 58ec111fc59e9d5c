import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start46elksStandIn, type ElksStandIn } from '../../../test/stand-ins/elks-stand-in.js';
import { buildElksConnectAction } from './elks-call-actions.js';
import { createElksTelephony } from './elks.js';
import {
  checkElksWebhookAuth,
  elksWebhookUrl,
  parseElksActionResult,
  parseElksDeliveryReport,
  parseElksHangup,
  parseElksIncomingCall,
  parseElksIncomingSms,
  parseElksTime,
} from './elks-webhooks.js';
import { WebhookPayloadError } from './webhook-form.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('checkElksWebhookAuth', () => {
  const secret = 'c0ffee-webhook-secret';

  it('accepts user 46elks with the webhook secret', () => {
    expect(checkElksWebhookAuth(basic(`46elks:${secret}`), secret)).toBe(true);
    expect(checkElksWebhookAuth(`basic ${Buffer.from(`46elks:${secret}`).toString('base64')}`, secret)).toBe(
      true,
    );
  });

  it('refuses a wrong password, a wrong user, a prefix of the secret, other schemes and garbage', () => {
    expect(checkElksWebhookAuth(basic('46elks:wrong'), secret)).toBe(false);
    expect(checkElksWebhookAuth(basic(`elks:${secret}`), secret)).toBe(false);
    expect(checkElksWebhookAuth(basic(`46elks:${secret.slice(0, -1)}`), secret)).toBe(false);
    expect(checkElksWebhookAuth(basic(`46elks:${secret}x`), secret)).toBe(false);
    expect(checkElksWebhookAuth(`Bearer ${secret}`, secret)).toBe(false);
    expect(checkElksWebhookAuth('Basic !!!', secret)).toBe(false);
    expect(checkElksWebhookAuth(undefined, secret)).toBe(false);
  });

  it('fails closed when no secret is configured', () => {
    expect(checkElksWebhookAuth(basic('46elks:'), '')).toBe(false);
  });
});

describe('elksWebhookUrl', () => {
  it('puts the credentials into our public URL', () => {
    expect(elksWebhookUrl('https://desk.example', '/webhooks/46elks/voice', 's3cret')).toBe(
      'https://46elks:s3cret@desk.example/webhooks/46elks/voice',
    );
    expect(elksWebhookUrl('https://desk.example/base/', '/webhooks/46elks/dlr?x=1', 'a')).toBe(
      'https://46elks:a@desk.example/base/webhooks/46elks/dlr?x=1',
    );
  });
});

describe('parsing 46elks webhooks', () => {
  it('incoming call: callid, from, to, direction, created (UTC without zone)', () => {
    const call = parseElksIncomingCall({
      callid: 'c0123',
      from: '+46701234567',
      to: '+46766860000',
      direction: 'incoming',
      created: '2018-08-13T13:57:23.741000',
    });
    expect(call).toEqual({
      callId: 'c0123',
      from: '+46701234567',
      to: '+46766860000',
      direction: 'incoming',
      created: '2018-08-13T13:57:23.741000',
      createdMs: Date.UTC(2018, 7, 13, 13, 57, 23, 741),
    });
  });

  it('incoming call: accepts `id` for `callid` (older docs) and a URLSearchParams body', () => {
    const call = parseElksIncomingCall(
      new URLSearchParams({ id: 'c9', from: '+46701234567', to: '+46766860000' }),
    );
    expect(call).toMatchObject({ callId: 'c9', direction: undefined, createdMs: undefined });
  });

  it('names every missing field', () => {
    const attempt = () => parseElksIncomingCall({ from: '', direction: 'incoming' });
    expect(attempt).toThrow(WebhookPayloadError);
    expect(attempt).toThrow('46elks incoming call: missing fields callid or id, from, to');
    try {
      attempt();
    } catch (error) {
      expect((error as WebhookPayloadError).missing).toEqual(['callid or id', 'from', 'to']);
    }
    expect(() => parseElksIncomingSms(undefined)).toThrow('46elks incoming SMS: the body is not a form');
  });

  it('incoming SMS keeps Swedish text intact', () => {
    const sms = parseElksIncomingSms({
      id: 's1',
      from: '+46701234567',
      to: '+46766860000',
      message: 'OK åäö ÅÄÖ',
      created: '2026-12-01 19:10:00.5',
    });
    expect(sms).toMatchObject({
      id: 's1',
      message: 'OK åäö ÅÄÖ',
      createdMs: Date.UTC(2026, 11, 1, 19, 10, 0, 500),
    });
  });

  it('delivery report, action result and hangup', () => {
    expect(
      parseElksDeliveryReport({ id: 's1', status: 'delivered', delivered: '2026-12-01T19:10:03.000000' }),
    ).toEqual({
      id: 's1',
      status: 'delivered',
      delivered: '2026-12-01T19:10:03.000000',
      deliveredMs: Date.UTC(2026, 11, 1, 19, 10, 3),
    });
    expect(() => parseElksDeliveryReport({ id: 's1' })).toThrow('missing field status');
    expect(parseElksActionResult({ callid: 'c1', result: 'busy' })).toEqual({
      callId: 'c1',
      result: 'busy',
      from: undefined,
    });
    expect(
      parseElksHangup({ id: 'c1', state: 'success', duration: '37', from: '+46701234567' }),
    ).toMatchObject({
      callId: 'c1',
      state: 'success',
      duration: 37,
    });
  });

  it('parseElksTime', () => {
    expect(parseElksTime('2018-08-13T13:57:23')).toBe(Date.UTC(2018, 7, 13, 13, 57, 23));
    expect(parseElksTime('2018-08-13T13:57:23.741000+00:00')).toBe(Date.UTC(2018, 7, 13, 13, 57, 23, 741));
    expect(parseElksTime('yesterday')).toBeUndefined();
    expect(parseElksTime(undefined)).toBeUndefined();
  });
});

describe('the 46elks stand-in playing 46elks against a webhook that uses these helpers', () => {
  const secret = 'hook-secret-1';
  let elks: ElksStandIn;
  let server: Server;
  let origin: string;
  const dlrs: unknown[] = [];

  beforeAll(async () => {
    elks = await start46elksStandIn();
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        if (!checkElksWebhookAuth(req.headers.authorization, secret)) {
          res.writeHead(401).end();
          return;
        }
        const form = new URLSearchParams(raw);
        if (req.url === '/webhooks/46elks/voice') {
          const call = parseElksIncomingCall(form);
          const action = buildElksConnectAction({
            greetingAudioUrl: 'https://desk.example/audio/sv/greeting.mp3',
            primary: '+46701111111',
            secondary: '+46702222222',
            callerId: call.to,
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(action));
        } else {
          dlrs.push(parseElksDeliveryReport(form));
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await elks.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('an incoming call with credentials in the URL is answered with the connect action', async () => {
    const answer = await elks.simulateIncomingCall(elksWebhookUrl(origin, '/webhooks/46elks/voice', secret), {
      from: '+46709999999',
      to: '+46766860000',
    });
    expect(answer.status).toBe(200);
    expect(answer.action).toEqual({
      play: 'https://desk.example/audio/sv/greeting.mp3',
      skippable: false,
      next: {
        connect: '+46701111111',
        callerid: '+46766860000',
        busy: { connect: '+46702222222', callerid: '+46766860000' },
        failed: { connect: '+46702222222', callerid: '+46766860000' },
      },
    });
  });

  it('without the secret the webhook refuses (and the stand-in retries like 46elks)', async () => {
    const answer = await elks.simulateIncomingCall(
      elksWebhookUrl(origin, '/webhooks/46elks/voice', 'wrong'),
      { from: '+46709999999', to: '+46766860000' },
      { retries: 2, retryDelayMs: 1 },
    );
    expect(answer).toMatchObject({ status: 401, attempts: 3, action: undefined });
  });

  it('a delivery report reaches whendelivered for an SMS we sent', async () => {
    const sender = createElksTelephony({
      apiUrl: elks.url,
      username: elks.username,
      password: elks.password,
      fromNumber: 'Ballou',
    });
    const { providerMessageId } = await sender.send({
      to: '+46701234567',
      message: 'Larm',
      statusCallbackUrl: elksWebhookUrl(origin, '/webhooks/46elks/dlr', secret),
    });
    const delivery = await elks.sendDeliveryReport(providerMessageId, 'delivered');
    expect(delivery.status).toBe(204);
    expect(dlrs).toEqual([expect.objectContaining({ id: providerMessageId, status: 'delivered' })]);
  });
});
