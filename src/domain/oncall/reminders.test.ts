import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../calendar/instant.js';
import { DEFAULT_REMINDER_LOOKAHEAD_MS, shiftStartsIn } from './reminders.js';
import type { Roster, Rotation } from './roster.js';

const at = (text: string) => parseInstant(text, '/t');
const weekly = (id: string, role: Rotation['role'], engineerIds: string[]): Rotation => ({
  id,
  role,
  engineerIds,
  startMs: at('2026-11-30T08:00:00+01:00'),
  shiftHours: 168,
});
const roster: Roster = {
  rotations: [weekly('rp', 'primary', ['anna', 'bo']), weekly('rs', 'secondary', ['cia', 'dan'])],
  overrides: [],
  unavailability: [],
};
const show = (r: Roster, from: string, to: string) =>
  shiftStartsIn(r, at(from), at(to)).map((s) => [
    s.role,
    s.engineerId,
    formatInstant(s.startMs),
    formatInstant(s.endMs),
  ]);

describe('shiftStartsIn', () => {
  it('finds the Monday 08:00 hand-over of both roles, with a stable key', () => {
    const starts = shiftStartsIn(roster, at('2026-12-07T07:00:00+01:00'), at('2026-12-07T08:00:01+01:00'));
    expect(starts).toEqual([
      {
        key: `oncall-start:primary:bo:${at('2026-12-07T08:00:00+01:00')}`,
        role: 'primary',
        engineerId: 'bo',
        startMs: at('2026-12-07T08:00:00+01:00'),
        endMs: at('2026-12-14T08:00:00+01:00'),
        source: 'rotation',
        rotationId: 'rp',
      },
      {
        key: `oncall-start:secondary:dan:${at('2026-12-07T08:00:00+01:00')}`,
        role: 'secondary',
        engineerId: 'dan',
        startMs: at('2026-12-07T08:00:00+01:00'),
        endMs: at('2026-12-14T08:00:00+01:00'),
        source: 'rotation',
        rotationId: 'rs',
      },
    ]);
    expect(shiftStartsIn(roster, at('2026-12-07T07:00:00+01:00'), at('2026-12-07T08:00:01+01:00'))).toEqual(
      starts,
    );
  });

  it('the window is half-open and a holding running at its start is not a start', () => {
    expect(show(roster, '2026-12-07T08:00:00.001+01:00', '2026-12-14T08:00:00+01:00')).toEqual([]);
    expect(show(roster, '2026-12-07T08:00:00+01:00', '2026-12-07T08:00:00.001+01:00')).toHaveLength(2);
  });

  it('an override that extends a shift is one holding; the next engineer starts when it ends', () => {
    const extended: Roster = {
      ...roster,
      overrides: [
        {
          id: 'o1',
          role: 'primary',
          engineerId: 'anna',
          startMs: at('2026-12-07T08:00:00+01:00'),
          endMs: at('2026-12-07T12:00:00+01:00'),
          createdSeq: 1,
        },
      ],
    };
    expect(show(extended, '2026-12-07T07:00:00+01:00', '2026-12-07T13:00:00+01:00')).toEqual([
      ['secondary', 'dan', '2026-12-07T08:00:00+01:00', '2026-12-14T08:00:00+01:00'],
      ['primary', 'bo', '2026-12-07T12:00:00+01:00', '2026-12-14T08:00:00+01:00'],
    ]);
    expect(
      shiftStartsIn(extended, at('2026-12-07T11:00:00+01:00'), at('2026-12-07T13:00:00+01:00'))[0],
    ).toMatchObject({
      source: 'rotation',
    });
  });

  it('a holding with no end in sight ends at the lookahead horizon', () => {
    const alone: Roster = {
      rotations: [weekly('rp', 'primary', ['anna'])],
      overrides: [],
      unavailability: [],
    };
    const [start] = shiftStartsIn(alone, at('2026-11-30T07:00:00+01:00'), at('2026-11-30T09:00:00+01:00'));
    expect(start?.endMs).toBe(at('2026-11-30T09:00:00+01:00') + DEFAULT_REMINDER_LOOKAHEAD_MS);
    expect(shiftStartsIn(alone, at('2026-12-07T07:00:00+01:00'), at('2026-12-07T09:00:00+01:00'))).toEqual(
      [],
    );
  });

  it('gives nothing for an empty window', () => {
    expect(shiftStartsIn(roster, 5, 5)).toEqual([]);
  });
});
