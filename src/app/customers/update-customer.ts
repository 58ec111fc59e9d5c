import { appendAudit } from '../../db/repositories/audit.repository.js';
import type { DbOrTrx } from '../../db/database.js';
import {
  findCustomer,
  findCustomerByOrgNumber,
  listTiers,
  setTierValidFrom,
  updateCustomerRow,
} from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import {
  addressColumns,
  checkCustomerFields,
  normaliseVatNumber,
  type AddressInput,
} from './customer-input.js';
import { loadCustomerView, type CustomerView } from './customer-view.js';

export interface UpdateCustomerInput {
  name?: string;
  orgNumber?: string;
  vatNumber?: string | null;
  agreementStart?: string;
  agreementEnd?: string | null;
  address?: AddressInput | null;
  invoiceEmail?: string | null;
}

/** Changes a customer's details (not its tier: tiers have their own dated history). Audited with before/after. */
export async function updateCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: UpdateCustomerInput,
): Promise<CustomerView> {
  requireRole(principal, ['admin', 'manager', 'billing']);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCustomer(trx, id);
    if (!row) throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
    const { orgNumber } = checkCustomerFields({
      ...input,
      agreementStart: input.agreementStart ?? row.agreement_start,
      agreementEnd: input.agreementEnd === undefined ? row.agreement_end : input.agreementEnd,
    });
    if (orgNumber && orgNumber !== row.org_number && (await findCustomerByOrgNumber(trx, orgNumber))) {
      throw new DomainError('DUPLICATE', `a customer with organisation number ${orgNumber} already exists`, [
        { path: '/orgNumber', message: 'is already registered' },
      ]);
    }
    const before = await loadCustomerView(trx, id, nowMs);
    if (input.agreementStart !== undefined && input.agreementStart !== row.agreement_start) {
      await moveFirstTierPeriod(trx, id, input.agreementStart);
    }
    await updateCustomerRow(trx, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(orgNumber ? { org_number: orgNumber } : {}),
      ...(input.vatNumber !== undefined ? { vat_number: normaliseVatNumber(input.vatNumber) } : {}),
      ...(input.agreementStart !== undefined ? { agreement_start: input.agreementStart } : {}),
      ...(input.agreementEnd !== undefined ? { agreement_end: input.agreementEnd } : {}),
      ...(input.address !== undefined ? addressColumns(input.address) : {}),
      ...(input.invoiceEmail !== undefined ? { invoice_email: input.invoiceEmail } : {}),
      updated_at: toDbInstant(nowMs),
    });
    const after = await loadCustomerView(trx, id, nowMs);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'customer.updated',
      entityType: 'customer',
      entityId: id,
      customerId: id,
      data: { before, after },
    });
    return after;
  });
}

/**
 * The first tier period starts with the agreement, so moving the agreement start moves it too, as long
 * as the first period is still non-empty afterwards (later periods are a tier change: use /tiers).
 */
async function moveFirstTierPeriod(trx: DbOrTrx, customerId: string, agreementStart: string): Promise<void> {
  const [first] = await listTiers(trx, [customerId]);
  if (!first) return;
  if (first.valid_to !== null && agreementStart >= first.valid_to) {
    throw new DomainError(
      'CONFLICT',
      `the agreement cannot start on ${agreementStart}: the first tier period ends ${first.valid_to}`,
      [{ path: '/agreementStart', message: `must be before ${first.valid_to}, when the tier changes` }],
    );
  }
  await setTierValidFrom(trx, first.id, agreementStart);
}
