import { sql } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type {
  InvoiceLineRow,
  InvoiceRow,
  InvoiceRunRow,
  OperationsTaskRow,
  OperationsWorkRow,
} from '../tables/billing.table.js';
import type { CustomerRow, CustomerTierRow } from '../tables/customer.table.js';
import type { IncidentRow } from '../tables/incident.table.js';

/** The one series every invoice and credit-note number is taken from. */
export const INVOICE_SERIES = 'invoice';

/** The run of a month: created by the first caller, found by every later (or concurrent) one. */
export async function ensureInvoiceRun(
  db: DbOrTrx,
  row: { id: string; month: string; started_by: string | null; created_at: string },
): Promise<InvoiceRunRow> {
  await db
    .insertInto('invoice_runs')
    .values(row)
    .onConflict((oc) => oc.column('month').doNothing())
    .execute();
  return db.selectFrom('invoice_runs').selectAll().where('month', '=', row.month).executeTakeFirstOrThrow();
}

export async function findInvoiceRun(db: DbOrTrx, month: string): Promise<InvoiceRunRow | undefined> {
  return db.selectFrom('invoice_runs').selectAll().where('month', '=', month).executeTakeFirst();
}

/**
 * Takes the number series' row lock (PostgreSQL) or SQLite's write lock first thing in an issuing
 * transaction, so issuing is one at a time across nodes and what is read next is what was committed.
 */
export async function lockNumberSeries(db: DbOrTrx, name: string): Promise<void> {
  const lock = () =>
    db
      .updateTable('number_sequences')
      .set({ next_value: sql`next_value` })
      .where('name', '=', name)
      .executeTakeFirst();
  if (Number((await lock()).numUpdatedRows) > 0) return;
  // The series' first use: create its row (a concurrent first use waits on the key), then lock it.
  await db
    .insertInto('number_sequences')
    .values({ name, next_value: 1 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  await lock();
}

/** The next number of the series, inside the issuing transaction: a rollback gives it back (no gap). */
export async function takeNextNumber(db: DbOrTrx, name: string): Promise<number> {
  return takeNextNumbers(db, name, 1);
}

/** The next `count` consecutive numbers of the series in one statement; answers the first of them. */
export async function takeNextNumbers(db: DbOrTrx, name: string, count: number): Promise<number> {
  const row = await db
    .updateTable('number_sequences')
    .set({ next_value: sql`next_value + ${count}` })
    .where('name', '=', name)
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return Number(row.next_value) - count;
}

export async function peekNextNumber(db: DbOrTrx, name: string): Promise<number> {
  const row = await db
    .selectFrom('number_sequences')
    .select('next_value')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.next_value) : 1;
}

/** Customers whose agreement touches [firstDay, lastDay] or who have closed, uninvoiced incidents or work. */
export async function listBillableCustomerIds(
  db: DbOrTrx,
  q: { firstDay: string; lastDay: string; beforeInstant: string },
): Promise<string[]> {
  const agreements = await db
    .selectFrom('customers')
    .select('id')
    .where('agreement_start', '<=', q.lastDay)
    .where((eb) => eb.or([eb('agreement_end', 'is', null), eb('agreement_end', '>=', q.firstDay)]))
    .execute();
  const incidents = await db
    .selectFrom('incidents')
    .select('customer_id as id')
    .distinct()
    .where('state', '=', 'closed')
    .where('customer_id', 'is not', null)
    .where('reported_at', '<', q.beforeInstant)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invoiced_incidents')
            .select('invoiced_incidents.incident_id')
            .whereRef('invoiced_incidents.incident_id', '=', 'incidents.id'),
        ),
      ),
    )
    .execute();
  const work = await db
    .selectFrom('operations_work')
    .innerJoin('operations_tasks', 'operations_tasks.id', 'operations_work.task_id')
    .innerJoin('servers', 'servers.id', 'operations_tasks.server_id')
    .select('servers.customer_id as id')
    .distinct()
    .where('operations_work.invoice_line_id', 'is', null)
    .where('operations_work.start_at', '<', q.beforeInstant)
    .execute();
  return [...new Set([...agreements, ...incidents, ...work].map((r) => r.id as string))];
}

export async function listCustomersByIds(db: DbOrTrx, ids: string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function listTierRows(db: DbOrTrx, customerId: string): Promise<CustomerTierRow[]> {
  return db
    .selectFrom('customer_tiers')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('valid_from')
    .execute();
}

/**
 * The closed incidents of several customers reported before the instant and not on any invoice yet, in
 * one query per chunk of customers: by customer, then as each invoice lists them (report time, id).
 */
export async function listUninvoicedClosedIncidentsOf(
  db: DbOrTrx,
  customerIds: readonly string[],
  beforeInstant: string,
): Promise<IncidentRow[]> {
  const out: IncidentRow[] = [];
  for (const ids of chunks(customerIds)) {
    out.push(
      ...(await db
        .selectFrom('incidents')
        .selectAll()
        .where('customer_id', 'in', ids)
        .where(uninvoicedClosedBefore(beforeInstant))
        .orderBy('customer_id')
        .orderBy('reported_at')
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

/**
 * What a run bills, as a condition on `incidents`: closed, reported before the instant, on no invoice
 * yet. `state || ''`: without it SQLite walks incidents_state_idx, every closed incident ever, once per
 * query; this way it reads each customer's range of incidents_customer_idx.
 */
function uninvoicedClosedBefore(beforeInstant: string) {
  return sql<boolean>`(${sql.ref('incidents.state')} || '') = 'closed'
    and ${sql.ref('incidents.reported_at')} < ${beforeInstant}
    and not exists (select 1 from invoiced_incidents where invoiced_incidents.incident_id = ${sql.ref('incidents.id')})`;
}

/** Bound parameters per IN list: well under SQLite's and PostgreSQL's limits. */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The tier history of several customers at once (the run reads a page of customers per query). */
export async function listTierRowsOf(
  db: DbOrTrx,
  customerIds: readonly string[],
): Promise<CustomerTierRow[]> {
  const out: CustomerTierRow[] = [];
  for (const ids of chunks(customerIds)) {
    out.push(
      ...(await db
        .selectFrom('customer_tiers')
        .selectAll()
        .where('customer_id', 'in', ids)
        .orderBy('customer_id')
        .orderBy('valid_from')
        .execute()),
    );
  }
  return out;
}

/** A work entry of a billable incident, or an incident without work (the work columns null). */
export interface BillableWorkRow {
  incident_id: string;
  start_at: string | null;
  end_at: string | null;
  engineer_id: string | null;
  within_responsibility: number | null;
}

/**
 * The work entries of every closed, uninvoiced incident of several customers reported before the
 * instant, in one query (instead of one per incident), each incident's in listWorkEntries' order. An
 * incident without work comes as one row with the work columns null, so the caller knows it was read.
 */
export async function listBillableWorkOf(
  db: DbOrTrx,
  customerIds: readonly string[],
  beforeInstant: string,
): Promise<BillableWorkRow[]> {
  const out: BillableWorkRow[] = [];
  for (const ids of chunks(customerIds)) {
    out.push(
      ...(await db
        .selectFrom('incidents')
        .leftJoin('work_entries', 'work_entries.incident_id', 'incidents.id')
        .select([
          'incidents.id as incident_id',
          'work_entries.start_at',
          'work_entries.end_at',
          'work_entries.engineer_id',
          'work_entries.within_responsibility',
        ])
        .where('incidents.customer_id', 'in', ids)
        .where(uninvoicedClosedBefore(beforeInstant))
        .orderBy('incidents.id')
        .orderBy('work_entries.start_at')
        .orderBy('work_entries.end_at')
        .execute()),
    );
  }
  return out;
}

export interface UninvoicedWork {
  id: string;
  start_at: string;
  end_at: string;
  title: string;
  in_contract: number;
  hostname: string;
}

/** Which of the customers have operations work started before the instant and not invoiced yet. */
export async function listCustomersWithUninvoicedWork(
  db: DbOrTrx,
  customerIds: readonly string[],
  beforeInstant: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunks(customerIds)) {
    const rows = await db
      .selectFrom('operations_work')
      .innerJoin('operations_tasks', 'operations_tasks.id', 'operations_work.task_id')
      .innerJoin('servers', 'servers.id', 'operations_tasks.server_id')
      .select('servers.customer_id')
      .distinct()
      .where('servers.customer_id', 'in', ids)
      .where('operations_work.invoice_line_id', 'is', null)
      .where('operations_work.start_at', '<', beforeInstant)
      .execute();
    for (const r of rows) out.add(r.customer_id);
  }
  return out;
}

/**
 * Operations work on the servers of several customers started before the instant and not invoiced yet:
 * by customer, then in invoice order (start, id).
 */
export async function listUninvoicedOperationsWorkOf(
  db: DbOrTrx,
  customerIds: readonly string[],
  beforeInstant: string,
): Promise<(UninvoicedWork & { customer_id: string })[]> {
  const out: (UninvoicedWork & { customer_id: string })[] = [];
  for (const ids of chunks(customerIds)) {
    out.push(
      ...(await db
        .selectFrom('operations_work')
        .innerJoin('operations_tasks', 'operations_tasks.id', 'operations_work.task_id')
        .innerJoin('servers', 'servers.id', 'operations_tasks.server_id')
        .select([
          'servers.customer_id',
          'operations_work.id',
          'operations_work.start_at',
          'operations_work.end_at',
          'operations_tasks.title',
          'operations_tasks.in_contract',
          'servers.hostname',
        ])
        .where('servers.customer_id', 'in', ids)
        .where('operations_work.invoice_line_id', 'is', null)
        .where('operations_work.start_at', '<', beforeInstant)
        .orderBy('servers.customer_id')
        .orderBy('operations_work.start_at')
        .orderBy('operations_work.id')
        .execute()),
    );
  }
  return out;
}

/** Which of the customers already have their invoice (not a credit note) for the month. */
export async function listCustomersInvoicedForMonth(
  db: DbOrTrx,
  customerIds: readonly string[],
  month: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunks(customerIds)) {
    const rows = await db
      .selectFrom('invoices')
      .select('customer_id')
      .where('customer_id', 'in', ids)
      .where('month', '=', month)
      // A literal, not a parameter: PostgreSQL's generic plan can then use the partial unique index
      // (customer_id, month) where kind = 'invoice', instead of reading the whole month's invoices.
      .where('kind', '=', sql.lit('invoice'))
      .execute();
    for (const r of rows) out.add(r.customer_id);
  }
  return out;
}

export async function findCustomerInvoiceForMonth(
  db: DbOrTrx,
  customerId: string,
  month: string,
): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('month', '=', month)
    .where('kind', '=', 'invoice')
    .executeTakeFirst();
}

export async function insertInvoice(db: DbOrTrx, row: InvoiceRow): Promise<void> {
  await insertInvoices(db, [row]);
}

export async function insertInvoices(db: DbOrTrx, rows: InvoiceRow[]): Promise<void> {
  // 100 rows of 20 columns: well under the bound-parameter limits.
  for (const chunk of chunks(rows, 100)) await db.insertInto('invoices').values(chunk).execute();
}

export async function insertInvoiceLines(db: DbOrTrx, rows: InvoiceLineRow[]): Promise<void> {
  // In chunks: a busy customer's hundreds of lines stay under the bound-parameter limits.
  for (const chunk of chunks(rows)) await db.insertInto('invoice_lines').values(chunk).execute();
}

/** Draft → issued: number, dates. Once issued the database refuses any further change. */
export async function issueInvoiceRow(
  db: DbOrTrx,
  id: string,
  issue: { number: string; issue_date: string; due_date: string },
): Promise<void> {
  await issueInvoiceRows(db, [{ id, number: issue.number }], issue);
}

/**
 * Several drafts → issued in one statement, each with its own number and all with the same dates;
 * throws (and the caller's transaction rolls back) unless every one of them was still a draft.
 */
export async function issueInvoiceRows(
  db: DbOrTrx,
  numbered: readonly { id: string; number: string }[],
  dates: { issue_date: string; due_date: string },
): Promise<void> {
  for (const chunk of chunks(numbered, 200)) {
    const number = valueById(chunk.map((n) => [n.id, n.number]));
    const result = await db
      .updateTable('invoices')
      .set({ number, issue_date: dates.issue_date, due_date: dates.due_date, status: 'issued' })
      .where(
        'id',
        'in',
        chunk.map((n) => n.id),
      )
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== chunk.length) {
      throw new Error(`issued ${String(result.numUpdatedRows)} of ${chunk.length} draft invoices`);
    }
  }
}

export async function insertInvoicedIncidents(
  db: DbOrTrx,
  rows: { incident_id: string; invoice_id: string; created_at: string }[],
): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('invoiced_incidents').values(chunk).execute();
}

/**
 * Operations work → the invoice lines that bill it, in one statement per 200; throws (and the caller's
 * transaction rolls back) unless every entry was still uninvoiced.
 */
export async function markWorkInvoiced(
  db: DbOrTrx,
  billed: readonly { workId: string; lineId: string }[],
): Promise<void> {
  for (const chunk of chunks(billed, 200)) {
    const result = await db
      .updateTable('operations_work')
      .set({ invoice_line_id: valueById(chunk.map((b) => [b.workId, b.lineId])) })
      .where(
        'id',
        'in',
        chunk.map((b) => b.workId),
      )
      .where('invoice_line_id', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== chunk.length) {
      throw new Error(`invoiced ${String(result.numUpdatedRows)} of ${chunk.length} operations work entries`);
    }
  }
}

/** `CASE id WHEN … THEN … END`: a different value per row in one UPDATE. */
function valueById(pairs: readonly (readonly [string, string])[]) {
  return sql<string>`case ${sql.ref('id')} ${sql.join(
    pairs.map(([id, value]) => sql`when ${id} then ${value}`),
    sql` `,
  )} end`;
}

export async function findInvoice(db: DbOrTrx, id: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface InvoiceListQuery {
  month?: string;
  customerId?: string;
  runId?: string;
  kind?: 'invoice' | 'credit_note';
  creditsInvoiceId?: string;
  /** Keyset pagination: invoices after this number (numbers sort as integers). */
  afterNumber?: number;
  limit: number;
}

export async function listInvoiceRows(db: DbOrTrx, q: InvoiceListQuery): Promise<InvoiceRow[]> {
  let query = db.selectFrom('invoices').selectAll().where('status', '=', 'issued');
  if (q.month) query = query.where('month', '=', q.month);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  if (q.runId) query = query.where('run_id', '=', q.runId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.creditsInvoiceId) query = query.where('credits_invoice_id', '=', q.creditsInvoiceId);
  if (q.afterNumber !== undefined)
    query = query.where(sql<number>`cast(number as integer)`, '>', q.afterNumber);
  return query
    .orderBy(sql`cast(number as integer)`)
    .limit(q.limit)
    .execute();
}

export async function listInvoiceLineRows(db: DbOrTrx, invoiceIds: string[]): Promise<InvoiceLineRow[]> {
  if (invoiceIds.length === 0) return [];
  return db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', 'in', invoiceIds)
    .orderBy('invoice_id')
    .orderBy('position')
    .execute();
}

/** Locks an invoice row for a credit note (PostgreSQL; SQLite transactions are serial anyway). */
export async function lockInvoice(
  db: DbOrTrx,
  id: string,
  postgres: boolean,
): Promise<InvoiceRow | undefined> {
  const q = db.selectFrom('invoices').selectAll().where('id', '=', id);
  return (postgres ? q.forUpdate() : q).executeTakeFirst();
}

export async function insertOperationsTask(db: DbOrTrx, row: OperationsTaskRow): Promise<void> {
  await db.insertInto('operations_tasks').values(row).execute();
}

export async function findOperationsTask(db: DbOrTrx, id: string): Promise<OperationsTaskRow | undefined> {
  return db.selectFrom('operations_tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOperationsTasks(db: DbOrTrx, serverId: string): Promise<OperationsTaskRow[]> {
  return db
    .selectFrom('operations_tasks')
    .selectAll()
    .where('server_id', '=', serverId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertOperationsWork(db: DbOrTrx, row: OperationsWorkRow): Promise<void> {
  await db.insertInto('operations_work').values(row).execute();
}

export async function listOperationsWork(db: DbOrTrx, taskId: string): Promise<OperationsWorkRow[]> {
  return db
    .selectFrom('operations_work')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('start_at')
    .orderBy('id')
    .execute();
}
