import type { LocalDate } from '../calendar/local-date.js';
import type { Ore } from '../shared/money.js';
import type { InvoiceLine } from './invoice-line.js';
import type { InvoiceTotals } from './totals.js';

/** A party as printed on the invoice (mervärdesskattelagen 17 kap. 24 §: names, addresses, numbers). */
export interface Party {
  name: string;
  orgNumber: string;
  vatNumber: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2, e.g. SE. */
  country: string | null;
  email: string | null;
}

/** The seller: a party with its payment details and F-skatt statement. */
export interface Seller extends Party {
  phone: string | null;
  bankgiro: string;
  /** "Godkänd för F-skatt". */
  fSkatt: string;
}

/** One numbered line of an issued document. */
export interface DocumentLine extends InvoiceLine {
  id: string;
  position: number;
}

/** VAT per rate (one rate today: 25 %). */
export interface VatBreakdown {
  percent: number;
  taxableOre: Ore;
  vatOre: Ore;
}

/** An issued invoice or credit note, everything its renderings (PDF, UBL, SIE, CSV) need. */
export interface InvoiceDocument extends InvoiceTotals {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  customerId: string;
  month: string;
  issueDate: LocalDate;
  dueDate: LocalDate;
  /** Bankgiro OCR reference (number + length digit + Luhn check digit). */
  ocr: string;
  currency: 'SEK';
  seller: Seller;
  buyer: Party;
  lines: DocumentLine[];
  vatBreakdown: VatBreakdown[];
  /** Credit notes: the invoice they correct. */
  creditsInvoice: { id: string; number: string; issueDate: LocalDate } | null;
  /** Credit notes: why. */
  reason: string | null;
}

/**
 * VAT per rate: the taxable amount and the document's VAT (computed once on the total, so with one
 * rate the breakdown is the totals themselves).
 */
export function vatBreakdown(lines: readonly InvoiceLine[], totals: InvoiceTotals): VatBreakdown[] {
  const rates = [...new Set(lines.map((l) => l.vatPercent))];
  if (rates.length <= 1) {
    return [{ percent: rates[0] ?? 25, taxableOre: totals.netOre, vatOre: totals.vatOre }];
  }
  throw new RangeError('documents with several VAT rates are not supported');
}
