import type { InvoiceDocument } from '../../domain/billing/invoice-document.js';

const HEADER = [
  'Fakturanummer',
  'Typ',
  'Fakturadatum',
  'Förfallodatum',
  'Period',
  'Kund',
  'Organisationsnummer',
  'Netto',
  'Moms',
  'Öresavrundning',
  'Att betala',
  'OCR',
  'Krediterar',
];

function cell(value: string): string {
  // Quote what needs it, and defuse spreadsheet formulas in names (=, +, -, @ first).
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+,\d{2}$/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function kronor(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The month's invoices and credit notes as CSV for a spreadsheet set to Swedish: semicolons, decimal
 * commas, UTF-8 with a byte-order mark, CRLF.
 */
export function renderInvoicesCsv(docs: readonly InvoiceDocument[]): string {
  const rows = docs.map((d) =>
    [
      d.number,
      d.kind === 'invoice' ? 'faktura' : 'kreditfaktura',
      d.issueDate,
      d.dueDate,
      d.month,
      d.buyer.name,
      d.buyer.orgNumber,
      kronor(d.netOre),
      kronor(d.vatOre),
      kronor(d.roundingOre),
      kronor(d.totalOre),
      d.ocr,
      d.creditsInvoice?.number ?? '',
    ]
      .map(cell)
      .join(';'),
  );
  return `\ufeff${[HEADER.join(';'), ...rows].join('\r\n')}\r\n`;
}
