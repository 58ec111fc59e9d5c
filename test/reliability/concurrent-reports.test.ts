/**
 * Regression found by the crash harness (crash-recovery.test.ts, PostgreSQL): PagerDuty triggers that
 * share a dedup_key but differ in content are separate deliveries; arriving at the same moment, each
 * transaction found no open incident and opened its own. Reports of one dedup key are now serialised
 * (an advisory lock on PostgreSQL; SQLite has one writer), so they make one incident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagerDutyTrigger, sendPagerDuty } from '../stand-ins/alert-senders.js';
import {
  DIALECTS,
  listenOnLoopback,
  startTestApp,
  type TestApp,
} from '../integration/support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`concurrent reports of one problem on ${dialect}`, () => {
    let t: TestApp;
    let base: string;
    let routingKey: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = await listenOnLoopback(t);
      const admin = await t.token('admin');
      routingKey = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'pagerduty', name: 'Zabbix' })
      ).json().token;
    });
    afterAll(async () => {
      await t?.close();
    });

    it('twelve triggers with one dedup_key sent at once open one incident and attach the rest', async () => {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          sendPagerDuty(
            `${base}/api/v1/webhooks/pagerduty/v2/enqueue`,
            pagerDutyTrigger(
              routingKey,
              { summary: `Disk full, try ${i}`, source: 'db1.example' },
              { dedup_key: 'db1/disk' },
            ),
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
      const incidents = await t.ctx.db.selectFrom('incidents').select(['id', 'dedup_key']).execute();
      expect(incidents).toHaveLength(1);
      const events = await t.ctx.db
        .selectFrom('incident_events')
        .select('type')
        .where('incident_id', '=', incidents[0]!.id)
        .where('type', 'in', ['reported', 'attached'])
        .execute();
      expect(events.map((e) => e.type).sort()).toEqual(['reported', ...Array(11).fill('attached')].sort());
    });
  });
}
