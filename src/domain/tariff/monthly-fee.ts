import type { LocalDate } from '../calendar/local-date.js';
import { daysInMonth, epochDayOf, parseLocalDate, parseYearMonth } from '../calendar/local-date.js';
import { invalidField } from '../shared/domain-error.js';
import type { Ore } from '../shared/money.js';
import { divideRoundHalfUp } from '../shared/money.js';

/** The dates an agreement runs: from `startDate` through `endDate` (both inclusive; null: still running). */
export interface AgreementPeriod {
  startDate: LocalDate;
  /** The last day the agreement is active (inclusive), or null/absent while it runs. */
  endDate?: LocalDate | null;
}

/**
 * A monthly fee for a month the agreement is active only part of: fee × activeDays ÷ daysInMonth,
 * rounded half-up to the öre.
 * @example prorateMonthlyFee(210000, 15, 31) // 101613
 */
export function prorateMonthlyFee(feeOre: Ore, activeDays: number, daysInTheMonth: number): Ore {
  if (!Number.isSafeInteger(feeOre) || feeOre < 0)
    invalidField('/feeOre', 'must be a whole number of öre ≥ 0');
  if (!Number.isSafeInteger(daysInTheMonth) || daysInTheMonth < 28 || daysInTheMonth > 31) {
    invalidField('/daysInMonth', 'must be 28–31');
  }
  if (!Number.isSafeInteger(activeDays) || activeDays < 0 || activeDays > daysInTheMonth) {
    invalidField('/activeDays', `must be a whole number 0–${daysInTheMonth}`);
  }
  return divideRoundHalfUp(feeOre * activeDays, daysInTheMonth);
}

/**
 * Days of the month `yearMonth` (`YYYY-MM`) on which the agreement is active (0 when it is not).
 * @example activeDaysInMonth({ startDate: '2026-03-17' }, '2026-03') // 15
 * @example activeDaysInMonth({ startDate: '2025-01-01', endDate: '2026-02-10' }, '2026-02') // 10
 */
export function activeDaysInMonth(agreement: AgreementPeriod, yearMonth: string): number {
  const month = parseYearMonth(yearMonth, '/month');
  const first = epochDayOf({ ...month, day: 1 });
  const last = first + daysInMonth(month.year, month.month) - 1;
  const start = epochDayOf(parseLocalDate(agreement.startDate, '/startDate'));
  const end =
    agreement.endDate === undefined || agreement.endDate === null
      ? Number.POSITIVE_INFINITY
      : epochDayOf(parseLocalDate(agreement.endDate, '/endDate'));
  if (end < start) invalidField('/endDate', 'must not be before startDate');
  return Math.max(0, Math.min(last, end) - Math.max(first, start) + 1);
}

/**
 * The monthly fee due for one month of an agreement, prorated by active days.
 * @example monthlyFeeForMonth(40000, { startDate: '2026-02-15' }, '2026-02') // 20000
 */
export function monthlyFeeForMonth(feeOre: Ore, agreement: AgreementPeriod, yearMonth: string): Ore {
  const { year, month } = parseYearMonth(yearMonth, '/month');
  return prorateMonthlyFee(feeOre, activeDaysInMonth(agreement, yearMonth), daysInMonth(year, month));
}
