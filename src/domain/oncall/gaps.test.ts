import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { formatInstant, parseInstant } from '../calendar/instant.js';
import type { CoverageGap } from './gaps.js';
import { findGaps } from './gaps.js';
import type { EngineerInfo, Override, Roster, Rotation, Unavailability } from './roster.js';

const at = (text: string) => parseInstant(text, '/t');
const calendar = createCalendar();
const engineer = (id: string, name: string, extra: Partial<EngineerInfo> = {}): EngineerInfo => ({
  id,
  name,
  active: true,
  hasWorkingPhone: true,
  ...extra,
});
const engineers = [
  engineer('anna', 'Anna Andersson'),
  engineer('bo', 'Bo Berg'),
  engineer('cia', 'Cia Carlsson'),
  engineer('dan', 'Dan Dahl'),
  engineer('eva', 'Eva Ek'),
];
const weekly = (id: string, role: Rotation['role'], engineerIds: string[]): Rotation => ({
  id,
  role,
  engineerIds,
  startMs: at('2025-12-29T08:00:00+01:00'), // a Monday; the week of 30 Nov 2026 is shift 48: anna and dan
  shiftHours: 168,
});
const rotations = [weekly('rp', 'primary', ['anna', 'bo', 'cia']), weekly('rs', 'secondary', ['dan', 'eva'])];
const override = (
  id: string,
  role: Override['role'],
  engineerId: string,
  from: string,
  to: string,
): Override => ({
  id,
  role,
  engineerId,
  startMs: at(from),
  endMs: at(to),
  createdSeq: 1,
});
const away = (engineerId: string, from: string, to: string): Unavailability => ({
  engineerId,
  startMs: at(from),
  endMs: at(to),
});
const roster = (parts: Partial<Roster>): Roster => ({
  rotations,
  overrides: [],
  unavailability: [],
  ...parts,
});
const show = (gaps: CoverageGap[]) =>
  gaps.map((g) => [formatInstant(g.startMs), formatInstant(g.endMs), g.reason]);
const gapsOn = (r: Roster, day: string, list: EngineerInfo[] = engineers) =>
  show(findGaps(r, list, calendar, calendar.dayBoundaries(day).startMs, calendar.dayBoundaries(day).endMs));

describe('findGaps: office hours are never gaps, holidays are on-call time all day', () => {
  // The same person in both roles 10:00–11:00: a gap on a holiday, nothing on an ordinary Tuesday.
  const sameAt10 = (day: string) =>
    roster({
      overrides: [
        override('o1', 'primary', 'anna', `${day}T10:00:00`, `${day}T11:00:00`),
        override('o2', 'secondary', 'anna', `${day}T10:00:00`, `${day}T11:00:00`),
      ],
    });

  it.each([
    ['Julafton 2026', '2026-12-24', '2026-12-15'],
    ['Julafton 2027', '2027-12-24', '2027-12-14'],
    ['Midsommarafton 2026', '2026-06-19', '2026-06-16'],
    ['Midsommarafton 2027', '2027-06-25', '2027-06-22'],
  ])('%s 10:00 is a gap, the Tuesday before is not', (_name, holiday, tuesday) => {
    const offset = holiday.slice(5, 7) === '12' ? '+01:00' : '+02:00';
    expect(gapsOn(sameAt10(holiday), holiday)).toEqual([
      [
        `${holiday}T10:00:00${offset}`,
        `${holiday}T11:00:00${offset}`,
        'Anna Andersson is both primary and secondary',
      ],
    ]);
    expect(gapsOn(sameAt10(tuesday), tuesday)).toEqual([]);
  });

  it('a gap that runs past 17:00 on a working day counts from 17:00', () => {
    const r = roster({
      unavailability: [
        away('dan', '2026-12-15T16:00:00+01:00', '2026-12-15T18:00:00+01:00'),
        away('eva', '2026-12-15T16:00:00+01:00', '2026-12-15T18:00:00+01:00'),
      ],
    });
    expect(gapsOn(r, '2026-12-15')).toEqual([
      ['2026-12-15T17:00:00+01:00', '2026-12-15T18:00:00+01:00', 'no secondary on call'],
    ]);
  });

  it('merges adjacent on-call pieces with the same reason (evenings, nights and the weekend)', () => {
    const r = roster({ rotations: [weekly('rp', 'primary', ['anna', 'bo'])] });
    const gaps = findGaps(
      r,
      engineers,
      calendar,
      at('2026-12-10T00:00:00+01:00'),
      at('2026-12-15T00:00:00+01:00'),
    );
    expect(show(gaps)).toEqual([
      ['2026-12-10T00:00:00+01:00', '2026-12-10T08:00:00+01:00', 'no secondary on call'],
      ['2026-12-10T17:00:00+01:00', '2026-12-11T08:00:00+01:00', 'no secondary on call'],
      ['2026-12-11T17:00:00+01:00', '2026-12-14T08:00:00+01:00', 'no secondary on call'],
      ['2026-12-14T17:00:00+01:00', '2026-12-15T00:00:00+01:00', 'no secondary on call'],
    ]);
    expect(gaps[0]).toEqual({
      startMs: at('2026-12-10T00:00:00+01:00'),
      endMs: at('2026-12-10T08:00:00+01:00'),
      kind: 'no-secondary',
      reason: 'no secondary on call',
    });
  });
});

describe('findGaps: reasons', () => {
  it('an unavailable engineer with nobody to stand in leaves the role empty', () => {
    const r = roster({
      unavailability: [
        away('dan', '2026-12-05T00:00:00+01:00', '2026-12-06T00:00:00+01:00'),
        away('eva', '2026-12-05T06:00:00+01:00', '2026-12-05T09:00:00+01:00'),
      ],
    });
    // Week of 30 Nov: dan is secondary; eva stands in except 06:00–09:00 when she is away too.
    expect(gapsOn(r, '2026-12-05')).toEqual([
      ['2026-12-05T00:00:00+01:00', '2026-12-06T00:00:00+01:00', 'no secondary on call'],
    ]);
    const shorter = roster({
      unavailability: [
        away('dan', '2026-12-05T06:00:00+01:00', '2026-12-05T07:00:00+01:00'),
        away('eva', '2026-12-01T00:00:00+01:00', '2026-12-02T00:00:00+01:00'),
      ],
    });
    expect(gapsOn(shorter, '2026-12-05')).toEqual([]);
  });

  it('the same person in both roles is a gap', () => {
    const r = roster({
      overrides: [
        override('o1', 'secondary', 'anna', '2026-12-05T20:00:00+01:00', '2026-12-06T02:00:00+01:00'),
      ],
    });
    expect(
      show(
        findGaps(r, engineers, calendar, at('2026-12-05T00:00:00+01:00'), at('2026-12-07T00:00:00+01:00')),
      ),
    ).toEqual([
      [
        '2026-12-05T20:00:00+01:00',
        '2026-12-06T02:00:00+01:00',
        'Anna Andersson is both primary and secondary',
      ],
    ]);
  });

  it('an engineer without a working phone, inactive or unknown is a gap, named', () => {
    const list = [
      engineer('anna', 'Anna Andersson', { hasWorkingPhone: false }),
      engineer('dan', 'Dan Dahl', { active: false }),
      engineer('eva', 'Eva Ek'),
    ];
    expect(gapsOn(roster({}), '2026-12-05', list)).toEqual([
      ['2026-12-05T00:00:00+01:00', '2026-12-06T00:00:00+01:00', 'Dan Dahl is inactive'],
      [
        '2026-12-05T00:00:00+01:00',
        '2026-12-06T00:00:00+01:00',
        'Anna Andersson has no working phone number',
      ],
    ]);
    const unknown = roster({
      rotations: [weekly('rp', 'primary', ['zed']), weekly('rs', 'secondary', ['eva'])],
    });
    expect(
      findGaps(unknown, list, calendar, at('2026-12-05T00:00:00+01:00'), at('2026-12-05T01:00:00+01:00')),
    ).toEqual([
      {
        startMs: at('2026-12-05T00:00:00+01:00'),
        endMs: at('2026-12-05T01:00:00+01:00'),
        kind: 'unknown-engineer',
        reason: 'engineer zed is not a known engineer',
        engineerId: 'zed',
      },
    ]);
  });

  it('an override onto an unavailable engineer is a gap', () => {
    const r = roster({
      overrides: [override('o1', 'primary', 'cia', '2026-12-05T20:00:00+01:00', '2026-12-05T22:00:00+01:00')],
      unavailability: [away('cia', '2026-12-05T21:00:00+01:00', '2026-12-12T00:00:00+01:00')],
    });
    expect(gapsOn(r, '2026-12-05')).toEqual([
      ['2026-12-05T21:00:00+01:00', '2026-12-05T22:00:00+01:00', 'Cia Carlsson is unavailable'],
    ]);
  });

  it('several reasons at once give one gap per reason, ordered', () => {
    const list = engineers.map((e) => (e.id === 'anna' ? { ...e, hasWorkingPhone: false } : e));
    const r = roster({
      overrides: [
        override('o1', 'secondary', 'anna', '2026-12-05T20:00:00+01:00', '2026-12-05T21:00:00+01:00'),
      ],
    });
    expect(
      findGaps(r, list, calendar, at('2026-12-05T19:00:00+01:00'), at('2026-12-05T22:00:00+01:00')).map(
        (g) => [formatInstant(g.startMs), formatInstant(g.endMs), g.kind],
      ),
    ).toEqual([
      ['2026-12-05T19:00:00+01:00', '2026-12-05T22:00:00+01:00', 'no-working-phone'],
      ['2026-12-05T20:00:00+01:00', '2026-12-05T21:00:00+01:00', 'same-person'],
    ]);
  });

  it('finds nothing in a fully staffed period and nothing in an empty one', () => {
    expect(
      findGaps(
        roster({}),
        engineers,
        calendar,
        at('2026-12-01T00:00:00+01:00'),
        at('2027-01-01T00:00:00+01:00'),
      ),
    ).toEqual([]);
    expect(findGaps(roster({}), engineers, calendar, 5, 5)).toEqual([]);
  });
});
