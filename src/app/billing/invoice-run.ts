import type { DbOrTrx, Trx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { appendAudit, appendAudits } from '../../db/repositories/audit.repository.js';
import {
  ensureInvoiceRun,
  findInvoiceRun,
  INVOICE_SERIES,
  insertInvoiceLines,
  insertInvoicedIncidents,
  insertInvoices,
  issueInvoiceRows,
  listBillableCustomerIds,
  listBillableWorkOf,
  listCustomersByIds,
  listCustomersInvoicedForMonth,
  listCustomersWithUninvoicedWork,
  listTierRowsOf,
  listUninvoicedClosedIncidentsOf,
  listUninvoicedOperationsWorkOf,
  lockNumberSeries,
  markWorkInvoiced,
  takeNextNumbers,
} from '../../db/repositories/billing.repository.js';
import { listWorkEntriesOfIncidents } from '../../db/repositories/incident-batch.repository.js';
import type { CustomerRow } from '../../db/tables/customer.table.js';
import {
  assembleInvoice,
  tierAtReport,
  type AssembledInvoice,
  type PricedIncident,
} from '../../domain/billing/assemble-invoice.js';
import type { Party, Seller } from '../../domain/billing/invoice-document.js';
import type { InvoiceLine } from '../../domain/billing/invoice-line.js';
import { addDays, endedInvoiceMonth, type InvoiceMonth } from '../../domain/billing/invoice-month.js';
import { localDateOfInstant, parseInstant } from '../../domain/calendar/instant.js';
import type { TierPeriod } from '../../domain/customers/tier-history.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import { priceIncident, type WorkEntry } from '../../domain/tariff/price-incident.js';
import { tariffForReport } from '../../domain/tariff/tariff.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { loadPricingRules, type PricingRules } from '../pricing/pricing-rules.js';
import { loadRunInvoices, runInvoicePages, type InvoiceView } from './invoice-view.js';

export const BILLING_ROLES = ['admin', 'billing'] as const;

/** Reported after each customer of a run: for the CLI's progress bar. */
export interface RunProgress {
  done: number;
  total: number;
  customerName: string;
  /** The number issued for this customer now, or null (already invoiced, or nothing to bill). */
  issuedNumber: string | null;
}

export interface InvoiceRunResult {
  runId: string;
  month: string;
  /** Invoices issued by this call (0 when the month was already invoiced). */
  created: number;
  invoices: InvoiceView[];
}

export function sellerOf(ctx: AppContext): Seller {
  const s = ctx.config.seller;
  return {
    name: s.name,
    orgNumber: s.orgNumber,
    vatNumber: s.vatNumber,
    street: s.street,
    postalCode: s.postalCode,
    city: s.city,
    country: s.country,
    email: s.email,
    phone: s.phone,
    bankgiro: s.bankgiro,
    fSkatt: s.fSkatt,
  };
}

export function buyerOf(c: CustomerRow): Party {
  return {
    name: c.name,
    orgNumber: c.org_number,
    vatNumber: c.vat_number,
    street: c.address_street,
    postalCode: c.address_postal_code,
    city: c.address_city,
    country: c.address_country ?? 'SE',
    email: c.invoice_email,
  };
}

/**
 * The month-end invoice run (POST /invoice-runs, `ballou invoice run`): for a month that has ended,
 * one issued invoice per customer with anything to bill. A batch of customers is one transaction that
 * first takes the number series' lock, then checks which of them already have this month's invoice,
 * then assembles, inserts and numbers theirs (ADR 0018, 0024): so two runs at once (two nodes, or two
 * calls) issue each invoice once with consecutive numbers, and a crash leaves whole invoices only.
 * Running it again issues nothing new and answers the run's invoices. Closed incidents not yet invoiced and reported
 * in the month or before (closed late) go on this run's invoice; so does operations work.
 */
export async function runInvoiceMonth(
  ctx: AppContext,
  principal: Principal,
  monthText: unknown,
  onProgress: (p: RunProgress) => void = () => undefined,
  options: InvoiceRunOptions = {},
): Promise<InvoiceRunResult> {
  const issued = await issueInvoiceRun(ctx, principal, monthText, onProgress, options);
  return { ...issued, invoices: await loadRunInvoices(ctx.db, issued.runId) };
}

/**
 * The run without its answer, for a caller that streams the run's invoices afterwards with
 * `runInvoicePagesOf` (the CLI): the same issuing, and memory bounded whatever the month's size.
 */
export async function issueInvoiceRun(
  ctx: AppContext,
  principal: Principal,
  monthText: unknown,
  onProgress: (p: RunProgress) => void = () => undefined,
  options: InvoiceRunOptions = {},
): Promise<Omit<InvoiceRunResult, 'invoices'>> {
  requireRole(principal, BILLING_ROLES);
  const nowMs = ctx.clock.now();
  const { month, beforeInstant } = runMonth(ctx, monthText);
  const run = await ctx.db.transaction().execute(async (trx) => {
    const existing = await findInvoiceRun(trx, month.month);
    if (existing) return existing;
    const created = await ensureInvoiceRun(trx, {
      id: ctx.newId(),
      month: month.month,
      started_by: principal.name,
      created_at: toDbInstant(nowMs),
    });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'invoice_run.started',
      entityType: 'invoice_run',
      entityId: created.id,
      data: { month: month.month },
    });
    return created;
  });
  const created = await issueMonth(ctx, principal, run.id, month, beforeInstant, nowMs, options, onProgress);
  return { runId: run.id, month: month.month, created };
}

/** The issued invoices of a run by number, a page at a time. */
export function runInvoicePagesOf(
  ctx: AppContext,
  principal: Principal,
  runId: string,
): AsyncGenerator<InvoiceView[]> {
  requireRole(principal, BILLING_ROLES);
  return runInvoicePages(ctx.db, runId);
}

/**
 * Issues the month's invoices a batch of customers (one transaction) at a time. What does not change
 * while the run holds no lock (tier histories, the work entries of closed incidents) is read in bulk for
 * a page of customers first; inside each batch's transaction, after the number series' lock, the run
 * re-reads what another run or node may have invoiced meanwhile (the customers' invoices for the month,
 * their uninvoiced incidents and operations work), so the ADR 0018 guarantees hold as before.
 */
async function issueMonth(
  ctx: AppContext,
  principal: Principal,
  runId: string,
  month: InvoiceMonth,
  beforeInstant: string,
  nowMs: number,
  options: InvoiceRunOptions,
  onProgress: (p: RunProgress) => void,
): Promise<number> {
  const { rules, customers } = await billableCustomers(ctx, month, beforeInstant);
  const perTransaction = Math.max(1, options.customersPerTransaction ?? CUSTOMERS_PER_TRANSACTION);
  const run = { runId, month, beforeInstant, nowMs, rules };
  let created = 0;
  let done = 0;
  const report = (batch: readonly CustomerRow[], numbers: readonly (string | null)[]) => {
    for (const [i, customer] of batch.entries()) {
      const issuedNumber = numbers[i] ?? null;
      if (issuedNumber !== null) created += 1;
      done += 1;
      onProgress({ done, total: customers.length, customerName: customer.name, issuedNumber });
    }
  };
  const issue = (batch: readonly CustomerRow[], prefetched: Prefetched) =>
    ctx.db.transaction().execute((trx) => issueBatch(trx, ctx, principal, run, batch, prefetched));
  // Batch after batch, each waiting for its commit, so the numbers follow the name order (ADR 0018).
  for (const page of pages(customers, PAGE_SIZE)) {
    const prefetched = await prefetch(ctx.db, page, beforeInstant);
    for (const batch of pages(page, perTransaction)) {
      let numbers: (string | null)[];
      try {
        numbers = await issue(batch, prefetched);
      } catch (error) {
        if (batch.length === 1) throw error;
        // Nothing of the batch was written. Again one customer at a time: those before the one that
        // fails are issued, and the run stops right at it, with its error (or goes on if it was passing).
        for (const customer of batch) report([customer], await issue([customer], prefetched));
        continue;
      }
      report(batch, numbers);
    }
  }
  return created;
}

/**
 * Customers per issuing transaction. One transaction per customer spent most of a 10 000-customer run
 * on commits and round trips (ADR 0024); a batch holds the number series' lock for tens of
 * milliseconds, and a crash or failure still leaves whole invoices only.
 */
const CUSTOMERS_PER_TRANSACTION = 50;

export interface InvoiceRunOptions {
  /** Customers issued per transaction (tests use small batches to crash between them). */
  customersPerTransaction?: number;
}

/** Customers per bulk read: few queries, and memory bounded by a page, not by the month. */
const PAGE_SIZE = 200;

function* pages<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Read in bulk for a page of customers, outside any lock: facts that invoicing does not change. */
interface Prefetched {
  tiers: Map<string, TierPeriod[]>;
  /** The work of each closed, uninvoiced incident read (empty when it has none). */
  work: Map<string, WorkEntry[]>;
  /**
   * Customers with operations work to bill; only theirs is read (again, under the lock). Work logged
   * on another customer's server after the page was read goes on the next run, as if logged after it.
   */
  withOperationsWork: Set<string>;
}

async function prefetch(
  db: DbOrTrx,
  customers: readonly CustomerRow[],
  beforeInstant: string,
): Promise<Prefetched> {
  const ids = customers.map((c) => c.id);
  const tiers = new Map<string, TierPeriod[]>(ids.map((id) => [id, []]));
  for (const r of await listTierRowsOf(db, ids)) {
    tiers.get(r.customer_id)?.push({ tier: r.tier as Tier, validFrom: r.valid_from, validTo: r.valid_to });
  }
  const work = new Map<string, WorkEntry[]>();
  for (const r of await listBillableWorkOf(db, ids, beforeInstant)) {
    let entries = work.get(r.incident_id);
    if (!entries) work.set(r.incident_id, (entries = []));
    if (r.start_at !== null && r.end_at !== null && r.engineer_id !== null) {
      entries.push(workEntryOf({ ...r, start_at: r.start_at, end_at: r.end_at, engineer_id: r.engineer_id }));
    }
  }
  const withOperationsWork = await listCustomersWithUninvoicedWork(db, ids, beforeInstant);
  return { tiers, work, withOperationsWork };
}

function workEntryOf(w: {
  start_at: string;
  end_at: string;
  engineer_id: string;
  within_responsibility: number | null;
}): WorkEntry {
  return {
    startMs: Date.parse(w.start_at),
    endMs: Date.parse(w.end_at),
    engineer: w.engineer_id,
    withinResponsibility: w.within_responsibility === 1,
  };
}

/** One invoice the run would issue now, not yet numbered (POST /invoice-runs/preview). */
export interface PlannedInvoice {
  customer: CustomerRow;
  month: InvoiceMonth;
  invoice: AssembledInvoice;
  incidentIds: string[];
}

/** The month (validated as the run does) and the instant before which closed work is billed. */
export function runMonth(
  ctx: AppContext,
  monthText: unknown,
): { month: InvoiceMonth; beforeInstant: string } {
  const month = endedInvoiceMonth(monthText, localDateOfInstant(ctx.clock.now()));
  const beforeInstant = toDbInstant(parseInstant(`${month.nextFirstDay}T00:00:00`, '/month'));
  return { month, beforeInstant };
}

/**
 * What the run would issue now, written nowhere: the very same per-customer assembly the run uses
 * (`plannedInvoice`), read without the number series' lock, so no number is taken and no row or audit
 * entry is written. Customers already invoiced for the month, or with nothing to bill, are left out.
 */
export async function previewInvoiceMonth(
  ctx: AppContext,
  principal: Principal,
  monthText: unknown,
): Promise<{ month: string; invoices: PlannedInvoice[] }> {
  requireRole(principal, BILLING_ROLES);
  const { month, beforeInstant } = runMonth(ctx, monthText);
  const { rules, customers } = await billableCustomers(ctx, month, beforeInstant);
  const invoices: PlannedInvoice[] = [];
  for (const page of pages(customers, PAGE_SIZE)) {
    const prefetched = await prefetch(ctx.db, page, beforeInstant);
    for (const planned of await plannedInvoices(ctx.db, rules, page, month, beforeInstant, prefetched)) {
      if (planned) invoices.push(planned);
    }
  }
  return { month: month.month, invoices };
}

async function billableCustomers(
  ctx: AppContext,
  month: InvoiceMonth,
  beforeInstant: string,
): Promise<{ rules: PricingRules; customers: CustomerRow[] }> {
  const rules = await loadPricingRules(ctx.db);
  const customerIds = await listBillableCustomerIds(ctx.db, {
    firstDay: month.firstDay,
    lastDay: month.lastDay,
    beforeInstant,
  });
  return { rules, customers: await listCustomersByIds(ctx.db, customerIds) };
}

/**
 * Each customer's invoice for the month as the run would issue it, or null (already invoiced, nothing
 * to bill), in the customers' order: a few queries for all of them, then the pure assembly.
 */
async function plannedInvoices(
  trx: DbOrTrx,
  rules: PricingRules,
  customers: readonly CustomerRow[],
  month: InvoiceMonth,
  beforeInstant: string,
  prefetched: Prefetched,
): Promise<(PlannedInvoice | null)[]> {
  const invoiced = await listCustomersInvoicedForMonth(
    trx,
    customers.map((c) => c.id),
    month.month,
  );
  const open = customers.filter((c) => !invoiced.has(c.id));
  const openIds = open.map((c) => c.id);
  const incidents = groupBy(await listUninvoicedClosedIncidentsOf(trx, openIds, beforeInstant), (r) =>
    String(r.customer_id),
  );
  // Closed after the page was read: their work is read now.
  const unread = [...incidents.values()].flat().filter((r) => !prefetched.work.has(r.id));
  const lateWork = groupBy(
    await listWorkEntriesOfIncidents(
      trx,
      unread.map((r) => r.id),
    ),
    (w) => String(w.incident_id),
  );
  const operations = groupBy(
    await listUninvoicedOperationsWorkOf(
      trx,
      openIds.filter((id) => prefetched.withOperationsWork.has(id)),
      beforeInstant,
    ),
    (w) => w.customer_id,
  );
  return customers.map((customer) => {
    if (invoiced.has(customer.id)) return null;
    const tiers = prefetched.tiers.get(customer.id) ?? [];
    const priced: PricedIncident[] = (incidents.get(customer.id) ?? []).map((row) => {
      const reportedAtMs = Date.parse(row.reported_at);
      // The tier valid at the report time by the customer's history (a tier change may be back-dated).
      const tier = tiers.length > 0 ? tierAtReport(tiers, reportedAtMs) : (row.tier as Tier);
      const tariff = tariffForReport(rules.tariffs, reportedAtMs, rules.calendar);
      const work = prefetched.work.get(row.id) ?? (lateWork.get(row.id) ?? []).map(workEntryOf);
      const price = priceIncident({ tier, reportedAtMs, work }, tariff, rules.calendar);
      return { id: row.id, ref: row.ref, tier, reportedAtMs, tariff, price };
    });
    const invoice = assembleInvoice({
      agreement: { startDate: customer.agreement_start, endDate: customer.agreement_end, tiers },
      month,
      tariffs: rules.tariffs,
      incidents: priced,
      operations: (operations.get(customer.id) ?? []).map((w) => ({
        id: w.id,
        taskTitle: w.title,
        hostname: w.hostname,
        inContract: w.in_contract === 1,
        startMs: Date.parse(w.start_at),
        endMs: Date.parse(w.end_at),
      })),
    });
    return invoice.billable ? { customer, month, invoice, incidentIds: priced.map((i) => i.id) } : null;
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

interface RunFacts {
  runId: string;
  month: InvoiceMonth;
  beforeInstant: string;
  nowMs: number;
  rules: PricingRules;
}

/**
 * One issuing transaction: takes the number series' lock, plans the batch's invoices from what is
 * committed now, inserts them as drafts with their lines, numbers them in the customers' order and
 * issues them. Answers each customer's number, or null (already invoiced, nothing to bill).
 */
async function issueBatch(
  trx: Trx,
  ctx: AppContext,
  principal: Principal,
  run: RunFacts,
  customers: readonly CustomerRow[],
  prefetched: Prefetched,
): Promise<(string | null)[]> {
  await lockNumberSeries(trx, INVOICE_SERIES);
  const planned = await plannedInvoices(trx, run.rules, customers, run.month, run.beforeInstant, prefetched);
  const issuing = planned.filter((p): p is PlannedInvoice => p !== null);
  if (issuing.length === 0) return planned.map(() => null);
  const createdAt = toDbInstant(run.nowMs);
  const seller = JSON.stringify(sellerOf(ctx));
  const drafts = issuing.map((p) => {
    const lineIds = p.invoice.lines.map(() => ctx.newId());
    return { planned: p, id: ctx.newId(), lineIds };
  });
  await insertInvoices(
    trx,
    drafts.map(({ planned: { invoice, customer }, id }) => ({
      id,
      number: null,
      kind: 'invoice',
      status: 'draft',
      run_id: run.runId,
      customer_id: customer.id,
      month: run.month.month,
      credits_invoice_id: null,
      issue_date: null,
      due_date: null,
      net_ore: invoice.netOre,
      vat_ore: invoice.vatOre,
      rounding_ore: invoice.roundingOre,
      total_ore: invoice.totalOre,
      seller,
      buyer: JSON.stringify(buyerOf(customer)),
      created_at: createdAt,
      reason: null,
    })),
  );
  await insertInvoiceLines(
    trx,
    drafts.flatMap(({ planned: { invoice }, id, lineIds }) => invoiceLineRows(id, invoice.lines, lineIds)),
  );
  await markWorkInvoiced(
    trx,
    drafts.flatMap(({ planned: p, lineIds }) =>
      p.invoice.operationsWorkIds.flatMap((workId, i) =>
        workId === null ? [] : [{ workId, lineId: lineIds[i] as string }],
      ),
    ),
  );
  await insertInvoicedIncidents(
    trx,
    drafts.flatMap(({ planned: p, id }) =>
      p.incidentIds.map((incidentId) => ({ incident_id: incidentId, invoice_id: id, created_at: createdAt })),
    ),
  );
  const first = await takeNextNumbers(trx, INVOICE_SERIES, drafts.length);
  const numbered = drafts.map(({ id }, i) => ({ id, number: String(first + i) }));
  const issueDate = localDateOfInstant(run.nowMs);
  await issueInvoiceRows(trx, numbered, {
    issue_date: issueDate,
    due_date: addDays(issueDate, ctx.config.seller.paymentTermsDays),
  });
  await appendAudits(
    trx,
    drafts.map(({ planned: p, id }, i) => ({
      atMs: run.nowMs,
      actor: auditActor(principal),
      action: 'invoice.issued',
      entityType: 'invoice',
      entityId: id,
      customerId: p.customer.id,
      data: {
        number: numbered[i]?.number,
        month: run.month.month,
        totalOre: p.invoice.totalOre,
        incidents: p.incidentIds.length,
      },
    })),
  );
  const numberOf = new Map(drafts.map(({ planned: p }, i) => [p.customer.id, numbered[i]?.number ?? null]));
  return customers.map((c) => numberOf.get(c.id) ?? null);
}

/** The rows of an invoice's (or credit note's) lines, numbered in order, with ids made beforehand. */
export function invoiceLineRows(invoiceId: string, lines: readonly InvoiceLine[], ids: readonly string[]) {
  return lines.map((l, i) => ({
    id: ids[i] as string,
    invoice_id: invoiceId,
    position: i + 1,
    kind: l.kind,
    description: l.description,
    incident_id: l.incidentId,
    incident_ref: l.incidentRef,
    service_date: l.serviceDate,
    quantity_milli: l.quantityMilli,
    unit: l.unit,
    unit_price_ore: l.unitPriceOre,
    base_quantity: l.baseQuantity,
    factor_percent: l.factorPercent,
    amount_ore: l.amountOre,
    vat_percent: l.vatPercent,
    account: l.account,
    credits_line_id: l.creditsLineId,
  }));
}
