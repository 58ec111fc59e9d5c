import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../stand-ins/twilio-stand-in.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const dialect of DIALECTS) {
  describe(`Twilio webhooks on ${dialect}`, () => {
    let t: TestApp;
    let twilio: TwilioStandIn;
    let base: string;

    beforeAll(async () => {
      twilio = await startTwilioStandIn();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      // Twilio signs the public URL it calls; the server checks against BALLOU_PUBLIC_URL.
      t = await startTestApp(dialect, {
        BALLOU_PUBLIC_URL: base,
        BALLOU_TWILIO_API_URL: twilio.url,
        BALLOU_TWILIO_ACCOUNT_SID: twilio.accountSid,
        BALLOU_TWILIO_AUTH_TOKEN: twilio.authToken,
        BALLOU_TWILIO_FROM: '+46766860001',
      });
      await t.app.listen({ port, host: '127.0.0.1' });
      const admin = await t.token('admin');
      const anna = (
        await t.call('POST', '/api/v1/engineers', admin, {
          name: 'Anna',
          phone: '+46709000001',
          email: 'anna@ballou.example',
        })
      ).json().id;
      const bo = (
        await t.call('POST', '/api/v1/engineers', admin, {
          name: 'Bo',
          phone: '+46709000002',
          email: 'bo@ballou.example',
        })
      ).json().id;
      await t.call('POST', '/api/v1/rotations', admin, {
        role: 'primary',
        engineerIds: [anna],
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      await t.call('POST', '/api/v1/rotations', admin, {
        role: 'secondary',
        engineerIds: [bo],
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      t.clock.set(Date.parse('2026-12-05T03:00:00+01:00'));
    });
    afterAll(async () => {
      await t?.close();
      await twilio?.close();
    });

    it('answers a signed call with Swedish TwiML dialling the primary, and the secondary after no answer', async () => {
      const call = await twilio.simulateIncomingCall(`${base}/webhooks/twilio/voice`, {
        from: '+46731112233',
        to: '+46766860001',
      });
      expect(call.status).toBe(200);
      expect(call.contentType).toContain('text/xml');
      expect(call.body).toContain('<Say language="sv-SE">');
      expect(call.body).toContain('+46709000001');
      const incidents = (await t.call('GET', '/api/v1/incidents', await t.token('manager'))).json().items;
      expect(incidents[0]).toMatchObject({ unknownCaller: true, tier: 'none', callerNumber: '+46731112233' });
      const after = await twilio.postWebhook(`${base}/api/v1/webhooks/twilio/voice/after-dial?step=primary`, {
        CallSid: call.callSid,
        AccountSid: twilio.accountSid,
        DialCallStatus: 'no-answer',
      });
      expect(after.status).toBe(200);
      expect(after.body).toContain('+46709000002');
    });

    it('acknowledges on an engineer SMS "OK <ref>" and refuses a forged signature', async () => {
      const [incident] = (await t.call('GET', '/api/v1/incidents', await t.token('manager'))).json().items;
      const sms = await twilio.simulateIncomingSms(`${base}/webhooks/twilio/sms`, {
        from: '+46709000002',
        to: '+46766860001',
        body: `ok ${incident.ref}`,
      });
      expect(sms.status).toBe(200);
      expect(sms.body).toContain(`Kvitterat ${incident.ref}`);
      const forged = await twilio.postWebhook(
        `${base}/webhooks/twilio/sms`,
        {
          MessageSid: 'SMforged',
          AccountSid: twilio.accountSid,
          From: '+46700000000',
          To: '+46766860001',
          Body: 'hej',
        },
        { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      );
      expect(forged.status).toBe(403);
      const count = (await t.call('GET', '/api/v1/incidents', await t.token('manager'))).json().items.length;
      expect(count).toBe(1);
    });
  });
}
