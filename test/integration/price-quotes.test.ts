import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

const EXAMPLES = JSON.parse(
  fs.readFileSync(new URL('../../../shared/spec/examples/pricing.json', import.meta.url), 'utf8'),
) as Array<{ name: string; expected: { callout: boolean; totalOre: number } }>;

for (const dialect of DIALECTS) {
  describe(`POST /api/v1/price-quotes on ${dialect}`, () => {
    let t: TestApp;
    let billing: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      billing = await t.token('billing');
    });
    afterAll(async () => t?.close());

    it('prices every worked example of the spec by the tariff in the database', async () => {
      const res = await t.call('POST', '/api/v1/price-quotes', billing, EXAMPLES);
      expect(res.statusCode).toBe(200);
      const prices = res.json() as Array<{ callout: boolean; totalOre: number }>;
      expect(prices.map((p) => [p.callout, p.totalOre])).toEqual(
        EXAMPLES.map((e) => [e.expected.callout, e.expected.totalOre]),
      );
    });

    it('answers a single scenario with a single price object showing its blocks', async () => {
      const res = await t.call('POST', '/api/v1/price-quotes', billing, EXAMPLES[1]);
      expect(res.json()).toMatchObject({
        callout: true,
        currency: 'SEK',
        startFeeOre: 175000,
        blocks: [
          { start: '2026-12-01T20:20:00+01:00', factor: 1, amountOre: 75000 },
          { start: '2026-12-01T21:20:00+01:00', factor: 1, amountOre: 75000 },
        ],
        totalOre: 325000,
      });
    });

    it('refuses bad scenarios naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [{ tier: 'gold', reportedAt: '2026-12-01T19:10:00+01:00', work: [] }, '/tier'],
        [{ tier: 'hog', reportedAt: '2026-10-25T02:30:00', work: [] }, '/reportedAt'],
        [{ tier: 'hog', reportedAt: '2026-03-29T02:30:00', work: [] }, '/reportedAt'],
        [
          {
            tier: 'hog',
            reportedAt: '2026-12-01T19:10:00+01:00',
            work: [
              {
                start: '2026-12-01T20:00:00+01:00',
                end: '2026-12-01T19:00:00+01:00',
                engineer: 'a',
                withinResponsibility: true,
              },
            ],
          },
          '/work/0/end',
        ],
        [[EXAMPLES[0], { ...EXAMPLES[0], tier: 7 }], '/1/tier'],
        [{ summary: 'not a scenario' }, '/tier'],
      ];
      for (const [body, path] of cases) {
        const res = await t.call('POST', '/api/v1/price-quotes', billing, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
    });

    it('is for staff only', async () => {
      expect((await t.call('POST', '/api/v1/price-quotes', null, EXAMPLES[0])).statusCode).toBe(401);
    });
  });
}
