import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findEngineer,
  findEngineerByEmail,
  insertEngineer,
  listEngineers as listEngineerRows,
  updateEngineerRow,
} from '../../db/repositories/engineer.repository.js';
import { fromDbBool, toDbBool, toDbInstant } from '../../db/instant.js';
import type { EngineerRow } from '../../db/tables/roster.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { enqueueMessages } from '../messaging/enqueue-message.js';
import { contactChangeNotices } from './contact-change-notices.js';

export type NotifyChannel = 'sms' | 'email';

export interface EngineerView {
  id: string;
  name: string;
  phone: string;
  email: string;
  manager: boolean;
  active: boolean;
  notifyChannel: NotifyChannel;
  /** When deliveries to the phone started failing; null while it works. A failing phone is a roster gap. */
  phoneFailingSince: string | null;
  createdAt: string;
}

export function toEngineerView(row: EngineerRow): EngineerView {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    manager: fromDbBool(row.is_manager),
    active: fromDbBool(row.active),
    notifyChannel: row.notify_channel as NotifyChannel,
    phoneFailingSince: row.phone_failing_since,
    createdAt: row.created_at,
  };
}

export interface EngineerChanges {
  name?: string;
  phone?: string;
  email?: string;
  manager?: boolean;
  active?: boolean;
  notifyChannel?: NotifyChannel;
}

function duplicateEmail(email: string): DomainError {
  return new DomainError('DUPLICATE', `an engineer with e-mail ${email} already exists`, [
    { path: '/email', message: 'is already registered' },
  ]);
}

/** Adds an engineer who can be put on the roster and paged. */
export async function createEngineer(
  ctx: AppContext,
  principal: Principal,
  input: { name: string; phone: string; email: string; manager?: boolean; notifyChannel?: NotifyChannel },
): Promise<EngineerView> {
  requireRole(principal, ['admin', 'manager']);
  const nowMs = ctx.clock.now();
  const email = input.email.trim().toLowerCase();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findEngineerByEmail(trx, email)) throw duplicateEmail(email);
    const row: EngineerRow = {
      id: ctx.newId(),
      name: input.name.trim(),
      phone: input.phone,
      email,
      is_manager: toDbBool(input.manager ?? false),
      active: 1,
      notify_channel: input.notifyChannel ?? 'sms',
      phone_failing_since: null,
      created_at: toDbInstant(nowMs),
    };
    await insertEngineer(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'engineer.created',
      entityType: 'engineer',
      entityId: row.id,
      data: { engineer: toEngineerView(row) },
    });
    return toEngineerView(row);
  });
}

export async function listEngineers(ctx: AppContext, principal: Principal): Promise<EngineerView[]> {
  requireRole(principal, STAFF_ROLES);
  return (await listEngineerRows(ctx.db)).map(toEngineerView);
}

export async function getEngineer(ctx: AppContext, principal: Principal, id: string): Promise<EngineerView> {
  requireRole(principal, STAFF_ROLES);
  const row = await findEngineer(ctx.db, id);
  if (!row) throw new DomainError('ENGINEER_NOT_FOUND', 'engineer not found');
  return toEngineerView(row);
}

/**
 * Changes an engineer. A new phone number redirects every page, so the change is audited with the old
 * and new values, and both numbers and the engineer's e-mail are told (contact-change-notices.ts), in
 * the same transaction.
 */
export async function updateEngineer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: EngineerChanges,
): Promise<EngineerView> {
  requireRole(principal, ['admin', 'manager']);
  return applyEngineerChanges(ctx, principal, id, input);
}

/**
 * The change itself, once the caller has checked who may make it (a manager, or the engineer on their
 * own account: my-contact.ts).
 */
export async function applyEngineerChanges(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: EngineerChanges,
): Promise<EngineerView> {
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findEngineer(trx, id);
    if (!before) throw new DomainError('ENGINEER_NOT_FOUND', 'engineer not found');
    const email = input.email?.trim().toLowerCase();
    if (email && email !== before.email && (await findEngineerByEmail(trx, email)))
      throw duplicateEmail(email);
    await updateEngineerRow(trx, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.phone !== undefined && input.phone !== before.phone
        ? { phone: input.phone, phone_failing_since: null }
        : {}),
      ...(email !== undefined ? { email } : {}),
      ...(input.manager !== undefined ? { is_manager: toDbBool(input.manager) } : {}),
      ...(input.active !== undefined ? { active: toDbBool(input.active) } : {}),
      ...(input.notifyChannel !== undefined ? { notify_channel: input.notifyChannel } : {}),
    });
    const after = (await findEngineer(trx, id)) as EngineerRow;
    const notices = contactChangeNotices(before, after, principal.name);
    if (notices.length > 0) await enqueueMessages(trx, ctx, notices);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'engineer.updated',
      entityType: 'engineer',
      entityId: id,
      data: { before: toEngineerView(before), after: toEngineerView(after) },
    });
    return toEngineerView(after);
  });
}
