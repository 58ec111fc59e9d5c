import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/app/customers/create-customer.js';
import { recordCallBack, recordConsent } from '../../src/app/incidents/incident-commands.js';
import { createIncident } from '../../src/app/incidents/incident-queries.js';
import { slaCheckJob } from '../../src/app/incidents/sla-job.js';
import type { JobRow } from '../../src/db/tables/job.table.js';
import { DIALECTS, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

const MIN = 60_000;
const NIGHT = Date.parse('2026-12-02T02:00:00+01:00');

/**
 * The once-a-minute SLA check skips incidents whose row shows that no alarm can be due yet: these tests
 * pin that each alarm is still raised at the first check at or after its threshold, not a check later.
 */
for (const dialect of DIALECTS) {
  describe(`SLA check on ${dialect}`, () => {
    let t: TestApp;
    const check = () => slaCheckJob(t.ctx, {}, {} as JobRow);
    const alarms = async (incidentId: string) =>
      (
        await t.ctx.db
          .selectFrom('incident_events')
          .select(['type', 'data'])
          .where('incident_id', '=', incidentId)
          .where('type', 'like', 'sla_%')
          .orderBy('seq')
          .execute()
      ).map((e) => `${e.type}:${(JSON.parse(e.data) as { clock: string }).clock}`);
    const newIncident = async (tier: 'hog' | 'incident', orgNumber: string) => {
      const customer = await createCustomer(t.ctx, SYSTEM, {
        name: `Kund ${orgNumber}`,
        orgNumber,
        tier,
        agreementStart: '2026-01-01',
      });
      return (await createIncident(t.ctx, SYSTEM, { customerId: customer.id, summary: 'Nere' })).incident.id;
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('raises the response near-breach at 2/3 of the target, not a millisecond before', async () => {
      t.clock.set(NIGHT);
      const id = await newIncident('hog', '556677-0011');
      t.clock.set(NIGHT + 10 * MIN - 1);
      await check();
      expect(await alarms(id)).toEqual([]);
      t.clock.set(NIGHT + 10 * MIN);
      await check();
      expect(await alarms(id)).toEqual(['sla_near_breach:response']);
    });

    it('raises the near-breach of an action clock started by a consent at 2/3 of its own target, even long before the response one', async () => {
      // Targets where the action clock's alarm comes first: a 4-hour response promise, 30 minutes of action.
      await t.ctx.db
        .updateTable('sla_policies')
        .set({ response_minutes: 240, action_minutes: 30 })
        .where('tier', '=', 'incident')
        .execute();
      const reportedAt = NIGHT + 86_400_000;
      t.clock.set(reportedAt);
      const id = await newIncident('incident', '556677-0029');
      t.clock.set(reportedAt + 5 * MIN);
      await recordCallBack(t.ctx, SYSTEM, id, {});
      t.clock.set(reportedAt + 20 * MIN);
      await recordConsent(t.ctx, SYSTEM, id, { granted: true, by: 'Kim', via: 'phone' });
      // The action clock runs 30 minutes from the consent: near breach 20 minutes later.
      t.clock.set(reportedAt + 40 * MIN - 1);
      await check();
      expect(await alarms(id)).toEqual([]);
      t.clock.set(reportedAt + 40 * MIN);
      await check();
      expect(await alarms(id)).toEqual(['sla_near_breach:action']);
      t.clock.set(reportedAt + 50 * MIN);
      await check();
      expect(await alarms(id)).toEqual(['sla_near_breach:action', 'sla_breached:action']);
    });
  });
}
