import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { REFERENCE_ZONE, referenceClass } from '../calendar/reference-classifier.test-support.js';
import type { Tier } from '../shared/tier.js';
import { TIERS } from '../shared/tier.js';
import type { IncidentPrice, IncidentScenario, WorkEntry } from './price-incident.js';
import { priceIncident } from './price-incident.js';
import type { Tariff } from './tariff.js';
import { DEFAULT_TARIFF } from './tariff.js';

// The slow reference classifier (Temporal + date-holidays), shared with the calendar's property tests.
const MINUTE = 60_000;
const ZONE = REFERENCE_ZONE;
const minuteClass = referenceClass;

/** SPEC.md section 8 minute by minute, for minute-aligned scenarios. */
function referencePrice(s: IncidentScenario, tariff: Tariff) {
  const prices = tariff.tiers[s.tier];
  const callout = !minuteClass(s.reportedAtMs).office;
  const billable: { ms: number; percent: number }[] = [];
  const entries = [...s.work].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  for (const e of entries) {
    for (let m = e.startMs; m < e.endMs; m += MINUTE) {
      const c = minuteClass(m);
      if (c.office && e.withinResponsibility) continue;
      billable.push({ ms: m, percent: c.weekendOrHoliday ? tariff.weekendFactorPercent : 100 });
    }
  }
  const charged = callout ? billable.slice(tariff.includedMinutes) : billable;
  const blocks = [];
  for (let i = 0; i < charged.length; i += 60) {
    const first = charged[i]!;
    blocks.push({
      start: Temporal.Instant.fromEpochMilliseconds(first.ms)
        .toZonedDateTimeISO(ZONE)
        .toString({ timeZoneName: 'never' }),
      factor: first.percent / 100,
      amountOre: (prices.hourlyRateOre * first.percent) / 100,
      seconds: Math.min(60, charged.length - i) * 60,
    });
  }
  const startFeeOre = callout ? prices.startFeeOre : 0;
  return {
    callout,
    currency: 'SEK',
    startFeeOre,
    blocks,
    totalOre: blocks.reduce((sum, b) => sum + b.amountOre, startFeeOre),
    billableSeconds: billable.length * 60,
    includedSeconds: (billable.length - charged.length) * 60,
  };
}

// Scenarios 1990–2100, minute-aligned; half of the report times on DST days, around Christmas,
// midsummer and Easter, at the hours where the calendar cuts.
const lastSunday = (year: number, month: number) => {
  const last = Temporal.PlainDate.from({ year, month, day: 31 }, { overflow: 'constrain' });
  return last.subtract({ days: last.dayOfWeek % 7 });
};
const arbSpecialInstant = fc
  .record({
    year: fc.integer({ min: 1990, max: 2100 }),
    pick: fc.constantFrom(
      'dst-spring',
      'dst-autumn',
      'dst-autumn-before-1996',
      'dec',
      'jun',
      'easter-season',
    ),
    offset: fc.integer({ min: 0, max: 37 }),
    hour: fc.constantFrom(0, 1, 2, 3, 7, 8, 16, 17, 23),
    minute: fc.constantFrom(0, 1, 30, 59),
  })
  .map(({ year, pick, offset, hour, minute }) => {
    const day =
      pick === 'dst-spring'
        ? lastSunday(year, 3)
        : pick === 'dst-autumn'
          ? lastSunday(year, 10)
          : pick === 'dst-autumn-before-1996'
            ? lastSunday(year, 9)
            : pick === 'dec'
              ? Temporal.PlainDate.from({ year, month: 12, day: 20 }).add({ days: offset % 12 })
              : pick === 'jun'
                ? Temporal.PlainDate.from({ year, month: 6, day: 1 }).add({ days: offset % 27 })
                : Temporal.PlainDate.from({ year, month: 3, day: 20 }).add({ days: offset });
    return day.toPlainDateTime({ hour, minute }).toZonedDateTime(ZONE, { disambiguation: 'compatible' })
      .epochMilliseconds;
  });
const arbAnyInstant = fc
  .integer({ min: Date.UTC(1990, 0, 1) / MINUTE, max: Date.UTC(2100, 11, 28) / MINUTE })
  .map((m) => m * MINUTE);
const arbInstant = fc.oneof(arbAnyInstant, arbSpecialInstant);
const arbWork = (reportedAtMs: number, maxMinutes: number) =>
  fc
    .record({
      after: fc.integer({ min: -30, max: 36 * 60 }),
      minutes: fc.integer({ min: 0, max: maxMinutes }),
      engineer: fc.constantFrom('anna', 'bo', 'cecilia'),
      withinResponsibility: fc.boolean(),
    })
    .map(({ after, minutes, engineer, withinResponsibility }): WorkEntry => {
      const startMs = reportedAtMs + after * MINUTE;
      return { startMs, endMs: startMs + minutes * MINUTE, engineer, withinResponsibility };
    });
const arbScenario = (maxEntries = 4, maxMinutes = 8 * 60) =>
  fc
    .tuple(fc.constantFrom<Tier>(...TIERS), arbInstant)
    .chain(([tier, reportedAtMs]) =>
      fc
        .array(arbWork(reportedAtMs, maxMinutes), { maxLength: maxEntries })
        .map((work): IncidentScenario => ({ tier, reportedAtMs, work })),
    );
const arbTariff = fc
  .record({
    rates: fc.tuple(fc.nat(2000), fc.nat(2000), fc.nat(2000)),
    fees: fc.tuple(fc.nat(10_000), fc.nat(10_000), fc.nat(10_000)),
    includedMinutes: fc.constantFrom(0, 30, 60, 90, 120),
    weekendFactorPercent: fc.constantFrom(100, 150, 200),
  })
  .map(({ rates, fees, includedMinutes, weekendFactorPercent }): Tariff => ({
    ...DEFAULT_TARIFF,
    includedMinutes,
    weekendFactorPercent,
    tiers: {
      hog: { monthlyFeeOre: 0, startFeeOre: fees[0] * 100, hourlyRateOre: rates[0] * 100 },
      incident: { monthlyFeeOre: 0, startFeeOre: fees[1] * 100, hourlyRateOre: rates[1] * 100 },
      none: { monthlyFeeOre: 0, startFeeOre: fees[2] * 100, hourlyRateOre: rates[2] * 100 },
    },
  }));

describe('priceIncident (properties over random scenarios 1990–2100)', () => {
  const calendar = createCalendar();
  const price = (s: IncidentScenario, tariff: Tariff = DEFAULT_TARIFF): IncidentPrice =>
    priceIncident(s, tariff, calendar);

  it('agrees with the minute-by-minute reference (default tariff)', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        expect(price(s)).toEqual(referencePrice(s, DEFAULT_TARIFF));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the minute-by-minute reference (random tariffs, long entries)', () => {
    fc.assert(
      fc.property(arbScenario(2, 30 * 60), arbTariff, (s, tariff) => {
        expect(price(s, tariff)).toEqual(referencePrice(s, tariff));
      }),
      { numRuns: 150 },
    );
  });

  it('never totals below zero, and a callout never costs less than its start fee', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const result = price(s);
        expect(result.totalOre).toBeGreaterThanOrEqual(0);
        if (result.callout)
          expect(result.totalOre).toBeGreaterThanOrEqual(DEFAULT_TARIFF.tiers[s.tier].startFeeOre);
        expect(result.totalOre).toBe(
          result.startFeeOre + result.blocks.reduce((sum, b) => sum + b.amountOre, 0),
        );
        expect(Number.isSafeInteger(result.totalOre)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('adding work never lowers the number of billed blocks', () => {
    fc.assert(
      fc.property(
        arbScenario().chain((s) => arbWork(s.reportedAtMs, 8 * 60).map((extra) => [s, extra] as const)),
        ([s, extra]) => {
          const more = price({ ...s, work: [...s.work, extra] });
          expect(more.blocks.length).toBeGreaterThanOrEqual(price(s).blocks.length);
          expect(more.billableSeconds).toBeGreaterThanOrEqual(price(s).billableSeconds);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splitting the single work entry into two adjacent entries never changes the price', () => {
    fc.assert(
      fc.property(
        arbScenario(1, 30 * 60).filter((s) => s.work.length === 1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, where) => {
          const [entry] = s.work as [WorkEntry];
          const cutMs = entry.startMs + Math.floor((entry.endMs - entry.startMs) * where);
          const split: IncidentScenario = {
            ...s,
            work: [
              { ...entry, endMs: cutMs },
              { ...entry, startMs: cutMs },
            ],
          };
          expect(price(split)).toEqual(price(s));
        },
      ),
      { numRuns: 300 },
    );
  });
});
