import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { swedishHolidays } from './swedish-holidays.js';
import { easterSunday } from './easter.js';
import { epochDayOf, epochDayOfText, isoDayOfWeek, localDateOfEpochDay } from './local-date.js';

// date-holidays is the oracle. Its 'bank' type is exactly our de facto eves (Midsommarafton,
// Julafton, Nyårsafton); its names are lower case and Sveriges nationaldag is "nationaldagen".
// Where we knowingly differ: Annandag pingst was an allmän helgdag until the 2005 change of lag
// 1989:253 (which made 6 June one instead); date-holidays lists it only as an observance in every
// year, so 1990–2004 have it in our table and not in the oracle's.
const oracle = new Holidays('SE', { types: ['public', 'bank'] });
const ORACLE_NAME: Record<string, string> = { 'Sveriges nationaldag': 'nationaldagen' };
const ORACLE_KIND = { public: 'public', 'de-facto': 'bank' } as const;

function ours(year: number): string[] {
  return swedishHolidays(year).map(
    (h) => `${h.date} ${ORACLE_KIND[h.kind]} ${(ORACLE_NAME[h.name] ?? h.name).toLowerCase()}`,
  );
}

function theirs(year: number): string[] {
  return oracle.getHolidays(year).map((h) => `${h.date.slice(0, 10)} ${h.type} ${h.name.toLowerCase()}`);
}

function whitMonday(year: number): string {
  return localDateOfEpochDay(epochDayOf(easterSunday(year)) + 50);
}

describe('swedishHolidays against date-holidays, every year 1990–2100', () => {
  it('agrees on every date, name and kind except the documented differences', () => {
    const onlyOurs: string[] = [];
    const onlyTheirs: string[] = [];
    for (let year = 1990; year <= 2100; year++) {
      const a = ours(year);
      const b = theirs(year);
      onlyOurs.push(...a.filter((x) => !b.includes(x)));
      onlyTheirs.push(...b.filter((x) => !a.includes(x)));
    }
    const expectedOnlyOurs: string[] = [];
    for (let year = 1990; year <= 2004; year++)
      expectedOnlyOurs.push(`${whitMonday(year)} public annandag pingst`);
    expect(onlyTheirs).toEqual([]);
    expect(onlyOurs).toEqual(expectedOnlyOurs);
  });
});

describe('swedishHolidays: known dates', () => {
  const dateOf = (year: number, name: string) => swedishHolidays(year).find((h) => h.name === name)?.date;

  it.each([
    [2024, 'Påskdagen', '2024-03-31'],
    [2025, 'Påskdagen', '2025-04-20'],
    [2038, 'Påskdagen', '2038-04-25'],
    [2027, 'Långfredagen', '2027-03-26'],
    [2026, 'Annandag påsk', '2026-04-06'],
    [2026, 'Kristi himmelsfärdsdag', '2026-05-14'],
    [2026, 'Pingstdagen', '2026-05-24'],
    [2027, 'Midsommarafton', '2027-06-25'],
    [2026, 'Midsommarafton', '2026-06-19'],
    [2026, 'Midsommardagen', '2026-06-20'],
    [2026, 'Alla helgons dag', '2026-10-31'],
    [2025, 'Alla helgons dag', '2025-11-01'],
    [2004, 'Alla helgons dag', '2004-11-06'],
    [2004, 'Annandag pingst', '2004-05-31'],
    [2005, 'Sveriges nationaldag', '2005-06-06'],
    [2026, 'Julafton', '2026-12-24'],
    [2026, 'Nyårsafton', '2026-12-31'],
    [1990, 'Trettondedag jul', '1990-01-06'],
  ])('%i %s is %s', (year, name, date) => {
    expect(dateOf(year, name)).toBe(date);
  });

  it('Nationaldagen is a holiday from 2005 on; Annandag pingst only until 2004', () => {
    expect(dateOf(2004, 'Sveriges nationaldag')).toBeUndefined();
    expect(dateOf(2005, 'Annandag pingst')).toBeUndefined();
  });

  it('gives 16 holidays a year (13 public + 3 de facto), in date order, with the Saturday rules on Saturdays', () => {
    for (let year = 1990; year <= 2100; year++) {
      const list = swedishHolidays(year);
      expect(list).toHaveLength(16);
      expect([...list].sort((a, b) => a.date.localeCompare(b.date))).toEqual(list);
      const weekday = (name: string) =>
        isoDayOfWeek(epochDayOfText(list.find((h) => h.name === name)?.date ?? ''));
      expect(weekday('Midsommarafton')).toBe(5);
      expect(weekday('Midsommardagen')).toBe(6);
      expect(weekday('Alla helgons dag')).toBe(6);
      expect(weekday('Långfredagen')).toBe(5);
      expect(weekday('Pingstdagen')).toBe(7);
    }
  });

  it('keeps both names when two holidays share a date (Första maj and Kristi himmelsfärdsdag 2008)', () => {
    expect(
      swedishHolidays(2008)
        .filter((h) => h.date === '2008-05-01')
        .map((h) => h.name),
    ).toEqual(['Första maj', 'Kristi himmelsfärdsdag']);
  });
});
