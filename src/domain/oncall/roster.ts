/**
 * The on-call roster as plain data (SPEC.md section 6). Instants are UTC epoch milliseconds; intervals
 * are half-open [startMs, endMs). Everything here is what the database rows map to and what the
 * resolver, the coverage check, the reminders and the iCalendar feed read.
 *
 * The rules, each decided once (and tested):
 * - Shifts hand over at Stockholm wall-clock times; DST gaps move forward, overlaps take the earlier
 *   instant ('compatible'). See shifts.ts.
 * - Per role, at each instant: the override with the highest createdSeq (then greatest id) if any covers
 *   it; else the rotation in force whose first shift started latest (then greatest id). A rotation that
 *   is hidden by another keeps counting its shifts by the clock.
 * - Where the scheduled engineer is unavailable, each maximal stretch goes to the next member in rotation
 *   order who is available for all of it ('substitute'), else to nobody ('none'). Inactive engineers and
 *   missing phones do not change who is chosen: findGaps reports them.
 * - Overrides are never replaced for unavailability; findGaps reports "<name> is unavailable".
 */

/** The two on-call roles; both must be held, by two different people, at every moment of on-call time. */
export type OnCallRole = 'primary' | 'secondary';

/** Both roles, in the order they are shown and checked. */
export const ON_CALL_ROLES: readonly OnCallRole[] = ['primary', 'secondary'];

/**
 * A rotation: engineers take turns in one role, shift k held by `engineerIds[k mod n]`.
 * Shift boundaries are Stockholm wall-clock times (see shifts.ts for the exact rule).
 */
export interface Rotation {
  id: string;
  role: OnCallRole;
  /** In turn order; the same engineer may appear more than once (more turns). */
  engineerIds: readonly string[];
  /** Without `handover`: the first shift starts exactly here. With it: only its local date is used. */
  startMs: number;
  /** Wall-clock hours per shift, an integer 1..672 (28 days); a multiple of 24 when `handover` is set. */
  shiftHours: number;
  /** Daily hand-over time `HH:MM`, Stockholm local time. */
  handover?: string | null;
  /** The rotation stops here (exclusive); the shift running then is cut short. */
  endMs?: number | null;
}

/**
 * An explicit choice of engineer for one role over an interval (a swap, sickness cover). It wins over
 * every rotation inside its interval; of two overlapping overrides of one role the later created wins.
 */
export interface Override {
  id: string;
  role: OnCallRole;
  engineerId: string;
  startMs: number;
  endMs: number;
  /** Creation order (e.g. a database sequence); the higher wins where overrides of one role overlap. */
  createdSeq: number;
}

/** An engineer cannot be chosen by a rotation in this interval (vacation, leave). */
export interface Unavailability {
  engineerId: string;
  startMs: number;
  endMs: number;
}

/** What the coverage check needs to know about an engineer. */
export interface EngineerInfo {
  id: string;
  name: string;
  active: boolean;
  /** False when the engineer has no phone number that can be paged (missing, or marked as failing). */
  hasWorkingPhone: boolean;
}

/** Everything that decides who is on call. */
export interface Roster {
  rotations: readonly Rotation[];
  overrides: readonly Override[];
  unavailability: readonly Unavailability[];
}

/**
 * Where a segment's engineer comes from: the rotation's own turn, an override, the next available
 * member of the rotation standing in for an unavailable one, or nobody.
 */
export type SegmentSource = 'rotation' | 'override' | 'substitute' | 'none';

/** One stretch of time in which one role is held by one engineer (or by nobody) for one reason. */
export interface ShiftSegment {
  role: OnCallRole;
  /** Null when nobody holds the role (source 'none'). */
  engineerId: string | null;
  startMs: number;
  endMs: number;
  source: SegmentSource;
  /** The rotation whose shift this is (sources 'rotation' and 'substitute'; 'none' inside a shift). */
  rotationId?: string;
  /** The override in force (source 'override'). */
  overrideId?: string;
  /**
   * The whole unit the segment was cut from: the rotation shift (its real start and end), or the
   * override's interval. Stable across queries, so it identifies the shift (reminders, feed UIDs).
   */
  shiftStartMs?: number;
  shiftEndMs?: number;
  /** Whom the rotation scheduled, when someone else stands in or nobody could (unavailability). */
  scheduledEngineerId?: string;
}

/** Who holds a role at an instant and why; `resolveAt` gives null instead of a 'none' source. */
export type Assignment = Omit<ShiftSegment, 'engineerId' | 'startMs' | 'endMs' | 'source'> & {
  engineerId: string;
  source: Exclude<SegmentSource, 'none'>;
};

/** Who is on call at one instant. */
export interface OnCallAt {
  primary: Assignment | null;
  secondary: Assignment | null;
}
