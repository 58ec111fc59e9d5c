import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  mondayOf,
  stockholmMidnight,
  stockholmParts,
  toLocalDate,
  toLocalInput,
} from './time';

describe('Stockholm time in the browser', () => {
  it('gives the wall clock of an instant in winter and summer', () => {
    expect(toLocalInput(Date.parse('2026-12-01T11:00:00Z'))).toBe('2026-12-01T12:00');
    expect(toLocalInput(Date.parse('2026-07-01T11:00:00Z'))).toBe('2026-07-01T13:00');
    expect(toLocalDate(Date.parse('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
  });

  it('finds midnight on the days the clocks change, and across month ends', () => {
    // 2026-03-29 and 2026-10-25 are the change days; midnight itself is unaffected (+01:00 / +02:00).
    expect(new Date(stockholmMidnight(2026, 3, 29)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(stockholmMidnight(2026, 3, 30)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(stockholmMidnight(2026, 10, 25)).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(stockholmMidnight(2026, 10, 26)).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(stockholmMidnight(2026, 12, 32)).toBe(stockholmMidnight(2027, 1, 1));
    // The night the clocks go back has a 25-hour day.
    expect(stockholmMidnight(2026, 10, 26) - stockholmMidnight(2026, 10, 25)).toBe(25 * 3_600_000);
  });

  it("finds the week's Monday in Stockholm, also late on a Sunday evening UTC", () => {
    expect(mondayOf(Date.parse('2026-12-03T12:00:00Z'))).toEqual([2026, 11, 30]);
    expect(mondayOf(Date.parse('2026-12-06T23:30:00Z'))).toEqual([2026, 12, 7]); // Monday 00:30 local
    expect(mondayOf(Date.parse('2027-01-01T12:00:00Z'))).toEqual([2026, 12, 28]);
    expect(stockholmParts(stockholmMidnight(...mondayOf(Date.parse('2026-12-03T12:00:00Z'))))).toMatchObject({
      day: 30,
      hour: 0,
    });
  });

  it('formats countdowns as m:ss and h:mm:ss', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(-65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
