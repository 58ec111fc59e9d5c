import { stockholmOffsetMs, stockholmWallClockMs } from '../calendar/zone.js';
import type { OnCallRole, Rotation } from './roster.js';
import { parseHandover } from './validate.js';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** One shift of a rotation: its number k, its engineer and its real interval. */
export interface RotationShift {
  rotationId: string;
  role: OnCallRole;
  /** k: 0 for the first shift. */
  index: number;
  /** `engineerIds[k mod n]`. */
  engineerId: string;
  startMs: number;
  /** The next shift's start, or the rotation's end if that comes first. */
  endMs: number;
}

/**
 * The wall-clock grid of a rotation: shift k starts at the Stockholm wall-clock time
 * `baseLocalMs + k × stepMs` (local epoch ms), except shift 0 which starts at `firstMs`.
 */
interface ShiftGrid {
  baseLocalMs: number;
  stepMs: number;
  firstMs: number;
}

function gridOf(rotation: Rotation): ShiftGrid {
  const stepMs = rotation.shiftHours * MS_PER_HOUR;
  const handover = rotation.handover == null ? null : parseHandover(rotation.handover);
  if (handover === null) {
    // Shift 0 starts at the given instant itself (even the second 02:30 of the autumn night); later
    // shifts at its wall-clock reading plus whole shifts.
    return { baseLocalMs: wallClockOf(rotation.startMs), stepMs, firstMs: rotation.startMs };
  }
  const localDay = Math.floor(wallClockOf(rotation.startMs) / MS_PER_DAY) * MS_PER_DAY;
  const baseLocalMs = localDay + handover * MS_PER_MINUTE;
  return { baseLocalMs, stepMs, firstMs: instantOfWallClock(baseLocalMs) };
}

/** The Stockholm wall clock at an instant as local epoch ms (the reading taken as if it were UTC). */
function wallClockOf(ms: number): number {
  return ms + stockholmOffsetMs(ms);
}

/** The instant of a wall-clock time, 'compatible' (the cached equivalent of Temporal's, see zone.ts). */
const instantOfWallClock = stockholmWallClockMs;

function startOf(grid: ShiftGrid, k: number): number {
  return k === 0 ? grid.firstMs : instantOfWallClock(grid.baseLocalMs + k * grid.stepMs);
}

/**
 * When a rotation's first shift starts: `startMs` itself, or with a `handover` that local time on the
 * local date of `startMs` (which may be earlier or later the same day; the rotation runs from there).
 * @example firstShiftStartMs({ ...r, startMs: at('2026-03-02T00:00+01:00'), handover: '08:00' }) // 08:00 that day
 */
export function firstShiftStartMs(rotation: Rotation): number {
  return gridOf(rotation).firstMs;
}

/**
 * The real start of shift k (k ≥ 0) of a rotation, ignoring its end. Hand-overs are at Stockholm wall-clock
 * times: shift k starts at the wall-clock time of shift 0 plus k × shiftHours wall-clock hours (whole
 * days when shiftHours is a multiple of 24), so a weekly Monday 08:00 shift across the spring change lasts
 * 167 real hours and across the autumn change 169. A wall-clock time that does not exist (spring night)
 * is moved forward by the gap; one that happens twice (autumn night) is the earlier ('compatible', as
 * Temporal). Hourly shifts can thus give an empty shift on the spring night (its engineer misses a turn).
 * @example shiftStartMs({ ...r, startMs: at('2026-03-23T08:00+01:00'), shiftHours: 168 }, 1) // 2026-03-30T08:00+02:00
 */
export function shiftStartMs(rotation: Rotation, k: number): number {
  return startOf(gridOf(rotation), k);
}

function indexAt(grid: ShiftGrid, ms: number): number {
  if (ms < grid.firstMs) return -1;
  // An estimate from the wall clock (exact but for the offset change), corrected by a step or two, so a
  // rotation started decades ago costs the same as one started yesterday.
  let k = Math.max(0, Math.floor((wallClockOf(ms) - grid.baseLocalMs) / grid.stepMs));
  while (k > 0 && startOf(grid, k) > ms) k--;
  while (startOf(grid, k + 1) <= ms) k++;
  return k;
}

/**
 * The number k of the shift of a rotation running at `ms` (ignoring the rotation's end), or -1 before
 * its first shift. Constant time however far `ms` is from the rotation's start.
 */
export function shiftIndexAt(rotation: Rotation, ms: number): number {
  return indexAt(gridOf(rotation), ms);
}

/**
 * The shifts of a rotation that overlap [fromMs, toMs), in order, each whole (not cut to the window; cut
 * only at the rotation's end). Empty shifts (see shiftStartMs) are left out.
 */
export function rotationShifts(rotation: Rotation, fromMs: number, toMs: number): RotationShift[] {
  const grid = gridOf(rotation);
  const endMs = rotation.endMs ?? Number.POSITIVE_INFINITY;
  const lo = Math.max(fromMs, grid.firstMs);
  const hi = Math.min(toMs, endMs);
  const shifts: RotationShift[] = [];
  if (lo >= hi) return shifts;
  const n = rotation.engineerIds.length;
  let k = indexAt(grid, lo);
  let startMs = startOf(grid, k);
  while (startMs < hi) {
    const nextMs = startOf(grid, k + 1);
    const shiftEndMs = Math.min(nextMs, endMs);
    if (shiftEndMs > startMs) {
      shifts.push({
        rotationId: rotation.id,
        role: rotation.role,
        index: k,
        engineerId: rotation.engineerIds[k % n] as string,
        startMs,
        endMs: shiftEndMs,
      });
    }
    k++;
    startMs = nextMs;
  }
  return shifts;
}
