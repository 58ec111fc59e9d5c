import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.js';
import { formatInstant, parseInstant } from './instant.js';

const HOUR = 3_600_000;
const at = (text: string) => parseInstant(text, '/t');
const calendar = createCalendar();
const show = (pieces: ReturnType<typeof calendar.splitInterval>) =>
  pieces.map((p) => ({
    from: formatInstant(p.startMs),
    to: formatInstant(p.endMs),
    hours: (p.endMs - p.startMs) / HOUR,
    office: p.office,
    weekendOrHoliday: p.weekendOrHoliday,
  }));

describe('classifyDate', () => {
  it('tells office days, weekends and holidays apart, naming the holiday', () => {
    expect(calendar.classifyDate('2026-12-01')).toEqual({
      date: '2026-12-01',
      dayOfWeek: 2,
      kind: 'office',
      holidayNames: [],
      weekendOrHoliday: false,
      officeDay: true,
    });
    expect(calendar.classifyDate('2026-12-05')).toMatchObject({
      kind: 'weekend',
      dayOfWeek: 6,
      officeDay: false,
    });
    expect(calendar.classifyDate('2026-12-24')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Julafton'],
    });
    expect(calendar.classifyDate('2027-03-26')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Långfredagen'],
    });
    expect(calendar.classifyDate('2027-06-25')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Midsommarafton'],
    });
  });

  it('calls a holiday on a weekend a holiday', () => {
    expect(calendar.classifyDate('2026-12-26')).toMatchObject({
      kind: 'holiday',
      dayOfWeek: 6,
      holidayNames: ['Annandag jul'],
      weekendOrHoliday: true,
    });
  });

  it('treats half-day eves as ordinary working days', () => {
    for (const eve of ['2026-01-05', '2026-04-30', '2026-10-30']) {
      expect(calendar.classifyDate(eve).kind).toBe('office');
    }
  });

  it('follows the 2005 law change: Annandag pingst before, Nationaldagen after', () => {
    expect(calendar.classifyDate('2004-05-31')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Annandag pingst'],
    });
    expect(calendar.classifyDate('2004-06-07').kind).toBe('office'); // the Monday after 6 June 2004 (a Sunday)
    expect(calendar.classifyDate('2010-06-07').kind).toBe('office');
    expect(calendar.classifyDate('2025-06-09').kind).toBe('office'); // Annandag pingst 2025
    expect(calendar.classifyDate('2025-06-06')).toMatchObject({ holidayNames: ['Sveriges nationaldag'] });
  });

  it('adds configured extra closed days as holidays', () => {
    const withKlamdag = createCalendar({
      extraClosedDays: ['2026-05-15', { date: '2026-01-02', name: 'Klämdag' }],
    });
    expect(withKlamdag.classifyDate('2026-05-15')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Extra stängd dag'],
    });
    expect(withKlamdag.classifyDate('2026-01-02')).toMatchObject({
      kind: 'holiday',
      holidayNames: ['Klämdag'],
    });
    expect(withKlamdag.isOfficeHours(at('2026-05-15T10:00:00+02:00'))).toBe(false);
    expect(withKlamdag.isWeekendOrHoliday(at('2026-05-15T10:00:00+02:00'))).toBe(true);
    expect(calendar.classifyDate('2026-05-15').kind).toBe('office');
  });

  it('refuses bad options and bad dates, naming the field', () => {
    const failing = (path: string) =>
      expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path })] });
    expect(() => createCalendar({ extraClosedDays: ['2026-05-15', '2026-02-30'] })).toThrow(
      failing('/extraClosedDays/1'),
    );
    expect(() => createCalendar({ extraClosedDays: [{ date: 'x' }] })).toThrow(
      failing('/extraClosedDays/0/date'),
    );
    expect(() => createCalendar({ officeHours: { start: '8:00', end: '17:00' } })).toThrow(
      failing('/officeHours/start'),
    );
    expect(() => createCalendar({ officeHours: { start: '17:00', end: '08:00' } })).toThrow(
      failing('/officeHours/end'),
    );
    expect(() => calendar.classifyDate('2026-12-32')).toThrow(failing('/date'));
  });
});

describe('office hours and on-call time', () => {
  it('office hours are Monday–Friday 08:00 (inclusive) to 17:00 (exclusive)', () => {
    expect(calendar.isOfficeHours(at('2026-12-01T07:59:59.999+01:00'))).toBe(false);
    expect(calendar.isOfficeHours(at('2026-12-01T08:00:00+01:00'))).toBe(true);
    expect(calendar.isOfficeHours(at('2026-12-01T16:59:59.999+01:00'))).toBe(true);
    expect(calendar.isOfficeHours(at('2026-12-01T17:00:00+01:00'))).toBe(false);
    expect(calendar.isOfficeHours(at('2026-12-05T10:00:00+01:00'))).toBe(false);
    expect(calendar.isOfficeHours(at('2026-12-24T10:00:00+01:00'))).toBe(false);
  });

  it('on-call time is every moment that is not office hours', () => {
    for (let ms = at('2026-12-20T00:00:00+01:00'); ms < at('2027-01-10T00:00:00+01:00'); ms += 15 * 60_000) {
      if (calendar.isOnCallTime(ms) === calendar.isOfficeHours(ms)) expect.fail(formatInstant(ms));
    }
  });

  it('classifies by Stockholm local time, not UTC (23:30 UTC Friday is Saturday in Stockholm)', () => {
    expect(calendar.localDateOf(Date.UTC(2026, 11, 4, 23, 30))).toBe('2026-12-05');
    expect(calendar.isWeekendOrHoliday(Date.UTC(2026, 11, 4, 23, 30))).toBe(true);
    expect(calendar.localDateOf(Date.UTC(2026, 6, 3, 22, 30))).toBe('2026-07-04');
  });

  it('office hours can be configured', () => {
    const early = createCalendar({ officeHours: { start: '07:00', end: '16:00' } });
    expect(early.isOfficeHours(at('2026-12-01T07:30:00+01:00'))).toBe(true);
    expect(early.isOfficeHours(at('2026-12-01T16:30:00+01:00'))).toBe(false);
    expect(
      early.splitInterval(at('2026-12-01T06:00:00+01:00'), at('2026-12-01T17:00:00+01:00')),
    ).toHaveLength(3);
  });
});

describe('day boundaries and splitInterval', () => {
  it('gives the boundaries of an ordinary day', () => {
    expect(calendar.dayBoundaries('2026-12-01')).toEqual({
      startMs: at('2026-12-01T00:00:00+01:00'),
      officeStartMs: at('2026-12-01T08:00:00+01:00'),
      officeEndMs: at('2026-12-01T17:00:00+01:00'),
      endMs: at('2026-12-02T00:00:00+01:00'),
    });
  });

  it('splits the 25-hour Sunday of the autumn change with its real durations', () => {
    const { startMs, endMs } = calendar.dayBoundaries('2026-10-25');
    expect(endMs - startMs).toBe(25 * HOUR);
    expect(show(calendar.splitInterval(startMs, endMs))).toEqual([
      {
        from: '2026-10-25T00:00:00+02:00',
        to: '2026-10-25T08:00:00+01:00',
        hours: 9,
        office: false,
        weekendOrHoliday: true,
      },
      {
        from: '2026-10-25T08:00:00+01:00',
        to: '2026-10-25T17:00:00+01:00',
        hours: 9,
        office: false,
        weekendOrHoliday: true,
      },
      {
        from: '2026-10-25T17:00:00+01:00',
        to: '2026-10-26T00:00:00+01:00',
        hours: 7,
        office: false,
        weekendOrHoliday: true,
      },
    ]);
  });

  it('splits the 23-hour Sunday of the spring change with its real durations', () => {
    const { startMs, endMs } = calendar.dayBoundaries('2026-03-29');
    expect(endMs - startMs).toBe(23 * HOUR);
    expect(show(calendar.splitInterval(startMs, endMs)).map((p) => [p.from, p.hours])).toEqual([
      ['2026-03-29T00:00:00+01:00', 7],
      ['2026-03-29T08:00:00+02:00', 9],
      ['2026-03-29T17:00:00+02:00', 7],
    ]);
  });

  it('splits across the DST night and into a working Monday', () => {
    const pieces = show(
      calendar.splitInterval(at('2026-10-24T23:00:00+02:00'), at('2026-10-26T09:30:00+01:00')),
    );
    expect(pieces.map((p) => [p.from, p.hours, p.office, p.weekendOrHoliday])).toEqual([
      ['2026-10-24T23:00:00+02:00', 1, false, true],
      ['2026-10-25T00:00:00+02:00', 9, false, true],
      ['2026-10-25T08:00:00+01:00', 9, false, true],
      ['2026-10-25T17:00:00+01:00', 7, false, true],
      ['2026-10-26T00:00:00+01:00', 8, false, false],
      ['2026-10-26T08:00:00+01:00', 1.5, true, false],
    ]);
  });

  it('gives no pieces for an empty interval and refuses a backwards one', () => {
    expect(calendar.splitInterval(1000, 1000)).toEqual([]);
    expect(() => calendar.splitInterval(1000, 999)).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME' }),
    );
    expect(() => calendar.splitInterval(0.5, 999)).toThrow(expect.objectContaining({ code: 'INVALID_TIME' }));
  });

  it('is fast and exact for long intervals (a whole century, cut per day, never per minute)', () => {
    const startMs = at('1990-01-01T00:00:00+01:00');
    const endMs = at('2100-12-31T23:59:59.999+01:00');
    const fresh = createCalendar();
    const began = performance.now();
    const pieces = fresh.splitInterval(startMs, endMs);
    const again = performance.now();
    fresh.splitInterval(startMs, endMs);
    const cachedMs = performance.now() - again;
    // About 1 s cold (one Temporal call per day) and 0.2 s cached on a laptop; generous bounds for CI.
    expect(again - began).toBeLessThan(8000);
    expect(cachedMs).toBeLessThan(1500);
    const days = (Date.UTC(2101, 0, 1) - Date.UTC(1990, 0, 1)) / 86_400_000;
    expect(pieces).toHaveLength(days * 3);
    expect(pieces.reduce((sum, p) => sum + (p.endMs - p.startMs), 0)).toBe(endMs - startMs);
  });
});
