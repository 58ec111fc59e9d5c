import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceTotals } from './totals.js';

describe('invoice totals: VAT once on the net sum, öresavrundning to whole kronor', () => {
  it('adds 25 % VAT and rounds the total half-up to kronor', () => {
    expect(invoiceTotals(325000)).toEqual({
      netOre: 325000,
      vatOre: 81250,
      roundingOre: 50,
      totalOre: 406300,
    });
    expect(invoiceTotals(101613)).toEqual({
      netOre: 101613,
      vatOre: 25403,
      roundingOre: -16,
      totalOre: 127000,
    });
    // 0.02 kr VAT on 0.10 kr net rounds 2.5 öre half-up to 3
    expect(invoiceTotals(10)).toEqual({ netOre: 10, vatOre: 3, roundingOre: -13, totalOre: 0 });
    expect(invoiceTotals(0)).toEqual({ netOre: 0, vatOre: 0, roundingOre: 0, totalOre: 0 });
  });

  it('is symmetric for credit notes', () => {
    expect(invoiceTotals(-101613)).toEqual({
      netOre: -101613,
      vatOre: -25403,
      roundingOre: 16,
      totalOre: -127000,
    });
  });

  it('always gives whole kronor, a rounding of at most 50 öre, and adds up', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (net) => {
        const t = invoiceTotals(net);
        expect(t.totalOre % 100 === 0).toBe(true);
        expect(Math.abs(t.roundingOre)).toBeLessThanOrEqual(50);
        expect(t.netOre + t.vatOre + t.roundingOre).toBe(t.totalOre);
        expect(Math.abs(t.vatOre * 4 - net)).toBeLessThanOrEqual(2);
        expect(invoiceTotals(-net).totalOre + t.totalOre).toBe(0);
      }),
    );
  });
});
