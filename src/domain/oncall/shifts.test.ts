import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../calendar/instant.js';
import type { Rotation } from './roster.js';
import { firstShiftStartMs, rotationShifts, shiftIndexAt, shiftStartMs } from './shifts.js';

const HOUR = 3_600_000;
const ZONE = 'Europe/Stockholm';
const at = (text: string) => parseInstant(text, '/t');
const rotation = (overrides: Partial<Rotation>): Rotation => ({
  id: 'r1',
  role: 'primary',
  engineerIds: ['anna', 'bo', 'cia'],
  startMs: at('2026-01-05T08:00:00+01:00'),
  shiftHours: 168,
  ...overrides,
});
const show = (r: Rotation, fromText: string, toText: string) =>
  rotationShifts(r, at(fromText), at(toText)).map((s) => ({
    from: formatInstant(s.startMs),
    to: formatInstant(s.endMs),
    hours: (s.endMs - s.startMs) / HOUR,
    engineer: s.engineerId,
  }));

describe('weekly Monday 08:00 shifts across the DST changes of 2026 and 2027', () => {
  const weekly = rotation({});
  const withHandover = rotation({ startMs: at('2026-01-05T00:00:00+01:00'), handover: '08:00' });

  it.each([
    ['2026-03-23', '2026-03-23T08:00:00+01:00', '2026-03-30T08:00:00+02:00', 167],
    ['2026-10-19', '2026-10-19T08:00:00+02:00', '2026-10-26T08:00:00+01:00', 169],
    ['2027-03-22', '2027-03-22T08:00:00+01:00', '2027-03-29T08:00:00+02:00', 167],
    ['2027-10-25', '2027-10-25T08:00:00+02:00', '2027-11-01T08:00:00+01:00', 169],
  ])('the week from %s lasts %s → %s, %i real hours', (day, from, to, hours) => {
    for (const r of [weekly, withHandover]) {
      const [shift] = rotationShifts(r, at(`${day}T12:00:00`), at(`${day}T12:00:01`));
      expect(shift && formatInstant(shift.startMs)).toBe(from);
      expect(shift && formatInstant(shift.endMs)).toBe(to);
      expect(shift && (shift.endMs - shift.startMs) / HOUR).toBe(hours);
    }
  });

  it('ordinary weeks last 168 hours and the engineers take turns', () => {
    expect(show(weekly, '2026-01-05T08:00:00+01:00', '2026-01-26T08:00:00+01:00')).toEqual([
      { from: '2026-01-05T08:00:00+01:00', to: '2026-01-12T08:00:00+01:00', hours: 168, engineer: 'anna' },
      { from: '2026-01-12T08:00:00+01:00', to: '2026-01-19T08:00:00+01:00', hours: 168, engineer: 'bo' },
      { from: '2026-01-19T08:00:00+01:00', to: '2026-01-26T08:00:00+01:00', hours: 168, engineer: 'cia' },
    ]);
  });
});

describe('daily 12-hour shifts at 08:00 and 20:00', () => {
  const twelve = rotation({ startMs: at('2026-01-01T08:00:00+01:00'), shiftHours: 12 });

  it.each([
    ['2026-03-28T08:00:00+01:00', '2026-03-30T08:00:00+02:00', 11],
    ['2026-10-24T08:00:00+02:00', '2026-10-26T08:00:00+01:00', 13],
    ['2027-03-27T08:00:00+01:00', '2027-03-29T08:00:00+02:00', 11],
    ['2027-10-30T08:00:00+02:00', '2027-11-01T08:00:00+01:00', 13],
  ])('stay at local 08:00/20:00 from %s (the DST night lasts %i hours)', (from, to, night) => {
    const shifts = show(twelve, from, to);
    expect(shifts).toHaveLength(4);
    for (const s of shifts) expect(s.from.slice(11, 16)).toMatch(/^(08|20):00$/);
    expect(shifts.map((s) => s.hours)).toEqual([12, night, 12, 12]);
  });
});

describe('hand-over times and DST nights', () => {
  it('a hand-over at 02:30 on the spring night, which does not exist, is moved forward by the gap', () => {
    const r = rotation({ startMs: at('2026-03-29T00:00:00+01:00'), handover: '02:30' });
    expect(formatInstant(firstShiftStartMs(r))).toBe('2026-03-29T03:30:00+02:00');
    expect(formatInstant(shiftStartMs(r, 1))).toBe('2026-04-05T02:30:00+02:00');
  });

  it('a hand-over at 02:30 on the autumn night, which happens twice, is the earlier one', () => {
    const r = rotation({ startMs: at('2027-10-31T12:00:00+01:00'), handover: '02:30' });
    expect(formatInstant(firstShiftStartMs(r))).toBe('2027-10-31T02:30:00+02:00');
    expect(formatInstant(shiftStartMs(r, 1))).toBe('2027-11-07T02:30:00+01:00');
  });

  it('with a hand-over, the first shift starts at that time on the local date of start, even before start', () => {
    const r = rotation({ startMs: at('2026-12-07T15:00:00+01:00'), handover: '08:00' });
    expect(formatInstant(firstShiftStartMs(r))).toBe('2026-12-07T08:00:00+01:00');
    // The local date, not the UTC date: 00:30 Stockholm is the previous day in UTC.
    const night = rotation({ startMs: at('2026-12-07T00:30:00+01:00'), handover: '08:00' });
    expect(formatInstant(firstShiftStartMs(night))).toBe('2026-12-07T08:00:00+01:00');
  });

  it('without a hand-over, the first shift starts at start itself, even the second 02:30 of the autumn night', () => {
    const r = rotation({ startMs: at('2026-10-25T02:30:00+01:00'), shiftHours: 1 });
    expect(show(r, '2026-10-25T02:30:00+01:00', '2026-10-25T04:00:00+01:00').map((s) => s.from)).toEqual([
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T03:30:00+01:00',
    ]);
  });

  it('hourly shifts skip the hour the spring night does not have, and the autumn night has a two-hour one', () => {
    const hourly = rotation({
      startMs: at('2026-01-01T00:00:00+01:00'),
      shiftHours: 1,
      engineerIds: ['a', 'b'],
    });
    expect(show(hourly, '2026-03-29T01:00:00+01:00', '2026-03-29T04:00:00+02:00')).toEqual([
      { from: '2026-03-29T01:00:00+01:00', to: '2026-03-29T03:00:00+02:00', hours: 1, engineer: 'b' },
      // the 02:00 shift (engineer 'a') has no real time
      { from: '2026-03-29T03:00:00+02:00', to: '2026-03-29T04:00:00+02:00', hours: 1, engineer: 'b' },
    ]);
    expect(show(hourly, '2026-10-25T01:00:00+02:00', '2026-10-25T04:00:00+01:00')).toEqual([
      { from: '2026-10-25T01:00:00+02:00', to: '2026-10-25T02:00:00+02:00', hours: 1, engineer: 'b' },
      { from: '2026-10-25T02:00:00+02:00', to: '2026-10-25T03:00:00+01:00', hours: 2, engineer: 'a' },
      { from: '2026-10-25T03:00:00+01:00', to: '2026-10-25T04:00:00+01:00', hours: 1, engineer: 'b' },
    ]);
  });
});

describe('rotationShifts', () => {
  it('gives whole shifts overlapping the window, cut only at the rotation end', () => {
    const r = rotation({ endMs: at('2026-01-15T12:00:00+01:00') });
    expect(show(r, '2026-01-10T00:00:00+01:00', '2026-02-01T00:00:00+01:00')).toEqual([
      { from: '2026-01-05T08:00:00+01:00', to: '2026-01-12T08:00:00+01:00', hours: 168, engineer: 'anna' },
      { from: '2026-01-12T08:00:00+01:00', to: '2026-01-15T12:00:00+01:00', hours: 76, engineer: 'bo' },
    ]);
    expect(show(r, '2025-12-01T00:00:00+01:00', '2026-01-05T08:00:00+01:00')).toEqual([]);
    expect(show(r, '2026-01-15T12:00:00+01:00', '2026-03-01T00:00:00+01:00')).toEqual([]);
  });

  it('jumps straight to a shift a century after the start (no iteration from the start)', () => {
    const hourly = rotation({ startMs: at('1990-01-01T00:00:00+01:00'), shiftHours: 1 });
    const began = performance.now();
    const t = at('2100-06-15T12:34:56+02:00');
    const k = shiftIndexAt(hourly, t);
    expect(shiftStartMs(hourly, k)).toBeLessThanOrEqual(t);
    expect(shiftStartMs(hourly, k + 1)).toBeGreaterThan(t);
    expect(formatInstant(shiftStartMs(hourly, k))).toBe('2100-06-15T12:00:00+02:00');
    const year = rotationShifts(hourly, at('2099-01-01T00:00:00+01:00'), at('2100-01-01T00:00:00+01:00'));
    expect(year).toHaveLength(8760 - 1); // the spring night's missing hour gives an empty shift
    expect(year.reduce((sum, s) => sum + s.endMs - s.startMs, 0)).toBe(8760 * HOUR);
    expect(performance.now() - began).toBeLessThan(2000);
  });

  it('is -1 before the first shift', () => {
    expect(shiftIndexAt(rotation({}), at('2026-01-05T07:59:59.999+01:00'))).toBe(-1);
    expect(shiftIndexAt(rotation({}), at('2026-01-05T08:00:00+01:00'))).toBe(0);
  });
});

// The reference: Temporal arithmetic on PlainDateTime, resolved 'compatible', for every shift start.
function referenceStart(r: Rotation, k: number): number {
  const zoned = Temporal.Instant.fromEpochMilliseconds(r.startMs).toZonedDateTimeISO(ZONE);
  if (r.handover == null && k === 0) return r.startMs;
  const base =
    r.handover == null
      ? zoned.toPlainDateTime()
      : zoned.toPlainDate().toPlainDateTime(Temporal.PlainTime.from(r.handover));
  const local =
    r.shiftHours % 24 === 0
      ? base.add({ days: (k * r.shiftHours) / 24 })
      : base.add({ hours: k * r.shiftHours });
  return local.toZonedDateTime(ZONE, { disambiguation: 'compatible' }).epochMilliseconds;
}

const lastSunday = (year: number, month: number) => {
  const last = Temporal.PlainDate.from({ year, month, day: 31 }, { overflow: 'constrain' });
  return last.subtract({ days: last.dayOfWeek % 7 });
};
const arbStartMs = fc.oneof(
  fc
    .integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2100, 0, 1) / 60_000 })
    .map((m) => m * 60_000),
  fc
    .record({
      year: fc.integer({ min: 1990, max: 2099 }),
      month: fc.constantFrom(3, 9, 10),
      hour: fc.integer({ min: 0, max: 4 }),
      minute: fc.constantFrom(0, 30),
    })
    .map(
      ({ year, month, hour, minute }) =>
        lastSunday(year, month).toPlainDateTime({ hour, minute }).toZonedDateTime(ZONE).epochMilliseconds,
    ),
);
const arbRotation = fc
  .record({
    startMs: arbStartMs,
    shiftHours: fc.oneof(
      fc.constantFrom(1, 2, 5, 8, 12, 24, 48, 168, 336, 672),
      fc.integer({ min: 1, max: 672 }),
    ),
    handover: fc.option(
      fc
        .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 15, 30, 59) })
        .map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      { nil: undefined },
    ),
    n: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ startMs, shiftHours, handover, n }) =>
    rotation({
      startMs,
      shiftHours: handover === undefined ? shiftHours : Math.max(1, Math.round(shiftHours / 24)) * 24,
      ...(handover === undefined ? {} : { handover }),
      engineerIds: ['a', 'b', 'c', 'd'].slice(0, n),
    }),
  );

describe('shift starts (properties, 1990–2100)', () => {
  it('every shift start equals Temporal PlainDateTime arithmetic resolved compatibly', () => {
    fc.assert(
      fc.property(arbRotation, fc.integer({ min: 0, max: 20_000 }), (r, k) => {
        for (const j of [k, k + 1, Math.floor(k / 7)]) expect(shiftStartMs(r, j)).toBe(referenceStart(r, j));
      }),
      { numRuns: 400 },
    );
  }, 30_000);

  it('shiftIndexAt finds the shift running at any instant, and the shifts of a window tile it', () => {
    fc.assert(
      fc.property(
        arbRotation,
        fc.integer({ min: 0, max: 50 * 365 * 24 }),
        fc.integer({ min: 1, max: 21 * 24 }),
        (r, offsetHours, lengthHours) => {
          const from = firstShiftStartMs(r) + offsetHours * HOUR + 17;
          const to = from + lengthHours * HOUR;
          const k = shiftIndexAt(r, from);
          expect(k).toBeGreaterThanOrEqual(0);
          expect(shiftStartMs(r, k)).toBeLessThanOrEqual(from);
          expect(shiftStartMs(r, k + 1)).toBeGreaterThan(from);
          const shifts = rotationShifts(r, from, to);
          expect(shifts[0]?.startMs).toBeLessThanOrEqual(from);
          expect(shifts[shifts.length - 1]?.endMs).toBeGreaterThanOrEqual(to);
          shifts.forEach((s, i) => {
            expect(s.endMs).toBeGreaterThan(s.startMs);
            expect(s.startMs).toBe(referenceStart(r, s.index));
            expect(s.engineerId).toBe(r.engineerIds[s.index % r.engineerIds.length]);
            if (i > 0) expect(s.startMs).toBe(shifts[i - 1]?.endMs);
          });
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);
});
