import { easterSunday } from './easter.js';
import type { IsoDayOfWeek, LocalDate, YearMonthDay } from './local-date.js';
import { epochDayOf, isoDayOfWeek, localDateOfEpochDay } from './local-date.js';

/**
 * `public`: an allmän helgdag by law (lag 1989:253). `de-facto`: an eve the company closes on
 * (Midsommarafton, Julafton, Nyårsafton; SPEC.md section 4).
 */
export type HolidayKind = 'public' | 'de-facto';

/** One holiday on one date, with its Swedish name. */
export interface Holiday {
  date: LocalDate;
  name: string;
  kind: HolidayKind;
}

/** How a holiday's date is found in a given year. */
export type HolidayDateRule =
  | { type: 'fixed'; month: number; day: number }
  | { type: 'easter'; offsetDays: number }
  /** The first `weekday` on or after month/day (e.g. the Saturday 20–26 June). */
  | { type: 'weekday-on-or-after'; weekday: IsoDayOfWeek; month: number; day: number };

/** A row of the holiday table; `fromYear`/`toYear` (inclusive) bound the years the rule applies. */
export interface HolidayRule {
  name: string;
  kind: HolidayKind;
  rule: HolidayDateRule;
  fromYear?: number;
  toYear?: number;
}

const SATURDAY: IsoDayOfWeek = 6;
const FRIDAY: IsoDayOfWeek = 5;

/**
 * The Swedish holidays of Europe/Stockholm as data, correct for 1990–2100 (and any later year under
 * today's law). The 2005 change of the law made Sveriges nationaldag a holiday and dropped Annandag
 * pingst, so each carries its years. Half-day eves (trettondagsafton, valborgsmässoafton,
 * allhelgonaafton) are ordinary working days (SPEC.md section 8).
 */
export const SWEDISH_HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: 'Nyårsdagen', kind: 'public', rule: { type: 'fixed', month: 1, day: 1 } },
  { name: 'Trettondedag jul', kind: 'public', rule: { type: 'fixed', month: 1, day: 6 } },
  { name: 'Långfredagen', kind: 'public', rule: { type: 'easter', offsetDays: -2 } },
  { name: 'Påskdagen', kind: 'public', rule: { type: 'easter', offsetDays: 0 } },
  { name: 'Annandag påsk', kind: 'public', rule: { type: 'easter', offsetDays: 1 } },
  { name: 'Första maj', kind: 'public', rule: { type: 'fixed', month: 5, day: 1 } },
  { name: 'Kristi himmelsfärdsdag', kind: 'public', rule: { type: 'easter', offsetDays: 39 } },
  { name: 'Pingstdagen', kind: 'public', rule: { type: 'easter', offsetDays: 49 } },
  { name: 'Annandag pingst', kind: 'public', rule: { type: 'easter', offsetDays: 50 }, toYear: 2004 },
  { name: 'Sveriges nationaldag', kind: 'public', rule: { type: 'fixed', month: 6, day: 6 }, fromYear: 2005 },
  {
    name: 'Midsommarafton',
    kind: 'de-facto',
    rule: { type: 'weekday-on-or-after', weekday: FRIDAY, month: 6, day: 19 },
  },
  {
    name: 'Midsommardagen',
    kind: 'public',
    rule: { type: 'weekday-on-or-after', weekday: SATURDAY, month: 6, day: 20 },
  },
  {
    name: 'Alla helgons dag',
    kind: 'public',
    rule: { type: 'weekday-on-or-after', weekday: SATURDAY, month: 10, day: 31 },
  },
  { name: 'Julafton', kind: 'de-facto', rule: { type: 'fixed', month: 12, day: 24 } },
  { name: 'Juldagen', kind: 'public', rule: { type: 'fixed', month: 12, day: 25 } },
  { name: 'Annandag jul', kind: 'public', rule: { type: 'fixed', month: 12, day: 26 } },
  { name: 'Nyårsafton', kind: 'de-facto', rule: { type: 'fixed', month: 12, day: 31 } },
];

/**
 * The epoch day on which a rule falls in `year`.
 * @example localDateOfEpochDay(epochDayOfRule({ type: 'easter', offsetDays: -2 }, 2027)) // '2027-03-26'
 */
export function epochDayOfRule(rule: HolidayDateRule, year: number): number {
  switch (rule.type) {
    case 'fixed':
      return epochDayOf({ year, month: rule.month, day: rule.day });
    case 'easter':
      return epochDayOf(easterSunday(year)) + rule.offsetDays;
    case 'weekday-on-or-after': {
      const first = epochDayOf({ year, month: rule.month, day: rule.day } satisfies YearMonthDay);
      return first + ((rule.weekday - isoDayOfWeek(first) + 7) % 7);
    }
  }
}

/** The holidays of one year as epoch days, in date order (stable for holidays sharing a date). */
export function holidayEpochDays(
  year: number,
  rules: readonly HolidayRule[] = SWEDISH_HOLIDAY_RULES,
): { epochDay: number; name: string; kind: HolidayKind }[] {
  return rules
    .filter(
      (r) => (r.fromYear === undefined || year >= r.fromYear) && (r.toYear === undefined || year <= r.toYear),
    )
    .map((r) => ({ epochDay: epochDayOfRule(r.rule, year), name: r.name, kind: r.kind }))
    .sort((a, b) => a.epochDay - b.epochDay);
}

/**
 * The holidays of one year in date order (two may share a date, e.g. Första maj and Kristi
 * himmelsfärdsdag in 2008).
 * @example swedishHolidays(2027).find((h) => h.name === 'Midsommarafton')?.date // '2027-06-25'
 */
export function swedishHolidays(
  year: number,
  rules: readonly HolidayRule[] = SWEDISH_HOLIDAY_RULES,
): Holiday[] {
  return holidayEpochDays(year, rules).map(({ epochDay, name, kind }) => ({
    date: localDateOfEpochDay(epochDay),
    name,
    kind,
  }));
}
