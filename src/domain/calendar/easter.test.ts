import { describe, expect, it } from 'vitest';
import { easterSunday } from './easter.js';
import { epochDayOf, isoDayOfWeek } from './local-date.js';

describe('easterSunday', () => {
  it.each([
    [1990, 4, 15],
    [2000, 4, 23],
    [2008, 3, 23],
    [2011, 4, 24],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2038, 4, 25],
    [2049, 4, 18],
    [2100, 3, 28],
  ])('%i: %i-%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let year = 1583; year <= 3000; year++) {
      const easter = easterSunday(year);
      expect(isoDayOfWeek(epochDayOf(easter))).toBe(7);
      const key = easter.month * 100 + easter.day;
      expect(key).toBeGreaterThanOrEqual(322);
      expect(key).toBeLessThanOrEqual(425);
    }
  });

  it('refuses years before the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });
});
