import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  deleteUnavailability as deleteRow,
  findUnavailability,
  insertUnavailability,
  listUnavailability as listRows,
} from '../../db/repositories/roster.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { UnavailabilityRow } from '../../db/tables/roster.table.js';
import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import { checkUnavailability } from '../../domain/oncall/validate.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { assertEngineersExist } from './rotations.js';

export interface UnavailabilityView {
  id: string;
  engineerId: string;
  start: string;
  end: string;
  note: string | null;
  createdAt: string;
}

function toView(row: UnavailabilityRow): UnavailabilityView {
  return {
    id: row.id,
    engineerId: row.engineer_id,
    start: formatInstant(Date.parse(row.start_at)),
    end: formatInstant(Date.parse(row.end_at)),
    note: row.note,
    createdAt: row.created_at,
  };
}

/** Managers record anyone's absence; an engineer records their own. */
function assertMayEdit(principal: Principal, engineerId: string): void {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  if (principal.role === 'engineer' && principal.engineerId !== engineerId) {
    throw new DomainError('FORBIDDEN', 'an engineer can only record their own unavailability');
  }
}

/** Vacation or leave: rotations skip the engineer in this interval (a stand-in takes the turn). */
export async function addUnavailability(
  ctx: AppContext,
  principal: Principal,
  input: { engineerId: string; start: string; end: string; note?: string | null },
): Promise<UnavailabilityView> {
  assertMayEdit(principal, input.engineerId);
  const entry = {
    engineerId: input.engineerId,
    startMs: parseInstant(input.start, '/start'),
    endMs: parseInstant(input.end, '/end'),
  };
  checkUnavailability(entry);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await assertEngineersExist(trx, [input.engineerId], '/engineerId');
    const row: UnavailabilityRow = {
      id: ctx.newId(),
      engineer_id: entry.engineerId,
      start_at: toDbInstant(entry.startMs),
      end_at: toDbInstant(entry.endMs),
      note: input.note ?? null,
      created_at: toDbInstant(nowMs),
    };
    await insertUnavailability(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'unavailability.created',
      entityType: 'unavailability',
      entityId: row.id,
      data: { unavailability: toView(row) },
    });
    return toView(row);
  });
}

export async function listUnavailability(
  ctx: AppContext,
  principal: Principal,
): Promise<UnavailabilityView[]> {
  requireRole(principal, STAFF_ROLES);
  return (await listRows(ctx.db)).map(toView);
}

export async function removeUnavailability(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findUnavailability(trx, id);
    if (!row) throw new DomainError('NOT_FOUND', 'unavailability not found');
    assertMayEdit(principal, row.engineer_id);
    await deleteRow(trx, id);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'unavailability.deleted',
      entityType: 'unavailability',
      entityId: id,
      data: { unavailability: toView(row) },
    });
  });
}
