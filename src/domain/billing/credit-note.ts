import { DomainError, type FieldError } from '../shared/domain-error.js';
import type { Ore } from '../shared/money.js';
import type { InvoiceLine } from './invoice-line.js';
import { ACCOUNTS, lineAmountOre } from './invoice-line.js';
import { invoiceTotals, VAT_PERCENT, type InvoiceTotals } from './totals.js';

/** A line of the original invoice with what earlier credit notes already took back (≥ 0). */
export interface CreditableLine extends InvoiceLine {
  id: string;
  creditedOre: Ore;
}

/** The original invoice's totals and the sums (≤ 0) of the credit notes already issued against it. */
export interface CreditableInvoice extends InvoiceTotals {
  credited: InvoiceTotals;
  lines: readonly CreditableLine[];
}

/** Which lines to credit and how much of each (öre excluding VAT); none given: all that remains. */
export interface CreditRequest {
  lines?: readonly { lineId: string; amountOre?: number }[] | undefined;
}

export interface PlannedCreditNote extends InvoiceTotals {
  lines: InvoiceLine[];
  /** True when the invoice is wholly credited after this note. */
  settlesInvoice: boolean;
}

function remainingOf(l: CreditableLine): Ore {
  return l.amountOre - l.creditedOre;
}

/**
 * Plans a credit note against an issued invoice: negative lines referring to the credited lines,
 * never more per line than what remains after earlier credit notes (VALIDATION_FAILED naming
 * `/lines/i/amountOre`), nothing at all when nothing remains (CONFLICT). VAT is 25 % of the credited
 * net sum; the note that credits the last of the invoice takes back exactly the VAT and total that
 * remain, so an invoice and its credit notes always sum to zero, rounding included.
 */
export function planCreditNote(invoice: CreditableInvoice, request: CreditRequest): PlannedCreditNote {
  const byId = new Map(invoice.lines.map((l) => [l.id, l]));
  const picks: { line: CreditableLine; amountOre: Ore }[] = [];
  const errors: FieldError[] = [];
  if (request.lines === undefined) {
    for (const l of invoice.lines) if (remainingOf(l) > 0) picks.push({ line: l, amountOre: remainingOf(l) });
    if (picks.length === 0) throw new DomainError('CONFLICT', 'nothing remains to credit on this invoice');
  } else {
    if (request.lines.length === 0) errors.push({ path: '/lines', message: 'must name at least one line' });
    const seen = new Set<string>();
    request.lines.forEach((r, i) => {
      const l = byId.get(r.lineId);
      if (!l) return errors.push({ path: `/lines/${i}/lineId`, message: 'is not a line of this invoice' });
      if (seen.has(r.lineId)) return errors.push({ path: `/lines/${i}/lineId`, message: 'is named twice' });
      seen.add(r.lineId);
      const remaining = remainingOf(l);
      const amountOre = r.amountOre ?? remaining;
      if (!Number.isSafeInteger(amountOre) || amountOre <= 0) {
        if (remaining <= 0)
          errors.push({ path: `/lines/${i}/lineId`, message: 'nothing remains to credit on this line' });
        else errors.push({ path: `/lines/${i}/amountOre`, message: 'must be a whole number of öre > 0' });
        return undefined;
      }
      if (amountOre > remaining) {
        errors.push({
          path: `/lines/${i}/amountOre`,
          message: `${amountOre} öre is more than the ${remaining} öre that remain on this line`,
        });
        return undefined;
      }
      picks.push({ line: l, amountOre });
      return undefined;
    });
  }
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  const lines = picks.map(({ line: l, amountOre }): InvoiceLine => {
    const whole = l.creditedOre === 0 && amountOre === l.amountOre;
    const quantityMilli = whole ? -l.quantityMilli : -1000;
    const unitPriceOre = whole ? l.unitPriceOre : amountOre;
    const baseQuantity = whole ? l.baseQuantity : 1;
    return {
      kind: 'credit',
      description: `Kredit${whole ? '' : ' (delvis)'}: ${l.description}`,
      incidentId: l.incidentId,
      incidentRef: l.incidentRef,
      serviceDate: l.serviceDate,
      quantityMilli,
      unit: whole ? l.unit : 'st',
      unitPriceOre,
      baseQuantity,
      factorPercent: whole ? l.factorPercent : 100,
      amountOre: lineAmountOre(unitPriceOre, quantityMilli, baseQuantity),
      vatPercent: VAT_PERCENT,
      account: l.account || ACCOUNTS.sales,
      creditsLineId: l.id,
    };
  });
  const creditedNow = new Map(picks.map((p) => [p.line.id, p.amountOre]));
  const settlesInvoice = invoice.lines.every((l) => remainingOf(l) - (creditedNow.get(l.id) ?? 0) === 0);
  const netOre = lines.reduce((s, l) => s + l.amountOre, 0);
  if (settlesInvoice) {
    const vatOre = -(invoice.vatOre + invoice.credited.vatOre) + 0;
    const totalOre = -(invoice.totalOre + invoice.credited.totalOre) + 0;
    return { lines, netOre, vatOre, roundingOre: totalOre - netOre - vatOre + 0, totalOre, settlesInvoice };
  }
  return { lines, ...invoiceTotals(netOre), settlesInvoice };
}
