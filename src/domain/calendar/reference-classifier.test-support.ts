// Test support only (excluded from the production build: it needs the date-holidays dev dependency).
// A slow, obviously correct reference for the calendar: Temporal gives the Stockholm wall clock of each
// instant and date-holidays (plus Annandag pingst until 2004, see swedish-holidays.test.ts) says which
// dates are holidays. Stockholm's offsets are whole hours and change on whole UTC hours, so the local
// date and hour are the same for every instant of a UTC hour: one lookup per UTC hour is cached.
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';

const HOUR = 3_600_000;
export const REFERENCE_ZONE = 'Europe/Stockholm';

const holidays = new Set<string>();
const oracle = new Holidays('SE', { types: ['public', 'bank', 'observance'] });
for (let year = 1989; year <= 2101; year++) {
  for (const h of oracle.getHolidays(year)) {
    if (h.type !== 'observance' || (h.name === 'annandag pingst' && year <= 2004))
      holidays.add(h.date.slice(0, 10));
  }
}

const wallClocks = new Map<number, { date: string; hour: number; dayOfWeek: number }>();

/** The Stockholm wall clock (date, hour, ISO day of week) of an instant. */
export function referenceWallClock(ms: number): { date: string; hour: number; dayOfWeek: number } {
  const key = Math.floor(ms / HOUR);
  let found = wallClocks.get(key);
  if (!found) {
    const z = Temporal.Instant.fromEpochMilliseconds(key * HOUR).toZonedDateTimeISO(REFERENCE_ZONE);
    found = { date: z.toPlainDate().toString(), hour: z.hour, dayOfWeek: z.dayOfWeek };
    wallClocks.set(key, found);
  }
  return found;
}

/** Office hours and weekend/holiday of an instant, by the reference. */
export function referenceClass(ms: number): { office: boolean; weekendOrHoliday: boolean } {
  const { date, hour, dayOfWeek } = referenceWallClock(ms);
  const closed = dayOfWeek >= 6 || holidays.has(date);
  return { office: !closed && hour >= 8 && hour < 17, weekendOrHoliday: closed };
}
