import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import { findGaps, type GapKind } from '../../domain/oncall/gaps.js';
import { resolveAt, shiftsIn } from '../../domain/oncall/resolve.js';
import type { Assignment, OnCallRole } from '../../domain/oncall/roster.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { toEngineerView, type EngineerView } from '../engineers/engineers.js';
import { loadPricingRules } from '../pricing/pricing-rules.js';
import {
  engineerNames,
  loadRosterAndEngineers,
  toEngineerInfo,
  toSegmentView,
  type SegmentView,
} from './roster-data.js';

const MAX_RANGE_MS = 400 * 86_400_000;

/** Parses a [from, to) query; `to` after `from`, at most about a year apart. */
export function parseRange(from: string, to: string): { fromMs: number; toMs: number } {
  const fromMs = parseInstant(from, '/from');
  const toMs = parseInstant(to, '/to');
  if (toMs <= fromMs) {
    throw new DomainError('VALIDATION_FAILED', '/to: must be after from', [
      { path: '/to', message: 'must be after from' },
    ]);
  }
  if (toMs - fromMs > MAX_RANGE_MS) {
    throw new DomainError('VALIDATION_FAILED', '/to: the period may be at most 400 days', [
      { path: '/to', message: 'the period may be at most 400 days' },
    ]);
  }
  return { fromMs, toMs };
}

export type OnCallHolder = EngineerView & {
  source: Assignment['source'];
  rotationId: string | null;
  overrideId: string | null;
};

export interface OnCallView {
  at: string;
  primary: OnCallHolder | null;
  secondary: OnCallHolder | null;
}

/** Who holds each role at an instant (API: GET /oncall?at=). */
export async function whoIsOnCall(ctx: AppContext, principal: Principal, at?: string): Promise<OnCallView> {
  requireRole(principal, STAFF_ROLES);
  const atMs = at ? parseInstant(at, '/at') : ctx.clock.now();
  const { roster, engineers } = await loadRosterAndEngineers(ctx.db, atMs, atMs + 1);
  const byId = new Map(engineers.map((e) => [e.id, e]));
  const now = resolveAt(roster, atMs);
  const holder = (a: Assignment | null): OnCallHolder | null => {
    const row = a ? byId.get(a.engineerId) : undefined;
    if (!a || !row) return null;
    return {
      ...toEngineerView(row),
      source: a.source,
      rotationId: a.rotationId ?? null,
      overrideId: a.overrideId ?? null,
    };
  };
  return { at: formatInstant(atMs), primary: holder(now.primary), secondary: holder(now.secondary) };
}

export interface GapView {
  start: string;
  end: string;
  reason: string;
  kind: GapKind;
  engineerId: string | null;
}

/** Coverage gaps: on-call time in [from, to) with fewer than two people who can be paged. */
export async function coverageGaps(
  ctx: AppContext,
  principal: Principal,
  fromMs: number,
  toMs: number,
): Promise<GapView[]> {
  requireRole(principal, STAFF_ROLES);
  const [{ roster, engineers }, rules] = await Promise.all([
    loadRosterAndEngineers(ctx.db, fromMs, toMs),
    loadPricingRules(ctx.db),
  ]);
  return findGaps(roster, engineers.map(toEngineerInfo), rules.calendar, fromMs, toMs).map((g) => ({
    start: formatInstant(g.startMs),
    end: formatInstant(g.endMs),
    reason: g.reason,
    kind: g.kind,
    engineerId: g.engineerId ?? null,
  }));
}

/** The roster of [from, to) as consecutive stretches per role, for the planner and the feeds. */
export async function rosterShifts(
  ctx: AppContext,
  principal: Principal,
  fromMs: number,
  toMs: number,
): Promise<Record<OnCallRole, SegmentView[]>> {
  requireRole(principal, STAFF_ROLES);
  const { roster, engineers } = await loadRosterAndEngineers(ctx.db, fromMs, toMs);
  const names = engineerNames(engineers);
  const shifts = shiftsIn(roster, fromMs, toMs);
  return {
    primary: shifts.primary.map((s) => toSegmentView(s, names)),
    secondary: shifts.secondary.map((s) => toSegmentView(s, names)),
  };
}
