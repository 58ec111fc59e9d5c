import type { DbOrTrx } from '../database.js';
import type {
  AppOncallContactRow,
  ContactRow,
  CustomerRow,
  CustomerTierRow,
  NewCustomerRow,
  ServerRow,
} from '../tables/customer.table.js';
import { precompiled } from './precompiled.js';

export async function insertCustomer(db: DbOrTrx, row: NewCustomerRow): Promise<void> {
  await db.insertInto('customers').values(row).execute();
}

// Precompiled: every escalation step reads the customer a page names.
const customerById = precompiled<[string]>(1, (db, id) =>
  db.selectFrom('customers').selectAll().where('id', '=', id),
);

export async function findCustomer(db: DbOrTrx, id: string): Promise<CustomerRow | undefined> {
  return (await customerById<CustomerRow>(db, id)).rows[0];
}

export async function findCustomerByOrgNumber(
  db: DbOrTrx,
  orgNumber: string,
): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('org_number', '=', orgNumber).executeTakeFirst();
}

export interface CustomerPageQuery {
  /** Restricts the page to one customer (a customer user's own tenant). */
  onlyId?: string;
  afterName?: { name: string; id: string };
  limit: number;
}

/** A page of customers ordered by name, keyset-paginated on (name, id). */
export async function listCustomers(db: DbOrTrx, q: CustomerPageQuery): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers').selectAll().orderBy('name').orderBy('id').limit(q.limit);
  if (q.onlyId !== undefined) query = query.where('id', '=', q.onlyId);
  if (q.afterName) {
    const { name, id } = q.afterName;
    query = query.where((eb) =>
      eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]),
    );
  }
  return query.execute();
}

export async function updateCustomerRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<CustomerRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('customers').set(changes).where('id', '=', id).execute();
}

export async function insertTier(db: DbOrTrx, row: CustomerTierRow): Promise<void> {
  await db.insertInto('customer_tiers').values(row).execute();
}

export async function listTiers(db: DbOrTrx, customerIds: string[]): Promise<CustomerTierRow[]> {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('customer_tiers')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('customer_id')
    .orderBy('valid_from')
    .execute();
}

const customerTierPeriods = precompiled<[string]>(1, (db, customerId) =>
  db
    .selectFrom('customers')
    .leftJoin('customer_tiers', 'customer_tiers.customer_id', 'customers.id')
    .select(['customer_tiers.tier', 'customer_tiers.valid_from', 'customer_tiers.valid_to'])
    .where('customers.id', '=', customerId)
    .orderBy('customer_tiers.valid_from'),
);

/**
 * A customer's tier periods, oldest first, or undefined when there is no such customer: the existence
 * check and the tier history of a report in one query.
 */
export async function findCustomerTierPeriods(
  db: DbOrTrx,
  customerId: string,
): Promise<Array<Pick<CustomerTierRow, 'tier' | 'valid_from' | 'valid_to'>> | undefined> {
  const { rows } = await customerTierPeriods<{
    tier: string | null;
    valid_from: string | null;
    valid_to: string | null;
  }>(db, customerId);
  if (rows.length === 0) return undefined;
  return rows.flatMap((r) =>
    r.tier === null || r.valid_from === null
      ? []
      : [{ tier: r.tier, valid_from: r.valid_from, valid_to: r.valid_to }],
  );
}

/** Closes the open-ended tier period that covers `date` so a new one can start there. */
export async function endTierPeriod(db: DbOrTrx, tierId: string, validTo: string): Promise<void> {
  await db.updateTable('customer_tiers').set({ valid_to: validTo }).where('id', '=', tierId).execute();
}

export async function deleteTier(db: DbOrTrx, tierId: string): Promise<void> {
  await db.deleteFrom('customer_tiers').where('id', '=', tierId).execute();
}

export async function insertContact(db: DbOrTrx, row: ContactRow): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

export async function listContacts(db: DbOrTrx, customerId: string): Promise<ContactRow[]> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('name')
    .execute();
}

const contactByPhone = precompiled<[string]>(1, (db, phone) =>
  db.selectFrom('contacts').selectAll().where('phone', '=', phone),
);

/** The contact a caller's number belongs to (every incoming call and SMS asks). */
export async function findContactByPhone(db: DbOrTrx, phone: string): Promise<ContactRow | undefined> {
  return (await contactByPhone<ContactRow>(db, phone)).rows[0];
}

export async function findContact(db: DbOrTrx, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteContact(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('contacts').where('id', '=', id).execute();
}

export async function insertServer(db: DbOrTrx, row: ServerRow): Promise<void> {
  await db.insertInto('servers').values(row).execute();
}

// Precompiled: a page about a server names it.
const serverById = precompiled<[string]>(1, (db, id) =>
  db.selectFrom('servers').selectAll().where('id', '=', id),
);

export async function findServer(db: DbOrTrx, id: string): Promise<ServerRow | undefined> {
  return (await serverById<ServerRow>(db, id)).rows[0];
}

const serverByHostname = precompiled<[string]>(1, (db, hostname) =>
  db.selectFrom('servers').selectAll().where('hostname', '=', hostname),
);

/** The server of a hostname (every alert asks for its candidates). */
export async function findServerByHostname(db: DbOrTrx, hostname: string): Promise<ServerRow | undefined> {
  return (await serverByHostname<ServerRow>(db, hostname)).rows[0];
}

export async function listServers(db: DbOrTrx, customerId: string): Promise<ServerRow[]> {
  return db
    .selectFrom('servers')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('hostname')
    .execute();
}

export async function insertAppOncallContact(db: DbOrTrx, row: AppOncallContactRow): Promise<void> {
  await db.insertInto('app_oncall_contacts').values(row).execute();
}

export async function listAppOncallContacts(db: DbOrTrx, customerId: string): Promise<AppOncallContactRow[]> {
  return db
    .selectFrom('app_oncall_contacts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
}

export async function findAppOncallContact(
  db: DbOrTrx,
  id: string,
): Promise<AppOncallContactRow | undefined> {
  return db.selectFrom('app_oncall_contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteAppOncallContact(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('app_oncall_contacts').where('id', '=', id).execute();
}

export async function setTierValidFrom(db: DbOrTrx, tierId: string, validFrom: string): Promise<void> {
  await db.updateTable('customer_tiers').set({ valid_from: validFrom }).where('id', '=', tierId).execute();
}
