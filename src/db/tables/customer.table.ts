import type { Selectable, Insertable, Updateable } from 'kysely';

export interface CustomersTable {
  id: string;
  name: string;
  org_number: string;
  vat_number: string | null;
  address_street: string | null;
  address_postal_code: string | null;
  address_city: string | null;
  address_country: string | null;
  invoice_email: string | null;
  agreement_start: string;
  agreement_end: string | null;
  created_at: string;
  updated_at: string;
}
export type CustomerRow = Selectable<CustomersTable>;
export type NewCustomerRow = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;

export interface CustomerTiersTable {
  id: string;
  customer_id: string;
  tier: string;
  valid_from: string;
  valid_to: string | null;
  created_at: string;
}
export type CustomerTierRow = Selectable<CustomerTiersTable>;

export interface ContactsTable {
  id: string;
  customer_id: string;
  name: string;
  phone: string;
  email: string | null;
  created_at: string;
}
export type ContactRow = Selectable<ContactsTable>;

export interface ServersTable {
  id: string;
  customer_id: string;
  hostname: string;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_user: string | null;
  ssh_host_key: string | null;
  critical_data: number;
  created_at: string;
}
export type ServerRow = Selectable<ServersTable>;

export interface AppOncallContactsTable {
  id: string;
  customer_id: string;
  server_id: string | null;
  name: string;
  phone: string | null;
  email: string | null;
  created_at: string;
}
export type AppOncallContactRow = Selectable<AppOncallContactsTable>;
