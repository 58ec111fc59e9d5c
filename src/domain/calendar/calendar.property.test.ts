import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.js';
import { REFERENCE_ZONE, referenceClass, referenceWallClock } from './reference-classifier.test-support.js';

// The slow reference classifier (Temporal + date-holidays) lives in reference-classifier.test-support.ts.
const MINUTE = 60_000;
const HOUR = 3_600_000;
const ZONE = REFERENCE_ZONE;
const wallClock = referenceWallClock;
const reference = referenceClass;
const isCut = (ms: number) => ms % HOUR === 0 && [0, 8, 17].includes(wallClock(ms).hour);

// Instants 1990–2100, minute-aligned, half of them on DST days, holidays and near the cut hours.
const lastSunday = (year: number, month: number) => {
  const last = Temporal.PlainDate.from({ year, month, day: 31 }, { overflow: 'constrain' });
  return last.subtract({ days: last.dayOfWeek % 7 });
};
const arbSpecialDay = fc
  .record({
    year: fc.integer({ min: 1990, max: 2100 }),
    pick: fc.constantFrom(
      'dst-spring',
      'dst-autumn',
      'dst-autumn-before-1996',
      'dec',
      'jun',
      'easter-season',
    ),
    offset: fc.integer({ min: 0, max: 37 }),
  })
  .map(({ year, pick, offset }) => {
    if (pick === 'dst-spring') return lastSunday(year, 3);
    if (pick === 'dst-autumn') return lastSunday(year, 10);
    if (pick === 'dst-autumn-before-1996') return lastSunday(year, 9);
    if (pick === 'dec')
      return Temporal.PlainDate.from({ year, month: 12, day: 20 }).add({ days: offset % 12 });
    if (pick === 'jun') return Temporal.PlainDate.from({ year, month: 6, day: 1 }).add({ days: offset % 27 });
    return Temporal.PlainDate.from({ year, month: 3, day: 20 }).add({ days: offset });
  });
const arbSpecialInstant = fc
  .record({
    day: arbSpecialDay,
    hour: fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 12, 16, 17, 22, 23),
    minute: fc.constantFrom(0, 1, 30, 59),
  })
  .map(
    ({ day, hour, minute }) =>
      day.toPlainDateTime({ hour, minute }).toZonedDateTime(ZONE, { disambiguation: 'compatible' })
        .epochMilliseconds,
  );
const arbAnyInstant = fc
  .integer({ min: Date.UTC(1990, 0, 1) / MINUTE, max: Date.UTC(2100, 11, 30) / MINUTE })
  .map((m) => m * MINUTE);
const arbInstant = fc.oneof(arbAnyInstant, arbSpecialInstant);
const arbInterval = fc
  .tuple(arbInstant, fc.integer({ min: 0, max: 3 * 24 * 60 }))
  .map(([startMs, minutes]) => ({ startMs, endMs: startMs + minutes * MINUTE }));

describe('splitInterval (properties, 1990–2100)', () => {
  const calendar = createCalendar();

  it('pieces are in order, contiguous and add up exactly to the real duration', () => {
    fc.assert(
      fc.property(arbInterval, ({ startMs, endMs }) => {
        const pieces = calendar.splitInterval(startMs, endMs);
        let at = startMs;
        for (const p of pieces) {
          expect(p.startMs).toBe(at);
          expect(p.endMs).toBeGreaterThan(p.startMs);
          at = p.endMs;
        }
        expect(at).toBe(endMs);
        expect(pieces.reduce((sum, p) => sum + (p.endMs - p.startMs), 0)).toBe(endMs - startMs);
      }),
      { numRuns: 500 },
    );
  });

  it('every minute of every piece is classified as the reference says, cut exactly at 00:00, 08:00, 17:00', () => {
    fc.assert(
      fc.property(arbInterval, ({ startMs, endMs }) => {
        calendar.splitInterval(startMs, endMs).forEach((p, index) => {
          if (index > 0) expect(isCut(p.startMs)).toBe(true);
          for (let m = p.startMs; m < p.endMs; m += MINUTE) {
            const want = reference(m);
            if (want.office !== p.office || want.weekendOrHoliday !== p.weekendOrHoliday) {
              expect.fail(
                `${new Date(m).toISOString()}: piece ${JSON.stringify(p)} vs ${JSON.stringify(want)}`,
              );
            }
            if (m > p.startMs && isCut(m)) expect.fail(`missing cut at ${new Date(m).toISOString()}`);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('forEachPiece visits exactly the pieces splitInterval returns, with a fresh calendar too', () => {
    fc.assert(
      fc.property(arbInterval, ({ startMs, endMs }) => {
        const visited: unknown[] = [];
        createCalendar().forEachPiece(startMs, endMs, (from, to, office, weekendOrHoliday) =>
          visited.push({ startMs: from, endMs: to, office, weekendOrHoliday }),
        );
        expect(visited).toEqual(calendar.splitInterval(startMs, endMs));
      }),
      { numRuns: 200 },
    );
  });

  it('isOfficeHours, isOnCallTime and isWeekendOrHoliday agree with the reference at any millisecond', () => {
    fc.assert(
      fc.property(arbInstant, fc.integer({ min: -MINUTE + 1, max: MINUTE - 1 }), (minute, jitter) => {
        const ms = minute + jitter;
        const want = reference(ms);
        expect(calendar.isOfficeHours(ms)).toBe(want.office);
        expect(calendar.isOnCallTime(ms)).toBe(!want.office);
        expect(calendar.isWeekendOrHoliday(ms)).toBe(want.weekendOrHoliday);
        expect(calendar.localDateOf(ms)).toBe(wallClock(ms).date);
      }),
      { numRuns: 2000 },
    );
  });
});
