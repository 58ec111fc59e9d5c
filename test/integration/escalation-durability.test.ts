import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { createEngineer } from '../../src/app/engineers/engineers.js';
import { createIncident } from '../../src/app/incidents/incident-queries.js';
import { scheduleSlaCheck } from '../../src/app/incidents/sla-job.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { createRotation } from '../../src/app/roster/rotations.js';
import { createCustomer } from '../../src/app/customers/create-customer.js';
import { claimDueJobs } from '../../src/db/repositories/job.repository.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { DIALECTS, elksEnv, type TestApp, startTestApp, SYSTEM } from './support/test-runtime.js';

const NIGHT = Date.parse('2026-12-02T02:00:00+01:00');

for (const dialect of DIALECTS) {
  describe(`escalation durability on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let second: Runtime;
    let customerId: string;

    beforeAll(async () => {
      elks = await start46elksStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_ESCALATE_SECONDARY_AFTER: '300',
        BALLOU_ESCALATE_MANAGER_AFTER: '600',
      });
      // A second app node on the same database, with the same clock.
      second = await bootstrap(t.config, pino({ level: 'silent' }));
      second.ctx.clock = t.clock;
      const anna = await createEngineer(t.ctx, SYSTEM, {
        name: 'Anna',
        phone: '+46709000001',
        email: 'anna@ballou.example',
      });
      const bo = await createEngineer(t.ctx, SYSTEM, {
        name: 'Bo',
        phone: '+46709000002',
        email: 'bo@ballou.example',
      });
      await createEngineer(t.ctx, SYSTEM, {
        name: 'Frida',
        phone: '+46709000006',
        email: 'frida@ballou.example',
        manager: true,
      });
      await createRotation(t.ctx, SYSTEM, {
        role: 'primary',
        engineerIds: [anna.id],
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      await createRotation(t.ctx, SYSTEM, {
        role: 'secondary',
        engineerIds: [bo.id],
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      customerId = (
        await createCustomer(t.ctx, SYSTEM, {
          name: 'Nordhamn AB',
          orgNumber: '556677-0011',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).id;
    });
    afterAll(async () => {
      await second?.database.close();
      await t?.close();
      await elks?.close();
    });

    const sms = (phone: string) => elks.sms.filter((s) => s.to === phone).length;

    it('two nodes working the same queue send each page exactly once', async () => {
      t.clock.set(NIGHT);
      const { incident } = await createIncident(t.ctx, SYSTEM, {
        customerId,
        summary: 'Webbservern svarar inte',
      });
      const nodeA = new JobWorker(t.ctx, { workerId: 'node-a', handlers: jobHandlers });
      const nodeB = new JobWorker(second.ctx, { workerId: 'node-b', handlers: jobHandlers });
      const both = async () => {
        for (let i = 0; i < 6; i += 1) await Promise.all([nodeA.runOnce(), nodeB.runOnce()]);
      };
      await both();
      expect([sms('+46709000001'), sms('+46709000002'), sms('+46709000006')]).toEqual([1, 0, 0]);
      t.clock.advance(300_000);
      await both();
      expect([sms('+46709000001'), sms('+46709000002'), sms('+46709000006')]).toEqual([2, 1, 0]);
      t.clock.advance(300_000);
      await both();
      expect([sms('+46709000001'), sms('+46709000002'), sms('+46709000006')]).toEqual([3, 2, 1]);
      const view = await t.call(
        'POST',
        `/api/v1/incidents/${incident.id}/ack`,
        await t.token('engineer'),
        {},
      );
      expect(view.statusCode).toBe(200);
      t.clock.advance(3_600_000);
      await both();
      expect([sms('+46709000001'), sms('+46709000002'), sms('+46709000006')]).toEqual([3, 2, 1]);
      await t.call('POST', `/api/v1/incidents/${incident.id}/resolve`, await t.token('engineer'), {});
    });

    it('a node that dies holding the next step neither loses that page nor repeats the last one', async () => {
      elks.sms.length = 0;
      t.clock.set(NIGHT + 86_400_000);
      const { incident } = await createIncident(t.ctx, SYSTEM, {
        customerId,
        summary: 'Databasen nere',
        serverId: null,
      });
      const nodeA = new JobWorker(t.ctx, { workerId: 'node-a', handlers: jobHandlers });
      while ((await nodeA.runOnce()) > 0) {
        /* step 0 paged */
      }
      expect(sms('+46709000001')).toBe(1);
      // Step 1 falls due; node A claims it and is killed before it runs (its lease is 60 s).
      t.clock.advance(300_000);
      const claimed = await claimDueJobs(t.ctx.db, t.ctx.dbKind, {
        workerId: 'node-a',
        nowMs: t.clock.now(),
        leaseMs: 60_000,
        limit: 10,
        kinds: ['incident.escalate'],
      });
      expect(claimed.map((j) => JSON.parse(j.payload).incidentId)).toEqual([incident.id]);
      // The other node (a restart) picks it up once the lease has run out.
      const nodeB = new JobWorker(second.ctx, { workerId: 'node-b', handlers: jobHandlers });
      expect(await nodeB.runOnce()).toBe(0);
      t.clock.advance(61_000);
      for (let i = 0; i < 4; i += 1) await nodeB.runOnce();
      expect([sms('+46709000001'), sms('+46709000002')]).toEqual([2, 1]);
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, await t.token('engineer'), {});
      await t.call('POST', `/api/v1/incidents/${incident.id}/resolve`, await t.token('engineer'), {});
    });

    it('records near-breach and breach of the response promise once each and pages the managers on breach', async () => {
      elks.sms.length = 0;
      t.clock.set(NIGHT + 2 * 86_400_000);
      const { incident } = await createIncident(t.ctx, SYSTEM, { customerId, summary: 'Ingen svarar' });
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, await t.token('engineer'), {});
      const worker = new JobWorker(t.ctx, { workerId: 'sla', handlers: jobHandlers });
      await scheduleSlaCheck(t.ctx);
      for (let minute = 0; minute <= 16; minute += 1) {
        for (let i = 0; i < 3; i += 1) await worker.runOnce();
        t.clock.advance(60_000);
      }
      const view = (await t.call('GET', `/api/v1/incidents/${incident.id}`, await t.token('manager'))).json();
      const alarms = view.timeline.filter((e: { type: string }) => e.type.startsWith('sla_'));
      expect(alarms.map((e: { type: string; data: { clock: string } }) => [e.type, e.data.clock])).toEqual([
        ['sla_near_breach', 'response'],
        ['sla_breached', 'response'],
      ]);
      expect(view.sla.response).toBe('breached');
      expect(
        elks.sms.filter((s) => s.to === '+46709000006' && /svarstiden har passerats/.test(s.message)),
      ).toHaveLength(1);
    });

    it('pages as for a roster gap when the primary on call cannot be reached', async () => {
      await t.call(
        'POST',
        `/api/v1/incidents/${(await t.call('GET', '/api/v1/incidents?state=open,acknowledged', await t.token('manager'))).json().items[0]?.id}/resolve`,
        await t.token('engineer'),
        {},
      );
      elks.sms.length = 0;
      await t.ctx.db
        .updateTable('engineers')
        .set({ phone_failing_since: new Date(0).toISOString() })
        .where('phone', '=', '+46709000001')
        .execute();
      t.clock.set(NIGHT + 3 * 86_400_000);
      await createIncident(t.ctx, SYSTEM, { customerId, summary: 'Allt är nere', serverId: null });
      const worker = new JobWorker(t.ctx, { workerId: 'gap', handlers: jobHandlers });
      for (let i = 0; i < 4; i += 1) await worker.runOnce();
      // At once, not after 5 and 10 minutes: the secondary and the manager; never the unreachable phone.
      expect([sms('+46709000001'), sms('+46709000002'), sms('+46709000006')]).toEqual([0, 1, 1]);
    });
  });
}
