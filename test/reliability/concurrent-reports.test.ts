/**
 * Regressions found by the crash harness (crash-recovery.test.ts, PostgreSQL): reports of one problem
 * arriving at the same moment each found no open incident and opened their own. PagerDuty triggers that
 * share a dedup_key but differ in content are separate deliveries; calls from one customer's contacts
 * join the customer's open incident. Such reports are now serialised (an advisory lock on PostgreSQL,
 * `lockReportKey`; SQLite has one writer), so they make one incident.
 *
 * Also: one Alertmanager message may carry alerts of several servers (one incident each). Two messages with
 * the same servers in a different order, at once, each took its first server's lock and waited for the
 * other's (a deadlock: PostgreSQL aborts one, a 500). The locks are now taken up front in sorted order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertmanagerPayload,
  pagerDutyTrigger,
  sendAlertmanager,
  sendPagerDuty,
} from '../stand-ins/alert-senders.js';
import { postWebhookForm } from '../stand-ins/http-stand-in.js';
import {
  DIALECTS,
  listenOnLoopback,
  startTestApp,
  type TestApp,
} from '../integration/support/test-runtime.js';

const SECRET = 'concurrent-secret';

for (const dialect of DIALECTS) {
  describe(`concurrent reports of one problem on ${dialect}`, () => {
    let t: TestApp;
    let base: string;
    let routingKey: string;

    beforeAll(async () => {
      t = await startTestApp(dialect, { BALLOU_46ELKS_WEBHOOK_SECRET: SECRET });
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

    it('alert messages naming the same servers in different orders, sent at once, neither deadlock nor double', async () => {
      const admin = await t.token('admin');
      const customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Många Servrar AB',
          orgNumber: '556900-7775',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      const hosts = Array.from({ length: 5 }, (_, i) => `node${i}.mangaservrar.example`);
      for (const hostname of hosts) {
        const res = await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, { hostname });
        expect(res.statusCode, res.body).toBe(201);
      }
      const amToken = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'alertmanager', name: 'Prometheus' })
      ).json().token;
      // Each message: every server's alert, in a different rotation of the server list, and each a
      // different starting time, so no message is a retry of another.
      const messages = Array.from({ length: 10 }, (_, m) =>
        alertmanagerPayload({
          alerts: hosts.map((_, i) => {
            const host = hosts[(i + m) % hosts.length]!;
            return {
              labels: { alertname: 'NodeDown', instance: `${host}:9100` },
              startsAt: `2026-12-01T19:${String(10 + m).padStart(2, '0')}:00Z`,
            };
          }),
        }),
      );
      const answers = await Promise.all(
        messages.map((payload) => sendAlertmanager(`${base}/webhooks/alertmanager`, amToken, payload)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      const incidents = await t.ctx.db
        .selectFrom('incidents')
        .select(['server_id'])
        .where('customer_id', '=', customerId)
        .execute();
      expect(incidents).toHaveLength(hosts.length);
      expect(new Set(incidents.map((i) => i.server_id)).size).toBe(hosts.length);
    });

    it('eight calls from one customer at once open one incident and attach the rest', async () => {
      const admin = await t.token('admin');
      const customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Samtidig AB',
          orgNumber: '556677-0011',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      const phones = Array.from({ length: 4 }, (_, i) => `+4670123450${i}`);
      for (const [i, phone] of phones.entries()) {
        await t.call('POST', `/api/v1/customers/${customerId}/contacts`, admin, {
          name: `Kontakt ${i}`,
          phone,
        });
      }
      const url = `http://46elks:${SECRET}@${base.slice('http://'.length)}/api/v1/webhooks/46elks/voice`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          postWebhookForm(url, { callid: `c-same-${i}`, from: phones[i % 4]!, to: '+46766860000' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      const incidents = await t.ctx.db
        .selectFrom('incidents')
        .select('id')
        .where('customer_id', '=', customerId)
        .execute();
      expect(incidents).toHaveLength(1);
    });
  });
}
