import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatInstant, localDateOfInstant, parseInstant } from './instant.js';

const refused = (code: string, path: string) =>
  expect.objectContaining({ code, errors: [expect.objectContaining({ path })] });

describe('parseInstant', () => {
  it('reads ISO 8601 with an offset as that instant', () => {
    expect(parseInstant('2026-12-01T19:10:00+01:00', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10));
    expect(parseInstant('2026-12-01T18:10:00Z', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10));
    expect(parseInstant('2026-12-01T18:10Z', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10));
    expect(parseInstant('2026-12-01T13:10:00-05:00', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10));
    expect(parseInstant('2026-12-01 19:10:00.250+0100', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10, 0, 250));
  });

  it('reads the two sides of the autumn change by their offsets', () => {
    const first = parseInstant('2026-10-25T02:30:00+02:00', '/t');
    const second = parseInstant('2026-10-25T02:30:00+01:00', '/t');
    expect(second - first).toBe(3_600_000);
  });

  it('reads a local time without offset as Stockholm time', () => {
    expect(parseInstant('2026-12-01T19:10:00', '/t')).toBe(Date.UTC(2026, 11, 1, 18, 10));
    expect(parseInstant('2026-07-01T19:10', '/t')).toBe(Date.UTC(2026, 6, 1, 17, 10));
    expect(parseInstant('2026-10-25T03:00:00', '/t')).toBe(Date.UTC(2026, 9, 25, 2, 0));
    expect(parseInstant('2026-03-29T03:00:00', '/t')).toBe(Date.UTC(2026, 2, 29, 1, 0));
  });

  it('refuses the ambiguous hour of the autumn night, naming the path', () => {
    expect(() => parseInstant('2026-10-25T02:30:00', '/work/0/start')).toThrow(
      refused('AMBIGUOUS_LOCAL_TIME', '/work/0/start'),
    );
    expect(() => parseInstant('2026-10-25T02:00', '/t')).toThrow(refused('AMBIGUOUS_LOCAL_TIME', '/t'));
  });

  it('refuses the nonexistent hour of the spring night, naming the path', () => {
    expect(() => parseInstant('2026-03-29T02:30:00', '/reportedAt')).toThrow(
      refused('NONEXISTENT_LOCAL_TIME', '/reportedAt'),
    );
    expect(() => parseInstant('2026-03-29T02:00', '/t')).toThrow(refused('NONEXISTENT_LOCAL_TIME', '/t'));
  });

  it.each([
    'yesterday',
    '',
    '2026-12-01',
    '2026-13-01T10:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-12-01T24:30:00Z',
    '2026-12-01T10:00:00+01:00[Europe/Stockholm]',
    '2026-12-01T10:00:00.123456Z',
    ' 2026-12-01T10:00:00Z',
  ])('refuses %j as VALIDATION_FAILED', (text) => {
    expect(() => parseInstant(text, '/work/1/end')).toThrow(refused('VALIDATION_FAILED', '/work/1/end'));
  });

  it.each([[null], [42], [{}]])('refuses %j (not a string)', (value) => {
    expect(() => parseInstant(value, '/x')).toThrow(refused('VALIDATION_FAILED', '/x'));
  });
});

describe('formatInstant', () => {
  it('gives Stockholm time with its offset and no zone suffix', () => {
    expect(formatInstant(Date.UTC(2026, 11, 1, 19, 20))).toBe('2026-12-01T20:20:00+01:00');
    expect(formatInstant(Date.UTC(2026, 6, 1, 19, 20))).toBe('2026-07-01T21:20:00+02:00');
    expect(formatInstant(Date.UTC(2026, 11, 1, 19, 20, 5, 500))).toBe('2026-12-01T20:20:05.5+01:00');
  });

  it('tells the two 02:30 of the autumn night apart', () => {
    expect(formatInstant(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25T02:30:00+02:00');
    expect(formatInstant(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('round-trips with parseInstant', () => {
    for (let ms = Date.UTC(1990, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 7 * 86_400_000 + 3_599_999) {
      if (parseInstant(formatInstant(ms), '/t') !== ms) expect.fail(`round trip of ${ms}`);
    }
  });

  it('agrees with Temporal for any instant of years 1–9999, to the millisecond', () => {
    const temporal = (ms: number) =>
      Temporal.Instant.fromEpochMilliseconds(ms)
        .toZonedDateTimeISO('Europe/Stockholm')
        .toString({ timeZoneName: 'never', fractionalSecondDigits: 'auto' });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2101, 0, 1) }),
          fc.integer({ min: -62_135_596_800_000 + 2 * 3_600_000, max: Date.UTC(9999, 11, 31) }), // 0001-01-01 on
        ),
        (ms) => {
          expect(formatInstant(ms)).toBe(temporal(ms));
        },
      ),
      { numRuns: 3000 },
    );
    // Local mean time (+00:53:28 until 1879) is left to Temporal, which rounds the offset to minutes.
    expect(formatInstant(Date.UTC(1800, 0, 1))).toBe(temporal(Date.UTC(1800, 0, 1)));
    expect(formatInstant(Date.UTC(1800, 0, 1))).toBe('1800-01-01T00:53:28+00:53');
  });
});

describe('localDateOfInstant', () => {
  it('is the Stockholm date, not the UTC one', () => {
    expect(localDateOfInstant(Date.UTC(2026, 10, 30, 23, 30))).toBe('2026-12-01');
    expect(localDateOfInstant(Date.UTC(2026, 11, 1, 22, 59, 59))).toBe('2026-12-01');
    expect(localDateOfInstant(Date.UTC(2026, 5, 30, 22, 0))).toBe('2026-07-01');
    expect(localDateOfInstant(Date.UTC(2026, 5, 30, 21, 59))).toBe('2026-06-30');
  });
});
