import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  deleteOverride as deleteOverrideRow,
  findOverride,
  insertOverride,
  listOverrides as listOverrideRows,
  updateOverrideRow,
} from '../../db/repositories/roster.repository.js';
import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import type { OverrideRow } from '../../db/tables/roster.table.js';
import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import type { OnCallRole } from '../../domain/oncall/roster.js';
import { checkOverride, type OverrideCandidate } from '../../domain/oncall/validate.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { toOverrides } from './roster-data.js';
import { assertEngineersExist } from './rotations.js';

export interface OverrideView {
  id: string;
  role: OnCallRole;
  engineerId: string;
  start: string;
  end: string;
  reason: string | null;
  createdAt: string;
}

export function toOverrideView(row: OverrideRow): OverrideView {
  return {
    id: row.id,
    role: row.role as OnCallRole,
    engineerId: row.engineer_id,
    start: formatInstant(Date.parse(row.start_at)),
    end: formatInstant(Date.parse(row.end_at)),
    reason: row.reason,
    createdAt: row.created_at,
  };
}

const MANAGE = ['admin', 'manager'] as const;

export interface OverrideInput {
  role: OnCallRole;
  engineerId: string;
  start: string;
  end: string;
  reason?: string | null;
}

/**
 * Inserts an override after the domain checks (end after start, no overlap with the same person's own
 * override of the role) against the overrides around it; used by the API and by shift swaps.
 */
export async function insertCheckedOverride(
  trx: DbOrTrx,
  ctx: AppContext,
  principal: Principal,
  candidate: OverrideCandidate & { reason: string | null },
  audit: { action: string; data?: Record<string, unknown> },
): Promise<OverrideView> {
  await assertEngineersExist(trx, [candidate.engineerId], '/engineerId');
  const around = await listOverrideRows(trx, {
    from: toDbInstant(candidate.startMs),
    to: toDbInstant(candidate.endMs),
  });
  checkOverride(candidate, toOverrides(around));
  const nowMs = ctx.clock.now();
  const row: OverrideRow = {
    id: ctx.newId(),
    role: candidate.role,
    engineer_id: candidate.engineerId,
    start_at: toDbInstant(candidate.startMs),
    end_at: toDbInstant(candidate.endMs),
    reason: candidate.reason,
    created_by: principal.id,
    created_at: toDbInstant(nowMs),
  };
  await insertOverride(trx, row);
  await appendAudit(trx, {
    atMs: nowMs,
    actor: auditActor(principal),
    action: audit.action,
    entityType: 'override',
    entityId: row.id,
    data: { override: toOverrideView(row), ...audit.data },
  });
  return toOverrideView(row);
}

/** A person takes a role for an interval (swap, sickness cover); it wins over the rotations. */
export async function createOverride(
  ctx: AppContext,
  principal: Principal,
  input: OverrideInput,
): Promise<OverrideView> {
  requireRole(principal, MANAGE);
  const candidate = {
    role: input.role,
    engineerId: input.engineerId,
    startMs: parseInstant(input.start, '/start'),
    endMs: parseInstant(input.end, '/end'),
    reason: input.reason ?? null,
  };
  return ctx.db
    .transaction()
    .execute((trx) => insertCheckedOverride(trx, ctx, principal, candidate, { action: 'override.created' }));
}

export async function listOverrides(
  ctx: AppContext,
  principal: Principal,
  range: { from?: string; to?: string },
): Promise<OverrideView[]> {
  requireRole(principal, STAFF_ROLES);
  const rows = await listOverrideRows(
    ctx.db,
    range.from && range.to
      ? {
          from: toDbInstant(parseInstant(range.from, '/from')),
          to: toDbInstant(parseInstant(range.to, '/to')),
        }
      : undefined,
  );
  return rows.map(toOverrideView);
}

export async function updateOverride(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: Partial<OverrideInput>,
): Promise<OverrideView> {
  requireRole(principal, MANAGE);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findOverride(trx, id);
    if (!row) throw new DomainError('NOT_FOUND', 'override not found');
    const candidate: OverrideCandidate = {
      id,
      role: input.role ?? (row.role as OnCallRole),
      engineerId: input.engineerId ?? row.engineer_id,
      startMs: input.start !== undefined ? parseInstant(input.start, '/start') : Date.parse(row.start_at),
      endMs: input.end !== undefined ? parseInstant(input.end, '/end') : Date.parse(row.end_at),
    };
    if (input.engineerId) await assertEngineersExist(trx, [input.engineerId], '/engineerId');
    const around = await listOverrideRows(trx, {
      from: toDbInstant(candidate.startMs),
      to: toDbInstant(candidate.endMs),
    });
    checkOverride(candidate, toOverrides(around));
    await updateOverrideRow(trx, id, {
      role: candidate.role,
      engineer_id: candidate.engineerId,
      start_at: toDbInstant(candidate.startMs),
      end_at: toDbInstant(candidate.endMs),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    });
    const after = toOverrideView((await findOverride(trx, id)) as OverrideRow);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'override.updated',
      entityType: 'override',
      entityId: id,
      data: { before: toOverrideView(row), after },
    });
    return after;
  });
}

export async function deleteOverride(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  requireRole(principal, MANAGE);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findOverride(trx, id);
    if (!row) throw new DomainError('NOT_FOUND', 'override not found');
    await deleteOverrideRow(trx, id);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'override.deleted',
      entityType: 'override',
      entityId: id,
      data: { override: toOverrideView(row) },
    });
  });
}
