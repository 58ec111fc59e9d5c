import { findInvoice, listInvoiceRows } from '../../db/repositories/billing.repository.js';
import type { InvoiceDocument } from '../../domain/billing/invoice-document.js';
import { invoiceMonth } from '../../domain/billing/invoice-month.js';
import { renderSie } from '../../domain/billing/sie.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { renderInvoicesCsv } from '../../integrations/billing-renderings/invoice-csv.js';
import { renderInvoicePdf } from '../../integrations/billing-renderings/invoice-pdf.js';
import { renderInvoiceUbl } from '../../integrations/billing-renderings/invoice-ubl.js';
import { encodeSie } from '../../integrations/billing-renderings/sie-file.js';
import { assertCustomerVisible, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { BILLING_ROLES } from './invoice-run.js';
import { loadDocuments, toInvoiceView, type InvoiceView } from './invoice-view.js';

const READERS = [...BILLING_ROLES, 'customer'] as const;

/** One issued document; a customer sees only its own (another's answers 404, as if it did not exist). */
async function loadVisible(ctx: AppContext, principal: Principal, id: string) {
  requireRole(principal, READERS);
  const row = await findInvoice(ctx.db, id);
  if (
    !row ||
    row.status !== 'issued' ||
    (principal.role === 'customer' && row.customer_id !== principal.customerId)
  ) {
    throw new DomainError('NOT_FOUND', 'invoice not found');
  }
  const [loaded] = await loadDocuments(ctx.db, [row]);
  if (!loaded) throw new DomainError('NOT_FOUND', 'invoice not found');
  return loaded;
}

export async function getInvoice(ctx: AppContext, principal: Principal, id: string): Promise<InvoiceView> {
  const { doc, row } = await loadVisible(ctx, principal, id);
  return toInvoiceView(doc, row);
}

export async function invoicePdf(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<{ number: string; pdf: Buffer }> {
  const { doc } = await loadVisible(ctx, principal, id);
  return { number: doc.number, pdf: await renderInvoicePdf(doc) };
}

export async function invoiceUbl(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<{ number: string; xml: string }> {
  const { doc } = await loadVisible(ctx, principal, id);
  return { number: doc.number, xml: renderInvoiceUbl(doc) };
}

export interface InvoiceFilter {
  month?: string | undefined;
  customerId?: string | undefined;
  kind?: 'invoice' | 'credit_note' | undefined;
  /** Invoices numbered after this (the previous page's last number). */
  after?: string | undefined;
  limit: number;
}

async function listDocuments(
  ctx: AppContext,
  principal: Principal,
  q: InvoiceFilter,
): Promise<{ doc: InvoiceDocument; row: Awaited<ReturnType<typeof listInvoiceRows>>[number] }[]> {
  requireRole(principal, READERS);
  if (q.month !== undefined) invoiceMonth(q.month, '/month');
  if (q.after !== undefined && !/^\d{1,15}$/.test(q.after)) {
    throw new DomainError('VALIDATION_FAILED', '/after: must be an invoice number', [
      { path: '/after', message: 'must be an invoice number' },
    ]);
  }
  // Another customer's id answers 404, as everywhere else, rather than an empty page.
  if (q.customerId) assertCustomerVisible(principal, q.customerId);
  const customerId = principal.role === 'customer' ? (principal.customerId as string) : q.customerId;
  const rows = await listInvoiceRows(ctx.db, {
    ...(q.month ? { month: q.month } : {}),
    ...(customerId ? { customerId } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.after ? { afterNumber: Number(q.after) } : {}),
    limit: q.limit,
  });
  return loadDocuments(ctx.db, rows);
}

/** GET /invoices: issued invoices and credit notes by number, filtered; customers see their own. */
export async function listInvoices(
  ctx: AppContext,
  principal: Principal,
  q: InvoiceFilter,
): Promise<{ items: InvoiceView[]; nextAfter: string | null }> {
  const docs = await listDocuments(ctx, principal, { ...q, limit: q.limit + 1 });
  const page = docs.slice(0, q.limit);
  return {
    items: page.map(({ doc, row }) => toInvoiceView(doc, row)),
    nextAfter: docs.length > q.limit ? (page.at(-1)?.doc.number ?? null) : null,
  };
}

/** GET /invoices.csv?month=: the month's documents for a spreadsheet. */
export async function invoicesCsv(ctx: AppContext, principal: Principal, month: string): Promise<string> {
  const docs = await listDocuments(ctx, principal, { month, limit: 100_000 });
  return renderInvoicesCsv(docs.map((d) => d.doc));
}

/**
 * GET /exports/sie?month=: the month's invoices and credit notes as SIE 4 vouchers, CP437. The
 * financial year is the calendar year of the vouchers' dates (of today when there are none).
 */
export async function sieExport(
  ctx: AppContext,
  principal: Principal,
  month: string,
): Promise<{ fileName: string; bytes: Buffer }> {
  requireRole(principal, BILLING_ROLES);
  invoiceMonth(month, '/month');
  const docs = (await listDocuments(ctx, principal, { month, limit: 100_000 })).map((d) => d.doc);
  const today = localDateOfInstant(ctx.clock.now());
  const year = (docs[0]?.issueDate ?? today).slice(0, 4);
  const text = renderSie({
    programVersion: '1.0',
    generatedOn: today,
    seller: { name: ctx.config.seller.name, orgNumber: ctx.config.seller.orgNumber },
    fiscalYear: { start: `${year}-01-01`, end: `${year}-12-31` },
    documents: docs,
  });
  return { fileName: `ballou-${month}.se`, bytes: encodeSie(text) };
}
