import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { parseInstant } from '../calendar/instant.js';
import { DomainError } from '../shared/domain-error.js';
import type { WorkEntryInput } from './work-entry.js';
import { isBillableWork, MAX_WORK_ENTRY_MS, validateWorkEntry } from './work-entry.js';

const at = (text: string) => parseInstant(text, '/t');
const HOUR = 3_600_000;
const t0 = at('2026-12-01T19:20:00+01:00');
const entry = (startMs: number, endMs: number, engineerId = 'anna'): WorkEntryInput => ({
  startMs,
  endMs,
  engineerId,
  withinResponsibility: true,
});
const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('validateWorkEntry', () => {
  it('accepts an ordinary entry', () => {
    expect(() => validateWorkEntry(entry(t0, t0 + HOUR), [])).not.toThrow();
  });

  it('refuses an end before the start, and an end equal to it, naming /end', () => {
    for (const end of [t0 - 1000, t0]) {
      const e = refusal(() => validateWorkEntry(entry(t0, end), []));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.errors).toEqual([{ path: '/end', message: 'must be after the start' }]);
    }
  });

  it('accepts exactly 24 h and refuses 24 h + 1 s', () => {
    expect(MAX_WORK_ENTRY_MS).toBe(24 * HOUR);
    expect(() => validateWorkEntry(entry(t0, t0 + 24 * HOUR), [])).not.toThrow();
    const e = refusal(() => validateWorkEntry(entry(t0, t0 + 24 * HOUR + 1000), []));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.errors[0]?.path).toBe('/end');
    expect(e.errors[0]?.message).toMatch(/at most 24 hours/);
  });

  it('24 h across the autumn DST night is real time (25 wall-clock hours are refused)', () => {
    const start = at('2026-10-24T12:00:00+02:00');
    expect(() => validateWorkEntry(entry(start, at('2026-10-25T11:00:00+01:00')), [])).not.toThrow();
    expect(() => validateWorkEntry(entry(start, at('2026-10-25T12:00:00+01:00')), [])).toThrow(DomainError);
  });

  it('refuses an overlap with the same engineer, naming /start and the other entry', () => {
    const existing = [entry(t0, t0 + HOUR)];
    const e = refusal(() => validateWorkEntry(entry(t0 + HOUR / 2, t0 + 2 * HOUR), existing));
    expect(e.code).toBe('CONFLICT');
    expect(e.errors).toEqual([
      {
        path: '/start',
        message:
          'overlaps another work entry of the same engineer on this incident (2026-12-01T19:20:00+01:00 – 2026-12-01T20:20:00+01:00)',
      },
    ]);
    // Contained either way.
    expect(refusal(() => validateWorkEntry(entry(t0 + 1000, t0 + 2000), existing)).code).toBe('CONFLICT');
    expect(refusal(() => validateWorkEntry(entry(t0 - HOUR, t0 + 2 * HOUR), existing)).code).toBe('CONFLICT');
  });

  it('touching entries are fine', () => {
    const existing = [entry(t0, t0 + HOUR)];
    expect(() => validateWorkEntry(entry(t0 + HOUR, t0 + 2 * HOUR), existing)).not.toThrow();
    expect(() => validateWorkEntry(entry(t0 - HOUR, t0), existing)).not.toThrow();
  });

  it('two engineers may work at once (person-time)', () => {
    expect(() => validateWorkEntry(entry(t0, t0 + HOUR, 'bo'), [entry(t0, t0 + HOUR, 'anna')])).not.toThrow();
  });

  it('skips the entry itself by id, and prefixes the path', () => {
    const existing = [{ ...entry(t0, t0 + HOUR), id: 'w1' }];
    expect(() => validateWorkEntry({ ...entry(t0, t0 + HOUR), id: 'w1' }, existing)).not.toThrow();
    expect(refusal(() => validateWorkEntry(entry(t0, t0 - 1), [], '/work/2')).errors[0]?.path).toBe(
      '/work/2/end',
    );
    expect(refusal(() => validateWorkEntry(entry(t0, t0 + HOUR), existing, '/work/2')).errors[0]?.path).toBe(
      '/work/2/start',
    );
  });

  it('refuses instants that are not whole milliseconds', () => {
    expect(refusal(() => validateWorkEntry(entry(Number.NaN, t0), [])).errors[0]?.path).toBe('/start');
    expect(refusal(() => validateWorkEntry(entry(t0, t0 + 0.5), [])).errors[0]?.path).toBe('/end');
  });
});

describe('isBillableWork', () => {
  const calendar = createCalendar();
  const within = (start: string, end: string, withinResponsibility = true) => ({
    startMs: at(start),
    endMs: at(end),
    withinResponsibility,
  });
  it('office hours within responsibility are covered', () => {
    expect(isBillableWork(within('2026-12-02T10:00:00+01:00', '2026-12-02T10:20:00+01:00'), calendar)).toBe(
      false,
    );
  });
  it('outside responsibility is billable even in office hours', () => {
    expect(
      isBillableWork(within('2026-12-02T10:00:00+01:00', '2026-12-02T10:20:00+01:00', false), calendar),
    ).toBe(true);
  });
  it('any on-call part makes it billable (evening, holiday)', () => {
    expect(isBillableWork(within('2026-12-02T16:00:00+01:00', '2026-12-02T18:10:00+01:00'), calendar)).toBe(
      true,
    );
    expect(isBillableWork(within('2026-12-24T10:05:00+01:00', '2026-12-24T11:50:00+01:00'), calendar)).toBe(
      true,
    );
  });
});
