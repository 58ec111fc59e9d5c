import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { postWebhookForm } from '../stand-ins/http-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { startTwilioStandIn, type TwilioStandIn } from '../stand-ins/twilio-stand-in.js';
import { ANNA, BO, ELKS_SECRET, startPagingDesk, type PagingDesk } from './paging-fixture.js';
import { DIALECTS, elksEnv } from './support/test-runtime.js';

const types = (timeline: { type: string }[]) => timeline.map((e) => e.type);

for (const dialect of DIALECTS) {
  describe(`page calls acknowledged by keypress through 46elks alone on ${dialect}`, () => {
    let desk: PagingDesk;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    const lastCallTo = (phone: string) => elks.calls.filter((c) => c.to === phone).at(-1)!;

    beforeAll(async () => {
      elks = await start46elksStandIn();
      smtp = await startSmtpStandIn();
      desk = await startPagingDesk(dialect, {
        ...elksEnv(elks),
        BALLOU_46ELKS_FROM: '+46766860000',
        BALLOU_46ELKS_WEBHOOK_SECRET: ELKS_SECRET,
        BALLOU_SMTP_URL: smtp.url,
      });
    });
    afterAll(async () => {
      await desk?.close();
      await elks?.close();
      await smtp?.close();
    });

    it('pages by voice with the bundled Swedish recording; pressing 1 acknowledges and stops the escalation', async () => {
      const id = await desk.newCallout('Kundportalen är nere');
      const call = lastCallTo(ANNA);
      const voiceStart = JSON.parse(call.voice_start);
      expect(voiceStart).toMatchObject({ digits: 1, repeat: 3, timeout: 10 });
      expect(voiceStart.ivr).toMatch(new RegExp(`^${desk.base}/audio/sv/page-[0-9a-f]{12}\\.wav$`));
      expect(voiceStart.next).toContain('/api/v1/webhooks/46elks/page-ack?n=');

      const transcript = await elks.answerCall(call.id, { digits: ['1'] });
      expect(transcript.audio[0]).toMatchObject({ status: 200, contentType: 'audio/wav' });
      expect(transcript.audio[0]!.bytes).toBeGreaterThan(10_000);
      expect(transcript.next[0]?.delivery.status).toBe(200);
      expect(transcript.actions[1]).toEqual({
        play: expect.stringMatching(/\/audio\/sv\/acknowledged-[0-9a-f]{12}\.wav$/),
        skippable: false,
      });
      expect(transcript.audio[1]).toMatchObject({ status: 200, contentType: 'audio/wav' });
      expect(transcript.hangup?.status).toBe(204);

      const view = (await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json();
      expect(view.state).toBe('acknowledged');
      const ack = view.timeline.find((e: { type: string }) => e.type === 'acknowledged');
      expect(ack.actor).toMatchObject({ type: 'engineer', id: desk.engineers.anna, name: 'Anna' });
      expect(ack.data).toMatchObject({ engineerId: desk.engineers.anna, via: 'phone' });
      expect(view.timeline).toContainEqual(
        expect.objectContaining({
          type: 'page_delivery',
          data: expect.objectContaining({ status: 'answered' }),
        }),
      );

      // The provider retries the same keypress: the same answer, no second acknowledgement.
      const retried = await postWebhookForm(transcript.next[0]!.url, transcript.next[0]!.fields);
      expect(retried.status).toBe(200);
      expect(retried.body).toBe(transcript.next[0]!.delivery.body);

      // No secondary page, however long we wait.
      const smsToBo = elks.sms.filter((s) => s.to === BO).length;
      desk.t.clock.advance(3_600_000);
      await desk.drain();
      expect(elks.sms.filter((s) => s.to === BO).length).toBe(smsToBo);
      expect(types(await desk.timeline(id)).filter((t) => t === 'acknowledged')).toHaveLength(1);
      desk.t.clock.set(desk.t.clock.now() - 3_600_000);
    });

    it('pressing 2 asks once more, then ends; nothing is acknowledged and the secondary is paged', async () => {
      const id = await desk.newCallout('Filservern har slut på disk');
      const transcript = await elks.answerCall(lastCallTo(ANNA).id, { digits: ['2', '2'] });
      expect(transcript.actions[1]).toMatchObject({
        ivr: expect.stringContaining('/audio/sv/page-'),
        repeat: 1,
      });
      expect(transcript.actions[2]).toEqual({ hangup: 'reject' });
      const view = (await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json();
      expect(view.state).toBe('open');
      const smsToBo = elks.sms.filter((s) => s.to === BO).length;
      desk.t.clock.advance(300_000);
      await desk.drain();
      expect(elks.sms.filter((s) => s.to === BO).length).toBe(smsToBo + 1);
    });

    it('refuses a keypress URL whose token was not made for that page (403) and acknowledges nothing', async () => {
      const id = await desk.newCallout('VPN:en går ner');
      const next = JSON.parse(lastCallTo(ANNA).voice_start).next as string;
      const forged = new URL(next);
      forged.searchParams.set('t', 'x'.repeat(43));
      const answer = await postWebhookForm(forged.toString(), { callid: 'cforged', result: '1' });
      expect(answer.status).toBe(403);
      const unauthenticated = new URL(next);
      unauthenticated.password = 'fel';
      expect(
        (await postWebhookForm(unauthenticated.toString(), { callid: 'cforged', result: '1' })).status,
      ).toBe(401);
      expect((await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json().state).toBe('open');
    });

    it('serves the prompts public and immutable, and 404 for a name with a wrong hash', async () => {
      const url = JSON.parse(lastCallTo(ANNA).voice_start).ivr as string;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(url.replace(/-[0-9a-f]{12}\.wav$/, '-000000000000.wav'))).status).toBe(404);
    });
  });

  describe(`page calls acknowledged by keypress through Twilio on ${dialect}`, () => {
    let desk: PagingDesk;
    let twilio: TwilioStandIn;
    const lastCallTo = (phone: string) => twilio.calls.filter((c) => c.to === phone).at(-1)!;

    beforeAll(async () => {
      twilio = await startTwilioStandIn();
      desk = await startPagingDesk(dialect, {
        BALLOU_TWILIO_API_URL: twilio.url,
        BALLOU_TWILIO_ACCOUNT_SID: twilio.accountSid,
        BALLOU_TWILIO_AUTH_TOKEN: twilio.authToken,
        BALLOU_TWILIO_FROM: '+46766860001',
      });
    });
    afterAll(async () => {
      await desk?.close();
      await twilio?.close();
    });

    it('says the page in Swedish inside a <Gather>; pressing 1 acknowledges and stops the escalation', async () => {
      const id = await desk.newCallout('Webbshoppen visar fel 502');
      const call = lastCallTo(ANNA);
      expect(call.twiml).toContain('<Gather input="dtmf" numDigits="1"');
      expect(call.twiml).toContain(`action="${desk.base}/api/v1/webhooks/twilio/page-ack?n=`);
      expect(call.statusCallback).toContain('/api/v1/webhooks/twilio/status?n=');

      const transcript = await twilio.answerCall(call.sid, { digits: ['1'] });
      expect(transcript.said[0]).toMatchObject({ language: 'sv-SE' });
      expect(transcript.said[0]?.text).toMatch(/Nytt ärende INC-2026-\d+\..*Tryck 1 för att kvittera\.$/);
      expect(transcript.gathers[0]?.delivery.status).toBe(200);
      expect(transcript.said.at(-1)).toEqual({ text: 'Tack, ärendet är kvitterat.', language: 'sv-SE' });
      expect(transcript.status?.status).toBe(204);

      const view = (await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json();
      expect(view.state).toBe('acknowledged');
      expect(view.timeline.find((e: { type: string }) => e.type === 'acknowledged').actor.name).toBe('Anna');

      const retried = await twilio.postWebhook(transcript.gathers[0]!.url, {
        CallSid: call.sid,
        AccountSid: twilio.accountSid,
        Digits: '1',
      });
      expect(retried.status).toBe(200);

      const toBo = twilio.messages.filter((m) => m.to === BO).length;
      desk.t.clock.advance(3_600_000);
      await desk.drain();
      expect(twilio.messages.filter((m) => m.to === BO).length).toBe(toBo);
      expect(types(await desk.timeline(id)).filter((t) => t === 'acknowledged')).toHaveLength(1);
      desk.t.clock.set(desk.t.clock.now() - 3_600_000);
    });

    it('pressing 2 does not acknowledge; a forged signature on the keypress is refused', async () => {
      const id = await desk.newCallout('Kalendertjänsten svarar inte');
      const call = lastCallTo(ANNA);
      const transcript = await twilio.answerCall(call.sid, { digits: ['2', '3'] });
      expect(transcript.gathers.map((g) => g.delivery.status)).toEqual([200, 200]);
      expect(transcript.gathers[1]?.delivery.body).toContain('<Hangup/>');
      const forged = await twilio.postWebhook(
        transcript.gathers[0]!.url,
        { CallSid: call.sid, AccountSid: twilio.accountSid, Digits: '1' },
        { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      );
      expect(forged.status).toBe(403);
      expect((await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json().state).toBe('open');
    });
  });
}
