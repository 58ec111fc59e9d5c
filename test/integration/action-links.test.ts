import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { DIALECTS, elksEnv, type TestApp, startTestApp } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`one-time links on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let worker: JobWorker;
    let admin: string;
    let customerId: string;

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    const linkIn = (text: string | undefined) => {
      const match = /http:\/\/localhost:\d+\/l\/([A-Za-z0-9_-]+)/.exec(text ?? '');
      if (!match) throw new Error(`no link in ${text}`);
      return `/l/${match[1]}`;
    };

    beforeAll(async () => {
      elks = await start46elksStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
      });
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      admin = await t.token('admin');
      const anna = (
        await t.call('POST', '/api/v1/engineers', admin, {
          name: 'Anna',
          phone: '+46709000001',
          email: 'anna@ballou.example',
        })
      ).json().id;
      await t.call('POST', '/api/v1/rotations', admin, {
        role: 'primary',
        engineerIds: [anna],
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Solvik AB',
          orgNumber: '556677-0029',
          tier: 'none',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      await t.call('POST', `/api/v1/customers/${customerId}/contacts`, admin, {
        name: 'Johan Berg',
        phone: '+46701234502',
      });
      t.clock.set(Date.parse('2026-12-01T22:00:00+01:00'));
    });
    afterAll(async () => {
      await t?.close();
      await elks?.close();
    });

    it('lets the paged engineer acknowledge from the link in the SMS, once; a preview fetch changes nothing', async () => {
      const created = (
        await t.call('POST', '/api/v1/incidents', admin, {
          customerId,
          summary: 'Mejlen fungerar inte',
          channel: 'phone',
        })
      ).json();
      await drain();
      const page = elks.sms.find((s) => s.to === '+46709000001');
      const path = linkIn(page?.message);
      const preview = await t.app.inject({ method: 'GET', url: path });
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('Kvittera');
      expect(preview.body).toContain(created.ref);
      expect((await t.call('GET', `/api/v1/incidents/${created.id}`, admin)).json().state).toBe('open');
      const done = await t.app.inject({
        method: 'POST',
        url: path,
        payload: 'decision=ack',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain(`Du har kvitterat ${created.ref}`);
      const view = (await t.call('GET', `/api/v1/incidents/${created.id}`, admin)).json();
      expect(view.state).toBe('acknowledged');
      expect(view.timeline.at(-1)).toMatchObject({
        type: 'acknowledged',
        actor: { type: 'engineer', name: 'Anna' },
      });
      const again = await t.app.inject({
        method: 'POST',
        url: path,
        payload: 'decision=ack',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(again.statusCode).toBe(409);
      expect((await t.app.inject({ method: 'GET', url: '/l/not-a-real-token-at-all-xyz' })).statusCode).toBe(
        404,
      );
    });

    it("records the customer's consent from the portal link as given by the contact, via portal", async () => {
      const [incident] = (await t.call('GET', `/api/v1/incidents?customerId=${customerId}`, admin)).json()
        .items;
      const sent = await t.call('POST', `/api/v1/incidents/${incident.id}/consent-link`, admin, {});
      expect(sent.statusCode).toBe(201);
      expect(sent.json().sentTo).toBe('+46701234502');
      await drain();
      const sms = elks.sms.find((s) => s.to === '+46701234502');
      const token = linkIn(sms?.message).slice('/l/'.length);
      const view = await t.call('GET', `/api/v1/links/${token}`, null);
      expect(view.json()).toMatchObject({
        kind: 'consent',
        usable: true,
        for: 'Johan Berg',
        incident: { ref: incident.ref },
      });
      const yes = await t.call('POST', `/api/v1/links/${token}`, null, { granted: true });
      expect(yes.statusCode).toBe(200);
      const after = (await t.call('GET', `/api/v1/incidents/${incident.id}`, admin)).json();
      expect(after.consent).toMatchObject({ granted: true, by: 'Johan Berg', via: 'portal' });
      expect(after.actionDue).not.toBeNull();
      expect((await t.call('POST', `/api/v1/links/${token}`, null, { granted: false })).statusCode).toBe(409);
      t.clock.advance(3 * 3_600_000);
      const late = await t.call('POST', `/api/v1/incidents/${incident.id}/consent-link`, admin, {});
      const lateToken = late.json().url.split('/l/')[1];
      t.clock.advance(2 * 3_600_000 + 1);
      expect(
        (await t.call('POST', `/api/v1/links/${lateToken}`, null, { granted: true })).json().detail,
      ).toMatch(/expired/);
    });
  });
}
