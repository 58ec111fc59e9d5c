import { vatBreakdown, type InvoiceDocument } from '../../domain/billing/invoice-document.js';
import { addDays } from '../../domain/billing/invoice-month.js';
import { formatInstant, localDateOfInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { renderInvoicePdf } from '../../integrations/billing-renderings/invoice-pdf.js';
import type { AppContext } from '../app-context.js';
import { buyerOf, previewInvoiceMonth, sellerOf, type PlannedInvoice } from './invoice-run.js';
import { toInvoiceView, type InvoiceLineView, type InvoiceView } from './invoice-view.js';

/** A would-be invoice as the API shows it: the issued shape, but no id, number or OCR yet. */
export type InvoicePreviewView = Omit<InvoiceView, 'id' | 'number' | 'status' | 'ocr' | 'runId' | 'lines'> & {
  id: null;
  number: null;
  status: 'preview';
  ocr: null;
  runId: null;
  lines: (Omit<InvoiceLineView, 'id'> & { id: null })[];
};

/** The planned invoice as the document the renderings work from, dated as if issued now. */
function previewDocument(ctx: AppContext, planned: PlannedInvoice): InvoiceDocument {
  const { invoice } = planned;
  const issueDate = localDateOfInstant(ctx.clock.now());
  const lines = invoice.lines.map((l, i) => ({ ...l, id: '', position: i + 1 }));
  const totals = {
    netOre: invoice.netOre,
    vatOre: invoice.vatOre,
    roundingOre: invoice.roundingOre,
    totalOre: invoice.totalOre,
  };
  return {
    id: '',
    number: '',
    kind: 'invoice',
    customerId: planned.customer.id,
    month: planned.month.month,
    issueDate,
    dueDate: addDays(issueDate, ctx.config.seller.paymentTermsDays),
    ocr: '',
    currency: 'SEK',
    seller: sellerOf(ctx),
    buyer: buyerOf(planned.customer),
    lines,
    vatBreakdown: vatBreakdown(lines, totals),
    ...totals,
    creditsInvoice: null,
    reason: null,
  };
}

function toPreviewView(ctx: AppContext, planned: PlannedInvoice): InvoicePreviewView {
  const doc = previewDocument(ctx, planned);
  const view = toInvoiceView(doc, {
    run_id: null,
    created_at: new Date(ctx.clock.now()).toISOString(),
  } as Parameters<typeof toInvoiceView>[1]);
  return {
    ...view,
    id: null,
    number: null,
    status: 'preview',
    ocr: null,
    runId: null,
    createdAt: formatInstant(ctx.clock.now()),
    lines: view.lines.map((l) => ({ ...l, id: null })),
  };
}

/** POST /invoice-runs/preview: the invoices the month's run would issue now; writes nothing. */
export async function previewInvoiceRun(
  ctx: AppContext,
  principal: Principal,
  monthText: unknown,
): Promise<{ month: string; invoices: InvoicePreviewView[] }> {
  const { month, invoices } = await previewInvoiceMonth(ctx, principal, monthText);
  return { month, invoices: invoices.map((p) => toPreviewView(ctx, p)) };
}

/** GET /invoice-runs/preview.pdf: one customer's would-be invoice, marked as a preview, no number. */
export async function previewInvoicePdf(
  ctx: AppContext,
  principal: Principal,
  monthText: unknown,
  customerId: string,
): Promise<Buffer> {
  const { invoices } = await previewInvoiceMonth(ctx, principal, monthText);
  const planned = invoices.find((p) => p.customer.id === customerId);
  if (!planned) {
    throw new DomainError('NOT_FOUND', 'nothing to invoice for this customer and month', [
      { path: '/customerId', message: 'the run would issue no invoice to this customer for the month' },
    ]);
  }
  return renderInvoicePdf(previewDocument(ctx, planned), { preview: true });
}
