import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from './invoice-document.js';
import { renderSie, sieAmount, sieString, voucherOf } from './sie.js';
import { readSie } from './sie-reader.test-support.js';

function doc(
  number: string,
  netOre: number,
  vatOre: number,
  roundingOre: number,
  kind: InvoiceDocument['kind'] = 'invoice',
): InvoiceDocument {
  return {
    id: `id-${number}`,
    number,
    kind,
    customerId: 'c1',
    month: '2026-11',
    issueDate: '2026-12-01',
    dueDate: '2026-12-31',
    ocr: '0',
    currency: 'SEK',
    seller: {
      name: 'Ballou AB',
      orgNumber: '556000-0000',
      vatNumber: 'SE556000000001',
      street: null,
      postalCode: null,
      city: null,
      country: 'SE',
      email: null,
      phone: null,
      bankgiro: '123-4567',
      fSkatt: 'Godkänd för F-skatt',
    },
    buyer: {
      name: 'Åkesson "Ö" AB',
      orgNumber: '556036-0793',
      vatNumber: null,
      street: null,
      postalCode: null,
      city: null,
      country: 'SE',
      email: null,
    },
    lines: [
      {
        id: 'l1',
        position: 1,
        kind: 'hours',
        description: 'x',
        incidentId: null,
        incidentRef: null,
        serviceDate: null,
        quantityMilli: 1000,
        unit: 'h',
        unitPriceOre: netOre,
        baseQuantity: 1,
        factorPercent: 100,
        amountOre: netOre,
        vatPercent: 25,
        account: '3041',
        creditsLineId: null,
      },
    ],
    vatBreakdown: [],
    netOre,
    vatOre,
    roundingOre,
    totalOre: netOre + vatOre + roundingOre,
    creditsInvoice: null,
    reason: null,
  };
}

describe('SIE 4 export', () => {
  it('formats amounts and strings as SIE wants them', () => {
    expect(sieAmount(-175000)).toBe('-1750.00');
    expect(sieAmount(5)).toBe('0.05');
    expect(sieString('Kund "A" – B\\C')).toBe('"Kund \\"A\\" - B\\\\C"');
  });

  it('books an invoice: receivables debit, sales, VAT and rounding credit, balanced', () => {
    const v = voucherOf(doc('7', 1265000, 316250, 50));
    expect(v.transactions).toEqual([
      { account: '1510', amountOre: 1581300 },
      { account: '3041', amountOre: -1265000 },
      { account: '2611', amountOre: -316250 },
      { account: '3740', amountOre: -50 },
    ]);
    expect(v.transactions.reduce((s, t) => s + t.amountOre, 0)).toBe(0);
  });

  it('writes a file that reads back with the header, every voucher and balances', () => {
    const text = renderSie({
      programVersion: '1.0',
      generatedOn: '2026-12-01',
      seller: { name: 'Ballou AB', orgNumber: '556000-0000' },
      fiscalYear: { start: '2026-01-01', end: '2026-12-31' },
      documents: [
        doc('7', 1265000, 316250, 50),
        doc('8', 1312500, 328125, -25),
        doc('9', -75000, -18750, 50, 'credit_note'),
      ],
    });
    expect(text.split('\r\n').slice(0, 5)).toEqual([
      '#FLAGGA 0',
      '#PROGRAM "Ballou Server Assistans" "1.0"',
      '#FORMAT PC8',
      '#GEN 20261201',
      '#SIETYP 4',
    ]);
    const read = readSie(text);
    expect(read.header['#ORGNR']).toEqual([['556000-0000']]);
    expect(read.header['#RAR']).toEqual([['0', '20260101', '20261231']]);
    expect(read.header['#KONTO']?.map((k) => k[0])).toEqual(['1510', '2611', '3041', '3740']);
    expect(read.vouchers.map((v) => [v.series, v.number, v.date, v.text])).toEqual([
      ['F', '7', '20261201', 'Faktura 7 Åkesson "Ö" AB'],
      ['F', '8', '20261201', 'Faktura 8 Åkesson "Ö" AB'],
      ['F', '9', '20261201', 'Kreditfaktura 9 Åkesson "Ö" AB'],
    ]);
    for (const v of read.vouchers) expect(v.transactions.reduce((s, t) => s + t.amountOre, 0)).toBe(0);
    expect(read.vouchers[2]?.transactions[0]).toEqual({ account: '1510', amountOre: -93700 });
  });
});
