import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  deleteAppOncallContact,
  findAppOncallContact,
  findCustomer,
  findServer,
  insertAppOncallContact,
} from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { AppOncallContactRow } from '../../db/tables/customer.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible, auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { toAppOncallView, type AppOncallView } from './customer-view.js';

const MAY_EDIT = ['admin', 'manager', 'customer'] as const;

/**
 * Adds the customer's own application-level on-call person (optionally for one server), to whom an
 * incident outside Ballou's responsibility is handed over. Customers keep these up to date themselves.
 */
export async function addAppOncallContact(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  input: { name: string; phone?: string | null; email?: string | null; serverId?: string | null },
): Promise<AppOncallView> {
  requireRole(principal, MAY_EDIT);
  assertCustomerVisible(principal, customerId);
  if (!input.phone && !input.email) {
    throw new DomainError('VALIDATION_FAILED', '/phone: a phone number or an e-mail address is needed', [
      { path: '/phone', message: 'a phone number or an e-mail address is needed to hand over' },
    ]);
  }
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await findCustomer(trx, customerId)))
      throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
    if (input.serverId) {
      const server = await findServer(trx, input.serverId);
      if (!server || server.customer_id !== customerId) {
        throw new DomainError('VALIDATION_FAILED', "/serverId: not one of this customer's servers", [
          { path: '/serverId', message: "is not one of this customer's servers" },
        ]);
      }
    }
    const row: AppOncallContactRow = {
      id: ctx.newId(),
      customer_id: customerId,
      server_id: input.serverId ?? null,
      name: input.name.trim(),
      phone: input.phone ?? null,
      email: input.email ?? null,
      created_at: toDbInstant(nowMs),
    };
    await insertAppOncallContact(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'app_oncall_contact.created',
      entityType: 'app_oncall_contact',
      entityId: row.id,
      customerId,
      data: { contact: toAppOncallView(row) },
    });
    return toAppOncallView(row);
  });
}

export async function removeAppOncallContact(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  id: string,
): Promise<void> {
  requireRole(principal, MAY_EDIT);
  assertCustomerVisible(principal, customerId);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findAppOncallContact(trx, id);
    if (!row || row.customer_id !== customerId)
      throw new DomainError('CONTACT_NOT_FOUND', 'contact not found');
    await deleteAppOncallContact(trx, id);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'app_oncall_contact.deleted',
      entityType: 'app_oncall_contact',
      entityId: id,
      customerId,
      data: { contact: toAppOncallView(row) },
    });
  });
}
