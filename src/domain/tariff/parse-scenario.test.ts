import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.js';
import { parseScenario, parseScenarios } from './parse-scenario.js';

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
