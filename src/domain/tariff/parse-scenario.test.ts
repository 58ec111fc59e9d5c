import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.js';
import { MAX_WORK_ENTRY_DAYS, parseScenario, parseScenarios } from './parse-scenario.js';

const valid = {
  tier: 'incident',
  reportedAt: '2026-12-01T19:10:00+01:00',
  work: [
    {
      start: '2026-12-01T19:20:00+01:00',
      end: '2026-12-01T20:05:00+01:00',
      engineer: 'anna',
      withinResponsibility: true,
    },
  ],
};

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
const paths = (error: DomainError) => error.errors.map((e) => e.path);

describe('parseScenario', () => {
  it('turns the API scenario into epoch milliseconds, ignoring unknown properties', () => {
    expect(parseScenario({ ...valid, name: 'example 1', expected: {} })).toEqual({
      tier: 'incident',
      reportedAtMs: Date.UTC(2026, 11, 1, 18, 10),
      work: [
        {
          startMs: Date.UTC(2026, 11, 1, 18, 20),
          endMs: Date.UTC(2026, 11, 1, 19, 5),
          engineer: 'anna',
          withinResponsibility: true,
        },
      ],
    });
  });

  it('accepts an empty work list and local Stockholm times without offset', () => {
    expect(parseScenario({ tier: 'hog', reportedAt: '2026-12-01T19:10', work: [] })).toEqual({
      tier: 'hog',
      reportedAtMs: Date.UTC(2026, 11, 1, 18, 10),
      work: [],
    });
  });

  it('names every missing field', () => {
    const error = failure(() => parseScenario({}));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(paths(error)).toEqual(['/tier', '/reportedAt', '/work']);
  });

  it('names wrong types, an unknown tier and an end before its start', () => {
    const error = failure(() =>
      parseScenario({
        tier: 'gold',
        reportedAt: 12,
        work: [
          {
            start: '2026-12-01T19:20:00+01:00',
            end: '2026-12-01T19:00:00+01:00',
            engineer: 'anna',
            withinResponsibility: true,
          },
          { start: 'soon', end: '2026-12-01T19:00:00+01:00', engineer: '', withinResponsibility: 'yes' },
          'x',
          { start: '2026-12-01T19:20:00+01:00', end: '2026-12-01T19:40:00+01:00' },
        ],
      }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(paths(error)).toEqual([
      '/tier',
      '/reportedAt',
      '/work/0/end',
      '/work/1/start',
      '/work/1/engineer',
      '/work/1/withinResponsibility',
      '/work/2',
      '/work/3/engineer',
      '/work/3/withinResponsibility',
    ]);
    expect(error.errors[0]?.message).toBe('must be one of hog, incident, none');
    expect(error.message).toContain('/work/0/end: must not be before start');
  });

  it('refuses a scenario that is not an object, and work that is not an array', () => {
    expect(paths(failure(() => parseScenario('x')))).toEqual(['/']);
    expect(paths(failure(() => parseScenario([], '/3')))).toEqual(['/3']);
    expect(paths(failure(() => parseScenario({ ...valid, work: {} })))).toEqual(['/work']);
  });

  it('keeps the precise code when a DST refusal is the only problem', () => {
    const ambiguous = failure(() => parseScenario({ ...valid, reportedAt: '2026-10-25T02:30:00' }));
    expect(ambiguous.code).toBe('AMBIGUOUS_LOCAL_TIME');
    expect(paths(ambiguous)).toEqual(['/reportedAt']);
    const work = [{ ...valid.work[0], start: '2026-03-29T02:30:00' }];
    const nonexistent = failure(() => parseScenario({ ...valid, work }));
    expect(nonexistent.code).toBe('NONEXISTENT_LOCAL_TIME');
    expect(paths(nonexistent)).toEqual(['/work/0/start']);
    const mixed = failure(() => parseScenario({ ...valid, tier: 'x', reportedAt: '2026-10-25T02:30:00' }));
    expect(mixed.code).toBe('VALIDATION_FAILED');
    expect(paths(mixed)).toEqual(['/tier', '/reportedAt']);
  });

  it('reads local times without offset in work entries as Stockholm time, winter and summer', () => {
    const work = [
      { ...valid.work[0], start: '2026-12-01T19:20', end: '2026-12-01T20:05:00' },
      { ...valid.work[0], start: '2026-07-01T09:00', end: '2026-07-01T10:00:00.5' },
    ];
    expect(parseScenario({ ...valid, work }).work.map((w) => [w.startMs, w.endMs])).toEqual([
      [Date.UTC(2026, 11, 1, 18, 20), Date.UTC(2026, 11, 1, 19, 5)],
      [Date.UTC(2026, 6, 1, 7, 0), Date.UTC(2026, 6, 1, 8, 0, 0, 500)],
    ]);
  });

  it('refuses ambiguous and nonexistent local times with a message that says why and what to give', () => {
    const ambiguous = failure(() => parseScenario({ ...valid, reportedAt: '2026-10-25T02:30' }));
    expect(ambiguous.errors[0]?.message).toBe(
      '2026-10-25T02:30:00 happens twice in Europe/Stockholm (clocks go back); give the offset: ' +
        '2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00',
    );
    expect(ambiguous.message).toMatch(/^\/reportedAt: 2026-10-25T02:30:00 happens twice/);
    const work = [{ ...valid.work[0], end: '1999-03-28T02:59:59' }];
    const nonexistent = failure(() => parseScenario({ ...valid, work }));
    expect(nonexistent.errors).toEqual([
      {
        path: '/work/0/end',
        message:
          '1999-03-28T02:59:59 does not exist in Europe/Stockholm (clocks go forward); give a time with an offset',
      },
    ]);
    // The same wall-clock times with an offset are accepted: the offset says which instant is meant.
    const withOffsets = [
      { ...valid.work[0], start: '2026-10-25T02:30+02:00', end: '2026-10-25T02:30+01:00' },
    ];
    const [entry] = parseScenario({ ...valid, work: withOffsets }).work;
    expect(entry && entry.endMs - entry.startMs).toBe(3_600_000);
  });

  it(`refuses a work entry over ${MAX_WORK_ENTRY_DAYS} days, naming its end; up to that, any length is read`, () => {
    const entry = (start: string, end: string) => ({ ...valid.work[0], start, end });
    const long = failure(() =>
      parseScenario({
        ...valid,
        work: [
          entry('2026-12-01T19:20:00+01:00', '2027-01-01T19:20:01+01:00'),
          entry('2026-12-01T19:20:00+01:00', '2126-12-01T19:20:00+01:00'),
        ],
      }),
    );
    expect(long.code).toBe('VALIDATION_FAILED');
    expect(long.errors).toEqual([
      { path: '/work/0/end', message: 'must be at most 31 days after start (it is 31 days 1 s after)' },
      { path: '/work/1/end', message: 'must be at most 31 days after start (it is 36524 days after)' },
    ]);
    expect(long.message).toContain('/work/1/end: must be at most 31 days after start');
    const ok = [
      entry('2026-12-01T19:20:00+01:00', '2027-01-01T19:20:00+01:00'), // exactly 31 days
      entry('2026-12-01T19:20:00+01:00', '2026-12-03T01:20:00+01:00'), // 30 hours: for the work log to refuse
    ];
    expect(parseScenario({ ...valid, work: ok }).work).toHaveLength(2);
    const inArray = failure(() =>
      parseScenarios([valid, { ...valid, work: [entry('2026-01-01T00:00Z', '2026-03-01T00:00Z')] }]),
    );
    expect(paths(inArray)).toEqual(['/1/work/0/end']);
  });

  it('lists an unknown tier, an end before its start and a DST refusal together', () => {
    const error = failure(() =>
      parseScenario({
        tier: 'HOG',
        reportedAt: '2026-03-29T02:30',
        work: [{ ...valid.work[0], start: '2026-12-01T21:00+01:00', end: '2026-12-01T20:00+01:00' }],
      }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      '/tier: must be one of hog, incident, none',
      '/reportedAt: 2026-03-29T02:30:00 does not exist in Europe/Stockholm (clocks go forward); give a time with an offset',
      '/work/0/end: must not be before start',
    ]);
  });

  it('prefixes paths', () => {
    expect(paths(failure(() => parseScenario({ ...valid, tier: 1 }, '/2')))).toEqual(['/2/tier']);
  });
});

describe('parseScenarios', () => {
  it('reads one scenario or an array, saying which', () => {
    expect(parseScenarios(valid)).toMatchObject({ many: false, scenarios: [{ tier: 'incident' }] });
    expect(parseScenarios([valid, { ...valid, tier: 'hog' }])).toMatchObject({
      many: true,
      scenarios: [{ tier: 'incident' }, { tier: 'hog' }],
    });
    expect(parseScenarios([])).toEqual({ many: true, scenarios: [] });
  });

  it('names errors by index in an array, all of them at once', () => {
    const error = failure(() => parseScenarios([valid, valid, { ...valid, tier: 'gold' }, null]));
    expect(paths(error)).toEqual(['/2/tier', '/3']);
  });
});
