import type { LocalDate } from '../calendar/local-date.js';
import {
  daysInMonth,
  epochDayOf,
  formatLocalDate,
  parseYearMonth,
  ymdOfEpochDay,
} from '../calendar/local-date.js';
import { invalidField } from '../shared/domain-error.js';

/** A billing month: `YYYY-MM` with its first and last local dates. */
export interface InvoiceMonth {
  month: string;
  firstDay: LocalDate;
  lastDay: LocalDate;
  /** The first day of the following month (exclusive end). */
  nextFirstDay: LocalDate;
  days: number;
}

/**
 * Parses `YYYY-MM` into its dates; VALIDATION_FAILED naming `path` when malformed.
 * @example invoiceMonth('2026-02').lastDay // '2026-02-28'
 */
export function invoiceMonth(value: unknown, path = '/month'): InvoiceMonth {
  const { year, month } = parseYearMonth(value, path);
  const days = daysInMonth(year, month);
  const first = epochDayOf({ year, month, day: 1 });
  return {
    month: value as string,
    firstDay: formatLocalDate({ year, month, day: 1 }),
    lastDay: formatLocalDate({ year, month, day: days }),
    nextFirstDay: formatLocalDate(ymdOfEpochDay(first + days)),
    days,
  };
}

/**
 * A month that may be invoiced: well-formed and over (its last day lies before `today`, the local date
 * now). The current month and future months are refused, naming `path`.
 * @example endedInvoiceMonth('2026-11', '2026-12-01').month // '2026-11'
 * @example endedInvoiceMonth('2026-12', '2026-12-01') // throws VALIDATION_FAILED: has not ended yet
 */
export function endedInvoiceMonth(value: unknown, today: LocalDate, path = '/month'): InvoiceMonth {
  const month = invoiceMonth(value, path);
  if (month.nextFirstDay > today) {
    invalidField(
      path,
      month.firstDay > today
        ? `${month.month} lies in the future; only a month that has ended can be invoiced`
        : `${month.month} has not ended yet; it can be invoiced from ${month.nextFirstDay}`,
    );
  }
  if (month.month < '1990-01') invalidField(path, 'must be 1990-01 or later');
  return month;
}

/**
 * Adds days to a local date.
 * @example addDays('2026-12-01', 30) // '2026-12-31'
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatLocalDate(ymdOfEpochDay(epochDayOf({ year: y, month: m, day: d }) + days));
}
