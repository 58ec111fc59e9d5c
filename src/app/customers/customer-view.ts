import type { DbOrTrx } from '../../db/database.js';
import { findCustomer, listAppOncallContacts, listTiers } from '../../db/repositories/customer.repository.js';
import type { AppOncallContactRow, CustomerRow, CustomerTierRow } from '../../db/tables/customer.table.js';
import { tierOn, type TierPeriod } from '../../domain/customers/tier-history.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import type { Tier } from '../../domain/shared/tier.js';

export interface Address {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

export interface AppOncallView {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  serverId: string | null;
}

/** A customer as the API and UI show it: the current tier plus its whole tier history. */
export interface CustomerView {
  id: string;
  name: string;
  orgNumber: string;
  vatNumber: string | null;
  /** The tier valid today (Stockholm date), or null outside the agreement's tier history. */
  tier: Tier | null;
  tiers: TierPeriod[];
  agreementStart: string;
  agreementEnd: string | null;
  address: Address | null;
  invoiceEmail: string | null;
  appOnCall: AppOncallView[];
  createdAt: string;
  updatedAt: string;
}

export function toTierPeriod(row: CustomerTierRow): TierPeriod {
  return { tier: row.tier as Tier, validFrom: row.valid_from, validTo: row.valid_to };
}

export function toAppOncallView(row: AppOncallContactRow): AppOncallView {
  return { id: row.id, name: row.name, phone: row.phone, email: row.email, serverId: row.server_id };
}

export function toCustomerView(
  row: CustomerRow,
  tiers: CustomerTierRow[],
  appOnCall: AppOncallContactRow[],
  nowMs: number,
): CustomerView {
  const history = tiers.map(toTierPeriod);
  const hasAddress = row.address_street || row.address_postal_code || row.address_city || row.address_country;
  return {
    id: row.id,
    name: row.name,
    orgNumber: row.org_number,
    vatNumber: row.vat_number,
    tier: tierOn(history, localDateOfInstant(nowMs)) ?? null,
    tiers: history,
    agreementStart: row.agreement_start,
    agreementEnd: row.agreement_end,
    address: hasAddress
      ? {
          street: row.address_street,
          postalCode: row.address_postal_code,
          city: row.address_city,
          country: row.address_country,
        }
      : null,
    invoiceEmail: row.invoice_email,
    appOnCall: appOnCall.map(toAppOncallView),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads one customer with its tier history and application-level contacts. */
export async function loadCustomerView(db: DbOrTrx, id: string, nowMs: number): Promise<CustomerView> {
  const row = await findCustomer(db, id);
  if (!row) throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
  const [tiers, appOnCall] = await Promise.all([listTiers(db, [id]), listAppOncallContacts(db, id)]);
  return toCustomerView(row, tiers, appOnCall, nowMs);
}
