import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  epochDayOf,
  formatLocalDate,
  isoDayOfWeek,
  localDateOfEpochDay,
  parseLocalDate,
  parseYearMonth,
  tryParseLocalDate,
  ymdOfEpochDay,
} from './local-date.js';

describe('local dates', () => {
  it('counts days from 1970-01-01 and back, agreeing with UTC Date for every day 1900–2200', () => {
    const first = epochDayOf({ year: 1900, month: 1, day: 1 });
    const last = epochDayOf({ year: 2200, month: 12, day: 31 });
    const mismatches: number[] = [];
    for (let day = first; day <= last; day++) {
      const utc = new Date(day * 86_400_000);
      const ymd = { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
      const back = ymdOfEpochDay(day);
      const sameDate = back.year === ymd.year && back.month === ymd.month && back.day === ymd.day;
      const sameWeekday = isoDayOfWeek(day) === (utc.getUTCDay() === 0 ? 7 : utc.getUTCDay());
      if (!sameDate || !sameWeekday || epochDayOf(ymd) !== day) mismatches.push(day);
    }
    expect(mismatches).toEqual([]);
  });

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it('parses only real dates', () => {
    expect(tryParseLocalDate('2026-12-24')).toEqual({ year: 2026, month: 12, day: 24 });
    expect(tryParseLocalDate('2026-02-29')).toBeNull();
    expect(tryParseLocalDate('2026-13-01')).toBeNull();
    expect(tryParseLocalDate('2026-1-01')).toBeNull();
    expect(() => parseLocalDate(20261224, '/from')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: '/from' })],
      }),
    );
    expect(formatLocalDate({ year: 990, month: 1, day: 2 })).toBe('0990-01-02');
    expect(localDateOfEpochDay(0)).toBe('1970-01-01');
  });

  it('parses months', () => {
    expect(parseYearMonth('2026-02', '/m')).toEqual({ year: 2026, month: 2 });
    expect(() => parseYearMonth('2026-13', '/m')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
