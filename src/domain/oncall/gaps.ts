import type { Calendar, IntervalPiece } from '../calendar/calendar.js';
import { containsInstant } from './intervals.js';
import { indexRoster, roleSegments } from './resolve.js';
import type { EngineerInfo, Roster, ShiftSegment } from './roster.js';

/** Why an interval of on-call time is not covered by two people who can be paged. */
export type GapKind =
  | 'no-primary'
  | 'no-secondary'
  | 'same-person'
  | 'unknown-engineer'
  | 'inactive'
  | 'no-working-phone'
  | 'unavailable';

/** One interval of on-call time with fewer than two distinct people who can be paged, for one reason. */
export interface CoverageGap {
  startMs: number;
  endMs: number;
  kind: GapKind;
  /** English, for logs and the API; the UI translates `kind` (with the engineer's name). */
  reason: string;
  /** The engineer the reason is about (all kinds but no-primary and no-secondary). */
  engineerId?: string;
}

const KIND_ORDER: readonly GapKind[] = [
  'no-primary',
  'no-secondary',
  'same-person',
  'unknown-engineer',
  'inactive',
  'no-working-phone',
  'unavailable',
];

/**
 * Every interval of on-call time (not office hours: the support desk covers those) in [fromMs, toMs)
 * where fewer than two distinct people who can be paged are on call. A person cannot be paged when
 * unknown, inactive, without a working phone, or unavailable (only an override can put an unavailable
 * engineer on call: overrides are explicit and are never replaced, so it is reported here instead).
 * Several reasons at once give one gap per reason, so each gap has one clear cause and keeps its full
 * extent; adjacent intervals with the same reason (and engineer) are merged. Gaps are ordered by start,
 * then by kind (the order of GapKind), then by reason.
 * @example findGaps(roster, engineers, calendar, from, to) // [{ startMs, endMs, kind: 'no-working-phone', reason: 'Anna Andersson has no working phone number', engineerId: 'anna' }]
 */
export function findGaps(
  roster: Roster,
  engineers: readonly EngineerInfo[],
  calendar: Pick<Calendar, 'splitInterval'>,
  fromMs: number,
  toMs: number,
): CoverageGap[] {
  const index = indexRoster(roster);
  const primary = roleSegments(index, 'primary', fromMs, toMs);
  const secondary = roleSegments(index, 'secondary', fromMs, toMs);
  const onCall = calendar.splitInterval(fromMs, toMs).filter((p) => !p.office);
  const byId = new Map(engineers.map((e) => [e.id, e]));

  // Every instant where something may change: segment ends, on-call piece ends, unavailability edges.
  const cuts = new Set<number>();
  for (const s of primary) cuts.add(s.endMs);
  for (const s of secondary) cuts.add(s.endMs);
  for (const p of onCall) cuts.add(p.startMs).add(p.endMs);
  for (const u of roster.unavailability) {
    if (u.startMs > fromMs && u.startMs < toMs) cuts.add(u.startMs);
    if (u.endMs > fromMs && u.endMs < toMs) cuts.add(u.endMs);
  }
  const points = [...cuts].filter((p) => p > fromMs && p <= toMs).sort((a, b) => a - b);

  const open = new Map<string, CoverageGap>();
  const gaps: CoverageGap[] = [];
  let p = 0;
  let s = 0;
  let o = 0;
  let startMs = fromMs;
  for (const endMs of points) {
    while ((primary[p] as ShiftSegment).endMs <= startMs) p++;
    while ((secondary[s] as ShiftSegment).endMs <= startMs) s++;
    while (o < onCall.length && (onCall[o] as IntervalPiece).endMs <= startMs) o++;
    const inOnCall = o < onCall.length && (onCall[o] as IntervalPiece).startMs <= startMs;
    if (inOnCall) {
      const reasons = reasonsAt(
        (primary[p] as ShiftSegment).engineerId,
        (secondary[s] as ShiftSegment).engineerId,
        startMs,
        byId,
        index.unavailable,
      );
      for (const reason of reasons) {
        const key = `${reason.kind}\u0000${reason.engineerId ?? ''}\u0000${reason.reason}`;
        const last = open.get(key);
        if (last && last.endMs === startMs) {
          last.endMs = endMs;
        } else {
          const gap: CoverageGap = { startMs, endMs, ...reason };
          gaps.push(gap);
          open.set(key, gap);
        }
      }
    }
    startMs = endMs;
  }
  return gaps.sort(
    (a, b) =>
      a.startMs - b.startMs ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
  );
}

type GapReason = Omit<CoverageGap, 'startMs' | 'endMs'>;

function reasonsAt(
  primaryId: string | null,
  secondaryId: string | null,
  atMs: number,
  byId: ReadonlyMap<string, EngineerInfo>,
  unavailable: ReadonlyMap<string, readonly { startMs: number; endMs: number }[]>,
): GapReason[] {
  const reasons: GapReason[] = [];
  if (primaryId === null) reasons.push({ kind: 'no-primary', reason: 'no primary on call' });
  if (secondaryId === null) reasons.push({ kind: 'no-secondary', reason: 'no secondary on call' });
  const held = [...new Set([primaryId, secondaryId].filter((id): id is string => id !== null))];
  for (const id of held) {
    const engineer = byId.get(id);
    const name = engineer?.name ?? `engineer ${id}`;
    if (primaryId === secondaryId) {
      reasons.push({ kind: 'same-person', reason: `${name} is both primary and secondary`, engineerId: id });
    }
    if (!engineer) {
      reasons.push({ kind: 'unknown-engineer', reason: `${name} is not a known engineer`, engineerId: id });
      continue;
    }
    if (!engineer.active) reasons.push({ kind: 'inactive', reason: `${name} is inactive`, engineerId: id });
    if (!engineer.hasWorkingPhone) {
      reasons.push({
        kind: 'no-working-phone',
        reason: `${name} has no working phone number`,
        engineerId: id,
      });
    }
    if (containsInstant(unavailable.get(id) ?? [], atMs)) {
      reasons.push({ kind: 'unavailable', reason: `${name} is unavailable`, engineerId: id });
    }
  }
  return reasons;
}
