import { DomainError, invalidField } from '../shared/domain-error.js';
import type { IsoDayOfWeek, LocalDate } from './local-date.js';
import {
  epochDayOf,
  isoDayOfWeek,
  localDateOfEpochDay,
  parseLocalDate,
  ymdOfEpochDay,
} from './local-date.js';
import type { HolidayRule } from './swedish-holidays.js';
import { SWEDISH_HOLIDAY_RULES, holidayEpochDays } from './swedish-holidays.js';
import { STOCKHOLM, stockholmWallClockMs } from './zone.js';

/** A day the office is closed on top of the holiday table (e.g. a klämdag), optionally named. */
export type ExtraClosedDay = LocalDate | { date: LocalDate; name?: string };

/** What a calendar is built from; everything has the company's defaults. */
export interface CalendarOptions {
  /** Extra closed days; they count as holidays (on-call time, weekend/holiday factor). */
  extraClosedDays?: readonly ExtraClosedDay[];
  /** Office hours on office days as local `HH:MM`; default 08:00–17:00. */
  officeHours?: { start: string; end: string };
  /** The holiday table; default the Swedish one. */
  holidayRules?: readonly HolidayRule[];
}

/** `office`: Monday–Friday and no holiday; `weekend`: Saturday or Sunday; `holiday`: any holiday. */
export type DayKind = 'office' | 'weekend' | 'holiday';

/** How one local date is treated. A holiday on a weekend is `holiday`. */
export interface DayClassification {
  date: LocalDate;
  dayOfWeek: IsoDayOfWeek;
  kind: DayKind;
  /** Swedish names of the holidays on this date (usually none or one). */
  holidayNames: readonly string[];
  /** The whole day is weekend/holiday time (factor 1.5). */
  weekendOrHoliday: boolean;
  /** The day has office hours. */
  officeDay: boolean;
}

/** Real instants (epoch ms) of one local day's boundaries; `endMs` is the next day's 00:00. */
export interface DayBoundaries {
  startMs: number;
  officeStartMs: number;
  officeEndMs: number;
  endMs: number;
}

/** A stretch of an interval that lies within one calendar segment (cut at 00:00, 08:00, 17:00). */
export interface IntervalPiece {
  startMs: number;
  endMs: number;
  /** Within office hours. */
  office: boolean;
  /** On a Saturday, Sunday or holiday. */
  weekendOrHoliday: boolean;
}

/** Receives one piece of an interval: [startMs, endMs), its office-hours and weekend/holiday flags. */
export type PieceVisitor = (
  startMs: number,
  endMs: number,
  office: boolean,
  weekendOrHoliday: boolean,
) => void;

/** The office calendar of Europe/Stockholm: holidays, office hours and interval splitting. */
export interface Calendar {
  readonly timeZone: typeof STOCKHOLM;
  readonly officeHours: { start: string; end: string };
  /** Classifies a local date (`YYYY-MM-DD`). */
  classifyDate(date: LocalDate): DayClassification;
  /** The instants of a local date's 00:00, office start, office end and next 00:00. */
  dayBoundaries(date: LocalDate): DayBoundaries;
  /** The local date an instant falls on. */
  localDateOf(ms: number): LocalDate;
  /** Splits [startMs, endMs) at local 00:00 and the office start and end; pieces in order. */
  splitInterval(startMs: number, endMs: number): IntervalPiece[];
  /**
   * The pieces `splitInterval` returns, handed one by one to `visit` without allocating them (the
   * pricing hot path). Same order, same cuts, same refusals.
   */
  forEachPiece(startMs: number, endMs: number, visit: PieceVisitor): void;
  /** True during office hours (an office day between office start and end). */
  isOfficeHours(ms: number): boolean;
  /** True at every moment that is not office hours (jourtid). */
  isOnCallTime(ms: number): boolean;
  /** True on the whole local day of a Saturday, Sunday or holiday (helgtid). */
  isWeekendOrHoliday(ms: number): boolean;
}

/**
 * The calendar of CHUNK_DAYS consecutive local days from epoch day `first`, as flat tables: `cuts` holds
 * each day's 00:00, office start and office end (3 per day) and, last, the next chunk's first 00:00, so
 * it is ascending and segment k is [cuts[k], cuts[k + 1]); `flags` holds each day's OFFICE_DAY and
 * WEEKEND_OR_HOLIDAY bits.
 */
interface Chunk {
  index: number;
  first: number;
  cuts: Float64Array;
  flags: Uint8Array;
}

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
/** Days per table chunk, built on first use (about a third of a year: a few hundred microseconds). */
const CHUNK_DAYS = 128;
const SEGMENTS = 3 * CHUNK_DAYS;
const OFFICE_DAY = 1;
const WEEKEND_OR_HOLIDAY = 2;
/**
 * The local dates the calendar knows: the Gregorian years of the holiday rules (Easter) with four
 * digits, 1583–9999; instants from 1583-01-02 to 9999-12-31 UTC (the day off each end keeps every
 * offset inside).
 */
const FIRST_DAY = epochDayOf({ year: 1583, month: 1, day: 1 });
const LAST_DAY = epochDayOf({ year: 9999, month: 12, day: 31 });
const MIN_INSTANT_MS = (FIRST_DAY + 1) * MS_PER_DAY;
const MAX_INSTANT_MS = LAST_DAY * MS_PER_DAY;
/** The chunks those days (and one either side) fall in. */
const FIRST_CHUNK = Math.floor((FIRST_DAY - 1) / CHUNK_DAYS);
const CHUNK_COUNT = Math.floor((LAST_DAY + 1) / CHUNK_DAYS) - FIRST_CHUNK + 1;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EXTRA_CLOSED_DAY_NAME = 'Extra stängd dag';

/**
 * Builds the calendar once from its options. Days are classified in chunks of 128 on first use, into
 * typed arrays of their boundary instants (the zone's offsets come from Temporal a few times a year,
 * see zone.ts), so classifying an interval is arithmetic on cached numbers: no Temporal, and no
 * allocation with `forEachPiece`.
 * @example createCalendar({ extraClosedDays: ['2026-01-05'] }).classifyDate('2026-01-05').kind // 'holiday'
 */
export function createCalendar(options: CalendarOptions = {}): Calendar {
  const officeHours = options.officeHours ?? { start: '08:00', end: '17:00' };
  const officeStart = parseTimeOfDay(officeHours.start, '/officeHours/start');
  const officeEnd = parseTimeOfDay(officeHours.end, '/officeHours/end');
  if (officeEnd.hour * 60 + officeEnd.minute <= officeStart.hour * 60 + officeStart.minute) {
    invalidField('/officeHours/end', 'must be after the office start');
  }
  const rules = options.holidayRules ?? SWEDISH_HOLIDAY_RULES;
  const extraClosed = new Map<number, string[]>();
  (options.extraClosedDays ?? []).forEach((entry, index) => {
    const path = `/extraClosedDays/${index}`;
    const date = typeof entry === 'string' ? entry : entry.date;
    const name = typeof entry === 'string' ? undefined : entry.name;
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
      invalidField(`${path}/name`, 'must be a non-empty string');
    }
    const epochDay = epochDayOf(parseLocalDate(date, typeof entry === 'string' ? path : `${path}/date`));
    extraClosed.set(epochDay, [...(extraClosed.get(epochDay) ?? []), name ?? EXTRA_CLOSED_DAY_NAME]);
  });

  const holidaysByYear = new Map<number, Map<number, string[]>>();
  const holidayNamesOn = (epochDay: number): string[] => {
    const { year } = ymdOfEpochDay(epochDay);
    let byDay = holidaysByYear.get(year);
    if (!byDay) {
      byDay = new Map();
      for (const { epochDay: day, name } of holidayEpochDays(year, rules)) {
        byDay.set(day, [...(byDay.get(day) ?? []), name]);
      }
      holidaysByYear.set(year, byDay);
    }
    return [...(byDay.get(epochDay) ?? []), ...(extraClosed.get(epochDay) ?? [])];
  };

  const officeStartOffsetMs = (officeStart.hour * 60 + officeStart.minute) * MS_PER_MINUTE;
  const officeEndOffsetMs = (officeEnd.hour * 60 + officeEnd.minute) * MS_PER_MINUTE;

  // Indexed by chunk number from FIRST_CHUNK: a plain array lookup, no hashing.
  const chunks = new Array<Chunk | undefined>(CHUNK_COUNT).fill(undefined);
  const chunkAt = (index: number): Chunk => {
    let chunk = chunks[index - FIRST_CHUNK];
    if (!chunk) {
      const first = index * CHUNK_DAYS;
      const cuts = new Float64Array(SEGMENTS + 1);
      const flags = new Uint8Array(CHUNK_DAYS);
      for (let i = 0; i < CHUNK_DAYS; i++) {
        const epochDay = first + i;
        const localMidnight = epochDay * MS_PER_DAY;
        // Stockholm never changes its clocks at 00:00 or in office hours; were a configured office
        // hour to fall in a DST gap or overlap, it reads as a wall clock would ('compatible').
        cuts[3 * i] = stockholmWallClockMs(localMidnight);
        cuts[3 * i + 1] = stockholmWallClockMs(localMidnight + officeStartOffsetMs);
        cuts[3 * i + 2] = stockholmWallClockMs(localMidnight + officeEndOffsetMs);
        // (A chunk may reach past the calendar's years; those days are never classified.)
        const closed =
          isoDayOfWeek(epochDay) >= 6 || (epochDay >= FIRST_DAY && holidayNamesOn(epochDay).length > 0);
        flags[i] = closed ? WEEKEND_OR_HOLIDAY : OFFICE_DAY;
      }
      cuts[SEGMENTS] = stockholmWallClockMs((first + CHUNK_DAYS) * MS_PER_DAY);
      chunk = { index, first, cuts, flags };
      chunks[index - FIRST_CHUNK] = chunk;
    }
    return chunk;
  };
  const chunkOfDay = (epochDay: number): Chunk => chunkAt(Math.floor(epochDay / CHUNK_DAYS));

  // Where `locate` found an instant: the chunk and the segment k with cuts[k] <= ms < cuts[k + 1]
  // (scratch state rather than a returned object, so the hot path allocates nothing).
  let foundChunk: Chunk = {
    index: Number.NaN,
    first: 0,
    cuts: new Float64Array(1),
    flags: new Uint8Array(1),
  };
  let foundSegment = 0;
  const locate = (ms: number): void => {
    // A first guess at UTC+1, corrected by the real boundaries (works for any offset).
    const guess = Math.floor((ms + MS_PER_HOUR) / MS_PER_DAY);
    let chunk = chunkOfDay(guess);
    let k = 3 * (guess - chunk.first);
    while (ms < (chunk.cuts[k] as number)) {
      if (k === 0) {
        chunk = chunkAt(chunk.index - 1);
        k = SEGMENTS;
      }
      k--;
    }
    while (ms >= (chunk.cuts[k + 1] as number)) {
      k++;
      if (k === SEGMENTS) {
        chunk = chunkAt(chunk.index + 1);
        k = 0;
      }
    }
    foundChunk = chunk;
    foundSegment = k;
  };

  /** Refuses a bad interval; false when it is empty. */
  const checkInterval = (startMs: number, endMs: number): boolean => {
    assertInstant(startMs);
    assertInstant(endMs);
    if (endMs < startMs) {
      throw new DomainError('INVALID_TIME', `interval ends (${endMs}) before it starts (${startMs})`);
    }
    return endMs > startMs;
  };

  // forEachPiece and splitInterval walk the segments alike; each has its own loop so that neither
  // pays for a call through a function that differs from caller to caller.
  const forEachPiece = (startMs: number, endMs: number, visit: PieceVisitor): void => {
    if (!checkInterval(startMs, endMs)) return;
    locate(startMs);
    let chunk = foundChunk;
    let k = foundSegment;
    let from = startMs;
    for (;;) {
      const segmentEnd = chunk.cuts[k + 1] as number;
      const to = segmentEnd < endMs ? segmentEnd : endMs;
      if (from < to) {
        const day = (k / 3) | 0;
        const flags = chunk.flags[day] as number;
        visit(from, to, k - 3 * day === 1 && (flags & OFFICE_DAY) !== 0, (flags & WEEKEND_OR_HOLIDAY) !== 0);
        from = to;
      }
      if (to >= endMs) return;
      if (++k === SEGMENTS) {
        chunk = chunkAt(chunk.index + 1);
        k = 0;
      }
    }
  };

  const splitInterval = (startMs: number, endMs: number): IntervalPiece[] => {
    const pieces: IntervalPiece[] = [];
    if (!checkInterval(startMs, endMs)) return pieces;
    locate(startMs);
    let chunk = foundChunk;
    let k = foundSegment;
    let from = startMs;
    for (;;) {
      const segmentEnd = chunk.cuts[k + 1] as number;
      const to = segmentEnd < endMs ? segmentEnd : endMs;
      if (from < to) {
        const day = (k / 3) | 0;
        const flags = chunk.flags[day] as number;
        pieces.push({
          startMs: from,
          endMs: to,
          office: k - 3 * day === 1 && (flags & OFFICE_DAY) !== 0,
          weekendOrHoliday: (flags & WEEKEND_OR_HOLIDAY) !== 0,
        });
        from = to;
      }
      if (to >= endMs) return pieces;
      if (++k === SEGMENTS) {
        chunk = chunkAt(chunk.index + 1);
        k = 0;
      }
    }
  };

  const dayOfText = (date: LocalDate): { chunk: Chunk; i: number; epochDay: number } => {
    const epochDay = epochDayOf(parseLocalDate(date, '/date'));
    if (epochDay < FIRST_DAY) invalidField('/date', 'must be in the years 1583–9999');
    const chunk = chunkOfDay(epochDay);
    return { chunk, i: epochDay - chunk.first, epochDay };
  };

  const isOfficeHours = (ms: number): boolean => {
    assertInstant(ms);
    locate(ms);
    const day = (foundSegment / 3) | 0;
    return foundSegment - 3 * day === 1 && ((foundChunk.flags[day] as number) & OFFICE_DAY) !== 0;
  };

  return {
    timeZone: STOCKHOLM,
    officeHours: { start: officeHours.start, end: officeHours.end },
    classifyDate: (date) => {
      const { epochDay } = dayOfText(date);
      const holidayNames = holidayNamesOn(epochDay);
      const dayOfWeek = isoDayOfWeek(epochDay);
      const kind: DayKind = holidayNames.length > 0 ? 'holiday' : dayOfWeek >= 6 ? 'weekend' : 'office';
      return {
        date: localDateOfEpochDay(epochDay),
        dayOfWeek,
        kind,
        holidayNames,
        weekendOrHoliday: kind !== 'office',
        officeDay: kind === 'office',
      };
    },
    dayBoundaries: (date) => {
      const { chunk, i } = dayOfText(date);
      const at = (k: number) => chunk.cuts[3 * i + k] as number;
      return { startMs: at(0), officeStartMs: at(1), officeEndMs: at(2), endMs: at(3) };
    },
    localDateOf: (ms) => {
      assertInstant(ms);
      locate(ms);
      return localDateOfEpochDay(foundChunk.first + ((foundSegment / 3) | 0));
    },
    splitInterval,
    forEachPiece,
    isOfficeHours,
    isOnCallTime: (ms) => !isOfficeHours(ms),
    isWeekendOrHoliday: (ms) => {
      assertInstant(ms);
      locate(ms);
      return ((foundChunk.flags[(foundSegment / 3) | 0] as number) & WEEKEND_OR_HOLIDAY) !== 0;
    },
  };
}

function parseTimeOfDay(text: string, path: string): { hour: number; minute: number } {
  const match = typeof text === 'string' ? TIME_PATTERN.exec(text) : null;
  if (!match) invalidField(path, 'must be a time of day as HH:MM');
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function assertInstant(ms: number): void {
  if (!Number.isSafeInteger(ms))
    throw new DomainError('INVALID_TIME', `not an instant in epoch milliseconds: ${ms}`);
  if (ms < MIN_INSTANT_MS || ms > MAX_INSTANT_MS)
    throw new DomainError('INVALID_TIME', `instant outside the calendar's years 1583–9999: ${ms}`);
}
