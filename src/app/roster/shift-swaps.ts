import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findSwap, insertSwap, listSwaps, transitionSwap } from '../../db/repositories/roster.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { ShiftSwapRow } from '../../db/tables/roster.table.js';
import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import { indexRoster, roleSegments } from '../../domain/oncall/resolve.js';
import type { OnCallRole } from '../../domain/oncall/roster.js';
import { swapShift } from '../../domain/oncall/swap.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { insertCheckedOverride, type OverrideView } from './overrides.js';
import { loadRoster } from './roster-data.js';

export interface ShiftSwapView {
  id: string;
  role: OnCallRole;
  start: string;
  end: string;
  offeredBy: string;
  takenBy: string | null;
  status: ShiftSwapRow['status'];
  overrideId: string | null;
  note: string | null;
  createdAt: string;
}

function toView(row: ShiftSwapRow): ShiftSwapView {
  return {
    id: row.id,
    role: row.role as OnCallRole,
    start: formatInstant(Date.parse(row.start_at)),
    end: formatInstant(Date.parse(row.end_at)),
    offeredBy: row.offered_by,
    takenBy: row.taken_by,
    status: row.status,
    overrideId: row.override_id,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** The engineer acting: an engineer acts as themself; a manager names the engineer they act for. */
function actingEngineer(principal: Principal, named: string | undefined): string {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  if (principal.role === 'engineer') {
    if (!principal.engineerId) throw new DomainError('FORBIDDEN', 'this login is not linked to an engineer');
    if (named && named !== principal.engineerId)
      throw new DomainError('FORBIDDEN', 'an engineer acts only for themself');
    return principal.engineerId;
  }
  if (!named) {
    throw new DomainError('VALIDATION_FAILED', '/engineerId: say which engineer', [
      { path: '/engineerId', message: 'is required when a manager acts for an engineer' },
    ]);
  }
  return named;
}

/** An engineer offers a stretch of a role they hold; colleagues see it and one may take it. */
export async function offerShift(
  ctx: AppContext,
  principal: Principal,
  input: { role: OnCallRole; start: string; end: string; engineerId?: string; note?: string | null },
): Promise<ShiftSwapView> {
  const engineerId = actingEngineer(principal, input.engineerId);
  const startMs = parseInstant(input.start, '/start');
  const endMs = parseInstant(input.end, '/end');
  if (endMs <= startMs) {
    throw new DomainError('VALIDATION_FAILED', '/end: must be after start', [
      { path: '/end', message: 'must be after start' },
    ]);
  }
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const roster = await loadRoster(trx, startMs, endMs);
    const held = roleSegments(indexRoster(roster), input.role, startMs, endMs);
    if (held.some((s) => s.engineerId !== engineerId)) {
      throw new DomainError('CONFLICT', `you do not hold the ${input.role} role for all of that time`, [
        { path: '/start', message: 'the offered time must be yours in the roster' },
      ]);
    }
    const row: ShiftSwapRow = {
      id: ctx.newId(),
      role: input.role,
      start_at: toDbInstant(startMs),
      end_at: toDbInstant(endMs),
      offered_by: engineerId,
      taken_by: null,
      status: 'offered',
      override_id: null,
      note: input.note ?? null,
      created_at: toDbInstant(nowMs),
      updated_at: toDbInstant(nowMs),
    };
    await insertSwap(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'shift_swap.offered',
      entityType: 'shift_swap',
      entityId: row.id,
      data: { swap: toView(row) },
    });
    return toView(row);
  });
}

/**
 * A colleague takes an offered shift: it becomes an override (the planner sees it like any other) in
 * the same transaction. Only one taker can win; a stale offer or one that would put one person in both
 * roles is refused.
 */
export async function takeShift(
  ctx: AppContext,
  principal: Principal,
  swapId: string,
  input: { engineerId?: string },
): Promise<{ swap: ShiftSwapView; override: OverrideView }> {
  const takerId = actingEngineer(principal, input.engineerId);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const swap = await findSwap(trx, swapId);
    if (!swap) throw new DomainError('NOT_FOUND', 'shift swap not found');
    if (swap.status !== 'offered')
      throw new DomainError('CONFLICT', `this shift swap is already ${swap.status}`);
    const startMs = Date.parse(swap.start_at);
    const endMs = Date.parse(swap.end_at);
    const roster = await loadRoster(trx, startMs, endMs);
    const planned = swapShift(
      roster,
      { role: swap.role as OnCallRole, startMs, endMs, engineerId: swap.offered_by },
      takerId,
      { id: 'new', createdSeq: Number.MAX_SAFE_INTEGER },
    );
    const override = await insertCheckedOverride(
      trx,
      ctx,
      principal,
      {
        role: planned.role,
        engineerId: planned.engineerId,
        startMs,
        endMs,
        reason: swap.note ? `Skiftbyte: ${swap.note}` : 'Skiftbyte',
      },
      { action: 'override.created', data: { swapId } },
    );
    const won = await transitionSwap(trx, swapId, 'offered', {
      status: 'taken',
      taken_by: takerId,
      override_id: override.id,
      updated_at: toDbInstant(nowMs),
    });
    if (!won) throw new DomainError('CONFLICT', 'someone else took this shift a moment ago');
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'shift_swap.taken',
      entityType: 'shift_swap',
      entityId: swapId,
      data: { takenBy: takerId, overrideId: override.id },
    });
    return { swap: toView((await findSwap(trx, swapId)) as ShiftSwapRow), override };
  });
}

/** The offering engineer (or a manager) withdraws an offer nobody has taken. */
export async function cancelSwap(
  ctx: AppContext,
  principal: Principal,
  swapId: string,
): Promise<ShiftSwapView> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const swap = await findSwap(trx, swapId);
    if (!swap) throw new DomainError('NOT_FOUND', 'shift swap not found');
    if (principal.role === 'engineer' && principal.engineerId !== swap.offered_by) {
      throw new DomainError('FORBIDDEN', 'only the engineer who offered it can withdraw it');
    }
    if (
      !(await transitionSwap(trx, swapId, 'offered', { status: 'cancelled', updated_at: toDbInstant(nowMs) }))
    ) {
      throw new DomainError('CONFLICT', `this shift swap is already ${swap.status}`);
    }
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'shift_swap.cancelled',
      entityType: 'shift_swap',
      entityId: swapId,
    });
    return toView((await findSwap(trx, swapId)) as ShiftSwapRow);
  });
}

export async function listShiftSwaps(
  ctx: AppContext,
  principal: Principal,
  status?: ShiftSwapRow['status'],
): Promise<ShiftSwapView[]> {
  requireRole(principal, STAFF_ROLES);
  return (await listSwaps(ctx.db, status)).map(toView);
}
