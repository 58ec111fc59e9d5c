import type { Selectable } from 'kysely';

export interface SlaPoliciesTable {
  id: string;
  tier: string;
  valid_from: string;
  valid_to: string | null;
  response_minutes: number;
  action_minutes: number;
  office_response_minutes: number;
  office_action_minutes: number;
  priority: number;
  created_at: string;
}

export interface TariffsTable {
  id: string;
  name: string;
  valid_from: string;
  valid_to: string | null;
  included_minutes: number;
  weekend_factor_percent: number;
  on_account_rate_ore: number;
  created_at: string;
}

export interface TariffTierPricesTable {
  tariff_id: string;
  tier: string;
  monthly_fee_ore: number;
  start_fee_ore: number;
  hourly_rate_ore: number;
}

export interface ClosedDaysTable {
  date: string;
  name: string;
  created_at: string;
}

export interface OperationsTasksTable {
  id: string;
  server_id: string;
  kind: string;
  title: string;
  in_contract: number;
  interval_days: number | null;
  created_at: string;
  archived_at: string | null;
}

export interface OperationsWorkTable {
  id: string;
  task_id: string;
  engineer_id: string;
  start_at: string;
  end_at: string;
  note: string | null;
  invoice_line_id: string | null;
  created_at: string;
}

export interface NumberSequencesTable {
  name: string;
  next_value: number;
}

export interface InvoiceRunsTable {
  id: string;
  month: string;
  started_by: string | null;
  created_at: string;
}

export interface InvoicesTable {
  id: string;
  number: string | null;
  kind: 'invoice' | 'credit_note';
  status: 'draft' | 'issued';
  run_id: string | null;
  customer_id: string;
  month: string;
  credits_invoice_id: string | null;
  issue_date: string | null;
  due_date: string | null;
  net_ore: number;
  vat_ore: number;
  rounding_ore: number;
  total_ore: number;
  seller: string;
  buyer: string;
  created_at: string;
  /** Credit notes: why the invoice is corrected. */
  reason: string | null;
}

export interface InvoiceLinesTable {
  id: string;
  invoice_id: string;
  position: number;
  kind: string;
  description: string;
  incident_id: string | null;
  service_date: string | null;
  quantity_milli: number;
  unit: string;
  unit_price_ore: number;
  factor_percent: number;
  amount_ore: number;
  vat_percent: number;
  account: string;
  incident_ref: string | null;
  /** The unit price is per this many units (a prorated fee: per days-in-month days). */
  base_quantity: number;
  /** Credit-note lines: the invoice line they credit. */
  credits_line_id: string | null;
}

/** Each incident goes on one invoice only (append-only). */
export interface InvoicedIncidentsTable {
  incident_id: string;
  invoice_id: string;
  created_at: string;
}

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type InvoiceRunRow = Selectable<InvoiceRunsTable>;
export type OperationsTaskRow = Selectable<OperationsTasksTable>;
export type OperationsWorkRow = Selectable<OperationsWorkTable>;
