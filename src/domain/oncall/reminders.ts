import { indexRoster, roleSegments } from './resolve.js';
import type { OnCallRole, Roster, SegmentSource } from './roster.js';
import { ON_CALL_ROLES } from './roster.js';

/** How far past the window a holding is followed to find its end: longer than the longest shift. */
export const DEFAULT_REMINDER_LOOKAHEAD_MS = 35 * 86_400_000;

/** An engineer begins holding a role: what a "your shift starts in an hour" reminder is about. */
export interface ShiftStart {
  /** Stable for the same engineer, role and start, so a job can dedupe on it. */
  key: string;
  role: OnCallRole;
  engineerId: string;
  startMs: number;
  /** When the engineer stops holding the role, or the lookahead horizon if that is earlier. */
  endMs: number;
  /** What put the engineer on call at the start. */
  source: Exclude<SegmentSource, 'none'>;
  rotationId?: string;
  overrideId?: string;
}

/**
 * Each start, within [fromMs, toMs), of an engineer's continuous holding of a role: consecutive
 * segments of one role and one engineer (two shifts in a row, an override extending a shift) count as
 * one holding, so only its beginning is reported; a holding already running at `fromMs` is not.
 * Ordered by start, primary before secondary.
 * @example shiftStartsIn(roster, now + 55 * MIN, now + 65 * MIN) // [{ key: 'oncall-start:primary:anna:1796…', … }]
 */
export function shiftStartsIn(
  roster: Roster,
  fromMs: number,
  toMs: number,
  lookaheadMs = DEFAULT_REMINDER_LOOKAHEAD_MS,
): ShiftStart[] {
  if (toMs <= fromMs) return [];
  const index = indexRoster(roster);
  const horizonMs = toMs + lookaheadMs;
  const starts: ShiftStart[] = [];
  for (const role of ON_CALL_ROLES) {
    // One millisecond before the window tells whether a holding at fromMs began earlier.
    const segments = roleSegments(index, role, fromMs - 1, horizonMs);
    let open: ShiftStart | undefined;
    let previousEngineer: string | null = null;
    for (const segment of segments) {
      const { engineerId } = segment;
      if (engineerId !== null && engineerId === previousEngineer) {
        if (open) open.endMs = segment.endMs;
      } else {
        open = undefined;
        if (
          engineerId !== null &&
          segment.source !== 'none' &&
          segment.startMs >= fromMs &&
          segment.startMs < toMs
        ) {
          open = {
            key: `oncall-start:${role}:${engineerId}:${segment.startMs}`,
            role,
            engineerId,
            startMs: segment.startMs,
            endMs: segment.endMs,
            source: segment.source,
            ...(segment.rotationId === undefined ? {} : { rotationId: segment.rotationId }),
            ...(segment.overrideId === undefined ? {} : { overrideId: segment.overrideId }),
          };
          starts.push(open);
        }
      }
      previousEngineer = engineerId;
    }
  }
  return starts.sort(
    (a, b) => a.startMs - b.startMs || (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1),
  );
}
