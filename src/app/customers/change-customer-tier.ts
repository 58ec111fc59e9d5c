import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  endTierPeriod,
  findCustomer,
  insertTier,
  listTiers,
} from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { planTierChange } from '../../domain/customers/tier-history.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { tryParseLocalDate } from '../../domain/calendar/local-date.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { loadCustomerView, type CustomerView } from './customer-view.js';

/**
 * Moves a customer to another tier from a date. Incidents are priced by the tier valid at their report
 * time, so the old period keeps pricing what happened before the change.
 */
export async function changeCustomerTier(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  input: { tier: Tier; validFrom: string },
): Promise<CustomerView> {
  requireRole(principal, ['admin', 'manager', 'billing']);
  if (tryParseLocalDate(input.validFrom) === null) {
    throw new DomainError('VALIDATION_FAILED', '/validFrom: must be a date YYYY-MM-DD', [
      { path: '/validFrom', message: 'must be a date YYYY-MM-DD' },
    ]);
  }
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await findCustomer(trx, customerId);
    if (!customer) throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
    const rows = await listTiers(trx, [customerId]);
    const history = rows.map((r) => ({ tier: r.tier as Tier, validFrom: r.valid_from, validTo: r.valid_to }));
    const plan = planTierChange(history, input.tier, input.validFrom);
    const open = rows.find((r) => r.valid_from === plan.close?.validFrom);
    if (open && plan.close) await endTierPeriod(trx, open.id, plan.close.validTo as string);
    await insertTier(trx, {
      id: ctx.newId(),
      customer_id: customerId,
      tier: plan.open.tier,
      valid_from: plan.open.validFrom,
      valid_to: null,
      created_at: toDbInstant(nowMs),
    });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'customer.tier_changed',
      entityType: 'customer',
      entityId: customerId,
      customerId,
      data: { tier: input.tier, validFrom: input.validFrom, previous: plan.close },
    });
    return loadCustomerView(trx, customerId, nowMs);
  });
}
