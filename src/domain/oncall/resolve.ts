import { DomainError } from '../shared/domain-error.js';
import type { Interval } from './intervals.js';
import { intersectWith, mergeIntervals, overlapsAny } from './intervals.js';
import type { Assignment, OnCallAt, OnCallRole, Override, Rotation, Roster, ShiftSegment } from './roster.js';
import { ON_CALL_ROLES } from './roster.js';
import type { RotationShift } from './shifts.js';
import { firstShiftStartMs, rotationShifts } from './shifts.js';
import { checkOverride, checkUnavailability, isInstant, validateRotation } from './validate.js';

/** The segments of both roles over one period, each list tiling the period exactly. */
export type RoleSegments = Record<OnCallRole, ShiftSegment[]>;

/** A stretch of time in which one rotation of a role has precedence (`endMs` may be +Infinity). */
interface RotationRun extends Interval {
  rotation: Rotation;
}

/** The roster checked and indexed once per query. */
export interface RosterIndex {
  runs: Record<OnCallRole, RotationRun[]>;
  overrides: Record<OnCallRole, Override[]>;
  /** Each engineer's unavailability, sorted and merged. */
  unavailable: Map<string, Interval[]>;
}

const NO_INTERVALS: readonly Interval[] = [];

/**
 * Checks and indexes a roster (throws VALIDATION_FAILED naming e.g. `/rotations/2/shiftHours` for data
 * that should never have been stored). For callers that query one roster many times.
 */
export function indexRoster(roster: Roster): RosterIndex {
  const rotations = roster.rotations.map((r, i) => validateRotation(r, `/rotations/${i}`));
  roster.overrides.forEach((o, i) => checkOverride(o, [], `/overrides/${i}`));
  roster.unavailability.forEach((u, i) => checkUnavailability(u, `/unavailability/${i}`));
  const byEngineer = new Map<string, Interval[]>();
  for (const u of roster.unavailability) {
    const list = byEngineer.get(u.engineerId) ?? [];
    list.push({ startMs: u.startMs, endMs: u.endMs });
    byEngineer.set(u.engineerId, list);
  }
  const unavailable = new Map<string, Interval[]>();
  for (const [id, list] of byEngineer) unavailable.set(id, mergeIntervals(list));
  const runs = { primary: [], secondary: [] } as Record<OnCallRole, RotationRun[]>;
  const overrides = { primary: [], secondary: [] } as Record<OnCallRole, Override[]>;
  for (const role of ON_CALL_ROLES) {
    runs[role] = rotationRuns(rotations.filter((r) => r.role === role));
    overrides[role] = roster.overrides.filter((o) => o.role === role);
  }
  return { runs, overrides, unavailable };
}

/**
 * Where each rotation of one role has precedence. Of the rotations in force at an instant (from their
 * first shift's start to their end), the one whose first shift started latest wins, on equal starts the
 * greater id: a new rotation takes over from the old one, and a temporary one (with an end) hands back.
 */
function rotationRuns(rotations: readonly Rotation[]): RotationRun[] {
  const spans = rotations
    .map((rotation) => ({
      rotation,
      startMs: firstShiftStartMs(rotation),
      endMs: rotation.endMs ?? Number.POSITIVE_INFINITY,
    }))
    .filter((s) => s.endMs > s.startMs);
  const points = [...new Set(spans.flatMap((s) => [s.startMs, s.endMs]))]
    .filter((p) => p !== Number.POSITIVE_INFINITY)
    .sort((a, b) => a - b);
  const runs: RotationRun[] = [];
  points.forEach((startMs, i) => {
    const endMs = points[i + 1] ?? Number.POSITIVE_INFINITY;
    let winner: (typeof spans)[number] | undefined;
    for (const s of spans) {
      if (s.startMs > startMs || s.endMs <= startMs) continue;
      if (
        !winner ||
        s.startMs > winner.startMs ||
        (s.startMs === winner.startMs && s.rotation.id > winner.rotation.id)
      ) {
        winner = s;
      }
    }
    if (!winner) return;
    const last = runs[runs.length - 1];
    if (last && last.rotation === winner.rotation && last.endMs === startMs) last.endMs = endMs;
    else runs.push({ startMs, endMs, rotation: winner.rotation });
  });
  return runs;
}

/**
 * The segments of one role over [fromMs, toMs) from an index: rotation shifts, substitutes for
 * unavailable engineers, overrides on top, and 'none' wherever nobody holds the role; in order, tiling
 * the period exactly, adjacent segments with equal attributes merged.
 */
export function roleSegments(
  index: RosterIndex,
  role: OnCallRole,
  fromMs: number,
  toMs: number,
): ShiftSegment[] {
  assertPeriod(fromMs, toMs);
  if (fromMs === toMs) return [];
  const base: ShiftSegment[] = [];
  let cursor = fromMs;
  // Segments arrive fresh from staffShiftPart, so they are cut to the window in place.
  const push = (segment: ShiftSegment) => {
    segment.startMs = Math.max(segment.startMs, fromMs);
    segment.endMs = Math.min(segment.endMs, toMs);
    if (segment.endMs <= segment.startMs) return;
    if (segment.startMs > cursor) base.push(noneSegment(role, cursor, segment.startMs));
    base.push(segment);
    cursor = segment.endMs;
  };
  for (const run of index.runs[role]) {
    if (run.endMs <= fromMs || run.startMs >= toMs) continue;
    const from = Math.max(fromMs, run.startMs);
    const to = Math.min(toMs, run.endMs);
    for (const shift of rotationShifts(run.rotation, from, to)) {
      // Whole shift parts (not cut to the window), so a substitute is chosen the same way whatever
      // period is asked for.
      const startMs = Math.max(shift.startMs, run.startMs);
      const endMs = Math.min(shift.endMs, run.endMs);
      for (const segment of staffShiftPart(index, run.rotation, shift, startMs, endMs)) push(segment);
    }
  }
  if (cursor < toMs) base.push(noneSegment(role, cursor, toMs));
  return mergeEqual(overlay(base, overrideLayer(index.overrides[role], fromMs, toMs)));
}

/**
 * The segments of [startMs, endMs), a part of one shift in which its rotation has precedence: the
 * scheduled engineer, except where they are unavailable. Each maximal stretch of unavailability goes to
 * the next member in rotation order (after the scheduled one, wrapping round) who is available for the
 * whole stretch, or to nobody.
 */
function staffShiftPart(
  index: RosterIndex,
  rotation: Rotation,
  shift: RotationShift,
  startMs: number,
  endMs: number,
): ShiftSegment[] {
  const scheduled = shift.engineerId;
  const segment = (engineerId: string | null, from: number, to: number): ShiftSegment => {
    const made: ShiftSegment = {
      role: shift.role,
      engineerId,
      startMs: from,
      endMs: to,
      source: engineerId === scheduled ? 'rotation' : engineerId === null ? 'none' : 'substitute',
      rotationId: rotation.id,
      shiftStartMs: shift.startMs,
      shiftEndMs: shift.endMs,
    };
    if (engineerId !== scheduled) made.scheduledEngineerId = scheduled;
    return made;
  };
  const unavailable = index.unavailable.get(scheduled);
  if (unavailable === undefined) return [segment(scheduled, startMs, endMs)];
  const segments: ShiftSegment[] = [];
  let cursor = startMs;
  for (const part of intersectWith(unavailable, startMs, endMs)) {
    if (part.startMs > cursor) segments.push(segment(scheduled, cursor, part.startMs));
    segments.push(segment(findSubstitute(index, rotation, shift.index, part), part.startMs, part.endMs));
    cursor = part.endMs;
  }
  if (cursor < endMs) segments.push(segment(scheduled, cursor, endMs));
  return segments;
}

function findSubstitute(index: RosterIndex, rotation: Rotation, k: number, part: Interval): string | null {
  const ids = rotation.engineerIds;
  const scheduled = ids[k % ids.length];
  for (let j = 1; j < ids.length; j++) {
    const candidate = ids[(k + j) % ids.length] as string;
    if (candidate === scheduled) continue;
    const unavailable = index.unavailable.get(candidate) ?? NO_INTERVALS;
    if (!overlapsAny(unavailable, part.startMs, part.endMs)) return candidate;
  }
  return null;
}

/**
 * The overrides of one role as non-overlapping segments within [fromMs, toMs): where several overlap,
 * the one with the highest createdSeq (then the greatest id) wins.
 */
function overrideLayer(overrides: readonly Override[], fromMs: number, toMs: number): ShiftSegment[] {
  const inWindow = overrides.filter((o) => o.endMs > fromMs && o.startMs < toMs);
  if (inWindow.length === 0) return [];
  const points = [
    ...new Set(inWindow.flatMap((o) => [Math.max(o.startMs, fromMs), Math.min(o.endMs, toMs)])),
  ].sort((a, b) => a - b);
  const layer: ShiftSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const startMs = points[i] as number;
    const endMs = points[i + 1] as number;
    let winner: Override | undefined;
    for (const o of inWindow) {
      if (o.startMs > startMs || o.endMs <= startMs) continue;
      if (
        !winner ||
        o.createdSeq > winner.createdSeq ||
        (o.createdSeq === winner.createdSeq && o.id > winner.id)
      ) {
        winner = o;
      }
    }
    if (!winner) continue;
    layer.push({
      role: winner.role,
      engineerId: winner.engineerId,
      startMs,
      endMs,
      source: 'override',
      overrideId: winner.id,
      shiftStartMs: winner.startMs,
      shiftEndMs: winner.endMs,
    });
  }
  return layer;
}

/** `base` (tiling a period) with `top` (sorted, non-overlapping, inside the period) laid over it. */
function overlay(base: readonly ShiftSegment[], top: readonly ShiftSegment[]): ShiftSegment[] {
  if (top.length === 0) return [...base];
  const result: ShiftSegment[] = [];
  let j = 0;
  for (const segment of base) {
    let cursor = segment.startMs;
    while (j < top.length && (top[j] as ShiftSegment).endMs <= cursor) j++;
    for (let t = j; t < top.length; t++) {
      const over = top[t] as ShiftSegment;
      if (over.startMs >= segment.endMs) break;
      if (over.startMs > cursor) result.push({ ...segment, startMs: cursor, endMs: over.startMs });
      const endMs = Math.min(over.endMs, segment.endMs);
      result.push({ ...over, startMs: Math.max(over.startMs, cursor), endMs });
      cursor = endMs;
    }
    if (cursor < segment.endMs) result.push({ ...segment, startMs: cursor, endMs: segment.endMs });
  }
  return result;
}

function sameAttributes(a: ShiftSegment, b: ShiftSegment): boolean {
  return (
    a.engineerId === b.engineerId &&
    a.source === b.source &&
    a.rotationId === b.rotationId &&
    a.overrideId === b.overrideId &&
    a.shiftStartMs === b.shiftStartMs &&
    a.shiftEndMs === b.shiftEndMs &&
    a.scheduledEngineerId === b.scheduledEngineerId
  );
}

/** Merges adjacent segments with equal attributes, in place (the segments are the caller's own). */
function mergeEqual(segments: ShiftSegment[]): ShiftSegment[] {
  const merged: ShiftSegment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last && last.endMs === segment.startMs && sameAttributes(last, segment)) last.endMs = segment.endMs;
    else merged.push(segment);
  }
  return merged;
}

function noneSegment(role: OnCallRole, startMs: number, endMs: number): ShiftSegment {
  return { role, engineerId: null, startMs, endMs, source: 'none' };
}

function assertPeriod(fromMs: number, toMs: number): void {
  if (!isInstant(fromMs) || !isInstant(toMs)) {
    throw new DomainError('INVALID_TIME', `not a period of epoch-millisecond instants: ${fromMs}..${toMs}`);
  }
  if (toMs < fromMs)
    throw new DomainError('INVALID_TIME', `period ends (${toMs}) before it starts (${fromMs})`);
}

/**
 * Who holds each role over [fromMs, toMs): per role an ordered list of segments that tiles the period
 * exactly (no overlap, no hole), with source 'none' where nobody does. An override wins over every
 * rotation exactly inside its interval; overlapping rotations of one role: the latest-starting wins.
 * @example shiftsIn(roster, at('2026-12-07T00:00+01:00'), at('2026-12-14T00:00+01:00')).primary[0].engineerId
 */
export function shiftsIn(roster: Roster, fromMs: number, toMs: number): RoleSegments {
  const index = indexRoster(roster);
  return {
    primary: roleSegments(index, 'primary', fromMs, toMs),
    secondary: roleSegments(index, 'secondary', fromMs, toMs),
  };
}

/**
 * Who is primary and who is secondary at instant `atMs` (null for a role nobody holds), and why.
 * @example resolveAt(roster, at('2026-12-24T10:00+01:00')).primary?.engineerId // 'anna'
 */
export function resolveAt(roster: Roster, atMs: number): OnCallAt {
  const index = indexRoster(roster);
  const at = (role: OnCallRole): Assignment | null => {
    const segment = roleSegments(index, role, atMs, atMs + 1)[0];
    if (!segment || segment.engineerId === null || segment.source === 'none') return null;
    const { startMs: _start, endMs: _end, ...assignment } = segment;
    return { ...assignment, engineerId: segment.engineerId, source: segment.source };
  };
  return { primary: at('primary'), secondary: at('secondary') };
}
