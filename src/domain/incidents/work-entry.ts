import type { Calendar } from '../calendar/calendar.js';
import { formatInstant } from '../calendar/instant.js';
import { DomainError, invalidField } from '../shared/domain-error.js';

/** The longest work entry the API accepts (SPEC.md section 8): 24 hours; exactly 24 h is fine. */
export const MAX_WORK_ENTRY_MS = 24 * 3_600_000;

/** A work entry as logged; `id` (if set) lets an entry be re-validated against a list that holds it. */
export interface WorkEntryInput {
  id?: string;
  startMs: number;
  endMs: number;
  engineerId: string;
  withinResponsibility: boolean;
}

/** An entry already logged on the same incident. */
export interface ExistingWorkEntry {
  id?: string;
  startMs: number;
  endMs: number;
  engineerId: string;
}

/**
 * Refuses a work entry the API must not accept: VALIDATION_FAILED naming `<path>/start` or `<path>/end`
 * for a non-integer instant, an end at or before the start, or a length over 24 hours; CONFLICT naming
 * `<path>/start` when it overlaps another entry of the same engineer (entries that only touch are fine;
 * other engineers' entries may overlap: person-time).
 * @example validateWorkEntry({ startMs: 0, endMs: 3_600_000, engineerId: 'anna', withinResponsibility: true }, [])
 */
export function validateWorkEntry(
  entry: WorkEntryInput,
  existing: readonly ExistingWorkEntry[],
  path = '',
): void {
  if (!Number.isSafeInteger(entry.startMs)) invalidField(`${path}/start`, 'must be an instant');
  if (!Number.isSafeInteger(entry.endMs)) invalidField(`${path}/end`, 'must be an instant');
  if (entry.endMs <= entry.startMs) invalidField(`${path}/end`, 'must be after the start');
  if (entry.endMs - entry.startMs > MAX_WORK_ENTRY_MS) {
    invalidField(
      `${path}/end`,
      'must be at most 24 hours after the start; log longer work as several entries',
    );
  }
  const clash = existing.find(
    (other) =>
      other.engineerId === entry.engineerId &&
      (entry.id === undefined || other.id !== entry.id) &&
      other.startMs < entry.endMs &&
      entry.startMs < other.endMs,
  );
  if (clash) {
    const message =
      `overlaps another work entry of the same engineer on this incident ` +
      `(${formatInstant(clash.startMs)} – ${formatInstant(clash.endMs)})`;
    throw new DomainError('CONFLICT', `${path}/start: ${message}`, [{ path: `${path}/start`, message }]);
  }
}

/**
 * True when any part of the entry is billable (SPEC.md section 8): everything outside responsibility,
 * and within responsibility everything outside office hours. Only a billable entry needs the customer's
 * consent on tiers incident/none.
 * @example isBillableWork({ startMs: wed1000, endMs: wed1100, withinResponsibility: true }, calendar) // false
 */
export function isBillableWork(
  entry: { startMs: number; endMs: number; withinResponsibility: boolean },
  calendar: Pick<Calendar, 'splitInterval'>,
): boolean {
  if (!entry.withinResponsibility) return true;
  return calendar.splitInterval(entry.startMs, entry.endMs).some((piece) => !piece.office);
}
