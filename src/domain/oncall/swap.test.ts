import { describe, expect, it } from 'vitest';
import { parseInstant } from '../calendar/instant.js';
import { resolveAt, shiftsIn } from './resolve.js';
import type { Roster, Rotation } from './roster.js';
import { swapShift } from './swap.js';

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
const ids = { id: 'swap-1', createdSeq: 42 };
const failing = (code: string, path: string) =>
  expect.objectContaining({ code, errors: [expect.objectContaining({ path })] });

describe('swapShift', () => {
  it("turns anna's offered shift into an override for bo that takes effect exactly there", () => {
    const [segment] = shiftsIn(
      roster,
      at('2026-11-30T08:00:00+01:00'),
      at('2026-12-07T08:00:00+01:00'),
    ).primary;
    if (!segment?.engineerId) throw new Error('no segment');
    const override = swapShift(roster, { ...segment, engineerId: segment.engineerId }, 'bo', ids);
    expect(override).toEqual({
      id: 'swap-1',
      role: 'primary',
      engineerId: 'bo',
      startMs: at('2026-11-30T08:00:00+01:00'),
      endMs: at('2026-12-07T08:00:00+01:00'),
      createdSeq: 42,
    });
    const after = { ...roster, overrides: [override] };
    expect(resolveAt(after, at('2026-12-03T03:00:00+01:00')).primary?.engineerId).toBe('bo');
    expect(resolveAt(after, at('2026-12-07T08:00:00+01:00')).primary?.engineerId).toBe('bo');
    expect(resolveAt(after, at('2026-11-30T07:59:00+01:00')).primary).toBeNull();
  });

  it('swaps a single night out of a weekly shift', () => {
    const night = {
      role: 'secondary' as const,
      engineerId: 'cia',
      startMs: at('2026-12-02T17:00:00+01:00'),
      endMs: at('2026-12-03T08:00:00+01:00'),
    };
    expect(swapShift(roster, night, 'dan', ids)).toMatchObject({
      role: 'secondary',
      engineerId: 'dan',
      startMs: night.startMs,
    });
  });

  it('refuses a taker who holds the other role during the shift (one person in both roles)', () => {
    const night = {
      role: 'secondary' as const,
      engineerId: 'cia',
      startMs: at('2026-12-02T17:00:00+01:00'),
      endMs: at('2026-12-03T08:00:00+01:00'),
    };
    expect(() => swapShift(roster, night, 'anna', ids)).toThrow(failing('CONFLICT', '/engineerId'));
  });

  it('refuses a stale offer (the offering engineer does not hold the whole stretch)', () => {
    const offer = {
      role: 'primary' as const,
      engineerId: 'anna',
      startMs: at('2026-12-06T08:00:00+01:00'),
      endMs: at('2026-12-08T08:00:00+01:00'),
    };
    expect(() => swapShift(roster, offer, 'cia', ids)).toThrow(failing('CONFLICT', '/start'));
  });

  it("refuses an unavailable taker, taking one's own shift, and an empty interval", () => {
    const offer = {
      role: 'primary' as const,
      engineerId: 'anna',
      startMs: at('2026-12-01T17:00:00+01:00'),
      endMs: at('2026-12-02T08:00:00+01:00'),
    };
    const away: Roster = {
      ...roster,
      unavailability: [
        {
          engineerId: 'dan',
          startMs: at('2026-12-01T20:00:00+01:00'),
          endMs: at('2026-12-01T21:00:00+01:00'),
        },
      ],
    };
    expect(() => swapShift(away, offer, 'dan', ids)).toThrow(failing('CONFLICT', '/engineerId'));
    expect(() => swapShift(roster, offer, 'anna', ids)).toThrow(failing('VALIDATION_FAILED', '/engineerId'));
    expect(() => swapShift(roster, { ...offer, endMs: offer.startMs }, 'dan', ids)).toThrow(
      failing('VALIDATION_FAILED', '/end'),
    );
  });
});
