import { toDbInstant } from '../../db/instant.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  INVOICE_SERIES,
  insertInvoice,
  insertInvoiceLines,
  issueInvoiceRow,
  listInvoiceLineRows,
  listInvoiceRows,
  lockInvoice,
  lockNumberSeries,
  takeNextNumber,
} from '../../db/repositories/billing.repository.js';
import { planCreditNote, type CreditRequest } from '../../domain/billing/credit-note.js';
import { addDays } from '../../domain/billing/invoice-month.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { BILLING_ROLES, invoiceLineRows } from './invoice-run.js';
import { loadDocuments, toInvoiceView, type InvoiceView } from './invoice-view.js';

export interface CreditNoteInput extends CreditRequest {
  reason: string;
}

/**
 * POST /invoices/{id}/credit-notes: corrects an issued invoice with a credit note that refers to it,
 * for all that remains or for chosen lines and amounts, never more than remains. Numbered from the
 * invoices' series in the same transaction, so numbers stay gap-free. The invoice itself never changes.
 */
export async function createCreditNote(
  ctx: AppContext,
  principal: Principal,
  invoiceId: string,
  input: CreditNoteInput,
): Promise<InvoiceView> {
  requireRole(principal, BILLING_ROLES);
  const reason = input.reason.trim();
  if (reason === '') {
    throw new DomainError('VALIDATION_FAILED', '/reason: must say why', [
      { path: '/reason', message: 'must say why' },
    ]);
  }
  const nowMs = ctx.clock.now();
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    await lockNumberSeries(trx, INVOICE_SERIES);
    const invoice = await lockInvoice(trx, invoiceId, ctx.dbKind === 'postgres');
    if (!invoice || invoice.status !== 'issued') throw new DomainError('NOT_FOUND', 'invoice not found');
    if (invoice.kind !== 'invoice')
      throw new DomainError('CONFLICT', 'a credit note cannot itself be credited');
    const notes = await listInvoiceRows(trx, { creditsInvoiceId: invoiceId, limit: 100_000 });
    const [noteLines] = await Promise.all([
      listInvoiceLineRows(
        trx,
        notes.map((n) => n.id),
      ),
    ]);
    const creditedByLine = new Map<string, number>();
    for (const l of noteLines) {
      if (l.credits_line_id)
        creditedByLine.set(l.credits_line_id, (creditedByLine.get(l.credits_line_id) ?? 0) - l.amount_ore);
    }
    const sum = (k: 'net_ore' | 'vat_ore' | 'rounding_ore' | 'total_ore') =>
      notes.reduce((s, n) => s + n[k], 0);
    const [original] = await loadDocuments(trx, [invoice]);
    if (!original) throw new DomainError('NOT_FOUND', 'invoice not found');
    const plan = planCreditNote(
      {
        netOre: invoice.net_ore,
        vatOre: invoice.vat_ore,
        roundingOre: invoice.rounding_ore,
        totalOre: invoice.total_ore,
        credited: {
          netOre: sum('net_ore'),
          vatOre: sum('vat_ore'),
          roundingOre: sum('rounding_ore'),
          totalOre: sum('total_ore'),
        },
        lines: original.doc.lines.map((l) => ({ ...l, creditedOre: creditedByLine.get(l.id) ?? 0 })),
      },
      { lines: input.lines },
    );
    const createdAt = toDbInstant(nowMs);
    await insertInvoice(trx, {
      id,
      number: null,
      kind: 'credit_note',
      status: 'draft',
      run_id: null,
      customer_id: invoice.customer_id,
      month: localDateOfInstant(nowMs).slice(0, 7),
      credits_invoice_id: invoice.id,
      issue_date: null,
      due_date: null,
      net_ore: plan.netOre,
      vat_ore: plan.vatOre,
      rounding_ore: plan.roundingOre,
      total_ore: plan.totalOre,
      seller: invoice.seller,
      buyer: invoice.buyer,
      created_at: createdAt,
      reason,
    });
    await insertInvoiceLines(
      trx,
      invoiceLineRows(
        id,
        plan.lines,
        plan.lines.map(() => ctx.newId()),
      ),
    );
    const number = String(await takeNextNumber(trx, INVOICE_SERIES));
    const issueDate = localDateOfInstant(nowMs);
    await issueInvoiceRow(trx, id, {
      number,
      issue_date: issueDate,
      due_date: addDays(issueDate, ctx.config.seller.paymentTermsDays),
    });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'credit_note.issued',
      entityType: 'invoice',
      entityId: id,
      customerId: invoice.customer_id,
      data: {
        number,
        credits: invoice.number,
        totalOre: plan.totalOre,
        reason,
        settlesInvoice: plan.settlesInvoice,
      },
    });
  });
  const rows = await listInvoiceRows(ctx.db, { creditsInvoiceId: invoiceId, limit: 100_000 });
  const row = rows.find((r) => r.id === id);
  if (!row) throw new DomainError('INTERNAL', 'credit note vanished');
  const [loaded] = await loadDocuments(ctx.db, [row]);
  if (!loaded) throw new DomainError('INTERNAL', 'credit note vanished');
  return toInvoiceView(loaded.doc, loaded.row);
}
