import type { Tier } from '../shared/tier.js';
import { TIER_PRIORITY } from '../shared/tier.js';

/** What the board orders an open incident by; `{ ...status, tier, id }` fits. */
export interface BoardItem {
  tier: Tier;
  reportedAtMs: number;
  calledBackAtMs: number | null;
  responseDueMs: number;
  actionDueMs: number | null;
  /** When set, the action clock has stopped and its deadline is no longer open. */
  actionStartedAtMs?: number | null;
  /** Last tie-break, so the order is total and stable across queries. */
  id?: string;
}

/**
 * The deadline the engineer must meet next: the response deadline until the call-back, then the action
 * deadline until work starts; null when neither is open.
 */
export function openDeadlineMs(item: BoardItem): number | null {
  if (item.calledBackAtMs === null) return item.responseDueMs;
  if (item.actionStartedAtMs !== undefined && item.actionStartedAtMs !== null) return null;
  return item.actionDueMs;
}

/**
 * Board order for open incidents: tier priority (hog, incident, none), then the nearest open deadline
 * (incidents without one after those with), then the oldest report, then id. For Array.prototype.sort.
 * @example items.sort(compareForBoard)
 */
export function compareForBoard(a: BoardItem, b: BoardItem): number {
  const byTier = TIER_PRIORITY[a.tier] - TIER_PRIORITY[b.tier];
  if (byTier !== 0) return byTier;
  const da = openDeadlineMs(a);
  const db = openDeadlineMs(b);
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da - db;
  }
  if (a.reportedAtMs !== b.reportedAtMs) return a.reportedAtMs - b.reportedAtMs;
  const ia = a.id ?? '';
  const ib = b.id ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
