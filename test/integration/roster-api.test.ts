import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

// Weekly shifts handing over Monday 08:00 Stockholm time, from Monday 2026-10-19.
const START = '2026-10-19T08:00:00+02:00';

async function rosterCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'rotations',
    'rotation_members',
    'overrides',
    'unavailability',
    'shift_swaps',
    'audit_log',
  ] as const) {
    const row = await t.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

for (const dialect of DIALECTS) {
  describe(`roster API on ${dialect}`, () => {
    let t: TestApp;
    let manager: string;
    const eng: Record<string, string> = {};

    const get = async (url: string) => {
      const res = await t.call('GET', url, manager);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json();
    };
    const holders = async (at: string) => {
      const now = await get(`/api/v1/oncall?at=${encodeURIComponent(at)}`);
      return [now.primary?.name ?? null, now.secondary?.name ?? null];
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      manager = await t.token('manager');
      for (const [key, name, phone] of [
        ['anna', 'Anna', '+46709000001'],
        ['bo', 'Bo', '+46709000002'],
        ['cecilia', 'Cecilia', '+46709000003'],
        ['david', 'David', '+46709000004'],
      ] as const) {
        const res = await t.call('POST', '/api/v1/engineers', manager, {
          name,
          phone,
          email: `${key}@ballou.example`,
        });
        eng[key] = res.json().id;
      }
    });
    afterAll(async () => t?.close());

    it('creates rotations and answers who is on call, handing over at local 08:00 across the DST change', async () => {
      const primary = await t.call('POST', '/api/v1/rotations', manager, {
        role: 'primary',
        engineerIds: [eng.anna, eng.bo],
        start: START,
        shiftHours: 168,
        handover: '08:00',
      });
      expect(primary.statusCode).toBe(201);
      expect(primary.json()).toMatchObject({
        role: 'primary',
        shiftHours: 168,
        handover: '08:00',
        start: START,
      });
      // Without an offset the time is Stockholm's.
      const secondary = await t.call('POST', '/api/v1/rotations', manager, {
        role: 'secondary',
        engineerIds: [eng.cecilia, eng.david],
        start: '2026-10-19T08:00',
        shiftHours: 168,
        handover: '08:00',
      });
      expect(secondary.statusCode).toBe(201);
      expect(await holders('2026-10-20T03:00:00+02:00')).toEqual(['Anna', 'Cecilia']);
      // The week of the October change (25 Oct) is 169 real hours: 2026-10-26 07:59 CET is still Anna's.
      expect(await holders('2026-10-26T07:59:00+01:00')).toEqual(['Anna', 'Cecilia']);
      expect(await holders('2026-10-26T08:00:00+01:00')).toEqual(['Bo', 'David']);
      const shifts = await get(
        '/api/v1/oncall/shifts?from=2026-10-19T08:00:00%2B02:00&to=2026-11-02T08:00:00%2B01:00',
      );
      expect(
        shifts.primary.map((s: { engineerName: string; start: string }) => [s.engineerName, s.start]),
      ).toEqual([
        ['Anna', '2026-10-19T08:00:00+02:00'],
        ['Bo', '2026-10-26T08:00:00+01:00'],
      ]);
    });

    it('lets an override win exactly inside its interval', async () => {
      const res = await t.call('POST', '/api/v1/overrides', manager, {
        role: 'primary',
        engineerId: eng.cecilia,
        start: '2026-11-03T20:00:00+01:00',
        end: '2026-11-04T06:00:00+01:00',
        reason: 'Bo sjuk',
      });
      expect(res.statusCode).toBe(201);
      expect(await holders('2026-11-03T19:59:00+01:00')).toEqual(['Anna', 'Cecilia']);
      // Cecilia now holds both roles: that is a gap, reported with its reason.
      expect(await holders('2026-11-03T20:00:00+01:00')).toEqual(['Cecilia', 'Cecilia']);
      expect(await holders('2026-11-04T06:00:00+01:00')).toEqual(['Anna', 'Cecilia']);
      const gaps = await get(
        '/api/v1/oncall/gaps?from=2026-11-03T00:00:00%2B01:00&to=2026-11-05T00:00:00%2B01:00',
      );
      expect(gaps).toEqual([
        expect.objectContaining({
          start: '2026-11-03T20:00:00+01:00',
          end: '2026-11-04T06:00:00+01:00',
          kind: 'same-person',
        }),
      ]);
    });

    it('refuses bad overrides and rotations with a problem naming the field, writing nothing', async () => {
      const before = await rosterCounts(t);
      const cases: Array<[string, string, unknown, number, string]> = [
        [
          'POST',
          '/api/v1/overrides',
          {
            role: 'primary',
            engineerId: eng.bo,
            start: '2026-11-10T10:00:00+01:00',
            end: '2026-11-10T09:00:00+01:00',
          },
          400,
          '/end',
        ],
        [
          'POST',
          '/api/v1/overrides',
          {
            role: 'primary',
            engineerId: 'no-such-engineer',
            start: '2026-11-10T08:00:00+01:00',
            end: '2026-11-10T09:00:00+01:00',
          },
          400,
          '/engineerId/0',
        ],
        [
          'POST',
          '/api/v1/overrides',
          {
            role: 'primary',
            engineerId: eng.cecilia,
            start: '2026-11-04T05:00:00+01:00',
            end: '2026-11-04T07:00:00+01:00',
          },
          409,
          '/start',
        ],
        [
          'POST',
          '/api/v1/overrides',
          {
            role: 'boss',
            engineerId: eng.bo,
            start: '2026-11-10T08:00:00+01:00',
            end: '2026-11-10T09:00:00+01:00',
          },
          400,
          '/role',
        ],
        [
          'POST',
          '/api/v1/overrides',
          {
            role: 'primary',
            engineerId: eng.bo,
            start: '2026-10-25T02:30:00',
            end: '2026-10-25T05:00:00+01:00',
          },
          400,
          '/start',
        ],
        [
          'POST',
          '/api/v1/rotations',
          { role: 'primary', engineerIds: [], start: START, shiftHours: 168 },
          400,
          '/engineerIds',
        ],
        [
          'POST',
          '/api/v1/rotations',
          { role: 'primary', engineerIds: [eng.anna], start: START, shiftHours: 12, handover: '08:00' },
          400,
          '/handover',
        ],
        [
          'POST',
          '/api/v1/rotations',
          { role: 'primary', engineerIds: [eng.anna, 'ghost'], start: START, shiftHours: 168 },
          400,
          '/engineerIds/1',
        ],
      ];
      for (const [method, url, body, status, path] of cases) {
        const res = await t.call(method as 'POST', url, manager, body);
        expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      expect(await rosterCounts(t)).toEqual(before);
      const engineer = await t.token('engineer');
      expect(
        (
          await t.call('POST', '/api/v1/rotations', engineer, {
            role: 'primary',
            engineerIds: [eng.anna],
            start: START,
            shiftHours: 24,
          })
        ).statusCode,
      ).toBe(403);
    });

    it('finds gaps only in on-call time: Julafton daytime is a gap, an ordinary Tuesday daytime is not', async () => {
      // Both secondaries on holiday in David's week: nobody can stand in.
      for (const who of [eng.cecilia, eng.david]) {
        const res = await t.call('POST', '/api/v1/unavailability', manager, {
          engineerId: who,
          start: '2026-12-21T00:00:00+01:00',
          end: '2026-12-28T00:00:00+01:00',
          note: 'semester',
        });
        expect(res.statusCode).toBe(201);
      }
      const gaps = await get(
        '/api/v1/oncall/gaps?from=2026-12-14T00:00:00%2B01:00&to=2026-12-28T00:00:00%2B01:00',
      );
      const secondaryGaps = gaps.filter((g: { kind: string }) => g.kind === 'no-secondary');
      const inside = (at: string) =>
        secondaryGaps.some(
          (g: { start: string; end: string }) =>
            Date.parse(g.start) <= Date.parse(at) && Date.parse(at) < Date.parse(g.end),
        );
      expect(inside('2026-12-24T10:00:00+01:00')).toBe(true);
      expect(inside('2026-12-22T10:00:00+01:00')).toBe(false); // office hours: the desk covers
      expect(inside('2026-12-22T20:00:00+01:00')).toBe(true);
    });

    it('lets a colleague stand in for an engineer on vacation', async () => {
      // Cecilia's week 14–21 Dec; she is away 15–17 Dec, so David (next in the rotation) stands in.
      const res = await t.call('POST', '/api/v1/unavailability', manager, {
        engineerId: eng.cecilia,
        start: '2026-12-15T00:00:00+01:00',
        end: '2026-12-17T00:00:00+01:00',
      });
      expect(res.statusCode).toBe(201);
      expect(await holders('2026-12-14T20:00:00+01:00')).toEqual(['Anna', 'Cecilia']);
      expect(await holders('2026-12-15T20:00:00+01:00')).toEqual(['Anna', 'David']);
      const now = await get(`/api/v1/oncall?at=${encodeURIComponent('2026-12-15T20:00:00+01:00')}`);
      expect(now.secondary.source).toBe('substitute');
    });

    it('serves an iCalendar feed through a revocable token that a real parser reads, matching the resolver', async () => {
      t.clock.set(Date.parse('2026-11-02T12:00:00+01:00'));
      const created = await t.call('POST', '/api/v1/oncall/feed-tokens', manager, { engineerId: eng.anna });
      expect(created.statusCode).toBe(201);
      const { url, id } = created.json();
      const path = new URL(url).pathname + new URL(url).search;
      const feed = await t.app.inject({ method: 'GET', url: path });
      expect(feed.statusCode).toBe(200);
      expect(feed.headers['content-type']).toContain('text/calendar');
      const vcal = new ICAL.Component(ICAL.parse(feed.body));
      const events = vcal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.summary).toContain('Anna');
        const mid = new Date(
          (event.startDate.toJSDate().getTime() + event.endDate.toJSDate().getTime()) / 2,
        ).toISOString();
        const who = await get(`/api/v1/oncall?at=${encodeURIComponent(mid)}`);
        const role = event.summary.startsWith('Primärjour') ? 'primary' : 'secondary';
        expect(who[role].name).toBe('Anna');
      }
      const again = await t.app.inject({ method: 'GET', url: path });
      const uids = (body: string) =>
        new ICAL.Component(ICAL.parse(body))
          .getAllSubcomponents('vevent')
          .map((e) => e.getFirstPropertyValue('uid'));
      expect(uids(again.body)).toEqual(uids(feed.body));
      expect((await t.call('DELETE', `/api/v1/oncall/feed-tokens/${id}`, manager)).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/oncall/calendar.ics' })).statusCode).toBe(
        401,
      );
    });

    it('turns a taken shift swap into an override the planner sees, and only one colleague can take it', async () => {
      const offer = await t.call('POST', '/api/v1/shift-swaps', manager, {
        role: 'primary',
        engineerId: eng.anna,
        start: '2026-11-16T17:00:00+01:00',
        end: '2026-11-17T08:00:00+01:00',
        note: 'tandläkare',
      });
      expect(offer.statusCode).toBe(201);
      const swapId = offer.json().id;
      const taken = await t.call('POST', `/api/v1/shift-swaps/${swapId}/take`, manager, {
        engineerId: eng.bo,
      });
      expect(taken.statusCode).toBe(200);
      expect(taken.json().swap).toMatchObject({ status: 'taken', takenBy: eng.bo });
      expect(await holders('2026-11-16T22:00:00+01:00')).toEqual(['Bo', 'Cecilia']);
      const overrides = await get(
        '/api/v1/overrides?from=2026-11-16T00:00:00%2B01:00&to=2026-11-18T00:00:00%2B01:00',
      );
      expect(overrides.map((o: { id: string }) => o.id)).toContain(taken.json().override.id);
      const again = await t.call('POST', `/api/v1/shift-swaps/${swapId}/take`, manager, {
        engineerId: eng.david,
      });
      expect(again.statusCode).toBe(409);
      // Not yours to offer: refused, nothing written.
      const before = await rosterCounts(t);
      const stale = await t.call('POST', '/api/v1/shift-swaps', manager, {
        role: 'primary',
        engineerId: eng.david,
        start: '2026-11-16T17:00:00+01:00',
        end: '2026-11-17T08:00:00+01:00',
      });
      expect(stale.statusCode).toBe(409);
      expect(await rosterCounts(t)).toEqual(before);
    });
  });
}
