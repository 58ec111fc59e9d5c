// What a new incident is given when it is reported: its number in the year's series, the customer's tier
// on the report date, callout or not by the office calendar (with the desk's extra closed days), its
// deadlines, and a page when it is a callout. Intake writes the incident once, complete, without reading
// it back: the answer to a report must be what a later read shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATE_JOB } from '../../src/app/incidents/escalation-job.js';
import { DIALECTS, type TestApp, startTestApp } from './support/test-runtime.js';

const NOW = Date.parse('2027-01-20T12:00:00+01:00');

for (const dialect of DIALECTS) {
  describe(`incident report rules on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    let customerId: string;
    const servers: string[] = [];

    const report = (serverIndex: number, reportedAt: string) =>
      t.call('POST', '/api/v1/incidents', admin, {
        customerId,
        serverId: servers[serverIndex],
        summary: `Fel rapporterat ${reportedAt}`,
        reportedAt,
      });
    const pageJobs = async (incidentId: string) =>
      (await t.ctx.db.selectFrom('jobs').select('payload').where('kind', '=', ESCALATE_JOB).execute()).filter(
        (j) => (JSON.parse(j.payload) as { incidentId: string }).incidentId === incidentId,
      ).length;
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
      t = await startTestApp(dialect);
      t.clock.set(NOW);
      admin = await t.token('admin');
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Kvarnholmen Data AB',
          orgNumber: '559012-3450',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      const moved = await t.call('POST', `/api/v1/customers/${customerId}/tiers`, admin, {
        tier: 'incident',
        validFrom: '2026-12-03',
      });
      expect(moved.statusCode).toBe(201);
      for (const hostname of [
        'a.kvarnholmen.se',
        'b.kvarnholmen.se',
        'c.kvarnholmen.se',
        'd.kvarnholmen.se',
      ]) {
        servers.push(
          (await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, { hostname })).json().id,
        );
      }
      // A klämdag the desk closes (reference data; no API edits closed days).
      await t.ctx.db
        .insertInto('closed_days')
        .values({ date: '2026-12-03', name: 'Klämdag', created_at: new Date(NOW).toISOString() })
        .execute();
    });
    afterAll(async () => t?.close());

    it('numbers, tiers, callouts and deadlines by the report date, and answers what a read shows', async () => {
      // Wednesday 10:00, an office day: no callout, no page; the customer was still on hog.
      const office = await report(0, '2026-12-02T10:00');
      expect(office.statusCode).toBe(201);
      expect(office.json()).toMatchObject({
        ref: 'INC-2026-00001',
        tier: 'hog',
        callout: false,
        state: 'open',
        responseDue: '2026-12-02T10:15:00+01:00',
      });
      // Thursday 10:00 is office time by the holiday table, but the desk closed that day: a callout.
      const closed = await report(1, '2026-12-03T10:00');
      expect(closed.json()).toMatchObject({
        ref: 'INC-2026-00002',
        tier: 'incident',
        callout: true,
        responseDue: '2026-12-03T10:15:00+01:00',
      });
      // Friday 10:00 is an office day again.
      const friday = await report(2, '2026-12-04T10:00');
      expect(friday.json()).toMatchObject({ ref: 'INC-2026-00003', callout: false });
      // A new year starts a new series; 20:00 is on-call time.
      const newYear = await report(3, '2027-01-05T20:00');
      expect(newYear.json()).toMatchObject({ ref: 'INC-2027-00001', tier: 'incident', callout: true });

      expect(await pageJobs(office.json().id)).toBe(0);
      expect(await pageJobs(closed.json().id)).toBe(1);
      expect(await pageJobs(newYear.json().id)).toBe(1);
      for (const created of [office, closed, friday, newYear]) {
        const read = await t.call('GET', `/api/v1/incidents/${created.json().id}`, admin);
        expect(read.json()).toEqual(created.json());
      }
      // A second report of the same server attaches to its open incident and answers with it.
      const again = await report(0, '2026-12-02T10:05');
      expect(again.json()).toMatchObject({ id: office.json().id, ref: 'INC-2026-00001' });
      const read = await t.call('GET', `/api/v1/incidents/${office.json().id}`, admin);
      expect(read.json()).toEqual(again.json());
    });

    it('dates a report that attaches with an earlier typed time after the timeline it joins, keeping that time', async () => {
      servers.push(
        (
          await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, {
            hostname: 'e.kvarnholmen.se',
          })
        ).json().id,
      );
      const fresh = servers.length - 1;
      const opened = await report(fresh, '2027-01-12T21:00');
      expect(opened.statusCode).toBe(201);
      // The customer says the problem began 20:40, before the incident was reported.
      const earlier = await report(fresh, '2027-01-12T20:40');
      expect(earlier.json().id).toBe(opened.json().id);
      const timeline = (
        earlier.json().timeline as { type: string; at: string; data: Record<string, unknown> }[]
      ).filter((e) => e.type === 'reported' || e.type === 'attached');
      expect(timeline.map((e) => [e.type, e.at])).toEqual([
        ['reported', '2027-01-12T21:00:00+01:00'],
        ['attached', '2027-01-12T21:00:00+01:00'],
      ]);
      expect(timeline[1]?.data.reportedAt).toBe('2027-01-12T19:40:00.000Z');
      // A later one is dated by its own time, with nothing extra.
      const later = await report(fresh, '2027-01-12T21:10');
      const last = (
        later.json().timeline as { type: string; at: string; data: Record<string, unknown> }[]
      ).at(-1);
      expect(last).toMatchObject({ type: 'attached', at: '2027-01-12T21:10:00+01:00' });
      expect(last?.data.reportedAt).toBeUndefined();
    });

    it('refuses an unknown customer or a server of nobody with a 404 naming the field, and writes nothing', async () => {
      const before = await incidentCount();
      const unknown = await t.call('POST', '/api/v1/incidents', admin, {
        customerId: '00000000-0000-4000-8000-000000000000',
        summary: 'Okänd kund',
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().errors).toEqual([{ path: '/customerId', message: 'no such customer' }]);
      const badServer = await t.call('POST', '/api/v1/incidents', admin, {
        customerId,
        serverId: '00000000-0000-4000-8000-000000000000',
        summary: 'Okänd server',
      });
      expect(badServer.statusCode).toBe(404);
      expect(badServer.json().errors[0].path).toBe('/serverId');
      expect(await incidentCount()).toBe(before);
    });
  });
}
