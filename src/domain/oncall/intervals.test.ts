import { describe, expect, it } from 'vitest';
import { containsInstant, intersectWith, mergeIntervals, overlapsAny } from './intervals.js';

const i = (startMs: number, endMs: number) => ({ startMs, endMs });

describe('intervals', () => {
  const merged = mergeIntervals([i(20, 30), i(0, 5), i(5, 10), i(8, 12), i(40, 40)]);

  it('merges overlapping and touching intervals, in order, dropping empty ones', () => {
    expect(merged).toEqual([i(0, 12), i(20, 30)]);
  });

  it('answers overlap, containment and intersection on the half-open intervals', () => {
    expect(overlapsAny(merged, 12, 20)).toBe(false);
    expect(overlapsAny(merged, 11, 20)).toBe(true);
    expect(overlapsAny(merged, 29, 31)).toBe(true);
    expect(containsInstant(merged, 12)).toBe(false);
    expect(containsInstant(merged, 0)).toBe(true);
    expect(intersectWith(merged, 10, 25)).toEqual([i(10, 12), i(20, 25)]);
    expect(intersectWith(merged, 30, 99)).toEqual([]);
  });
});
