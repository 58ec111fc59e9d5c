import { toDbInstant } from '../../db/instant.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findOperationsTask,
  insertOperationsTask,
  insertOperationsWork,
  listOperationsTasks,
  listOperationsWork,
} from '../../db/repositories/billing.repository.js';
import { findServer } from '../../db/repositories/customer.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import type { OperationsTaskRow, OperationsWorkRow } from '../../db/tables/billing.table.js';
import { formatInstant, parseInstant } from '../../domain/calendar/instant.js';
import { DomainError, invalidField } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible, auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';

export const OPERATIONS_KINDS = ['tape_change', 'security_update', 'other'] as const;
export type OperationsKind = (typeof OPERATIONS_KINDS)[number];

/** A recurring operations service on a customer's server (SPEC.md 8: tape changes, security updates). */
export interface OperationsTaskView {
  id: string;
  serverId: string;
  kind: OperationsKind;
  title: string;
  /** Covered by the customer's contract: listed on the invoice at 0. Otherwise billed on account. */
  inContract: boolean;
  intervalDays: number | null;
  createdAt: string;
}

export interface OperationsWorkView {
  id: string;
  taskId: string;
  engineerId: string;
  start: string;
  end: string;
  note: string | null;
  /** Set once the work is on an issued invoice. */
  invoiceLineId: string | null;
}

function taskView(r: OperationsTaskRow): OperationsTaskView {
  return {
    id: r.id,
    serverId: r.server_id,
    kind: r.kind as OperationsKind,
    title: r.title,
    inContract: r.in_contract === 1,
    intervalDays: r.interval_days,
    createdAt: formatInstant(Date.parse(r.created_at)),
  };
}

function workView(r: OperationsWorkRow): OperationsWorkView {
  return {
    id: r.id,
    taskId: r.task_id,
    engineerId: r.engineer_id,
    start: formatInstant(Date.parse(r.start_at)),
    end: formatInstant(Date.parse(r.end_at)),
    note: r.note,
    invoiceLineId: r.invoice_line_id,
  };
}

async function visibleServer(ctx: AppContext, principal: Principal, serverId: string) {
  const server = await findServer(ctx.db, serverId);
  if (!server || (principal.role === 'customer' && server.customer_id !== principal.customerId)) {
    throw new DomainError('SERVER_NOT_FOUND', 'server not found');
  }
  assertCustomerVisible(principal, server.customer_id);
  return server;
}

export async function createOperationsTask(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
  input: { kind: OperationsKind; title: string; inContract: boolean; intervalDays?: number | null },
): Promise<OperationsTaskView> {
  requireRole(principal, ['admin', 'manager', 'billing']);
  const server = await visibleServer(ctx, principal, serverId);
  const nowMs = ctx.clock.now();
  const row: OperationsTaskRow = {
    id: ctx.newId(),
    server_id: serverId,
    kind: input.kind,
    title: input.title.trim(),
    in_contract: input.inContract ? 1 : 0,
    interval_days: input.intervalDays ?? null,
    created_at: toDbInstant(nowMs),
    archived_at: null,
  };
  if (row.title === '') invalidField('/title', 'must not be empty');
  await ctx.db.transaction().execute(async (trx) => {
    await insertOperationsTask(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'operations_task.created',
      entityType: 'operations_task',
      entityId: row.id,
      customerId: server.customer_id,
      data: { serverId, kind: row.kind, title: row.title, inContract: input.inContract },
    });
  });
  return taskView(row);
}

export async function listServerOperationsTasks(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
): Promise<OperationsTaskView[]> {
  await visibleServer(ctx, principal, serverId);
  return (await listOperationsTasks(ctx.db, serverId)).map(taskView);
}

async function visibleTask(ctx: AppContext, principal: Principal, taskId: string) {
  const task = await findOperationsTask(ctx.db, taskId);
  if (!task) throw new DomainError('NOT_FOUND', 'operations task not found');
  const server = await findServer(ctx.db, task.server_id);
  if (!server || (principal.role === 'customer' && server.customer_id !== principal.customerId)) {
    throw new DomainError('NOT_FOUND', 'operations task not found');
  }
  return { task, server };
}

/** Logs work on an operations task; refused when it ends before it starts, lasts over 24 h or lies ahead. */
export async function logOperationsWork(
  ctx: AppContext,
  principal: Principal,
  taskId: string,
  input: { start: string; end: string; engineerId: string; note?: string | null },
): Promise<OperationsWorkView> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  const startMs = parseInstant(input.start, '/start');
  const endMs = parseInstant(input.end, '/end');
  if (endMs <= startMs) invalidField('/end', 'must be after start');
  if (endMs - startMs > 24 * 3_600_000) invalidField('/end', 'a work entry may last at most 24 hours');
  const nowMs = ctx.clock.now();
  if (endMs > nowMs + 60_000) invalidField('/end', 'lies in the future');
  const { task, server } = await visibleTask(ctx, principal, taskId);
  const row: OperationsWorkRow = {
    id: ctx.newId(),
    task_id: task.id,
    engineer_id: input.engineerId,
    start_at: toDbInstant(startMs),
    end_at: toDbInstant(endMs),
    note: input.note ?? null,
    invoice_line_id: null,
    created_at: toDbInstant(nowMs),
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await findEngineer(trx, input.engineerId))) {
      throw new DomainError('ENGINEER_NOT_FOUND', '/engineerId: no such engineer', [
        { path: '/engineerId', message: 'no such engineer' },
      ]);
    }
    await insertOperationsWork(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'operations_work.logged',
      entityType: 'operations_task',
      entityId: task.id,
      customerId: server.customer_id,
      data: { workId: row.id, start: row.start_at, end: row.end_at, engineerId: row.engineer_id },
    });
  });
  return workView(row);
}

export async function listTaskWork(
  ctx: AppContext,
  principal: Principal,
  taskId: string,
): Promise<OperationsWorkView[]> {
  await visibleTask(ctx, principal, taskId);
  return (await listOperationsWork(ctx.db, taskId)).map(workView);
}
