import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertStorm,
  pagerDutyTrigger,
  resolvedPayload,
  sendAlertmanager,
  sendAlertStorm,
  sendPagerDuty,
} from '../stand-ins/alert-senders.js';
import { DIALECTS, listenOnLoopback, type TestApp, startTestApp } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`alert intake on ${dialect}`, () => {
    let t: TestApp;
    let base: string;
    let admin: string;
    let amToken: string;
    let pdKey: string;
    let customerId: string;

    const count = async (table: 'incidents' | 'incident_events' | 'incident_alerts') =>
      Number(
        (
          await t.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = await listenOnLoopback(t);
      admin = await t.token('admin');
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Nordhamn AB',
          orgNumber: '556677-0011',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, {
        hostname: 'web1.nordhamn.se',
      });
      const am = await t.call('POST', '/api/v1/integrations', admin, {
        kind: 'alertmanager',
        name: 'Prometheus',
      });
      expect(am.statusCode).toBe(201);
      amToken = am.json().token;
      pdKey = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'pagerduty', name: 'Zabbix', customerId })
      ).json().token;
      expect(pdKey).toMatch(/^[0-9a-f]{32}$/);
    });
    afterAll(async () => t?.close());

    it('makes 100 incidents of 1 000 alerts in 100 groups, and nothing more of a storm of repeats', async () => {
      const storm = alertStorm({ groups: 100, alertsPerGroup: 10 });
      const results = await sendAlertStorm(`${base}/webhooks/alertmanager`, amToken, storm, {
        concurrency: 4,
      });
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(await count('incidents')).toBe(100);
      expect(await count('incident_alerts')).toBe(1000);
      const events = await count('incident_events');
      // Alertmanager repeats the groups (repeat_interval, HA peers): nothing new.
      await sendAlertStorm(`${base}/webhooks/alertmanager`, amToken, storm, { concurrency: 4 });
      await sendAlertStorm(`${base}/webhooks/alertmanager`, amToken, storm.slice(0, 10), { concurrency: 2 });
      expect(await count('incidents')).toBe(100);
      expect(await count('incident_events')).toBe(events);
      // Unknown servers and no customer: the desk still has them, as tier none.
      const [first] = (await t.call('GET', '/api/v1/incidents?limit=1', admin)).json().items;
      expect(first).toMatchObject({ customerId: null, tier: 'none', channel: 'alert' });
      // Resolves are recorded on the incidents.
      await sendAlertStorm(`${base}/webhooks/alertmanager`, amToken, storm.slice(0, 5).map(resolvedPayload), {
        concurrency: 2,
      });
      const resolved = await t.ctx.db
        .selectFrom('incident_alerts')
        .select('status')
        .where('status', '=', 'resolved')
        .execute();
      expect(resolved).toHaveLength(50);
      expect(await count('incidents')).toBe(100);
    });

    it("finds the customer's server by the instance host and attaches repeats to its open incident", async () => {
      const before = await count('incidents');
      const payload = alertStorm({ groups: 1, alertsPerGroup: 2, servers: ['web1.nordhamn.se'] });
      expect((await sendAlertmanager(`${base}/webhooks/alertmanager`, amToken, payload[0])).status).toBe(200);
      expect(await count('incidents')).toBe(before + 1);
      const list = (await t.call('GET', `/api/v1/incidents?customerId=${customerId}`, admin)).json().items;
      expect(list[0]).toMatchObject({
        customerId,
        hostname: 'web1.nordhamn.se',
        tier: 'hog',
        channel: 'alert',
      });
    });

    it("records the resolve of a second group that joined the server's open incident", async () => {
      const [other] = alertStorm({ groups: 1, alertsPerGroup: 1, servers: ['web1.nordhamn.se'] }).map(
        (p) => ({
          ...p,
          groupKey: '{}:{alertname="DiskFull"}',
          alerts: p.alerts.map((a) => ({
            ...a,
            fingerprint: 'f00dfeedf00dfeed',
            labels: { ...a.labels, alertname: 'DiskFull' },
          })),
        }),
      );
      const before = await count('incidents');
      expect((await sendAlertmanager(`${base}/webhooks/alertmanager`, amToken, other)).status).toBe(200);
      expect(await count('incidents')).toBe(before);
      expect(
        (await sendAlertmanager(`${base}/webhooks/alertmanager`, amToken, resolvedPayload(other as never)))
          .status,
      ).toBe(200);
      const row = await t.ctx.db
        .selectFrom('incident_alerts')
        .selectAll()
        .where('fingerprint', '=', 'f00dfeedf00dfeed')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('resolved');
    });

    it('speaks PagerDuty Events v2: trigger, retry, acknowledge, resolve', async () => {
      const before = await count('incidents');
      const trigger = pagerDutyTrigger(
        pdKey,
        { summary: 'Disk full on db1', source: 'db1.nordhamn.se' },
        { dedup_key: 'disk-db1' },
      );
      const res = await sendPagerDuty(`${base}/webhooks/pagerduty`, trigger);
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'disk-db1' });
      await sendPagerDuty(`${base}/webhooks/pagerduty`, trigger);
      expect(await count('incidents')).toBe(before + 1);
      const ack = await sendPagerDuty(`${base}/webhooks/pagerduty`, {
        routing_key: pdKey,
        event_action: 'acknowledge',
        dedup_key: 'disk-db1',
      });
      expect(ack.status).toBe(202);
      const incident = (await t.call('GET', `/api/v1/incidents?customerId=${customerId}`, admin))
        .json()
        .items.find((i: { summary: string }) => i.summary.includes('Disk full'));
      expect(incident.state).toBe('acknowledged');
      expect(
        (
          await sendPagerDuty(`${base}/webhooks/pagerduty`, {
            routing_key: pdKey,
            event_action: 'resolve',
            dedup_key: 'disk-db1',
          })
        ).status,
      ).toBe(202);
    });

    it('refuses bad alert deliveries with 4xx and writes nothing', async () => {
      const before = [await count('incidents'), await count('incident_events')];
      const am = `${base}/webhooks/alertmanager`;
      expect((await sendAlertmanager(am, undefined, alertStorm({ groups: 1 })[0])).status).toBe(401);
      expect((await sendAlertmanager(am, 'wrong-token', alertStorm({ groups: 1 })[0])).status).toBe(401);
      expect((await sendAlertmanager(am, pdKey, alertStorm({ groups: 1 })[0])).status).toBe(401);
      const missing = await sendAlertmanager(am, amToken, {
        version: '4',
        status: 'firing',
        alerts: [{ labels: {} }],
      });
      expect(missing.status).toBe(400);
      expect(JSON.stringify(missing.json)).toContain('/alerts/0/fingerprint');
      const huge = await fetch(am, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${amToken}` },
        body: JSON.stringify({ version: '4', pad: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      const pdBad = await sendPagerDuty(`${base}/webhooks/pagerduty`, {
        routing_key: pdKey,
        event_action: 'trigger',
        payload: { summary: 'x' },
      });
      expect(pdBad.status).toBe(400);
      expect(pdBad.json).toMatchObject({ status: 'invalid event' });
      const pdUnknown = await sendPagerDuty(
        `${base}/webhooks/pagerduty`,
        pagerDutyTrigger('0'.repeat(32), { summary: 'x', source: 'y' }),
      );
      expect(pdUnknown.status).toBe(400);
      expect([await count('incidents'), await count('incident_events')]).toEqual(before);
    });
  });
}
