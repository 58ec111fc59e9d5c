import type { Calendar } from '../calendar/calendar.js';
import type { LocalDate } from '../calendar/local-date.js';
import { epochDayOf, parseLocalDate } from '../calendar/local-date.js';
import type { FieldError } from '../shared/domain-error.js';
import { DomainError } from '../shared/domain-error.js';
import type { Ore } from '../shared/money.js';
import type { Tier } from '../shared/tier.js';
import { TIERS } from '../shared/tier.js';

/** The prices of one tier (SPEC.md section 3), all integer öre excluding VAT. */
export interface TierPrices {
  monthlyFeeOre: Ore;
  /** Per callout; covers the first `includedMinutes` of billable work. */
  startFeeOre: Ore;
  hourlyRateOre: Ore;
}

/** One version of the tariff, valid on local dates validFrom ≤ d < validTo (validTo null: open-ended). */
export interface Tariff {
  validFrom: LocalDate;
  validTo: LocalDate | null;
  tiers: Readonly<Record<Tier, TierPrices>>;
  /** Billable minutes a callout's start fee covers. */
  includedMinutes: number;
  /** The weekend/holiday factor as an integer percent (150 = × 1.5), so money stays integer. */
  weekendFactorPercent: number;
  /** Hourly rate of operations work on account (löpande räkning). */
  onAccountRateOre: Ore;
}

/** The price list (price-list.sv.txt) as the one tariff version, valid from 1990 on. */
export const DEFAULT_TARIFF: Tariff = {
  validFrom: '1990-01-01',
  validTo: null,
  tiers: {
    hog: { monthlyFeeOre: 210_000, startFeeOre: 0, hourlyRateOre: 50_000 },
    incident: { monthlyFeeOre: 40_000, startFeeOre: 175_000, hourlyRateOre: 75_000 },
    none: { monthlyFeeOre: 0, startFeeOre: 450_000, hourlyRateOre: 75_000 },
  },
  includedMinutes: 60,
  weekendFactorPercent: 150,
  onAccountRateOre: 75_000,
};

/**
 * The tariff version valid on a local date; VALIDATION_FAILED (naming `path`) when none is, CONFLICT
 * when versions overlap.
 * @example tariffAt([DEFAULT_TARIFF], '2026-12-01') === DEFAULT_TARIFF // true
 */
export function tariffAt(tariffs: readonly Tariff[], date: LocalDate, path = '/date'): Tariff {
  const day = epochDayOf(parseLocalDate(date, path));
  const valid = tariffs.filter(
    (t) =>
      epochDayOf(parseLocalDate(t.validFrom, '/validFrom')) <= day &&
      (t.validTo === null || day < epochDayOf(parseLocalDate(t.validTo, '/validTo'))),
  );
  const [only] = valid;
  if (only === undefined) {
    const message = `no tariff is valid on ${date}`;
    throw new DomainError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
  }
  if (valid.length > 1)
    throw new DomainError('CONFLICT', `${valid.length} tariff versions are valid on ${date}`);
  return only;
}

/**
 * The tariff an incident is priced by: the version valid on the local (Stockholm) date of its report
 * time, whenever the work was done (SPEC.md section 8).
 * @example tariffForReport(tariffs, Date.UTC(2026, 11, 31, 22, 30), calendar) // the 2026 version
 */
export function tariffForReport(
  tariffs: readonly Tariff[],
  reportedAtMs: number,
  calendar: Calendar,
  path = '/reportedAt',
): Tariff {
  return tariffAt(tariffs, calendar.localDateOf(reportedAtMs), path);
}

/**
 * The invoice month (`YYYY-MM`) of an incident: the local month of its report time (SPEC.md section 8).
 * @example invoiceMonthOf(Date.UTC(2026, 10, 30, 23, 30), createCalendar()) // '2026-12' (00:30 local)
 */
export function invoiceMonthOf(reportedAtMs: number, calendar: Calendar): string {
  return calendar.localDateOf(reportedAtMs).slice(0, 7);
}

/**
 * Checks a list of tariff versions (configuration): whole non-negative öre, sane dates, no overlap.
 * Throws VALIDATION_FAILED listing every problem with its path (`/1/tiers/hog/hourlyRateOre`).
 */
export function assertValidTariffs(tariffs: readonly Tariff[]): void {
  const errors: FieldError[] = [];
  const ranges: { from: number; to: number; index: number }[] = [];
  tariffs.forEach((t, index) => {
    const at = `/${index}`;
    const dayOf = (value: unknown, path: string): number | null => {
      try {
        return epochDayOf(parseLocalDate(value, path));
      } catch {
        errors.push({ path, message: 'must be a date as YYYY-MM-DD' });
        return null;
      }
    };
    const from = dayOf(t.validFrom, `${at}/validFrom`);
    const to = t.validTo === null ? Number.POSITIVE_INFINITY : dayOf(t.validTo, `${at}/validTo`);
    if (from !== null && to !== null) {
      if (to <= from) errors.push({ path: `${at}/validTo`, message: 'must be after validFrom' });
      else ranges.push({ from, to, index });
    }
    const wholeOre = (value: unknown, path: string, min = 0): void => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
        errors.push({ path, message: `must be a whole number ≥ ${min}` });
      }
    };
    for (const tier of TIERS) {
      const prices = t.tiers?.[tier];
      if (prices === undefined) {
        errors.push({ path: `${at}/tiers/${tier}`, message: 'is required' });
        continue;
      }
      wholeOre(prices.monthlyFeeOre, `${at}/tiers/${tier}/monthlyFeeOre`);
      wholeOre(prices.startFeeOre, `${at}/tiers/${tier}/startFeeOre`);
      wholeOre(prices.hourlyRateOre, `${at}/tiers/${tier}/hourlyRateOre`);
    }
    wholeOre(t.includedMinutes, `${at}/includedMinutes`);
    wholeOre(t.weekendFactorPercent, `${at}/weekendFactorPercent`, 1);
    wholeOre(t.onAccountRateOre, `${at}/onAccountRateOre`);
  });
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1];
    const current = ranges[i];
    if (previous && current && current.from < previous.to) {
      errors.push({
        path: `/${current.index}/validFrom`,
        message: `overlaps tariff version ${previous.index}`,
      });
    }
  }
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
}
