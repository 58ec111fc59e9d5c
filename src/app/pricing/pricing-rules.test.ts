import { describe, expect, it } from 'vitest';
import { isOnCallTimeWith } from './pricing-rules.js';

/** Europe/Stockholm is UTC+1 in winter: 10:00 local is 09:00Z. */
const at = (date: string, utcTime: string) => Date.parse(`${date}T${utcTime}Z`);

describe('whether a report is a callout', () => {
  it('is office time on an ordinary weekday morning and on-call time on an extra closed day', () => {
    const tuesdayMorning = at('2026-12-01', '09:00:00');
    expect(isOnCallTimeWith(tuesdayMorning, null)).toBe(false);
    expect(isOnCallTimeWith(tuesdayMorning, 'Jourdag')).toBe(true);
    // Asked again (the calendar is kept): the same answers, and the next day is not closed.
    expect(isOnCallTimeWith(tuesdayMorning + 60_000, 'Jourdag')).toBe(true);
    expect(isOnCallTimeWith(tuesdayMorning, null)).toBe(false);
    expect(isOnCallTimeWith(at('2026-12-02', '09:00:00'), null)).toBe(false);
  });

  it('keeps answering right for many different closed days', () => {
    for (let day = 1; day <= 28; day++) {
      const date = `2027-02-${String(day).padStart(2, '0')}`;
      for (const name of ['Jourdag', 'Inventering'])
        expect(isOnCallTimeWith(at(date, '11:00:00'), name), `${date} ${name}`).toBe(true);
    }
    // A weekend is on-call time whatever the closed days.
    expect(isOnCallTimeWith(at('2027-02-06', '11:00:00'), null)).toBe(true);
  });
});
