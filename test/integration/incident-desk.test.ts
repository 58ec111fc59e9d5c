import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, listenOnLoopback, elksEnv, type TestApp, startTestApp } from './support/test-runtime.js';

const SECRET = 'hemligt-webhook-lösen';
const REPORT = Date.parse('2026-12-01T19:10:00+01:00'); // Tuesday evening: on-call time

for (const dialect of DIALECTS) {
  describe(`incident desk on ${dialect}: a call at night, paging, escalation, SMS acknowledgement, work and price`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    let base: string;
    let admin: string;
    let customerId: string;
    let incidentId: string;
    const eng: Record<string, string> = {};

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    const smsTo = (phone: string) => elks.sms.filter((s) => s.to === phone);
    const incidentCount = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('incidents')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      elks = await start46elksStandIn();
      smtp = await startSmtpStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_46ELKS_FROM: '+46766860000',
        BALLOU_46ELKS_WEBHOOK_SECRET: SECRET,
        BALLOU_SMTP_URL: smtp.url,
        BALLOU_ESCALATE_SECONDARY_AFTER: '300',
        BALLOU_ESCALATE_MANAGER_AFTER: '600',
      });
      base = await listenOnLoopback(t);
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      admin = await t.token('admin');
      for (const [key, name, phone, manager] of [
        ['anna', 'Anna', '+46709000001', false],
        ['bo', 'Bo', '+46709000002', false],
        ['frida', 'Frida', '+46709000006', true],
      ] as const) {
        eng[key] = (
          await t.call('POST', '/api/v1/engineers', admin, {
            name,
            phone,
            email: `${key}@ballou.example`,
            manager,
          })
        ).json().id;
      }
      for (const [role, who] of [
        ['primary', eng.anna],
        ['secondary', eng.bo],
      ] as const) {
        await t.call('POST', '/api/v1/rotations', admin, {
          role,
          engineerIds: [who],
          start: '2026-11-30T08:00',
          shiftHours: 24,
          handover: '08:00',
        });
      }
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Ekbacken Bygg AB',
          orgNumber: '559012-3450',
          tier: 'incident',
          agreementStart: '2026-01-01',
          appOnCall: { name: 'Ekbackens appjour', phone: '+46701234599' },
        })
      ).json().id;
      await t.call('POST', `/api/v1/customers/${customerId}/contacts`, admin, {
        name: 'Maria Ek',
        phone: '+46701234503',
      });
      t.clock.set(REPORT);
    });
    afterAll(async () => {
      await t?.close();
      await elks?.close();
      await smtp?.close();
    });

    it('opens one incident for a call from a known contact and connects it to the primary, then the secondary', async () => {
      const url = `http://46elks:${encodeURIComponent(SECRET)}@${base.slice('http://'.length)}/webhooks/46elks/voice`;
      const first = await elks.simulateIncomingCall(url, {
        from: '+46701234503',
        to: '+46766860000',
        callid: 'c-night-1',
      });
      expect(first.status).toBe(200);
      expect(first.action).toMatchObject({ connect: '+46709000001', failed: { connect: '+46709000002' } });
      // 46elks retries the same call: no second incident, the same answer.
      const retry = await elks.simulateIncomingCall(url, {
        from: '+46701234503',
        to: '+46766860000',
        callid: 'c-night-1',
      });
      expect(retry.action).toEqual(first.action);
      expect(await incidentCount()).toBe(1);
      const list = await t.call('GET', '/api/v1/incidents', admin);
      const incident = list.json().items[0];
      incidentId = incident.id;
      expect(incident).toMatchObject({
        customerId,
        tier: 'incident',
        callout: true,
        state: 'open',
        channel: 'phone',
        responseDue: '2026-12-01T19:25:00+01:00',
        actionDue: null,
      });
    });

    it('pages the primary at once and the secondary after the delay when nobody acknowledges', async () => {
      await drain();
      expect(smsTo('+46709000001')).toHaveLength(1);
      expect(smsTo('+46709000001')[0]?.message).toMatch(/INC-2026-\d{5} Ekbacken Bygg AB \(Incident\)/);
      expect(smsTo('+46709000002')).toHaveLength(0);
      t.clock.advance(299_000);
      await drain();
      expect(smsTo('+46709000002')).toHaveLength(0);
      t.clock.advance(1_000);
      await drain();
      expect(smsTo('+46709000002')).toHaveLength(1);
    });

    it('stops escalating when the secondary answers OK by SMS', async () => {
      const reply = await elks.simulateIncomingSms(
        `http://46elks:${encodeURIComponent(SECRET)}@${base.slice('http://'.length)}/webhooks/46elks/sms`,
        { from: '+46709000002', to: '+46766860000', message: 'ok' },
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toMatch(/^Kvitterat INC-2026-\d{5}/);
      t.clock.advance(3_600_000);
      await drain();
      expect(smsTo('+46709000006')).toHaveLength(0);
      const view = (await t.call('GET', `/api/v1/incidents/${incidentId}`, admin)).json();
      expect(view.state).toBe('acknowledged');
      expect(view.timeline.map((e: { type: string }) => e.type)).toEqual([
        'reported',
        'paged',
        'escalated',
        'acknowledged',
      ]);
    });

    it('records call-back, triage, consent and work, and prices the incident with the engine', async () => {
      t.clock.set(Date.parse('2026-12-01T21:40:00+01:00'));
      const id = incidentId;
      expect(
        (await t.call('POST', `/api/v1/incidents/${id}/callback`, admin, { at: '2026-12-01T19:18:00+01:00' }))
          .statusCode,
      ).toBe(200);
      expect(
        (await t.call('POST', `/api/v1/incidents/${id}/triage`, admin, { withinResponsibility: true }))
          .statusCode,
      ).toBe(200);
      const work = {
        start: '2026-12-01T19:20:00+01:00',
        end: '2026-12-01T21:35:00+01:00',
        engineerId: eng.anna,
        withinResponsibility: true,
      };
      const beforeConsent = await t.call('POST', `/api/v1/incidents/${id}/work`, admin, work);
      expect(beforeConsent.statusCode).toBe(409);
      const consent = await t.call('POST', `/api/v1/incidents/${id}/consent`, admin, {
        granted: true,
        by: 'Maria Ek',
        via: 'phone',
      });
      expect(consent.statusCode).toBe(200);
      expect(consent.json().actionDue).toBe('2026-12-01T22:40:00+01:00');
      const logged = await t.call('POST', `/api/v1/incidents/${id}/work`, admin, work);
      expect(logged.statusCode).toBe(201);
      const overlap = await t.call('POST', `/api/v1/incidents/${id}/work`, admin, {
        ...work,
        start: '2026-12-01T21:00:00+01:00',
        end: '2026-12-01T21:30:00+01:00',
      });
      expect(overlap.statusCode).toBe(409);
      const tooLong = await t.call('POST', `/api/v1/incidents/${id}/work`, admin, {
        ...work,
        engineerId: eng.bo,
        end: '2026-12-02T19:21:00+01:00',
      });
      expect(tooLong.statusCode).toBe(400);
      expect((await t.call('POST', `/api/v1/incidents/${id}/resolve`, admin, {})).statusCode).toBe(200);
      const closed = await t.call('POST', `/api/v1/incidents/${id}/close`, admin, {});
      expect(closed.json()).toMatchObject({ state: 'closed', sla: { response: 'met' } });
      const price = await t.call('GET', `/api/v1/incidents/${id}/price`, admin);
      // SPEC.md example 2: 1 750 + 2 blocks × 750 SEK.
      expect(price.json()).toMatchObject({ callout: true, totalOre: 325000 });
      const quote = await t.call('POST', '/api/v1/price-quotes', admin, {
        tier: 'incident',
        reportedAt: '2026-12-01T19:10:00+01:00',
        work: [{ ...work, engineer: 'anna' }].map(({ engineerId: _e, ...w }) => w),
      });
      expect(quote.json().totalOre).toBe(price.json().totalOre);
      expect((await t.call('POST', `/api/v1/incidents/${id}/resolve`, admin, {})).statusCode).toBe(409);
    });

    it('hands over to the customer app contact when outside responsibility', async () => {
      const customer = await t.token('customer', customerId);
      const created = await t.call('POST', '/api/v1/incidents', customer, {
        customerId,
        summary: 'Appen svarar 500',
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json().channel).toBe('portal');
      const again = await t.call('POST', '/api/v1/incidents', customer, {
        customerId,
        summary: 'Fortfarande 500',
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(id);
      await t.call('POST', `/api/v1/incidents/${id}/ack`, admin, {});
      const triaged = await t.call('POST', `/api/v1/incidents/${id}/triage`, admin, {
        withinResponsibility: false,
        note: 'Applikationsfel',
      });
      expect(triaged.json().timeline.map((e: { type: string }) => e.type)).toContain('handed_over');
      await drain();
      expect(smsTo('+46701234599').at(-1)?.message).toMatch(/utanför Ballous ansvarsområde/);
      // Another customer's incident is invisible to this customer.
      const other = await t.call('POST', '/api/v1/customers', admin, {
        name: 'Annan AB',
        orgNumber: '556123-4567',
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      const foreign = await t.call('POST', '/api/v1/incidents', admin, {
        customerId: other.json().id,
        summary: 'Nere',
      });
      expect((await t.call('GET', `/api/v1/incidents/${foreign.json().id}`, customer)).statusCode).toBe(404);
      expect(
        (await t.call('GET', '/api/v1/incidents', customer))
          .json()
          .items.every((i: { customerId: string }) => i.customerId === customerId),
      ).toBe(true);
    });

    it('refuses bad webhooks with 4xx and writes nothing', async () => {
      const before = await incidentCount();
      const voice = `${base}/webhooks/46elks/voice`;
      const post = (url: string, body: string, headers: Record<string, string>) =>
        fetch(url, { method: 'POST', body, headers });
      const basic = `Basic ${Buffer.from(`46elks:${SECRET}`).toString('base64')}`;
      const form = 'application/x-www-form-urlencoded';
      expect(
        (await post(voice, 'callid=x&from=%2B46700000000&to=%2B46766860000', { 'content-type': form }))
          .status,
      ).toBe(401);
      expect(
        (
          await post(voice, 'callid=x&from=%2B46700000000&to=%2B46766860000', {
            'content-type': form,
            authorization: 'Basic ZmVsOmZlbA==',
          })
        ).status,
      ).toBe(401);
      expect(
        (await post(voice, 'from=%2B46700000000', { 'content-type': form, authorization: basic })).status,
      ).toBe(400);
      // The same webhook under /api/v1: 46elks' basic auth passes the API's bearer check, the payload is judged.
      expect(
        (
          await post(`${base}/api/v1/webhooks/46elks/voice`, 'from=%2B46700000000', {
            'content-type': form,
            authorization: basic,
          })
        ).status,
      ).toBe(400);
      expect(
        (await post(voice, '{"callid":"x"}', { 'content-type': 'application/json', authorization: basic }))
          .status,
      ).toBe(415);
      expect(
        (
          await post(voice, `callid=x&from=${'9'.repeat(70_000)}`, {
            'content-type': form,
            authorization: basic,
          })
        ).status,
      ).toBe(413);
      const twilio = await post(
        `${base}/webhooks/twilio/voice`,
        'CallSid=CA1&From=%2B46700000000&To=%2B46766860000',
        { 'content-type': form },
      );
      expect(twilio.status).toBe(403);
      expect(await incidentCount()).toBe(before);
    });
  });
}

describe('live board', () => {
  it('streams incident changes as server-sent events and orders the board by priority', async () => {
    const t = await startTestApp('sqlite');
    try {
      const base = await listenOnLoopback(t);
      const admin = await t.token('admin');
      const customer = async (name: string, orgNumber: string, tier: string) =>
        (
          await t.call('POST', '/api/v1/customers', admin, {
            name,
            orgNumber,
            tier,
            agreementStart: '2026-01-01',
          })
        ).json().id;
      const none = await customer('Utan Avtal AB', '556900-7775', 'none');
      const hog = await customer('Hög AB', '556677-0011', 'hog');
      const abort = new AbortController();
      const stream = await fetch(`${base}/api/v1/incidents/stream`, {
        headers: { authorization: `Bearer ${admin}` },
        signal: abort.signal,
      });
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      t.clock.advance(1000);
      const first = (
        await t.call('POST', '/api/v1/incidents', admin, { customerId: none, summary: 'Långsam sajt' })
      ).json();
      t.clock.advance(1000);
      const second = (
        await t.call('POST', '/api/v1/incidents', admin, { customerId: hog, summary: 'Allt nere' })
      ).json();
      let text = '';
      const deadline = Date.now() + 10_000;
      while (!(text.includes(first.id) && text.includes(second.id)) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      abort.abort();
      expect(text).toMatch(/event: incident\ndata: \{"id":"/);
      expect(text.indexOf(first.id)).toBeLessThan(text.indexOf(second.id));
      const board = (await t.call('GET', '/api/v1/incidents/board', admin)).json();
      expect(board.map((i: { id: string }) => i.id)).toEqual([second.id, first.id]);
    } finally {
      await t.close();
    }
  });
});
