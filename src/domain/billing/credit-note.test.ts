import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCreditNote, type CreditableInvoice, type CreditableLine } from './credit-note.js';
import { lineAmountOre, type InvoiceLine } from './invoice-line.js';
import { invoiceTotals, type InvoiceTotals } from './totals.js';

function line(id: string, unitPriceOre: number, quantityMilli = 1000, baseQuantity = 1): CreditableLine {
  return {
    id,
    kind: 'hours',
    description: `rad ${id}`,
    incidentId: null,
    incidentRef: null,
    serviceDate: '2026-11-05',
    quantityMilli,
    unit: 'h',
    unitPriceOre,
    baseQuantity,
    factorPercent: 100,
    amountOre: lineAmountOre(unitPriceOre, quantityMilli, baseQuantity),
    vatPercent: 25,
    account: '3041',
    creditsLineId: null,
    creditedOre: 0,
  };
}

const ZERO: InvoiceTotals = { netOre: 0, vatOre: 0, roundingOre: 0, totalOre: 0 };

function invoiceOf(lines: CreditableLine[], credited: InvoiceTotals = ZERO): CreditableInvoice {
  return { ...invoiceTotals(lines.reduce((s, l) => s + l.amountOre, 0)), credited, lines };
}

describe('credit notes', () => {
  const fee = line('fee', 210000, 15000, 31); // 1 016,13 kr
  const hours = line('hours', 75000, 2000); // 1 500 kr
  const invoice = invoiceOf([fee, hours]);

  it('credits a whole invoice exactly: every amount negated, rounding included', () => {
    const note = planCreditNote(invoice, {});
    expect(
      note.lines.map((l) => [l.description, l.quantityMilli, l.unitPriceOre, l.amountOre, l.creditsLineId]),
    ).toEqual([
      ['Kredit: rad fee', -15000, 210000, -101613, 'fee'],
      ['Kredit: rad hours', -2000, 75000, -150000, 'hours'],
    ]);
    expect(note).toMatchObject({
      netOre: -invoice.netOre,
      vatOre: -invoice.vatOre,
      roundingOre: -invoice.roundingOre,
      totalOre: -invoice.totalOre,
      settlesInvoice: true,
    });
  });

  it('credits part of a line, and refuses more than what remains', () => {
    const note = planCreditNote(invoice, { lines: [{ lineId: 'hours', amountOre: 75000 }] });
    expect(note.lines).toMatchObject([
      {
        description: 'Kredit (delvis): rad hours',
        quantityMilli: -1000,
        unit: 'st',
        unitPriceOre: 75000,
        amountOre: -75000,
      },
    ]);
    expect(note).toMatchObject({
      netOre: -75000,
      vatOre: -18750,
      roundingOre: -50,
      totalOre: -93800,
      settlesInvoice: false,
    });
    const after = invoiceOf([fee, { ...hours, creditedOre: 75000 }], note);
    expect(() => planCreditNote(after, { lines: [{ lineId: 'hours', amountOre: 75001 }] })).toThrow(
      /\/lines\/0\/amountOre: 75001 öre is more than the 75000 öre that remain/,
    );
    expect(() => planCreditNote(after, { lines: [{ lineId: 'nope' }] })).toThrow(
      /\/lines\/0\/lineId: is not a line/,
    );
    expect(() => planCreditNote(after, { lines: [{ lineId: 'fee', amountOre: 0 }] })).toThrow(
      /amountOre: must be/,
    );
    expect(() => planCreditNote(after, { lines: [{ lineId: 'fee' }, { lineId: 'fee' }] })).toThrow(
      /named twice/,
    );
    // The rest: the last note takes back exactly what remains of VAT and total.
    const rest = planCreditNote(after, {});
    expect(rest.settlesInvoice).toBe(true);
    expect(rest.totalOre + note.totalOre).toBe(-invoice.totalOre);
    expect(rest.vatOre + note.vatOre).toBe(-invoice.vatOre);
    const settled = invoiceOf(
      [
        { ...fee, creditedOre: fee.amountOre },
        { ...hours, creditedOre: hours.amountOre },
      ],
      { netOre: -invoice.netOre, vatOre: -invoice.vatOre, roundingOre: 0, totalOre: -invoice.totalOre },
    );
    expect(() => planCreditNote(settled, {})).toThrow(/nothing remains/);
  });

  it('never credits more than the invoice, however it is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 100 })), { maxLength: 12 }),
        (prices, steps) => {
          let lines = prices.map((p, i) => line(`l${i}`, p));
          const original = invoiceOf(lines);
          let credited: InvoiceTotals = ZERO;
          for (const [pick, percent] of steps) {
            const target = lines[pick % lines.length] as CreditableLine;
            const remaining = target.amountOre - target.creditedOre;
            if (remaining === 0) continue;
            const amountOre = Math.max(1, Math.floor((remaining * percent) / 100));
            const note = planCreditNote(
              { ...original, credited, lines },
              { lines: [{ lineId: target.id, amountOre }] },
            );
            credited = {
              netOre: credited.netOre + note.netOre,
              vatOre: credited.vatOre + note.vatOre,
              roundingOre: credited.roundingOre + note.roundingOre,
              totalOre: credited.totalOre + note.totalOre,
            };
            lines = lines.map((l) =>
              l.id === target.id ? { ...l, creditedOre: l.creditedOre + amountOre } : l,
            );
            expect(-credited.netOre).toBeLessThanOrEqual(original.netOre);
          }
          if (lines.some((l) => l.creditedOre < l.amountOre)) {
            const last = planCreditNote({ ...original, credited, lines }, {});
            expect(credited.netOre + last.netOre + original.netOre).toBe(0);
            expect(credited.vatOre + last.vatOre + original.vatOre).toBe(0);
            expect(credited.totalOre + last.totalOre + original.totalOre).toBe(0);
          }
        },
      ),
    );
  });
});

export type { InvoiceLine };
