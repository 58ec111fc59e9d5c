import { Temporal } from 'temporal-polyfill';
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

  it('is exact for long intervals (a whole century, cut per day, never per minute)', () => {
    const startMs = at('1990-01-01T00:00:00+01:00');
    const endMs = at('2100-12-31T23:59:59.999+01:00');
    const fresh = createCalendar();
    const pieces = fresh.splitInterval(startMs, endMs);
    expect(fresh.splitInterval(startMs, endMs)).toEqual(pieces); // again, from the cached tables
    const days = (Date.UTC(2101, 0, 1) - Date.UTC(1990, 0, 1)) / 86_400_000;
    expect(pieces).toHaveLength(days * 3);
    expect(pieces.reduce((sum, p) => sum + (p.endMs - p.startMs), 0)).toBe(endMs - startMs);
  });

  it('forEachPiece hands over the same pieces as splitInterval, one by one, and refuses the same', () => {
    const seen: unknown[] = [];
    const startMs = at('2026-10-24T23:00:00+02:00');
    const endMs = at('2026-10-26T09:30:00+01:00');
    calendar.forEachPiece(startMs, endMs, (from, to, office, weekendOrHoliday) => {
      seen.push({ startMs: from, endMs: to, office, weekendOrHoliday });
    });
    expect(seen).toEqual(calendar.splitInterval(startMs, endMs));
    const none = (): void => expect.fail('no piece expected');
    calendar.forEachPiece(startMs, startMs, none);
    expect(() => calendar.forEachPiece(1000, 999, none)).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME' }),
    );
    expect(() => calendar.forEachPiece(Number.NaN, 999, none)).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME' }),
    );
  });

  it('works far from today, and refuses dates and instants outside the Gregorian years 1583–9999', () => {
    expect(calendar.classifyDate('1583-01-01')).toMatchObject({ holidayNames: ['Nyårsdagen'] });
    expect(calendar.classifyDate('9999-12-24')).toMatchObject({ holidayNames: ['Julafton'] });
    expect(calendar.localDateOf(Date.UTC(9999, 11, 30, 12))).toBe('9999-12-30');
    // Local mean time (+00:53:28) in 1850: 12:53:28–17:00 office, then on-call until 18:53:28.
    expect(calendar.splitInterval(Date.UTC(1850, 5, 3, 12), Date.UTC(1850, 5, 3, 18))).toEqual([
      {
        startMs: Date.UTC(1850, 5, 3, 12),
        endMs: Date.UTC(1850, 5, 3, 16, 6, 32),
        office: true,
        weekendOrHoliday: false,
      },
      {
        startMs: Date.UTC(1850, 5, 3, 16, 6, 32),
        endMs: Date.UTC(1850, 5, 3, 18),
        office: false,
        weekendOrHoliday: false,
      },
    ]);
    expect(() => calendar.classifyDate('1582-12-31')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: '/date' })],
      }),
    );
    const invalidTime = expect.objectContaining({ code: 'INVALID_TIME' });
    expect(() => calendar.localDateOf(Date.UTC(1500, 0, 1))).toThrow(invalidTime);
    expect(() => calendar.isOfficeHours(8.7e15)).toThrow(invalidTime);
    expect(() => calendar.splitInterval(0, 8.7e15)).toThrow(invalidTime);
  });

  it('reads configured office hours in a DST gap or overlap as a wall clock would (Temporal "compatible")', () => {
    const night = createCalendar({ officeHours: { start: '02:30', end: '17:00' } });
    const compatible = (date: string, time: string) =>
      Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime('Europe/Stockholm', {
        disambiguation: 'compatible',
      }).epochMilliseconds;
    // Spring: 02:30 does not exist, office starts at 03:30 summer time; autumn: the first 02:30.
    expect(night.dayBoundaries('2026-03-30').officeStartMs).toBe(compatible('2026-03-30', '02:30'));
    expect(night.dayBoundaries('2026-03-29').officeStartMs).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(night.dayBoundaries('2026-03-29').officeStartMs).toBe(compatible('2026-03-29', '02:30'));
    expect(night.dayBoundaries('2026-10-25').officeStartMs).toBe(at('2026-10-25T02:30:00+02:00'));
    expect(night.dayBoundaries('2026-10-25').officeStartMs).toBe(compatible('2026-10-25', '02:30'));
  });
});
