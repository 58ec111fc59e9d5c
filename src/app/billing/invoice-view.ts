import type { DbOrTrx } from '../../db/database.js';
import {
  listInvoiceLineRows,
  listInvoiceRows,
  findInvoice,
} from '../../db/repositories/billing.repository.js';
import type { InvoiceLineRow, InvoiceRow } from '../../db/tables/billing.table.js';
import type { DocumentLine, InvoiceDocument, Party, Seller } from '../../domain/billing/invoice-document.js';
import { vatBreakdown } from '../../domain/billing/invoice-document.js';
import type { LineKind, Unit } from '../../domain/billing/invoice-line.js';
import { ocrReference } from '../../domain/billing/ocr.js';
import { formatInstant } from '../../domain/calendar/instant.js';

/** One invoice line as the API shows it. */
export interface InvoiceLineView {
  id: string;
  position: number;
  kind: LineKind;
  description: string;
  incidentId: string | null;
  incidentRef: string | null;
  serviceDate: string | null;
  /** Decimal quantity (negative on credit notes). */
  quantity: number;
  unit: Unit;
  unitPriceOre: number;
  /** The unit price is per this many units (a prorated monthly fee: per days in the month). */
  baseQuantity: number;
  /** 1 or 1.5 (weekend/holiday). */
  factor: number;
  amountOre: number;
  vatPercent: number;
  account: string;
  creditsLineId: string | null;
}

/** An issued invoice or credit note as the API shows it (GET /invoices/{id}). */
export interface InvoiceView {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  status: 'issued';
  customerId: string;
  month: string;
  runId: string | null;
  issueDate: string;
  dueDate: string;
  ocr: string;
  currency: 'SEK';
  netOre: number;
  vatOre: number;
  roundingOre: number;
  totalOre: number;
  vat: { percent: number; taxableOre: number; vatOre: number }[];
  seller: Seller;
  buyer: Party;
  lines: InvoiceLineView[];
  creditsInvoiceId: string | null;
  creditsInvoiceNumber: string | null;
  reason: string | null;
  createdAt: string;
}

export function toDocumentLine(row: InvoiceLineRow): DocumentLine {
  return {
    id: row.id,
    position: row.position,
    kind: row.kind as LineKind,
    description: row.description,
    incidentId: row.incident_id,
    incidentRef: row.incident_ref,
    serviceDate: row.service_date,
    quantityMilli: row.quantity_milli,
    unit: row.unit as Unit,
    unitPriceOre: row.unit_price_ore,
    baseQuantity: row.base_quantity,
    factorPercent: row.factor_percent,
    amountOre: row.amount_ore,
    vatPercent: row.vat_percent,
    account: row.account,
    creditsLineId: row.credits_line_id,
  };
}

/** Rows → the document every rendering works from. */
export function toInvoiceDocument(
  row: InvoiceRow,
  lines: InvoiceLineRow[],
  credited: { id: string; number: string; issueDate: string } | null,
): InvoiceDocument {
  const docLines = lines.map(toDocumentLine);
  const totals = {
    netOre: row.net_ore,
    vatOre: row.vat_ore,
    roundingOre: row.rounding_ore,
    totalOre: row.total_ore,
  };
  return {
    id: row.id,
    number: row.number ?? '',
    kind: row.kind,
    customerId: row.customer_id,
    month: row.month,
    issueDate: row.issue_date ?? '',
    dueDate: row.due_date ?? '',
    ocr: row.number ? ocrReference(row.number) : '',
    currency: 'SEK',
    seller: JSON.parse(row.seller) as Seller,
    buyer: JSON.parse(row.buyer) as Party,
    lines: docLines,
    vatBreakdown: vatBreakdown(docLines, totals),
    ...totals,
    creditsInvoice: credited,
    reason: row.reason,
  };
}

export function toInvoiceView(doc: InvoiceDocument, row: InvoiceRow): InvoiceView {
  return {
    id: doc.id,
    number: doc.number,
    kind: doc.kind,
    status: 'issued',
    customerId: doc.customerId,
    month: doc.month,
    runId: row.run_id,
    issueDate: doc.issueDate,
    dueDate: doc.dueDate,
    ocr: doc.ocr,
    currency: 'SEK',
    netOre: doc.netOre,
    vatOre: doc.vatOre,
    roundingOre: doc.roundingOre,
    totalOre: doc.totalOre,
    vat: doc.vatBreakdown,
    seller: doc.seller,
    buyer: doc.buyer,
    lines: doc.lines.map((l) => ({
      id: l.id,
      position: l.position,
      kind: l.kind,
      description: l.description,
      incidentId: l.incidentId,
      incidentRef: l.incidentRef,
      serviceDate: l.serviceDate,
      quantity: l.quantityMilli / 1000,
      unit: l.unit,
      unitPriceOre: l.unitPriceOre,
      baseQuantity: l.baseQuantity,
      factor: l.factorPercent / 100,
      amountOre: l.amountOre,
      vatPercent: l.vatPercent,
      account: l.account,
      creditsLineId: l.creditsLineId,
    })),
    creditsInvoiceId: doc.creditsInvoice?.id ?? null,
    creditsInvoiceNumber: doc.creditsInvoice?.number ?? null,
    reason: doc.reason,
    createdAt: formatInstant(Date.parse(row.created_at)),
  };
}

/** Loads issued documents with their lines (and, for credit notes, the invoice they credit). */
export async function loadDocuments(
  db: DbOrTrx,
  rows: InvoiceRow[],
): Promise<{ doc: InvoiceDocument; row: InvoiceRow }[]> {
  const lines = await listInvoiceLineRows(
    db,
    rows.map((r) => r.id),
  );
  const byInvoice = new Map<string, InvoiceLineRow[]>();
  for (const l of lines) {
    const list = byInvoice.get(l.invoice_id);
    if (list) list.push(l);
    else byInvoice.set(l.invoice_id, [l]);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: { doc: InvoiceDocument; row: InvoiceRow }[] = [];
  for (const row of rows) {
    let credited: { id: string; number: string; issueDate: string } | null = null;
    if (row.credits_invoice_id) {
      const original = byId.get(row.credits_invoice_id) ?? (await findInvoice(db, row.credits_invoice_id));
      if (original)
        credited = { id: original.id, number: original.number ?? '', issueDate: original.issue_date ?? '' };
    }
    out.push({ doc: toInvoiceDocument(row, byInvoice.get(row.id) ?? [], credited), row });
  }
  return out;
}

/**
 * The issued invoices of a run by number, a page at a time (keyset on the number), so a caller that
 * streams them (the CLI) never holds a month of 10 000 invoices and their lines at once.
 */
export async function* runInvoicePages(
  db: DbOrTrx,
  runId: string,
  pageSize = 500,
): AsyncGenerator<InvoiceView[]> {
  let afterNumber: number | undefined;
  for (;;) {
    const rows = await listInvoiceRows(db, { runId, kind: 'invoice', afterNumber, limit: pageSize });
    if (rows.length === 0) return;
    yield (await loadDocuments(db, rows)).map(({ doc, row }) => toInvoiceView(doc, row));
    if (rows.length < pageSize) return;
    afterNumber = Number(rows.at(-1)?.number);
  }
}

/** The issued documents of a run, by number. */
export async function loadRunInvoices(db: DbOrTrx, runId: string): Promise<InvoiceView[]> {
  const out: InvoiceView[] = [];
  for await (const page of runInvoicePages(db, runId)) out.push(...page);
  return out;
}
