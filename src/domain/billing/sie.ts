import type { LocalDate } from '../calendar/local-date.js';
import type { Ore } from '../shared/money.js';
import type { InvoiceDocument } from './invoice-document.js';
import { ACCOUNTS } from './invoice-line.js';

const ACCOUNT_NAMES: Record<string, string> = {
  [ACCOUNTS.receivables]: 'Kundfordringar',
  [ACCOUNTS.outputVat]: 'Utgående moms, 25 %',
  [ACCOUNTS.sales]: 'Försäljning tjänster inom Sverige, 25 % moms',
  [ACCOUNTS.rounding]: 'Öres- och kronutjämning',
};

/** One #TRANS row: account and amount (debit positive, credit negative). */
export interface SieTransaction {
  account: string;
  amountOre: Ore;
}

/** One #VER: a booked invoice or credit note. */
export interface SieVoucher {
  series: string;
  number: string;
  date: LocalDate;
  text: string;
  transactions: SieTransaction[];
}

/**
 * How an invoice is booked: receivables 1510 debit (what the customer pays), sales 30xx credit per
 * account, output VAT 2611 credit, öresavrundning 3740. Credit notes are negative, so the same rule
 * reverses them. The transactions always balance.
 */
export function voucherOf(doc: InvoiceDocument): SieVoucher {
  const sales = new Map<string, Ore>();
  for (const l of doc.lines) sales.set(l.account, (sales.get(l.account) ?? 0) + l.amountOre);
  const transactions: SieTransaction[] = [{ account: ACCOUNTS.receivables, amountOre: doc.totalOre }];
  for (const [account, amount] of sales) if (amount !== 0) transactions.push({ account, amountOre: -amount });
  if (doc.vatOre !== 0) transactions.push({ account: ACCOUNTS.outputVat, amountOre: -doc.vatOre });
  if (doc.roundingOre !== 0) transactions.push({ account: ACCOUNTS.rounding, amountOre: -doc.roundingOre });
  return {
    series: 'F',
    number: doc.number,
    date: doc.issueDate,
    text: `${doc.kind === 'invoice' ? 'Faktura' : 'Kreditfaktura'} ${doc.number} ${doc.buyer.name}`,
    transactions,
  };
}

/** SIE amounts: kronor with a point and two decimals, e.g. -1750.00. */
export function sieAmount(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A quoted SIE string: backslash and quote escaped, no control characters or line breaks. */
export function sieString(text: string): string {
  const clean = text
    .replace(/[\u2013\u2014]/g, '-')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');
  return `"${clean}"`;
}

function compactDate(date: LocalDate): string {
  return date.replace(/-/g, '');
}

export interface SieExport {
  programVersion: string;
  generatedOn: LocalDate;
  seller: { name: string; orgNumber: string };
  /** The financial year (calendar year by default) the vouchers are booked in. */
  fiscalYear: { start: LocalDate; end: LocalDate };
  documents: readonly InvoiceDocument[];
}

/**
 * A SIE 4 file (type 4: vouchers) as text with CRLF line ends; the caller encodes it in CP437
 * (#FORMAT PC8). #KSUMMA is left out (optional in the format).
 */
export function renderSie(input: SieExport): string {
  const out: string[] = [
    '#FLAGGA 0',
    `#PROGRAM ${sieString('Ballou Server Assistans')} ${sieString(input.programVersion)}`,
    '#FORMAT PC8',
    `#GEN ${compactDate(input.generatedOn)}`,
    '#SIETYP 4',
    `#ORGNR ${input.seller.orgNumber}`,
    `#FNAMN ${sieString(input.seller.name)}`,
    `#RAR 0 ${compactDate(input.fiscalYear.start)} ${compactDate(input.fiscalYear.end)}`,
    '#VALUTA SEK',
  ];
  const vouchers = input.documents.map(voucherOf);
  const accounts = new Set<string>([
    ACCOUNTS.receivables,
    ACCOUNTS.outputVat,
    ACCOUNTS.sales,
    ACCOUNTS.rounding,
  ]);
  for (const v of vouchers) for (const t of v.transactions) accounts.add(t.account);
  for (const account of [...accounts].sort()) {
    out.push(`#KONTO ${account} ${sieString(ACCOUNT_NAMES[account] ?? `Konto ${account}`)}`);
  }
  for (const v of vouchers) {
    const number = /^\d+$/.test(v.number) ? v.number : sieString(v.number);
    out.push(`#VER ${sieString(v.series)} ${number} ${compactDate(v.date)} ${sieString(v.text)}`);
    out.push('{');
    for (const t of v.transactions) out.push(`   #TRANS ${t.account} {} ${sieAmount(t.amountOre)}`);
    out.push('}');
  }
  return `${out.join('\r\n')}\r\n`;
}
