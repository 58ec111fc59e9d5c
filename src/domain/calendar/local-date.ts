import { invalidField } from '../shared/domain-error.js';

/** A calendar date in local (Stockholm) time as ISO text, e.g. `2026-12-24`. */
export type LocalDate = string;

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export type IsoDayOfWeek = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Year, month (1–12) and day (1–31) of a local date. */
export interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Number of days in a month (month 1–12).
 * @example daysInMonth(2028, 2) // 29
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (integer arithmetic, no zone involved).
 * @example epochDayOf({ year: 1970, month: 1, day: 2 }) // 1
 */
export function epochDayOf({ year, month, day }: YearMonthDay): number {
  // Howard Hinnant's days_from_civil: years start in March so the leap day is the year's last day.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date `epochDay` days after 1970-01-01 (inverse of `epochDayOf`). */
export function ymdOfEpochDay(epochDay: number): YearMonthDay {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * ISO day of the week of an epoch day.
 * @example isoDayOfWeek(0) // 4 (1970-01-01 was a Thursday)
 */
export function isoDayOfWeek(epochDay: number): IsoDayOfWeek {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as IsoDayOfWeek;
}

/** Formats a date as `YYYY-MM-DD`. */
export function formatLocalDate({ year, month, day }: YearMonthDay): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD` into its parts, or returns null when it is not a real date. */
export function tryParseLocalDate(text: string): YearMonthDay | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Parses `YYYY-MM-DD`, throwing VALIDATION_FAILED naming `path` when it is not a real date. */
export function parseLocalDate(value: unknown, path: string): YearMonthDay {
  const parsed = typeof value === 'string' ? tryParseLocalDate(value) : null;
  if (!parsed) invalidField(path, 'must be a date as YYYY-MM-DD');
  return parsed;
}

/** Epoch day of a `YYYY-MM-DD` text, throwing VALIDATION_FAILED naming `path` when invalid. */
export function epochDayOfText(text: string, path = '/date'): number {
  return epochDayOf(parseLocalDate(text, path));
}

/** The `YYYY-MM-DD` text of an epoch day. */
export function localDateOfEpochDay(epochDay: number): LocalDate {
  return formatLocalDate(ymdOfEpochDay(epochDay));
}

/**
 * Parses a month as `YYYY-MM`, throwing VALIDATION_FAILED naming `path` when invalid.
 * @example parseYearMonth('2026-02', '/month') // { year: 2026, month: 2 }
 */
export function parseYearMonth(value: unknown, path: string): { year: number; month: number } {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) invalidField(path, 'must be a month as YYYY-MM');
  return { year: Number(match[1]), month };
}
