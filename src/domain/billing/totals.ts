import type { Ore } from '../shared/money.js';
import { divideRoundHalfUp } from '../shared/money.js';

/** The Swedish standard VAT rate (mervärdesskattelagen): every line of our invoices carries it. */
export const VAT_PERCENT = 25;

/** The sums of an invoice or credit note (credit notes are negative). */
export interface InvoiceTotals {
  /** Sum of the lines, excluding VAT. */
  netOre: Ore;
  /** VAT on the net sum, rounded half-up to the öre (once, never per line). */
  vatOre: Ore;
  /** Öresavrundning: what makes net + VAT a whole number of kronor. */
  roundingOre: Ore;
  /** What the customer pays: net + VAT + rounding, whole kronor. */
  totalOre: Ore;
}

/**
 * VAT once on the net sum (half-up to the öre), the total rounded half-up to whole kronor, the
 * difference on the öresavrundning line (ADR 0002). Symmetric for negative sums (credit notes).
 * @example invoiceTotals(101613) // { netOre: 101613, vatOre: 25403, roundingOre: -16, totalOre: 127000 }
 */
export function invoiceTotals(netOre: Ore, vatPercent = VAT_PERCENT): InvoiceTotals {
  // `+ 0` turns the -0 of a tiny negative sum into 0.
  const vatOre = divideRoundHalfUp(netOre * vatPercent, 100) + 0;
  const exact = netOre + vatOre;
  const totalOre = divideRoundHalfUp(exact, 100) * 100 + 0;
  return { netOre, vatOre, roundingOre: totalOre - exact + 0, totalOre };
}
