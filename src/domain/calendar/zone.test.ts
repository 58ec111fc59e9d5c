import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { STOCKHOLM, stockholmOffsetMs, stockholmWallClockMs } from './zone.js';

const HOUR = 3_600_000;
const temporalOffsetMs = (ms: number) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(STOCKHOLM).offsetNanoseconds / 1e6;
/** The wall clock read as UTC ("local epoch ms") → the instant, as Temporal resolves it. */
const temporalWallClockMs = (localMs: number) =>
  Temporal.Instant.fromEpochMilliseconds(localMs)
    .toZonedDateTimeISO('UTC')
    .toPlainDateTime()
    .toZonedDateTime(STOCKHOLM, { disambiguation: 'compatible' }).epochMilliseconds;

// Instants 1850–2200 (local mean time until 1879, the 1916 and 1940s summer times, EU rules since 1980),
// half of them within three hours of a Stockholm offset change.
const transitions: number[] = [];
for (
  let z: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from('1850-01-01T00:00[Europe/Stockholm]');
  z !== null && z.year < 2200;
  z = z.getTimeZoneTransition('next')
) {
  transitions.push(z.epochMilliseconds);
}
const arbInstant = fc.oneof(
  fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2200, 0, 1) }),
  fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -3 * HOUR, max: 3 * HOUR }))
    .map(([t, d]) => t + d),
);

describe('Stockholm offsets (cached transitions)', () => {
  it('knows the offsets of winter, summer and the change nights', () => {
    expect(stockholmOffsetMs(Date.UTC(2026, 0, 1))).toBe(HOUR);
    expect(stockholmOffsetMs(Date.UTC(2026, 6, 1))).toBe(2 * HOUR);
    expect(stockholmOffsetMs(Date.UTC(2026, 9, 25, 0, 59, 59, 999))).toBe(2 * HOUR);
    expect(stockholmOffsetMs(Date.UTC(2026, 9, 25, 1))).toBe(HOUR);
    expect(stockholmOffsetMs(Date.UTC(1995, 8, 24, 1))).toBe(HOUR); // autumn change in September until 1995
  });

  it('agree with Temporal at any instant', () => {
    fc.assert(
      fc.property(arbInstant, (ms) => {
        expect(stockholmOffsetMs(ms)).toBe(temporalOffsetMs(ms));
      }),
      { numRuns: 3000 },
    );
  });

  it('resolve wall-clock times as Temporal does with disambiguation "compatible"', () => {
    fc.assert(
      fc.property(arbInstant, (ms) => {
        const localMs = ms + temporalOffsetMs(ms) + ((ms % 7) - 3) * 10 * 60_000;
        expect(stockholmWallClockMs(localMs)).toBe(temporalWallClockMs(localMs));
      }),
      { numRuns: 3000 },
    );
    // The gap and the overlap of 2026.
    expect(stockholmWallClockMs(Date.UTC(2026, 2, 29, 2, 30))).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(stockholmWallClockMs(Date.UTC(2026, 9, 25, 2, 30))).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });
});
