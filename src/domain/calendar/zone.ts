import { Temporal } from 'temporal-polyfill';

/** The one time zone the business runs in (SPEC.md section 4); instants are classified in it. */
export const STOCKHOLM = 'Europe/Stockholm';

const MS_PER_DAY = 86_400_000;
const MS_PER_NS = 1_000_000;

// The zone's offsets are looked up in periods of 2^35 ms (about 398 days): Temporal (the time zone
// database) is asked once per period for the offset at its start and its transitions, a few calls a
// year; after that an offset is a Map lookup and a comparison or two. The cache is memoisation of a pure
// function of the instant, shared by every calendar (there is one zone).
const PERIOD_MS = 2 ** 35;

interface OffsetPeriod {
  startOffsetMs: number;
  /** Instants where the offset changes inside the period, ascending, and the offset from each on. */
  transitionsMs: number[];
  offsetsAfterMs: number[];
}

const periods = new Map<number, OffsetPeriod>();
let lastIndex = Number.NaN;
let lastPeriod: OffsetPeriod | undefined;

function periodAt(index: number): OffsetPeriod {
  if (index === lastIndex && lastPeriod) return lastPeriod;
  let period = periods.get(index);
  if (!period) {
    const startMs = index * PERIOD_MS;
    const endMs = startMs + PERIOD_MS;
    let zoned: Temporal.ZonedDateTime | null =
      Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(STOCKHOLM);
    period = { startOffsetMs: zoned.offsetNanoseconds / MS_PER_NS, transitionsMs: [], offsetsAfterMs: [] };
    for (;;) {
      zoned = zoned.getTimeZoneTransition('next');
      if (zoned === null || zoned.epochMilliseconds >= endMs) break;
      period.transitionsMs.push(zoned.epochMilliseconds);
      period.offsetsAfterMs.push(zoned.offsetNanoseconds / MS_PER_NS);
    }
    periods.set(index, period);
  }
  lastIndex = index;
  lastPeriod = period;
  return period;
}

/**
 * The UTC offset of Europe/Stockholm at an instant, in milliseconds (what Temporal says, cached).
 * @example stockholmOffsetMs(Date.UTC(2026, 6, 1)) // 7200000
 */
export function stockholmOffsetMs(ms: number): number {
  const { startOffsetMs, transitionsMs, offsetsAfterMs } = periodAt(Math.floor(ms / PERIOD_MS));
  let offset = startOffsetMs;
  for (let i = 0; i < transitionsMs.length && ms >= (transitionsMs[i] as number); i++) {
    offset = offsetsAfterMs[i] as number;
  }
  return offset;
}

/**
 * The instant of a Stockholm wall-clock time given as "local epoch ms" (the wall clock read as if it
 * were UTC), resolved as Temporal's `disambiguation: 'compatible'` does: the earlier of two in the
 * autumn overlap, moved forward by the gap in the spring one. For building calendar boundaries, which
 * never fall in either in Stockholm; the API refuses such times (see parseInstant).
 * @example stockholmWallClockMs(Date.UTC(2026, 11, 1, 8)) === Date.UTC(2026, 11, 1, 7) // true
 */
export function stockholmWallClockMs(localMs: number): number {
  // The offsets a day either side: the zone changes its offset at most once within two days.
  const before = stockholmOffsetMs(localMs - MS_PER_DAY);
  const after = stockholmOffsetMs(localMs + MS_PER_DAY);
  const early = localMs - before;
  const earlyFits = stockholmOffsetMs(early) === before;
  if (before === after && earlyFits) return early;
  const late = localMs - after;
  const lateFits = stockholmOffsetMs(late) === after;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (earlyFits) return early;
  if (lateFits) return late;
  if (before !== after) return early; // in the gap: the offset before it, i.e. moved forward
  // Never for Stockholm; let the time zone database answer anything stranger.
  return temporalWallClockMs(localMs);
}

function temporalWallClockMs(localMs: number): number {
  const d = new Date(localMs);
  return new Temporal.PlainDateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ).toZonedDateTime(STOCKHOLM, { disambiguation: 'compatible' }).epochMilliseconds;
}
