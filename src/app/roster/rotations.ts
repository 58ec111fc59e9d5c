import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import {
  deleteRotation as deleteRotationRow,
  findRotation,
  insertRotation,
  listRotations as listRotationRows,
  replaceRotationMembers,
  updateRotationRow,
  type RotationWithMembers,
} from '../../db/repositories/roster.repository.js';
import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import type { OnCallRole } from '../../domain/oncall/roster.js';
import { validateRotation } from '../../domain/oncall/validate.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { toRotation } from './roster-data.js';

export interface RotationView {
  id: string;
  name: string | null;
  role: OnCallRole;
  engineerIds: string[];
  start: string;
  shiftHours: number;
  handover: string | null;
  end: string | null;
  createdAt: string;
}

function toView(row: RotationWithMembers): RotationView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as OnCallRole,
    engineerIds: row.engineer_ids,
    start: formatInstant(Date.parse(row.start_at)),
    shiftHours: row.shift_hours,
    handover: row.handover,
    end: row.end_at === null ? null : formatInstant(Date.parse(row.end_at)),
    createdAt: row.created_at,
  };
}

export interface RotationInput {
  name?: string | null;
  role: OnCallRole;
  engineerIds: string[];
  start: string;
  shiftHours: number;
  handover?: string | null;
  end?: string | null;
}

/** Every listed engineer must exist; the error names the position in the list. */
export async function assertEngineersExist(db: DbOrTrx, ids: readonly string[], path: string): Promise<void> {
  for (const [i, id] of ids.entries()) {
    if (!(await findEngineer(db, id))) {
      throw new DomainError('VALIDATION_FAILED', `${path}/${i}: no engineer ${id}`, [
        { path: `${path}/${i}`, message: `no engineer with id ${id}` },
      ]);
    }
  }
}

const MANAGE = ['admin', 'manager'] as const;

/** Creates a rotation: engineers take turns in one role, handing over at local wall-clock times. */
export async function createRotation(
  ctx: AppContext,
  principal: Principal,
  input: RotationInput,
): Promise<RotationView> {
  requireRole(principal, MANAGE);
  const id = ctx.newId();
  const rotation = validateRotation({
    id,
    role: input.role,
    engineerIds: input.engineerIds,
    startMs: parseInstant(input.start, '/start'),
    shiftHours: input.shiftHours,
    handover: input.handover ?? null,
    endMs: input.end ? parseInstant(input.end, '/end') : null,
  });
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await assertEngineersExist(trx, rotation.engineerIds, '/engineerIds');
    await insertRotation(
      trx,
      {
        id,
        name: input.name ?? null,
        role: rotation.role,
        start_at: toDbInstant(rotation.startMs),
        shift_hours: rotation.shiftHours,
        handover: rotation.handover ?? null,
        end_at: rotation.endMs ? toDbInstant(rotation.endMs) : null,
        created_at: toDbInstant(nowMs),
      },
      [...rotation.engineerIds],
    );
    const view = toView((await findRotation(trx, id)) as RotationWithMembers);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'rotation.created',
      entityType: 'rotation',
      entityId: id,
      data: { rotation: view },
    });
    return view;
  });
}

export async function listRotations(ctx: AppContext, principal: Principal): Promise<RotationView[]> {
  requireRole(principal, STAFF_ROLES);
  return (await listRotationRows(ctx.db)).map(toView);
}

export async function getRotation(ctx: AppContext, principal: Principal, id: string): Promise<RotationView> {
  requireRole(principal, STAFF_ROLES);
  const row = await findRotation(ctx.db, id);
  if (!row) throw new DomainError('NOT_FOUND', 'rotation not found');
  return toView(row);
}

/** Changes a rotation (members, shift length, hand-over, end). The whole result is validated again. */
export async function updateRotation(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: Partial<RotationInput>,
): Promise<RotationView> {
  requireRole(principal, MANAGE);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findRotation(trx, id);
    if (!row) throw new DomainError('NOT_FOUND', 'rotation not found');
    const current = toRotation(row);
    const next = validateRotation({
      ...current,
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.engineerIds !== undefined ? { engineerIds: input.engineerIds } : {}),
      ...(input.start !== undefined ? { startMs: parseInstant(input.start, '/start') } : {}),
      ...(input.shiftHours !== undefined ? { shiftHours: input.shiftHours } : {}),
      ...(input.handover !== undefined ? { handover: input.handover } : {}),
      ...(input.end !== undefined ? { endMs: input.end ? parseInstant(input.end, '/end') : null } : {}),
    });
    if (input.engineerIds) {
      await assertEngineersExist(trx, next.engineerIds, '/engineerIds');
      await replaceRotationMembers(trx, id, [...next.engineerIds]);
    }
    await updateRotationRow(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      role: next.role,
      start_at: toDbInstant(next.startMs),
      shift_hours: next.shiftHours,
      handover: next.handover ?? null,
      end_at: next.endMs ? toDbInstant(next.endMs) : null,
    });
    const after = toView((await findRotation(trx, id)) as RotationWithMembers);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'rotation.updated',
      entityType: 'rotation',
      entityId: id,
      data: { before: toView(row), after },
    });
    return after;
  });
}

/** Deletes a rotation; the audit log keeps what it was. To stop one from a date, set its `end`. */
export async function deleteRotation(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  requireRole(principal, MANAGE);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findRotation(trx, id);
    if (!row) throw new DomainError('NOT_FOUND', 'rotation not found');
    await deleteRotationRow(trx, id);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'rotation.deleted',
      entityType: 'rotation',
      entityId: id,
      data: { rotation: toView(row) },
    });
  });
}
