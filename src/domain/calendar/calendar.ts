import { Temporal } from 'temporal-polyfill';
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
import { STOCKHOLM } from './zone.js';

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
  /** True during office hours (an office day between office start and end). */
  isOfficeHours(ms: number): boolean;
  /** True at every moment that is not office hours (jourtid). */
  isOnCallTime(ms: number): boolean;
  /** True on the whole local day of a Saturday, Sunday or holiday (helgtid). */
  isWeekendOrHoliday(ms: number): boolean;
}

interface Day extends DayClassification, DayBoundaries {
  epochDay: number;
}

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EXTRA_CLOSED_DAY_NAME = 'Extra stängd dag';

/**
 * Builds the calendar once from its options; day classifications and boundaries are computed on
 * first use and cached, so splitting long intervals costs a few Temporal calls per day, not per minute.
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
  const holidayNamesOn = (epochDay: number, year: number): string[] => {
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

  const wallClockMs = (epochDay: number, hour: number, minute: number): number => {
    const { year, month, day } = ymdOfEpochDay(epochDay);
    // Stockholm never changes its clocks at these hours; 'compatible' is what a wall clock would do if
    // a configured office hour ever fell in a DST gap (move forward) or overlap (take the first).
    return new Temporal.PlainDateTime(year, month, day, hour, minute).toZonedDateTime(STOCKHOLM, {
      disambiguation: 'compatible',
    }).epochMilliseconds;
  };
  const midnights = new Map<number, number>();
  const midnightMs = (epochDay: number): number => {
    let ms = midnights.get(epochDay);
    if (ms === undefined) {
      ms = wallClockMs(epochDay, 0, 0);
      midnights.set(epochDay, ms);
    }
    return ms;
  };
  const officeStartOffsetMs = (officeStart.hour * 60 + officeStart.minute) * MS_PER_MINUTE;
  const officeEndOffsetMs = (officeEnd.hour * 60 + officeEnd.minute) * MS_PER_MINUTE;

  const days = new Map<number, Day>();
  const dayAt = (epochDay: number): Day => {
    const cached = days.get(epochDay);
    if (cached) return cached;
    const { year } = ymdOfEpochDay(epochDay);
    const dayOfWeek = isoDayOfWeek(epochDay);
    const holidayNames = holidayNamesOn(epochDay, year);
    const weekend = dayOfWeek >= 6;
    const kind: DayKind = holidayNames.length > 0 ? 'holiday' : weekend ? 'weekend' : 'office';
    const startMs = midnightMs(epochDay);
    const endMs = midnightMs(epochDay + 1);
    // A day of exactly 24 hours has one offset throughout (Stockholm changes its clocks at most once
    // a day), so its office boundaries are plain arithmetic; only the DST days ask Temporal again.
    const plainDay = endMs - startMs === MS_PER_DAY;
    const day: Day = {
      epochDay,
      date: localDateOfEpochDay(epochDay),
      dayOfWeek,
      kind,
      holidayNames,
      weekendOrHoliday: kind !== 'office',
      officeDay: kind === 'office',
      startMs,
      officeStartMs: plainDay
        ? startMs + officeStartOffsetMs
        : wallClockMs(epochDay, officeStart.hour, officeStart.minute),
      officeEndMs: plainDay
        ? startMs + officeEndOffsetMs
        : wallClockMs(epochDay, officeEnd.hour, officeEnd.minute),
      endMs,
    };
    days.set(epochDay, day);
    return day;
  };

  const dayContaining = (ms: number): Day => {
    assertInstant(ms);
    // A first guess at UTC+1, corrected by the real boundaries (works for any offset).
    let day = dayAt(Math.floor((ms + MS_PER_HOUR) / MS_PER_DAY));
    while (ms < day.startMs) day = dayAt(day.epochDay - 1);
    while (ms >= day.endMs) day = dayAt(day.epochDay + 1);
    return day;
  };

  const dayOfText = (date: LocalDate): Day => dayAt(epochDayOf(parseLocalDate(date, '/date')));

  const isOfficeHours = (ms: number): boolean => {
    const day = dayContaining(ms);
    return day.officeDay && ms >= day.officeStartMs && ms < day.officeEndMs;
  };

  return {
    timeZone: STOCKHOLM,
    officeHours: { start: officeHours.start, end: officeHours.end },
    classifyDate: (date) => {
      const { date: d, dayOfWeek, kind, holidayNames, weekendOrHoliday, officeDay } = dayOfText(date);
      return { date: d, dayOfWeek, kind, holidayNames: [...holidayNames], weekendOrHoliday, officeDay };
    },
    dayBoundaries: (date) => {
      const { startMs, officeStartMs, officeEndMs, endMs } = dayOfText(date);
      return { startMs, officeStartMs, officeEndMs, endMs };
    },
    localDateOf: (ms) => dayContaining(ms).date,
    splitInterval: (startMs, endMs) => {
      assertInstant(endMs);
      if (endMs < startMs) {
        throw new DomainError('INVALID_TIME', `interval ends (${endMs}) before it starts (${startMs})`);
      }
      const pieces: IntervalPiece[] = [];
      if (endMs === startMs) return pieces;
      for (let day = dayContaining(startMs); day.startMs < endMs; day = dayAt(day.epochDay + 1)) {
        const cuts: [number, number, boolean][] = [
          [day.startMs, day.officeStartMs, false],
          [day.officeStartMs, day.officeEndMs, day.officeDay],
          [day.officeEndMs, day.endMs, false],
        ];
        for (const [from, to, office] of cuts) {
          const pieceStart = Math.max(from, startMs);
          const pieceEnd = Math.min(to, endMs);
          if (pieceStart < pieceEnd) {
            pieces.push({
              startMs: pieceStart,
              endMs: pieceEnd,
              office,
              weekendOrHoliday: day.weekendOrHoliday,
            });
          }
        }
      }
      return pieces;
    },
    isOfficeHours,
    isOnCallTime: (ms) => !isOfficeHours(ms),
    isWeekendOrHoliday: (ms) => dayContaining(ms).weekendOrHoliday,
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
}
