import type { LocalDate } from '../calendar/local-date.js';
import type { Ore } from '../shared/money.js';
import { divideRoundHalfUp } from '../shared/money.js';
import type { Tier } from '../shared/tier.js';

/** What a line bills: the agreement's monthly fee, a callout's start fee, started hours, operations work. */
export type LineKind = 'monthly_fee' | 'start_fee' | 'hours' | 'operations' | 'credit';

/** Units, with their UN/ECE Recommendation 20 codes for the e-invoice. */
export const UNIT_CODES = { month: 'MON', day: 'DAY', h: 'HUR', st: 'C62' } as const;
export type Unit = keyof typeof UNIT_CODES;

/** BAS accounts the invoice is booked on (SIE export). */
export const ACCOUNTS = {
  /** Försäljning tjänster inom Sverige, 25 % moms. */
  sales: '3041',
  /** Utgående moms på försäljning inom Sverige, 25 %. */
  outputVat: '2611',
  /** Kundfordringar. */
  receivables: '1510',
  /** Öres- och kronutjämning. */
  rounding: '3740',
} as const;

/** One line of an invoice or credit note; money in öre excluding VAT. */
export interface InvoiceLine {
  kind: LineKind;
  /** Swedish text printed on the invoice. */
  description: string;
  incidentId: string | null;
  incidentRef: string | null;
  /** The local date the line is about (report date, work date; the month's first day for fees). */
  serviceDate: LocalDate | null;
  /** Quantity in thousandths (1 500 = 1.5); negative on credit notes. */
  quantityMilli: number;
  unit: Unit;
  /** Price per `baseQuantity` units (a prorated fee: the monthly fee per days-in-month days). */
  unitPriceOre: Ore;
  baseQuantity: number;
  /** 150 for the weekend/holiday factor, else 100. */
  factorPercent: number;
  amountOre: Ore;
  vatPercent: number;
  account: string;
  /** On credit notes: the credited line. */
  creditsLineId: string | null;
}

/**
 * A line's amount: unit price × quantity ÷ base quantity, rounded half-up to the öre.
 * @example lineAmountOre(210000, 15000, 31) // 101613
 */
export function lineAmountOre(unitPriceOre: Ore, quantityMilli: number, baseQuantity = 1): Ore {
  return divideRoundHalfUp(unitPriceOre * quantityMilli, 1000 * baseQuantity) + 0;
}

export const TIER_NAMES_SV: Record<Tier, string> = {
  hog: 'Hög servicenivå',
  incident: 'Incidentsupport',
  none: 'Utan avtal',
};

/**
 * A quantity in thousandths as Swedish text.
 * @example formatQuantity(1500) // '1,5'
 */
export function formatQuantity(quantityMilli: number): string {
  const sign = quantityMilli < 0 ? '-' : '';
  const abs = Math.abs(quantityMilli);
  const whole = Math.floor(abs / 1000);
  const fraction = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `,${fraction}` : ''}`;
}

/**
 * A factor in percent as Swedish text.
 * @example formatFactor(150) // '1,5'
 */
export function formatFactor(percent: number): string {
  return formatQuantity(percent * 10);
}
