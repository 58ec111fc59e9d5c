import { describe, expect, it } from 'vitest';
import type { Override, Rotation } from './roster.js';
import { checkOverride, checkUnavailability, parseHandover, validateRotation } from './validate.js';

const rotation: Rotation = {
  id: 'r1',
  role: 'primary',
  engineerIds: ['anna', 'bo'],
  startMs: 1_800_000_000_000,
  shiftHours: 168,
};
const failing = (code: string, paths: string[]) =>
  expect.objectContaining({ code, errors: paths.map((path) => expect.objectContaining({ path })) });

describe('validateRotation', () => {
  it('accepts a good rotation and normalises absent handover and end to null', () => {
    expect(validateRotation(rotation)).toEqual({ ...rotation, handover: null, endMs: null });
    expect(validateRotation({ ...rotation, handover: '08:00', endMs: rotation.startMs + 1 })).toMatchObject({
      handover: '08:00',
    });
  });

  it('allows an engineer more than once (more turns) but not an empty list', () => {
    expect(
      validateRotation({ ...rotation, engineerIds: ['anna', 'bo', 'anna', 'cia'] }).engineerIds,
    ).toHaveLength(4);
    expect(() => validateRotation({ ...rotation, engineerIds: [] })).toThrow(
      failing('VALIDATION_FAILED', ['/engineerIds']),
    );
  });

  it('lists every bad field at once', () => {
    const bad = {
      ...rotation,
      role: 'tertiary',
      engineerIds: ['anna', ''],
      startMs: 1.5,
      shiftHours: 0,
      handover: '8:00',
      endMs: 'soon',
    } as unknown as Rotation;
    expect(() => validateRotation(bad, '/body')).toThrow(
      failing('VALIDATION_FAILED', [
        '/body/role',
        '/body/engineerIds/1',
        '/body/start',
        '/body/shiftHours',
        '/body/handover',
        '/body/end',
      ]),
    );
  });

  it('refuses shifts outside 1..672 hours, a hand-over with part-day shifts, and an end not after the start', () => {
    expect(() => validateRotation({ ...rotation, shiftHours: 673 })).toThrow(
      failing('VALIDATION_FAILED', ['/shiftHours']),
    );
    expect(() => validateRotation({ ...rotation, shiftHours: 1.5 })).toThrow(
      failing('VALIDATION_FAILED', ['/shiftHours']),
    );
    expect(validateRotation({ ...rotation, shiftHours: 672 }).shiftHours).toBe(672);
    expect(() => validateRotation({ ...rotation, shiftHours: 12, handover: '08:00' })).toThrow(
      failing('VALIDATION_FAILED', ['/handover']),
    );
    expect(() => validateRotation({ ...rotation, endMs: rotation.startMs })).toThrow(
      failing('VALIDATION_FAILED', ['/end']),
    );
  });

  it('parses hand-over times strictly', () => {
    expect(parseHandover('00:00')).toBe(0);
    expect(parseHandover('23:59')).toBe(1439);
    for (const bad of ['24:00', '8:00', '08:60', '08:00:00', '', 8]) expect(parseHandover(bad)).toBeNull();
  });
});

describe('checkOverride', () => {
  const existing: Override[] = [
    { id: 'o1', role: 'primary', engineerId: 'anna', startMs: 1000, endMs: 2000, createdSeq: 1 },
  ];

  it('refuses an end at or before the start, naming /end', () => {
    expect(() => checkOverride({ role: 'primary', engineerId: 'bo', startMs: 10, endMs: 10 }, [])).toThrow(
      failing('VALIDATION_FAILED', ['/end']),
    );
    expect(() =>
      checkOverride({ role: 'boss' as 'primary', engineerId: '', startMs: 10, endMs: 5 }, []),
    ).toThrow(failing('VALIDATION_FAILED', ['/role', '/engineerId', '/end']));
  });

  it('refuses an overlapping override of the same role for the same person (CONFLICT)', () => {
    expect(() =>
      checkOverride({ role: 'primary', engineerId: 'anna', startMs: 1999, endMs: 3000 }, existing),
    ).toThrow(failing('CONFLICT', ['/start', '/end']));
  });

  it('allows touching intervals, another person, the other role, and the override itself when edited', () => {
    const ok = [
      { role: 'primary', engineerId: 'anna', startMs: 2000, endMs: 3000 },
      { role: 'primary', engineerId: 'bo', startMs: 1500, endMs: 2500 },
      { role: 'secondary', engineerId: 'anna', startMs: 1500, endMs: 2500 },
      { id: 'o1', role: 'primary', engineerId: 'anna', startMs: 500, endMs: 2500 },
    ] as const;
    for (const candidate of ok) expect(() => checkOverride(candidate, existing)).not.toThrow();
  });
});

describe('checkUnavailability', () => {
  it('refuses an empty interval and a missing engineer', () => {
    expect(() => checkUnavailability({ engineerId: '', startMs: 5, endMs: 5 })).toThrow(
      failing('VALIDATION_FAILED', ['/engineerId', '/end']),
    );
    expect(() => checkUnavailability({ engineerId: 'anna', startMs: 5, endMs: 6 })).not.toThrow();
  });
});
