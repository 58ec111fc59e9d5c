import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, rowCounts, startTestApp, type TestApp } from './support/test-runtime.js';

/** Stockholm wall-clock time → epoch ms in November–December (UTC+1). */
const cet = (local: string) => Date.parse(`${local}:00+01:00`);

for (const dialect of DIALECTS) {
  describe(`SLA report on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    let engineerId: string;
    const customers: Record<string, string> = {};

    /** Walks the clock through a night: each step happens at its own time. */
    const at = async (local: string, method: 'POST', url: string, body: unknown) => {
      t.clock.set(cet(local));
      const res = await t.call(method, url, admin, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };

    beforeAll(async () => {
      // Each incident is resolved before the next: a report attaches to the customer's open incident.
      t = await startTestApp(dialect);
      admin = await t.token('admin');
      engineerId = (
        await t.call('POST', '/api/v1/engineers', admin, {
          name: 'Anna',
          phone: '+46709000001',
          email: 'anna@ballou.example',
        })
      ).json().id;
      for (const [key, name, orgNumber, tier] of [
        ['nordhamn', 'Nordhamn Handel AB', '556677-0011', 'hog'],
        ['ekbacken', 'Ekbacken Bygg AB', '559012-3450', 'incident'],
      ] as const) {
        customers[key] = (
          await t.call('POST', '/api/v1/customers', admin, {
            name,
            orgNumber,
            tier,
            agreementStart: '2025-01-01',
          })
        ).json().id;
      }
      // October, hog, at night: called back after 5 min, work after 30 min (both met).
      const oct = await at('2026-10-14T23:00', 'POST', '/api/v1/incidents', {
        customerId: customers.nordhamn,
        summary: 'oktober',
        reportedAt: '2026-10-14T23:00',
      });
      await at('2026-10-14T23:05', 'POST', `/api/v1/incidents/${oct.id}/callback`, {});
      await at('2026-10-15T00:00', 'POST', `/api/v1/incidents/${oct.id}/work`, {
        start: '2026-10-14T23:30',
        end: '2026-10-15T00:00',
        engineerId,
        withinResponsibility: true,
      });
      await at('2026-10-15T00:00', 'POST', `/api/v1/incidents/${oct.id}/resolve`, {});
      // November, hog, at night: called back after 10 min, work after 50 min (met).
      const nov1 = await at('2026-11-10T22:00', 'POST', '/api/v1/incidents', {
        customerId: customers.nordhamn,
        summary: 'november 1',
        reportedAt: '2026-11-10T22:00',
      });
      await at('2026-11-10T22:10', 'POST', `/api/v1/incidents/${nov1.id}/callback`, {});
      await at('2026-11-10T23:30', 'POST', `/api/v1/incidents/${nov1.id}/work`, {
        start: '2026-11-10T22:50',
        end: '2026-11-10T23:30',
        engineerId,
        withinResponsibility: true,
      });
      await at('2026-11-10T23:30', 'POST', `/api/v1/incidents/${nov1.id}/resolve`, {});
      // November, incident tier, at night: called back after 20 min (breach), consent at 23:30, work
      // 75 min after the consent (breach).
      const nov2 = await at('2026-11-12T23:00', 'POST', '/api/v1/incidents', {
        customerId: customers.ekbacken,
        summary: 'november 2',
        reportedAt: '2026-11-12T23:00',
      });
      await at('2026-11-12T23:20', 'POST', `/api/v1/incidents/${nov2.id}/callback`, {});
      await at('2026-11-12T23:30', 'POST', `/api/v1/incidents/${nov2.id}/consent`, {
        granted: true,
        by: 'Maria Ek',
        via: 'phone',
      });
      await at('2026-11-13T01:30', 'POST', `/api/v1/incidents/${nov2.id}/work`, {
        start: '2026-11-13T00:45',
        end: '2026-11-13T01:30',
        engineerId,
        withinResponsibility: true,
      });
      await at('2026-11-13T01:30', 'POST', `/api/v1/incidents/${nov2.id}/resolve`, {});
      // November, office hours (not a callout), never called back: a response breach by now.
      await at('2026-11-16T10:00', 'POST', '/api/v1/incidents', {
        customerId: customers.ekbacken,
        summary: 'november 3',
        reportedAt: '2026-11-16T10:00',
      });
      t.clock.set(cet('2026-12-01T12:00'));
    });
    afterAll(async () => t?.close());

    it('counts callouts per month and tier', async () => {
      const res = await t.call('GET', '/api/v1/reports/sla?from=2026-10&to=2026-12', admin);
      expect(res.statusCode).toBe(200);
      expect(res.json().months).toEqual([
        { month: '2026-10', callouts: { hog: 1, incident: 0, none: 0 }, incidents: 1 },
        { month: '2026-11', callouts: { hog: 1, incident: 1, none: 0 }, incidents: 3 },
        { month: '2026-12', callouts: { hog: 0, incident: 0, none: 0 }, incidents: 0 },
      ]);
    });

    it('gives response and action times against the 15 and 60 minute targets', async () => {
      const report = (await t.call('GET', '/api/v1/reports/sla?from=2026-11&to=2026-11', admin)).json();
      expect(report.response).toEqual({
        decided: 3,
        met: 1,
        breaches: 2,
        medianSeconds: 600,
        p90Seconds: 1200,
        targetSeconds: 900,
      });
      expect(report.action).toMatchObject({
        decided: 2,
        met: 1,
        breaches: 1,
        medianSeconds: 3000,
        p90Seconds: 4500,
        targetSeconds: 3600,
      });
      expect(report.byTier.find((x: { tier: string }) => x.tier === 'hog').response).toMatchObject({
        decided: 1,
        breaches: 0,
      });
      expect(report.customers).toEqual([
        {
          customerId: customers.ekbacken,
          customerName: 'Ekbacken Bygg AB',
          incidents: 2,
          responseBreaches: 2,
          actionBreaches: 1,
          compliance: 0,
        },
        {
          customerId: customers.nordhamn,
          customerName: 'Nordhamn Handel AB',
          incidents: 1,
          responseBreaches: 0,
          actionBreaches: 0,
          compliance: 1,
        },
      ]);
    });

    it("gives a customer its own organisation's report only; another's id answers 404", async () => {
      const customer = await t.token('customer', customers.nordhamn);
      const other = await t.call(
        'GET',
        `/api/v1/reports/sla?from=2026-11&to=2026-11&customerId=${customers.ekbacken}`,
        customer,
      );
      expect(other.statusCode).toBe(404);
      const own = await t.call('GET', '/api/v1/reports/sla?from=2026-11&to=2026-11', customer);
      expect(own.statusCode).toBe(200);
      expect(own.json().customerId).toBe(customers.nordhamn);
      expect(own.json().customers.map((c: { customerName: string }) => c.customerName)).toEqual([
        'Nordhamn Handel AB',
      ]);
      const engineer = await t.token('engineer');
      expect((await t.call('GET', '/api/v1/reports/sla?from=2026-11&to=2026-11', engineer)).statusCode).toBe(
        403,
      );
    });

    it('refuses a bad period with a 400 naming the field, and changes nothing', async () => {
      const before = await rowCounts(t.ctx);
      const badMonth = await t.call('GET', '/api/v1/reports/sla?from=2026-13&to=2026-12', admin);
      expect(badMonth.statusCode).toBe(400);
      expect(badMonth.json().errors).toEqual([expect.objectContaining({ path: '/from' })]);
      const backwards = await t.call('GET', '/api/v1/reports/sla?from=2026-11&to=2026-10', admin);
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().errors).toEqual([expect.objectContaining({ path: '/to' })]);
      const tooLong = await t.call('GET', '/api/v1/reports/sla?from=2020-01&to=2026-12', admin);
      expect(tooLong.statusCode).toBe(400);
      const missing = await t.call('GET', '/api/v1/reports/sla?from=2026-11', admin);
      expect(missing.statusCode).toBe(400);
      expect(await rowCounts(t.ctx)).toEqual(before);
    });
  });
}
