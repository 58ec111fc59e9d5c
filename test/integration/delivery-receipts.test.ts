import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { postWebhookForm } from '../stand-ins/http-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { startTwilioStandIn, type TwilioStandIn } from '../stand-ins/twilio-stand-in.js';
import { ANNA, ELKS_SECRET, startPagingDesk, type PagingDesk } from './paging-fixture.js';
import { DIALECTS, elksEnv } from './support/test-runtime.js';

async function notificationRow(ctx: AppContext, providerMessageId: string) {
  return ctx.db
    .selectFrom('notifications')
    .selectAll()
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirstOrThrow();
}

const deliveries = (timeline: { type: string; data: Record<string, unknown> }[]) =>
  timeline.filter((e) => e.type === 'page_delivery').map((e) => e.data);

for (const dialect of DIALECTS) {
  describe(`46elks delivery reports and call outcomes on ${dialect}`, () => {
    let desk: PagingDesk;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;

    const refOf = async (incidentId: string): Promise<string> =>
      (await desk.t.call('GET', `/api/v1/incidents/${incidentId}`, desk.admin)).json().ref;
    const mailsAbout = (ref: string) => smtp.messages.filter((m) => m.subject?.includes(ref));
    const lastSmsTo = (phone: string) => elks.sms.filter((s) => s.to === phone).at(-1)!;
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

    it('asks for reports on the page SMS and call; "delivered" shows on the timeline and a late "sent" does not undo it', async () => {
      const id = await desk.newCallout('Webbservern svarar inte');
      const sms = lastSmsTo(ANNA);
      expect(sms.whendelivered).toMatch(
        /^http:\/\/46elks:.+@127\.0\.0\.1:\d+\/api\/v1\/webhooks\/46elks\/dlr\?n=/,
      );
      expect(lastCallTo(ANNA).whenhangup).toContain('/api/v1/webhooks/46elks/hangup?n=');

      const delivered = await elks.sendDeliveryReport(sms.id, 'delivered');
      expect(delivered).toMatchObject({ status: 204, attempts: 1 });
      const late = await elks.sendDeliveryReport(sms.id, 'sent');
      expect(late.status).toBe(204);
      const again = await elks.sendDeliveryReport(sms.id, 'delivered');
      expect(again.status).toBe(204);

      const timeline = await desk.timeline(id);
      expect(deliveries(timeline)).toEqual([
        expect.objectContaining({ channel: 'sms', status: 'delivered', engineerId: desk.engineers.anna }),
      ]);
      const line = timeline.find((e) => e.type === 'page_delivery')!;
      expect(line.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[12]:00$/);
      expect(line.actor.name).toBe('46elks');
      const row = await notificationRow(desk.t.ctx, sms.id);
      expect(row).toMatchObject({ status: 'sent', delivery_status: 'delivered', delivery_error: null });
      expect(row.confirmed_at).not.toBeNull();
    });

    it('a failed report sends the e-mail fallback once, even posted three times, and an unanswered call after it sends no second', async () => {
      const id = await desk.newCallout('Databasen är nere');
      const ref = await refOf(id);
      const sms = lastSmsTo(ANNA);
      for (let i = 0; i < 3; i++) expect((await elks.sendDeliveryReport(sms.id, 'failed')).status).toBe(204);
      await desk.drain();
      expect(mailsAbout(ref)).toHaveLength(1);
      expect(mailsAbout(ref)[0]?.envelope.to).toEqual(['anna@ballou.example']);

      const hangup = await elks.answerCall(lastCallTo(ANNA).id, { outcome: 'failed' });
      expect(hangup.hangup?.status).toBe(204);
      await desk.drain();
      expect(mailsAbout(ref)).toHaveLength(1);
      expect(deliveries(await desk.timeline(id))).toEqual([
        expect.objectContaining({ channel: 'sms', status: 'failed' }),
        expect.objectContaining({ channel: 'voice', status: 'failed' }),
      ]);
      expect((await notificationRow(desk.t.ctx, sms.id)).delivery_status).toBe('failed');
    });

    it('a page call that is busy sends the e-mail at once', async () => {
      const id = await desk.newCallout('Backupen har stannat');
      const ref = await refOf(id);
      expect(mailsAbout(ref)).toHaveLength(0);
      const call = lastCallTo(ANNA);
      await elks.answerCall(call.id, { outcome: 'busy' });
      await desk.drain();
      expect(mailsAbout(ref)).toHaveLength(1);
      expect(deliveries(await desk.timeline(id))).toEqual([
        expect.objectContaining({ channel: 'voice', status: 'busy', engineerId: desk.engineers.anna }),
      ]);
      expect((await notificationRow(desk.t.ctx, call.id)).delivery_status).toBe('busy');
    });

    it('refuses reports without or with the wrong credentials (401) and changes nothing', async () => {
      const id = await desk.newCallout('Certifikatet har gått ut');
      const sms = lastSmsTo(ANNA);
      const url = new URL(sms.whendelivered!);
      const noCredentials = `${url.origin}${url.pathname}${url.search}`;
      const unauthenticated = await postWebhookForm(noCredentials, { id: sms.id, status: 'failed' });
      expect(unauthenticated.status).toBe(401);
      url.password = 'fel-lösenord';
      const wrong = await postWebhookForm(url.toString(), { id: sms.id, status: 'failed' });
      expect(wrong.status).toBe(401);
      await desk.drain();
      expect(deliveries(await desk.timeline(id))).toEqual([]);
      expect((await notificationRow(desk.t.ctx, sms.id)).delivery_status).toBeNull();
      expect(mailsAbout(await refOf(id))).toHaveLength(0);
    });

    it('answers a report about an unknown message 2xx and changes nothing', async () => {
      const mails = smtp.messages.length;
      const sms = lastSmsTo(ANNA);
      const url = new URL(sms.whendelivered!);
      url.search = '';
      const unknown = await postWebhookForm(url.toString(), { id: 'sdeadbeef', status: 'failed' });
      expect(unknown.status).toBe(204);
      await desk.drain();
      expect(smtp.messages.length).toBe(mails);
      const rows = await desk.t.ctx.db
        .selectFrom('notifications')
        .select('id')
        .where('provider_message_id', '=', 'sdeadbeef')
        .execute();
      expect(rows).toEqual([]);
    });

    it('refuses a report that lacks its fields (400, naming them)', async () => {
      const url = lastSmsTo(ANNA).whendelivered!;
      const bad = await postWebhookForm(url, { status: 'delivered' });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('id');
    });
  });

  describe(`Twilio status callbacks on ${dialect}`, () => {
    let desk: PagingDesk;
    let twilio: TwilioStandIn;
    let smtp: SmtpStandIn;
    const lastMessageTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).at(-1)!;

    beforeAll(async () => {
      twilio = await startTwilioStandIn();
      smtp = await startSmtpStandIn();
      desk = await startPagingDesk(dialect, {
        BALLOU_TWILIO_API_URL: twilio.url,
        BALLOU_TWILIO_ACCOUNT_SID: twilio.accountSid,
        BALLOU_TWILIO_AUTH_TOKEN: twilio.authToken,
        BALLOU_TWILIO_FROM: '+46766860001',
        BALLOU_SMTP_URL: smtp.url,
      });
    });
    afterAll(async () => {
      await desk?.close();
      await twilio?.close();
      await smtp?.close();
    });

    it('records "delivered" and keeps it when "sent" comes after it', async () => {
      const id = await desk.newCallout('Lagringen är full');
      const message = lastMessageTo(ANNA);
      expect(message.statusCallback).toBe(
        `${desk.base}/api/v1/webhooks/twilio/status?n=${(await notificationRow(desk.t.ctx, message.sid)).id}`,
      );
      expect((await twilio.sendMessageStatus(message.sid, 'delivered')).status).toBe(204);
      expect((await twilio.sendMessageStatus(message.sid, 'sent')).status).toBe(204);
      expect(deliveries(await desk.timeline(id))).toEqual([
        expect.objectContaining({ channel: 'sms', status: 'delivered', provider: 'twilio' }),
      ]);
      expect((await notificationRow(desk.t.ctx, message.sid)).delivery_status).toBe('delivered');
    });

    it('"undelivered" sends the e-mail once however often it comes; a forged signature is refused (403) and changes nothing', async () => {
      const id = await desk.newCallout('Mejlservern köar');
      const ref = (await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json().ref;
      const message = lastMessageTo(ANNA);
      const forged = await twilio.postWebhook(
        message.statusCallback!,
        { MessageSid: message.sid, AccountSid: twilio.accountSid, MessageStatus: 'undelivered' },
        { signature: twilio.sign(`${message.statusCallback}&x=1`, {}) },
      );
      expect(forged.status).toBe(403);
      await desk.drain();
      expect(smtp.messages.filter((m) => m.subject?.includes(ref))).toHaveLength(0);
      expect((await notificationRow(desk.t.ctx, message.sid)).delivery_status).toBeNull();

      for (let i = 0; i < 3; i++)
        expect((await twilio.sendMessageStatus(message.sid, 'undelivered')).status).toBe(204);
      await desk.drain();
      expect(smtp.messages.filter((m) => m.subject?.includes(ref))).toHaveLength(1);
      const row = await notificationRow(desk.t.ctx, message.sid);
      expect(row).toMatchObject({ delivery_status: 'failed', delivery_error: '30003' });
    });

    it('a page call nobody answers is recorded and sends the e-mail', async () => {
      const id = await desk.newCallout('Lastbalanseraren svarar inte');
      const call = twilio.calls.filter((c) => c.to === ANNA).at(-1)!;
      const transcript = await twilio.answerCall(call.sid, { outcome: 'no-answer' });
      expect(transcript.status?.status).toBe(204);
      await desk.drain();
      const ref = (await desk.t.call('GET', `/api/v1/incidents/${id}`, desk.admin)).json().ref;
      expect(smtp.messages.filter((m) => m.subject?.includes(ref))).toHaveLength(1);
      expect(deliveries(await desk.timeline(id))).toEqual([
        expect.objectContaining({ channel: 'voice', status: 'no-answer' }),
      ]);
    });
  });
}
