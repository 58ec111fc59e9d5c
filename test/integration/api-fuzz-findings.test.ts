import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemShapeError } from './support/fuzz/fuzz-runner.js';
import { DIALECTS, rowCounts, startTestApp, type TestApp } from './support/test-runtime.js';

/** What the API fuzzer (api-fuzz.test.ts) found, each pinned by a plain example. */
for (const dialect of DIALECTS) {
  describe(`API fuzz findings on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      admin = await t.token('admin');
    });
    afterAll(async () => t?.close());

    const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; body: string }) =>
      expect(
        problemShapeError(res.statusCode, res.headers['content-type'] as string, res.body),
      ).toBeUndefined();

    it('answers a URL with a broken percent escape with problem+json, not the router default', async () => {
      for (const url of [
        '/api/v1/customers/%zz',
        '/api/v1/customers/%/servers',
        '/api/v1/oncall/calendar.ics/%E0%A4%A',
      ]) {
        const res = await t.call('GET', url, admin);
        expect(res.statusCode, url).toBe(400);
        expectProblem(res);
        expect(res.json().code).toBe('MALFORMED_URL');
      }
    });

    it('answers an over-long path parameter with 414 problem+json', async () => {
      const res = await t.call('DELETE', `/api/v1/integrations/${'a'.repeat(5000)}`, admin);
      expect(res.statusCode).toBe(414);
      expectProblem(res);
      expect(res.json().code).toBe('URI_TOO_LONG');
    });

    it('refuses a NUL character in a path parameter, query or body with a 400 naming it (PostgreSQL: was a 500)', async () => {
      const counts = await rowCounts(t.ctx);
      const byPath = await t.call('GET', '/api/v1/engineers/a%00b', admin);
      expect(byPath.statusCode).toBe(400);
      expectProblem(byPath);
      expect(byPath.json().errors).toEqual([
        { path: '/params/id', message: 'must not contain a NUL character' },
      ]);
      const byQuery = await t.call('GET', '/api/v1/incidents?cursor=x%00', admin);
      expect(byQuery.statusCode).toBe(400);
      expect(byQuery.json().errors[0].path).toBe('/querystring/cursor');
      const byBody = await t.call('POST', '/api/v1/engineers', admin, {
        name: 'Nul\u0000Person',
        phone: '+46701230000',
        email: 'nul@ballou.example',
      });
      expect(byBody.statusCode).toBe(400);
      expectProblem(byBody);
      expect(byBody.json().errors).toEqual([{ path: '/name', message: 'must not contain a NUL character' }]);
      expect(await rowCounts(t.ctx)).toEqual(counts);
    });

    it('refuses an incident reported on a date no service-level terms cover with a 400 naming /reportedAt (was a 500)', async () => {
      const customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Tidig AB',
          orgNumber: '556677-0037',
          tier: 'none',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      const counts = await rowCounts(t.ctx);
      for (const reportedAt of ['0000-01-01T00:00', '1989-12-31T23:59']) {
        const res = await t.call('POST', '/api/v1/incidents', admin, {
          customerId,
          summary: 'Disken full på db1',
          reportedAt,
          channel: 'api',
        });
        expect(res.statusCode, reportedAt).toBe(400);
        expectProblem(res);
        expect(res.json().errors).toEqual([
          {
            path: '/reportedAt',
            message: `no service-level terms for tier none cover ${reportedAt.slice(0, 10)}`,
          },
        ]);
      }
      expect(await rowCounts(t.ctx)).toEqual(counts);
      // The first day the terms cover is accepted.
      const first = await t.call('POST', '/api/v1/incidents', admin, {
        customerId,
        summary: 'Disken full på db1',
        reportedAt: '1990-01-01T00:00',
        channel: 'api',
      });
      expect(first.statusCode).toBe(201);
    });
  });
}
