/** A half-open interval of instants [startMs, endMs). */
export interface Interval {
  startMs: number;
  endMs: number;
}

/**
 * Sorts intervals and merges those that overlap or touch; empty ones are dropped.
 * @example mergeIntervals([{ startMs: 5, endMs: 9 }, { startMs: 1, endMs: 5 }]) // [{ startMs: 1, endMs: 9 }]
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  for (const { startMs, endMs } of sorted) {
    const last = merged[merged.length - 1];
    if (last && startMs <= last.endMs) last.endMs = Math.max(last.endMs, endMs);
    else merged.push({ startMs, endMs });
  }
  return merged;
}

/** Index of the first interval of a sorted, merged list that ends after `ms` (the list's length if none). */
function firstEndingAfter(merged: readonly Interval[], ms: number): number {
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((merged[mid] as Interval).endMs > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when a sorted, merged list has any instant in [startMs, endMs). */
export function overlapsAny(merged: readonly Interval[], startMs: number, endMs: number): boolean {
  const found = merged[firstEndingAfter(merged, startMs)];
  return found !== undefined && found.startMs < endMs;
}

/** True when `ms` lies in one of the intervals of a sorted, merged list. */
export function containsInstant(merged: readonly Interval[], ms: number): boolean {
  return overlapsAny(merged, ms, ms + 1);
}

/** The parts of a sorted, merged list inside [startMs, endMs), in order. */
export function intersectWith(merged: readonly Interval[], startMs: number, endMs: number): Interval[] {
  const parts: Interval[] = [];
  for (let i = firstEndingAfter(merged, startMs); i < merged.length; i++) {
    const interval = merged[i] as Interval;
    if (interval.startMs >= endMs) break;
    parts.push({ startMs: Math.max(startMs, interval.startMs), endMs: Math.min(endMs, interval.endMs) });
  }
  return parts;
}
