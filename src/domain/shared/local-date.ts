import { Temporal } from 'temporal-polyfill';

/** The business time zone (SPEC.md section 4). */
export const ZONE = 'Europe/Stockholm';

/** The local calendar date (YYYY-MM-DD) in Stockholm of an instant. */
export function localDateOf(epochMs: number): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(ZONE).toPlainDate().toString();
}

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    Temporal.PlainDate.from(text, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}
