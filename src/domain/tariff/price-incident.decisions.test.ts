import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { parseInstant } from '../calendar/instant.js';
import { epochDayOfText, localDateOfEpochDay } from '../calendar/local-date.js';
import { swedishHolidays } from '../calendar/swedish-holidays.js';
import { tierOn } from '../customers/tier-history.js';
import { DomainError } from '../shared/domain-error.js';
import { parseScenario } from './parse-scenario.js';
import type { IncidentPrice } from './price-incident.js';
import { priceIncident } from './price-incident.js';
import type { Tariff } from './tariff.js';
import { DEFAULT_TARIFF, invoiceMonthOf, tariffAt, tariffForReport } from './tariff.js';

// One test per bullet under "Decisions on the cases the price list leaves open" (SPEC.md section 8),
// named after the decision. Times are Stockholm local time; amounts öre.
const calendar = createCalendar();
const at = (text: string) => parseInstant(text, '/t');
type Tier = 'hog' | 'incident' | 'none';
const entry = (start: string, end: string, engineer = 'anna', withinResponsibility = true) => ({
  start,
  end,
  engineer,
  withinResponsibility,
});
const price = (
  tier: Tier,
  reportedAt: string,
  work: ReturnType<typeof entry>[],
  tariff: Tariff = DEFAULT_TARIFF,
): IncidentPrice => priceIncident(parseScenario({ tier, reportedAt, work }), tariff, calendar);
const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('SPEC.md section 8 decisions', () => {
  it('the start fee is never multiplied; the included hour is included whatever its factor', () => {
    // Reported and worked on a Saturday: the start fee is 4 500, not 4 500 × 1.5, and the hour is free.
    expect(
      price('none', '2026-12-05T10:00:00+01:00', [entry('2026-12-05T10:00+01:00', '2026-12-05T11:00+01:00')]),
    ).toMatchObject({
      callout: true,
      startFeeOre: 450_000,
      includedSeconds: 3600,
      blocks: [],
      totalOre: 450_000,
    });
    // Reported on Julafton (a holiday): the start fee is still the plain fee.
    expect(price('incident', '2026-12-24T10:00:00+01:00', []).startFeeOre).toBe(175_000);
    // The included hour takes the first hour of work as it comes, × 1.5 Sunday evening included, and the
    // Monday minutes after it are billed at × 1 (it never skips to the dearer or the cheaper minutes).
    const sundayIntoMonday = price('incident', '2026-12-06T23:30:00+01:00', [
      entry('2026-12-06T23:30+01:00', '2026-12-07T01:00+01:00'),
    ]);
    expect(sundayIntoMonday.includedSeconds).toBe(3600);
    expect(sundayIntoMonday.blocks).toEqual([
      { start: '2026-12-07T00:30:00+01:00', factor: 1, amountOre: 75_000, seconds: 1800 },
    ]);
    expect(sundayIntoMonday.totalOre).toBe(175_000 + 75_000);
    // Conversely a weekday included hour leaves the weekend minutes to blocks at × 1.5.
    const fridayIntoSaturday = price('hog', '2026-12-04T23:00:00+01:00', [
      entry('2026-12-04T23:00+01:00', '2026-12-05T00:30+01:00'),
    ]);
    expect(fridayIntoSaturday.blocks.map((b) => [b.start, b.factor, b.amountOre])).toEqual([
      ['2026-12-05T00:00:00+01:00', 1.5, 75_000],
    ]);
  });

  it('one incident is one callout however many work sessions it has; entries of two engineers at once both count (person-time); the start fee and the included hour are once per incident', () => {
    // Three sessions of one evening: 30 + 30 + 40 = 100 min; one start fee, one included hour (the first
    // two sessions), the third session's 40 min in one block.
    const sessions = price('incident', '2026-12-01T19:10:00+01:00', [
      entry('2026-12-01T19:20+01:00', '2026-12-01T19:50+01:00'),
      entry('2026-12-01T21:00+01:00', '2026-12-01T21:30+01:00'),
      entry('2026-12-01T23:00+01:00', '2026-12-01T23:40+01:00', 'bo'),
    ]);
    expect(sessions).toMatchObject({ startFeeOre: 175_000, includedSeconds: 3600, billableSeconds: 6000 });
    expect(sessions.blocks).toEqual([
      { start: '2026-12-01T23:00:00+01:00', factor: 1, amountOre: 75_000, seconds: 2400 },
    ]);
    expect(sessions.totalOre).toBe(250_000);
    // Anna and Bo both 20:00–21:00: two person-hours, of which one is included.
    const together = price('incident', '2026-12-01T19:10:00+01:00', [
      entry('2026-12-01T20:00+01:00', '2026-12-01T21:00+01:00', 'anna'),
      entry('2026-12-01T20:00+01:00', '2026-12-01T21:00+01:00', 'bo'),
    ]);
    expect(together).toMatchObject({ billableSeconds: 7200, includedSeconds: 3600, totalOre: 250_000 });
    // A new call after the incident is closed is a new incident, priced on its own with its own fee.
    const nextCall = price('incident', '2026-12-02T02:00:00+01:00', [
      entry('2026-12-02T02:00+01:00', '2026-12-02T02:20+01:00'),
    ]);
    expect(nextCall).toMatchObject({ callout: true, startFeeOre: 175_000, totalOre: 175_000 });
  });

  it('half-day eves (trettondagsafton, valborgsmässoafton, allhelgonaafton) are ordinary working days', () => {
    for (let year = 1990; year <= 2100; year++) {
      const allaHelgonsDag = swedishHolidays(year).find((h) => h.name === 'Alla helgons dag')?.date ?? '';
      const allhelgonaafton = localDateOfEpochDay(epochDayOfText(allaHelgonsDag) - 1);
      for (const eve of [`${year}-01-05`, `${year}-04-30`, allhelgonaafton]) {
        const day = calendar.classifyDate(eve);
        expect(day.holidayNames, eve).toEqual([]);
        expect(day.kind, eve).toBe(day.dayOfWeek >= 6 ? 'weekend' : 'office');
      }
      // Alla helgons dag is a Saturday, so allhelgonaafton is always a Friday: a whole working day.
      expect(calendar.classifyDate(allhelgonaafton)).toMatchObject({ dayOfWeek: 5, officeDay: true });
    }
    // Valborgsmässoafton 2026 is a Thursday: a report at 10:00 is no callout, office work within
    // responsibility is covered, and the evening after 17:00 is billed at × 1.
    const valborg = price('incident', '2026-04-30T10:00:00+02:00', [
      entry('2026-04-30T10:00+02:00', '2026-04-30T11:00+02:00'),
      entry('2026-04-30T17:00+02:00', '2026-04-30T17:30+02:00'),
    ]);
    expect(valborg).toMatchObject({
      callout: false,
      startFeeOre: 0,
      billableSeconds: 1800,
      totalOre: 75_000,
    });
    expect(valborg.blocks[0]?.factor).toBe(1);
    // Trettondagsafton 2026 (Monday) and allhelgonaafton 2026 (Friday 30 October), in office hours.
    expect(calendar.isOfficeHours(at('2026-01-05T12:00:00+01:00'))).toBe(true);
    expect(calendar.isOfficeHours(at('2026-10-30T12:00:00+01:00'))).toBe(true);
    const outsideResponsibility = price('hog', '2026-10-30T10:00:00+01:00', [
      entry('2026-10-30T10:00+01:00', '2026-10-30T10:30+01:00', 'anna', false),
    ]);
    expect(outsideResponsibility).toMatchObject({ callout: false, totalOre: 50_000 });
    expect(outsideResponsibility.blocks[0]?.factor).toBe(1);
  });

  it('elapsed real time is what counts: the autumn DST night has an extra hour, the spring one an hour less', () => {
    // 01:30 → 03:30 on the autumn night is three real hours: 1 included + 2 blocks × 1 125 (a Sunday).
    const autumn = price('incident', '2026-10-25T01:30:00+02:00', [
      entry('2026-10-25T01:30+02:00', '2026-10-25T03:30+01:00'),
    ]);
    expect(autumn).toMatchObject({ billableSeconds: 3 * 3600, totalOre: 175_000 + 2 * 112_500 });
    // 01:30 → 03:30 on the spring night is one real hour: all of it inside the included hour.
    const spring = price('incident', '2026-03-29T01:30:00+01:00', [
      entry('2026-03-29T01:30+01:00', '2026-03-29T03:30+02:00'),
    ]);
    expect(spring).toMatchObject({ billableSeconds: 3600, blocks: [], totalOre: 175_000 });
    // The days themselves: a 25-hour and a 23-hour Sunday.
    const length = (date: string) => {
      const { startMs, endMs } = calendar.dayBoundaries(date);
      return (endMs - startMs) / 3_600_000;
    };
    expect([length('2026-10-25'), length('2026-03-29'), length('2026-03-28')]).toEqual([25, 23, 24]);
    // The whole autumn Sunday at tier hog (a callout, start fee 0): 25 real hours, 1 included, 24 blocks.
    const wholeDay = price('hog', '2026-10-24T12:00:00+02:00', [
      entry('2026-10-25T00:00+02:00', '2026-10-26T00:00+01:00'),
    ]);
    expect(wholeDay).toMatchObject({ billableSeconds: 25 * 3600, includedSeconds: 3600 });
    expect(wholeDay.blocks).toHaveLength(24);
  });

  it('a local time given without offset is Stockholm time; one that is ambiguous or does not exist (the two DST nights) is refused with a clear message, never guessed', () => {
    const winter = parseScenario({ tier: 'hog', reportedAt: '2026-12-01T19:10', work: [] });
    const summer = parseScenario({ tier: 'hog', reportedAt: '2026-07-01T19:10:00', work: [] });
    expect(winter.reportedAtMs).toBe(at('2026-12-01T19:10:00+01:00'));
    expect(summer.reportedAtMs).toBe(at('2026-07-01T19:10:00+02:00'));
    // Either side of the changes, a local time is still read without fuss.
    expect(parseInstant('2026-10-25T01:59', '/t')).toBe(at('2026-10-25T01:59+02:00'));
    expect(parseInstant('2026-10-25T03:00', '/t')).toBe(at('2026-10-25T03:00+01:00'));
    expect(parseInstant('2026-03-29T03:00', '/t')).toBe(at('2026-03-29T03:00+02:00'));

    const ambiguous = refusal(() =>
      parseScenario({
        tier: 'incident',
        reportedAt: '2026-10-25T01:00:00+02:00',
        work: [entry('2026-10-25T02:30', '2026-10-25T04:00+01:00')],
      }),
    );
    expect(ambiguous.code).toBe('AMBIGUOUS_LOCAL_TIME');
    expect(ambiguous.errors).toEqual([
      {
        path: '/work/0/start',
        message:
          '2026-10-25T02:30:00 happens twice in Europe/Stockholm (clocks go back); give the offset: ' +
          '2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00',
      },
    ]);
    const nonexistent = refusal(() =>
      parseScenario({ tier: 'none', reportedAt: '2026-03-29T02:15', work: [] }),
    );
    expect(nonexistent.code).toBe('NONEXISTENT_LOCAL_TIME');
    expect(nonexistent.errors).toEqual([
      {
        path: '/reportedAt',
        message:
          '2026-03-29T02:15:00 does not exist in Europe/Stockholm (clocks go forward); give a time with an offset',
      },
    ]);
    expect(nonexistent.message).toContain('/reportedAt');
  });

  it('the pricing function prices the entries it is given (refusing entries over 24 hours or overlapping ones of the same engineer belongs to logging work through the API)', () => {
    // One 30-hour entry, Tuesday 19:00 to Thursday 01:00 at tier hog: Wednesday 08–17 is office time
    // within responsibility; the other 21 hours are billable, 1 included, 20 blocks × 500.
    const long = price('hog', '2026-12-01T19:00:00+01:00', [
      entry('2026-12-01T19:00+01:00', '2026-12-03T01:00+01:00'),
    ]);
    expect(long).toMatchObject({ billableSeconds: 21 * 3600, includedSeconds: 3600, totalOre: 20 * 50_000 });
    expect(long.blocks).toHaveLength(20);
    // The same engineer twice at the same time: both entries are priced as given.
    const overlapping = price('incident', '2026-12-01T19:10:00+01:00', [
      entry('2026-12-01T20:00+01:00', '2026-12-01T21:00+01:00', 'anna'),
      entry('2026-12-01T20:30+01:00', '2026-12-01T21:30+01:00', 'anna'),
    ]);
    expect(overlapping).toMatchObject({ billableSeconds: 7200, totalOre: 250_000 });
    // Only an entry that ends before it starts is refused, as nothing could be priced.
    const backwards = refusal(() =>
      price('hog', '2026-12-01T19:00:00+01:00', [entry('2026-12-01T20:00+01:00', '2026-12-01T19:00+01:00')]),
    );
    expect(backwards.errors).toEqual([{ path: '/work/0/end', message: 'must not be before start' }]);
  });

  it('the invoice month is the month of the report time (local); the tier and tariff are those valid at the report time; invoiced lines are never repriced', () => {
    // 00:30 on 1 December in Stockholm is still 30 November in UTC: the invoice month is December.
    expect(invoiceMonthOf(at('2026-12-01T00:30:00+01:00'), calendar)).toBe('2026-12');
    expect(new Date(at('2026-12-01T00:30:00+01:00')).toISOString().slice(0, 7)).toBe('2026-11');
    // Reported 30 November at 23:50, worked into December: November's invoice.
    expect(invoiceMonthOf(at('2026-11-30T23:50:00+01:00'), calendar)).toBe('2026-11');

    // The tariff changes at New Year and the customer moves from incident to hog; the incident is
    // reported on Nyårsafton and worked on Nyårsdagen: the 2026 tariff and tier price all of it.
    const v2026: Tariff = { ...DEFAULT_TARIFF, validFrom: '1990-01-01', validTo: '2027-01-01' };
    const v2027: Tariff = {
      ...DEFAULT_TARIFF,
      validFrom: '2027-01-01',
      tiers: {
        hog: { monthlyFeeOre: 250_000, startFeeOre: 0, hourlyRateOre: 60_000 },
        incident: { monthlyFeeOre: 50_000, startFeeOre: 200_000, hourlyRateOre: 90_000 },
        none: { monthlyFeeOre: 0, startFeeOre: 500_000, hourlyRateOre: 90_000 },
      },
    };
    const history = [
      { tier: 'incident' as const, validFrom: '2025-01-01', validTo: '2027-01-01' },
      { tier: 'hog' as const, validFrom: '2027-01-01', validTo: null },
    ];
    const reportedAt = '2026-12-31T23:30:00+01:00';
    const work = [entry('2027-01-01T00:00+01:00', '2027-01-01T02:30+01:00')];
    const reportDate = calendar.localDateOf(at(reportedAt));
    const tier = tierOn(history, reportDate);
    const tariff = tariffForReport([v2026, v2027], at(reportedAt), calendar);
    expect([reportDate, tier, tariff]).toEqual(['2026-12-31', 'incident', v2026]);
    expect(tariffAt([v2026, v2027], calendar.localDateOf(at(work[0]!.start)))).toBe(v2027);
    // 1 750 + (150 − 60 min → 2 blocks × 750 × 1.5) by the 2026 tariff, not the 2027 one.
    const priced = price(tier ?? 'none', reportedAt, work, tariff);
    expect(priced.totalOre).toBe(175_000 + 2 * 112_500);
    expect(price('incident', reportedAt, work, v2027).totalOre).toBe(200_000 + 2 * 135_000);
    expect(invoiceMonthOf(at(reportedAt), calendar)).toBe('2026-12');

    // Never repriced: pricing is a function of the scenario, the tariff version and the calendar only,
    // so a later tariff version (or pricing again later) gives the same price; issued invoices keep
    // their stored lines (the invoicing use case, outside the pure domain).
    const v2028: Tariff = { ...v2027, validFrom: '2028-01-01', validTo: null };
    const laterList = [v2026, { ...v2027, validTo: '2028-01-01' }, v2028];
    expect(
      price(tier ?? 'none', reportedAt, work, tariffForReport(laterList, at(reportedAt), calendar)),
    ).toEqual(priced);
  });
});
