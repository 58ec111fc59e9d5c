import { DomainError } from '../shared/domain-error.js';
import { mergeIntervals, overlapsAny } from './intervals.js';
import { indexRoster, roleSegments } from './resolve.js';
import type { OnCallRole, Override, Roster } from './roster.js';
import { checkOverride } from './validate.js';

/** A stretch of one role offered by the engineer holding it (usually a segment from shiftsIn). */
export interface ShiftOffer {
  role: OnCallRole;
  startMs: number;
  endMs: number;
  /** The engineer giving the shift away (A). */
  engineerId: string;
}

/**
 * The override that hands an offered stretch of a role from engineer A to engineer B: role, B, exactly the
 * offered interval. Refuses (CONFLICT) when A does not hold the role for the whole stretch in the current
 * roster (the offer is stale), when B holds the other role anywhere in it (one person in both roles), or
 * when B is unavailable in it; VALIDATION_FAILED when B is A or the interval is empty. The caller
 * supplies the new override's id and creation order (it wins over every earlier override).
 * @example swapShift(roster, { role: 'primary', startMs, endMs, engineerId: 'anna' }, 'bo', { id: 'o9', createdSeq: 9 })
 */
export function swapShift(
  roster: Roster,
  offer: ShiftOffer,
  takenBy: string,
  ids: { id: string; createdSeq: number },
): Override {
  const override: Override = {
    id: ids.id,
    role: offer.role,
    engineerId: takenBy,
    startMs: offer.startMs,
    endMs: offer.endMs,
    createdSeq: ids.createdSeq,
  };
  checkOverride(override, []);
  if (takenBy === offer.engineerId) {
    throw new DomainError('VALIDATION_FAILED', 'an engineer cannot take their own shift', [
      { path: '/engineerId', message: 'must be someone else than the engineer offering the shift' },
    ]);
  }
  const index = indexRoster(roster);
  const held = roleSegments(index, offer.role, offer.startMs, offer.endMs);
  if (held.some((s) => s.engineerId !== offer.engineerId)) {
    throw new DomainError(
      'CONFLICT',
      `${offer.engineerId} does not hold the ${offer.role} role for the whole offered shift`,
      [{ path: '/start', message: 'the offered shift is no longer held by the engineer offering it' }],
    );
  }
  const otherRole: OnCallRole = offer.role === 'primary' ? 'secondary' : 'primary';
  const other = roleSegments(index, otherRole, offer.startMs, offer.endMs);
  if (other.some((s) => s.engineerId === takenBy)) {
    throw new DomainError(
      'CONFLICT',
      `${takenBy} is ${otherRole} during the shift and cannot hold both roles`,
      [{ path: '/engineerId', message: `is already ${otherRole} during this shift` }],
    );
  }
  const away = mergeIntervals(roster.unavailability.filter((u) => u.engineerId === takenBy));
  if (overlapsAny(away, offer.startMs, offer.endMs)) {
    throw new DomainError('CONFLICT', `${takenBy} is unavailable during the shift`, [
      { path: '/engineerId', message: 'is unavailable during this shift' },
    ]);
  }
  return override;
}
