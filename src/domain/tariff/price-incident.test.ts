import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { parseInstant } from '../calendar/instant.js';
import { parseScenario } from './parse-scenario.js';
import type { IncidentScenario } from './price-incident.js';
import { blockAmountOre, priceIncident } from './price-incident.js';
import type { Tariff } from './tariff.js';
import { DEFAULT_TARIFF } from './tariff.js';

interface Example {
  name: string;
  expected: { callout: boolean; totalOre: number };
}

const examples = JSON.parse(
  readFileSync(new URL('../../../../shared/spec/examples/pricing.json', import.meta.url), 'utf8'),
) as Example[];
const calendar = createCalendar();
const price = (json: unknown, tariff: Tariff = DEFAULT_TARIFF) =>
  priceIncident(parseScenario(json), tariff, calendar);
const at = (text: string) => parseInstant(text, '/t');

describe('priceIncident: the worked examples of SPEC.md section 8 (examples/pricing.json)', () => {
  it('has all 13 examples', () => {
    expect(examples).toHaveLength(13);
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    const result = price(example);
    expect(result.callout).toBe(example.expected.callout);
    expect(result.totalOre).toBe(example.expected.totalOre);
    expect(result.currency).toBe('SEK');
    expect(result.totalOre).toBe(result.startFeeOre + result.blocks.reduce((s, b) => s + b.amountOre, 0));
  });
});

describe('priceIncident: the price object in detail', () => {
  const example = (n: number) => examples[n - 1];

  it('example 2 matches the API.md price object (blocks start at the first billable second after the included hour)', () => {
    const result = price(example(2));
    expect(result).toEqual({
      callout: true,
      currency: 'SEK',
      startFeeOre: 175_000,
      blocks: [
        { start: '2026-12-01T20:20:00+01:00', factor: 1, amountOre: 75_000, seconds: 3600 },
        { start: '2026-12-01T21:20:00+01:00', factor: 1, amountOre: 75_000, seconds: 900 },
      ],
      totalOre: 325_000,
      billableSeconds: 8100,
      includedSeconds: 3600,
    });
  });

  it('example 4: blocks start 00:30 and 01:30 Saturday at × 1.5', () => {
    expect(price(example(4)).blocks).toEqual([
      { start: '2026-12-05T00:30:00+01:00', factor: 1.5, amountOre: 112_500, seconds: 3600 },
      { start: '2026-12-05T01:30:00+01:00', factor: 1.5, amountOre: 112_500, seconds: 900 },
    ]);
  });

  it('example 10: a block that crosses into Saturday takes the factor of its first second', () => {
    expect(price(example(10)).blocks.map((b) => [b.start, b.factor, b.amountOre])).toEqual([
      ['2026-12-04T23:00:00+01:00', 1, 75_000],
      ['2026-12-05T00:00:00+01:00', 1.5, 112_500],
    ]);
  });

  it('example 9: the autumn DST night counts its real three hours', () => {
    const result = price(example(9));
    expect(result.billableSeconds).toBe(3 * 3600);
    expect(result.blocks.map((b) => b.start)).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:30:00+01:00',
    ]);
  });

  it('example 11: two engineers at once both count (person-time); the included hour is once', () => {
    const result = price(example(11));
    expect(result.billableSeconds).toBe(7200);
    expect(result.includedSeconds).toBe(3600);
    expect(result.blocks).toEqual([
      { start: '2026-12-05T10:30:00+01:00', factor: 1.5, amountOre: 112_500, seconds: 3600 },
    ]);
  });

  it('example 5: office-hours work within responsibility is not billable, even on a callout', () => {
    const result = price(example(5));
    expect(result).toMatchObject({
      callout: true,
      billableSeconds: 35 * 60,
      includedSeconds: 35 * 60,
      blocks: [],
    });
  });

  it('example 7: not a callout, so no start fee and no included hour', () => {
    expect(price(example(7))).toMatchObject({ callout: false, startFeeOre: 0, includedSeconds: 0 });
  });

  it('the start fee is never multiplied and the included hour is included whatever its factor', () => {
    const result = price({
      tier: 'none',
      reportedAt: '2026-12-05T10:00:00+01:00',
      work: [
        {
          start: '2026-12-05T10:00:00+01:00',
          end: '2026-12-05T11:00:00+01:00',
          engineer: 'a',
          withinResponsibility: true,
        },
      ],
    });
    expect(result).toMatchObject({ startFeeOre: 450_000, totalOre: 450_000, blocks: [] });
  });

  it('a callout without work costs its start fee; an office-hours report without billable work costs nothing', () => {
    expect(price({ tier: 'incident', reportedAt: '2026-12-01T19:10:00+01:00', work: [] }).totalOre).toBe(
      175_000,
    );
    expect(price({ tier: 'incident', reportedAt: '2026-12-01T10:00:00+01:00', work: [] }).totalOre).toBe(0);
  });

  it('entries are taken in order of start, then end, whatever order they are given in', () => {
    const scenario = parseScenario(example(11));
    const reversed: IncidentScenario = { ...scenario, work: [...scenario.work].reverse() };
    expect(priceIncident(reversed, DEFAULT_TARIFF, calendar)).toEqual(
      priceIncident(scenario, DEFAULT_TARIFF, calendar),
    );
  });

  it('an order that matters: the block after the included hour takes the factor of the next entry in sort order', () => {
    // Friday 22:00–23:00 (× 1) then Saturday 00:00–00:30 (× 1.5), no callout fee window left for Saturday.
    const result = priceIncident(
      {
        tier: 'incident',
        reportedAtMs: at('2026-12-04T21:00:00+01:00'),
        work: [
          {
            startMs: at('2026-12-05T00:00:00+01:00'),
            endMs: at('2026-12-05T00:30:00+01:00'),
            engineer: 'b',
            withinResponsibility: true,
          },
          {
            startMs: at('2026-12-04T22:00:00+01:00'),
            endMs: at('2026-12-04T23:10:00+01:00'),
            engineer: 'a',
            withinResponsibility: true,
          },
        ],
      },
      DEFAULT_TARIFF,
      calendar,
    );
    // 70 min Friday: 60 included, 10 min start a × 1 block that runs on into Saturday's 30 min.
    expect(result.blocks).toEqual([
      { start: '2026-12-04T23:00:00+01:00', factor: 1, amountOre: 75_000, seconds: 2400 },
    ]);
    expect(result.totalOre).toBe(250_000);
  });

  it('uses the tariff it is given (another hourly rate, included minutes and factor)', () => {
    const tariff: Tariff = {
      ...DEFAULT_TARIFF,
      includedMinutes: 30,
      weekendFactorPercent: 200,
      tiers: {
        ...DEFAULT_TARIFF.tiers,
        incident: { monthlyFeeOre: 0, startFeeOre: 100_000, hourlyRateOre: 80_000 },
      },
    };
    // Example 3's times at tier incident: Saturday 02:10–04:40 = 150 min, 30 included, 120 → 2 blocks × 1 600.
    expect(price({ ...example(3), tier: 'incident' }, tariff).totalOre).toBe(100_000 + 2 * 160_000);
  });

  it('a block amount is rate × factor in whole öre', () => {
    expect(blockAmountOre(50_000, 150)).toBe(75_000);
    expect(blockAmountOre(75_000, 100)).toBe(75_000);
    expect(blockAmountOre(33_333, 150)).toBe(50_000); // 49 999.5 rounds half-up
  });

  it('a zero-length entry costs nothing; an entry that ends before it starts is refused', () => {
    const t = at('2026-12-01T20:00:00+01:00');
    const base = { tier: 'hog' as const, reportedAtMs: t };
    const zero = [{ startMs: t, endMs: t, engineer: 'a', withinResponsibility: true }];
    expect(priceIncident({ ...base, work: zero }, DEFAULT_TARIFF, calendar).totalOre).toBe(0);
    const backwards = [{ startMs: t, endMs: t - 1, engineer: 'a', withinResponsibility: true }];
    expect(() => priceIncident({ ...base, work: backwards }, DEFAULT_TARIFF, calendar)).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME' }),
    );
  });
});
