import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findCustomerByOrgNumber,
  insertAppOncallContact,
  insertCustomer,
  insertTier,
} from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import {
  addressColumns,
  checkCustomerFields,
  normaliseVatNumber,
  type AddressInput,
} from './customer-input.js';
import { loadCustomerView, type CustomerView } from './customer-view.js';

export interface CreateCustomerInput {
  name: string;
  orgNumber: string;
  vatNumber?: string | null;
  tier: Tier;
  agreementStart: string;
  agreementEnd?: string | null;
  address?: AddressInput | null;
  invoiceEmail?: string | null;
  appOnCall?: { name: string; phone?: string | null; email?: string | null } | null;
}

/** Creates a customer with its first tier period (from the agreement start) in one audited transaction. */
export async function createCustomer(
  ctx: AppContext,
  principal: Principal,
  input: CreateCustomerInput,
): Promise<CustomerView> {
  requireRole(principal, ['admin', 'manager']);
  const { orgNumber } = checkCustomerFields(input);
  const nowMs = ctx.clock.now();
  const now = toDbInstant(nowMs);
  const id = ctx.newId();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findCustomerByOrgNumber(trx, orgNumber as string)) {
      throw new DomainError('DUPLICATE', `a customer with organisation number ${orgNumber} already exists`, [
        { path: '/orgNumber', message: 'is already registered' },
      ]);
    }
    await insertCustomer(trx, {
      id,
      name: input.name.trim(),
      org_number: orgNumber as string,
      vat_number: normaliseVatNumber(input.vatNumber),
      ...addressColumns(input.address),
      invoice_email: input.invoiceEmail ?? null,
      agreement_start: input.agreementStart,
      agreement_end: input.agreementEnd ?? null,
      created_at: now,
      updated_at: now,
    });
    await insertTier(trx, {
      id: ctx.newId(),
      customer_id: id,
      tier: input.tier,
      valid_from: input.agreementStart,
      valid_to: null,
      created_at: now,
    });
    if (input.appOnCall) {
      await insertAppOncallContact(trx, {
        id: ctx.newId(),
        customer_id: id,
        server_id: null,
        name: input.appOnCall.name,
        phone: input.appOnCall.phone ?? null,
        email: input.appOnCall.email ?? null,
        created_at: now,
      });
    }
    const view = await loadCustomerView(trx, id, nowMs);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'customer.created',
      entityType: 'customer',
      entityId: id,
      customerId: id,
      data: { customer: view },
    });
    return view;
  });
}
