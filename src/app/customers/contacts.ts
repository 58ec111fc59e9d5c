import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  deleteContact,
  findContact,
  findContactByPhone,
  findCustomer,
  insertContact,
  listContacts as listContactRows,
} from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { ContactRow } from '../../db/tables/customer.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible, auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';

/** A customer's contact person; the phone number identifies them when they call. */
export interface ContactView {
  id: string;
  customerId: string;
  name: string;
  phone: string;
  email: string | null;
  createdAt: string;
}

const MAY_EDIT_CONTACTS = ['admin', 'manager', 'engineer', 'customer'] as const;

function toContactView(row: ContactRow): ContactView {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    createdAt: row.created_at,
  };
}

/** Adds a contact; staff for any customer, a customer user for its own organisation. */
export async function addContact(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  input: { name: string; phone: string; email?: string | null },
): Promise<ContactView> {
  requireRole(principal, MAY_EDIT_CONTACTS);
  assertCustomerVisible(principal, customerId);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await findCustomer(trx, customerId)))
      throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
    if (await findContactByPhone(trx, input.phone)) {
      throw new DomainError('DUPLICATE', `the phone number ${input.phone} already belongs to a contact`, [
        { path: '/phone', message: 'already identifies another contact' },
      ]);
    }
    const row: ContactRow = {
      id: ctx.newId(),
      customer_id: customerId,
      name: input.name.trim(),
      phone: input.phone,
      email: input.email ?? null,
      created_at: toDbInstant(nowMs),
    };
    await insertContact(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'contact.created',
      entityType: 'contact',
      entityId: row.id,
      customerId,
      data: { contact: toContactView(row) },
    });
    return toContactView(row);
  });
}

export async function listContacts(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
): Promise<ContactView[]> {
  assertCustomerVisible(principal, customerId);
  if (!(await findCustomer(ctx.db, customerId)))
    throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
  return (await listContactRows(ctx.db, customerId)).map(toContactView);
}

export async function removeContact(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  contactId: string,
): Promise<void> {
  requireRole(principal, MAY_EDIT_CONTACTS);
  assertCustomerVisible(principal, customerId);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findContact(trx, contactId);
    if (!row || row.customer_id !== customerId)
      throw new DomainError('CONTACT_NOT_FOUND', 'contact not found');
    await deleteContact(trx, contactId);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'contact.deleted',
      entityType: 'contact',
      entityId: contactId,
      customerId,
      data: { contact: toContactView(row) },
    });
  });
}
