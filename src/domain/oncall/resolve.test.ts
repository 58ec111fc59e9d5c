import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../calendar/instant.js';
import { resolveAt, shiftsIn } from './resolve.js';
import type { Override, Roster, Rotation, ShiftSegment, Unavailability } from './roster.js';

const HOUR = 3_600_000;
const at = (text: string) => parseInstant(text, '/t');
const weekly = (
  id: string,
  role: Rotation['role'],
  engineerIds: string[],
  extra: Partial<Rotation> = {},
): Rotation => ({
  id,
  role,
  engineerIds,
  startMs: at('2026-11-30T08:00:00+01:00'), // a Monday
  shiftHours: 168,
  ...extra,
});
const override = (
  id: string,
  role: Override['role'],
  engineerId: string,
  from: string,
  to: string,
  createdSeq = 1,
): Override => ({
  id,
  role,
  engineerId,
  startMs: at(from),
  endMs: at(to),
  createdSeq,
});
const away = (engineerId: string, from: string, to: string): Unavailability => ({
  engineerId,
  startMs: at(from),
  endMs: at(to),
});
const roster = (parts: Partial<Roster>): Roster => ({
  rotations: [],
  overrides: [],
  unavailability: [],
  ...parts,
});
const base = roster({
  rotations: [weekly('rp', 'primary', ['anna', 'bo', 'cia']), weekly('rs', 'secondary', ['dan', 'eva'])],
});
const show = (segments: ShiftSegment[]) =>
  segments.map((s) => [formatInstant(s.startMs), formatInstant(s.endMs), s.engineerId, s.source]);

describe('resolveAt', () => {
  it('names the primary and the secondary of the rotations, with the shift they are in', () => {
    expect(resolveAt(base, at('2026-12-08T03:00:00+01:00'))).toEqual({
      primary: {
        role: 'primary',
        engineerId: 'bo',
        source: 'rotation',
        rotationId: 'rp',
        shiftStartMs: at('2026-12-07T08:00:00+01:00'),
        shiftEndMs: at('2026-12-14T08:00:00+01:00'),
      },
      secondary: {
        role: 'secondary',
        engineerId: 'eva',
        source: 'rotation',
        rotationId: 'rs',
        shiftStartMs: at('2026-12-07T08:00:00+01:00'),
        shiftEndMs: at('2026-12-14T08:00:00+01:00'),
      },
    });
  });

  it('gives null before any rotation starts and for a role without rotations', () => {
    expect(resolveAt(base, at('2026-11-30T07:59:59.999+01:00'))).toEqual({ primary: null, secondary: null });
    const onlyPrimary = roster({ rotations: [weekly('rp', 'primary', ['anna'])] });
    expect(resolveAt(onlyPrimary, at('2026-12-01T12:00:00+01:00')).secondary).toBeNull();
  });

  it('hands over at the exact instant of the shift change', () => {
    expect(resolveAt(base, at('2026-12-07T07:59:59.999+01:00')).primary?.engineerId).toBe('anna');
    expect(resolveAt(base, at('2026-12-07T08:00:00+01:00')).primary?.engineerId).toBe('bo');
  });
});

describe('overrides', () => {
  it('an override wins over the rotation exactly inside its interval', () => {
    const r = roster({
      ...base,
      overrides: [override('o1', 'primary', 'cia', '2026-12-02T20:00:00+01:00', '2026-12-03T07:00:00+01:00')],
    });
    const { primary } = shiftsIn(r, at('2026-12-02T00:00:00+01:00'), at('2026-12-04T00:00:00+01:00'));
    expect(show(primary)).toEqual([
      ['2026-12-02T00:00:00+01:00', '2026-12-02T20:00:00+01:00', 'anna', 'rotation'],
      ['2026-12-02T20:00:00+01:00', '2026-12-03T07:00:00+01:00', 'cia', 'override'],
      ['2026-12-03T07:00:00+01:00', '2026-12-04T00:00:00+01:00', 'anna', 'rotation'],
    ]);
    expect(primary[1]).toMatchObject({
      overrideId: 'o1',
      shiftStartMs: at('2026-12-02T20:00:00+01:00'),
      shiftEndMs: at('2026-12-03T07:00:00+01:00'),
    });
    expect(resolveAt(r, at('2026-12-03T06:59:59.999+01:00')).primary?.source).toBe('override');
    expect(resolveAt(r, at('2026-12-03T07:00:00+01:00')).primary?.source).toBe('rotation');
  });

  it('where two overrides of one role overlap, the later created wins; an override also fills a hole', () => {
    const r = roster({
      overrides: [
        override('late', 'secondary', 'bo', '2026-12-05T12:00:00+01:00', '2026-12-05T14:00:00+01:00', 7),
        override('early', 'secondary', 'anna', '2026-12-05T10:00:00+01:00', '2026-12-05T18:00:00+01:00', 3),
      ],
    });
    const { secondary } = shiftsIn(r, at('2026-12-05T09:00:00+01:00'), at('2026-12-05T19:00:00+01:00'));
    expect(show(secondary)).toEqual([
      ['2026-12-05T09:00:00+01:00', '2026-12-05T10:00:00+01:00', null, 'none'],
      ['2026-12-05T10:00:00+01:00', '2026-12-05T12:00:00+01:00', 'anna', 'override'],
      ['2026-12-05T12:00:00+01:00', '2026-12-05T14:00:00+01:00', 'bo', 'override'],
      ['2026-12-05T14:00:00+01:00', '2026-12-05T18:00:00+01:00', 'anna', 'override'],
      ['2026-12-05T18:00:00+01:00', '2026-12-05T19:00:00+01:00', null, 'none'],
    ]);
  });

  it('an override onto an unavailable engineer stands (the coverage check reports it)', () => {
    const r = roster({
      ...base,
      overrides: [override('o1', 'primary', 'cia', '2026-12-02T20:00:00+01:00', '2026-12-03T07:00:00+01:00')],
      unavailability: [away('cia', '2026-12-01T00:00:00+01:00', '2026-12-10T00:00:00+01:00')],
    });
    expect(resolveAt(r, at('2026-12-02T22:00:00+01:00')).primary).toMatchObject({
      engineerId: 'cia',
      source: 'override',
    });
  });
});

describe('overlapping rotations of one role', () => {
  it('the latest-starting rotation wins while in force, then the older one takes over again', () => {
    const temporary = weekly('holiday-cover', 'primary', ['eva'], {
      startMs: at('2026-12-21T08:00:00+01:00'),
      endMs: at('2027-01-04T08:00:00+01:00'),
    });
    const r = roster({ rotations: [weekly('rp', 'primary', ['anna', 'bo', 'cia']), temporary] });
    const { primary } = shiftsIn(r, at('2026-12-14T08:00:00+01:00'), at('2027-01-11T08:00:00+01:00'));
    expect(show(primary)).toEqual([
      ['2026-12-14T08:00:00+01:00', '2026-12-21T08:00:00+01:00', 'cia', 'rotation'],
      ['2026-12-21T08:00:00+01:00', '2026-12-28T08:00:00+01:00', 'eva', 'rotation'],
      ['2026-12-28T08:00:00+01:00', '2027-01-04T08:00:00+01:00', 'eva', 'rotation'],
      // The hidden rotation kept counting its weeks (anna, bo were hidden): its turns follow the clock.
      ['2027-01-04T08:00:00+01:00', '2027-01-11T08:00:00+01:00', 'cia', 'rotation'],
    ]);
    expect(primary.map((s) => s.rotationId)).toEqual(['rp', 'holiday-cover', 'holiday-cover', 'rp']);
  });

  it('on equal starts the greater id wins', () => {
    const r = roster({ rotations: [weekly('b', 'primary', ['bo']), weekly('a', 'primary', ['anna'])] });
    expect(resolveAt(r, at('2026-12-01T00:00:00+01:00')).primary?.rotationId).toBe('b');
  });
});

describe('unavailability', () => {
  it('the next member in rotation order who is available for the whole stretch stands in', () => {
    const r = roster({
      rotations: [weekly('rp', 'primary', ['anna', 'bo', 'cia', 'dan'])],
      // Anna away Wednesday–Friday of her week; Bo (next) is away Thursday, so Cia stands in for all of it.
      unavailability: [
        away('anna', '2026-12-02T00:00:00+01:00', '2026-12-05T00:00:00+01:00'),
        away('bo', '2026-12-03T00:00:00+01:00', '2026-12-04T00:00:00+01:00'),
      ],
    });
    const { primary } = shiftsIn(r, at('2026-11-30T08:00:00+01:00'), at('2026-12-07T08:00:00+01:00'));
    expect(show(primary)).toEqual([
      ['2026-11-30T08:00:00+01:00', '2026-12-02T00:00:00+01:00', 'anna', 'rotation'],
      ['2026-12-02T00:00:00+01:00', '2026-12-05T00:00:00+01:00', 'cia', 'substitute'],
      ['2026-12-05T00:00:00+01:00', '2026-12-07T08:00:00+01:00', 'anna', 'rotation'],
    ]);
    expect(primary[1]).toMatchObject({
      rotationId: 'rp',
      scheduledEngineerId: 'anna',
      shiftStartMs: at('2026-11-30T08:00:00+01:00'),
      shiftEndMs: at('2026-12-07T08:00:00+01:00'),
    });
  });

  it('the substitute is chosen for the whole stretch, whatever window is asked for', () => {
    const r = roster({
      rotations: [weekly('rp', 'primary', ['anna', 'bo', 'cia', 'dan'])],
      unavailability: [
        away('anna', '2026-12-02T00:00:00+01:00', '2026-12-05T00:00:00+01:00'),
        away('bo', '2026-12-03T00:00:00+01:00', '2026-12-04T00:00:00+01:00'),
      ],
    });
    // On Wednesday Bo is available, but not for all of Anna's absence: still Cia.
    expect(resolveAt(r, at('2026-12-02T12:00:00+01:00')).primary?.engineerId).toBe('cia');
  });

  it('the role is empty where nobody in the rotation is available', () => {
    const r = roster({
      rotations: [weekly('rs', 'secondary', ['dan', 'eva'])],
      unavailability: [
        away('dan', '2026-12-01T18:00:00+01:00', '2026-12-02T06:00:00+01:00'),
        away('eva', '2026-12-01T00:00:00+01:00', '2026-12-01T20:00:00+01:00'),
      ],
    });
    const { secondary } = shiftsIn(r, at('2026-12-01T12:00:00+01:00'), at('2026-12-02T12:00:00+01:00'));
    expect(show(secondary)).toEqual([
      ['2026-12-01T12:00:00+01:00', '2026-12-01T18:00:00+01:00', 'dan', 'rotation'],
      ['2026-12-01T18:00:00+01:00', '2026-12-02T06:00:00+01:00', null, 'none'],
      ['2026-12-02T06:00:00+01:00', '2026-12-02T12:00:00+01:00', 'dan', 'rotation'],
    ]);
    expect(secondary[1]).toMatchObject({ rotationId: 'rs', scheduledEngineerId: 'dan' });
    expect(resolveAt(r, at('2026-12-01T19:00:00+01:00')).secondary).toBeNull();
  });

  it('a single-member rotation has nobody to stand in', () => {
    const r = roster({
      rotations: [weekly('rp', 'primary', ['anna'])],
      unavailability: [away('anna', '2026-12-01T00:00:00+01:00', '2026-12-02T00:00:00+01:00')],
    });
    expect(resolveAt(r, at('2026-12-01T10:00:00+01:00')).primary).toBeNull();
  });
});

describe('shiftsIn', () => {
  it('tiles the period with none where nobody is on call', () => {
    const r = roster({
      rotations: [weekly('rp', 'primary', ['anna'], { endMs: at('2026-12-03T08:00:00+01:00') })],
    });
    const { primary, secondary } = shiftsIn(
      r,
      at('2026-11-30T00:00:00+01:00'),
      at('2026-12-04T00:00:00+01:00'),
    );
    expect(show(primary)).toEqual([
      ['2026-11-30T00:00:00+01:00', '2026-11-30T08:00:00+01:00', null, 'none'],
      ['2026-11-30T08:00:00+01:00', '2026-12-03T08:00:00+01:00', 'anna', 'rotation'],
      ['2026-12-03T08:00:00+01:00', '2026-12-04T00:00:00+01:00', null, 'none'],
    ]);
    expect(show(secondary)).toEqual([
      ['2026-11-30T00:00:00+01:00', '2026-12-04T00:00:00+01:00', null, 'none'],
    ]);
  });

  it('gives nothing for an empty period and refuses a backwards one or a bad roster', () => {
    expect(shiftsIn(base, 1000, 1000)).toEqual({ primary: [], secondary: [] });
    expect(() => shiftsIn(base, 1000, 999)).toThrow(expect.objectContaining({ code: 'INVALID_TIME' }));
    expect(() =>
      shiftsIn(roster({ rotations: [weekly('x', 'primary', ['a'], { shiftHours: 0 })] }), 0, 1),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: '/rotations/0/shiftHours' })],
      }),
    );
  });

  it('is fast for a year of hourly shifts in both roles', () => {
    const hourly = (id: string, role: Rotation['role'], ids: string[]): Rotation => ({
      id,
      role,
      engineerIds: ids,
      startMs: at('1995-01-01T00:00:00+01:00'),
      shiftHours: 1,
    });
    const r = roster({
      rotations: [hourly('p', 'primary', ['a', 'b', 'c']), hourly('s', 'secondary', ['d', 'e'])],
      unavailability: Array.from({ length: 50 }, (_, i) => ({
        engineerId: ['a', 'b', 'c', 'd', 'e'][i % 5] as string,
        startMs: at('2026-01-01T00:00:00+01:00') + i * 7 * 24 * HOUR,
        endMs: at('2026-01-01T00:00:00+01:00') + (i * 7 + 2) * 24 * HOUR,
      })),
    });
    const began = performance.now();
    const { primary, secondary } = shiftsIn(
      r,
      at('2026-01-01T00:00:00+01:00'),
      at('2027-01-01T00:00:00+01:00'),
    );
    expect(performance.now() - began).toBeLessThan(3000);
    expect(primary.length).toBeGreaterThan(8000);
    expect(secondary.reduce((sum, s) => sum + s.endMs - s.startMs, 0)).toBe(8760 * HOUR);
  });
});
