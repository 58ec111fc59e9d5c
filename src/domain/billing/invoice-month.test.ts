import { describe, expect, it } from 'vitest';
import { addDays, endedInvoiceMonth, invoiceMonth } from './invoice-month.js';

describe('invoice months', () => {
  it('knows the dates of a month, leap years included', () => {
    expect(invoiceMonth('2028-02')).toEqual({
      month: '2028-02',
      firstDay: '2028-02-01',
      lastDay: '2028-02-29',
      nextFirstDay: '2028-03-01',
      days: 29,
    });
    expect(invoiceMonth('2026-12').nextFirstDay).toBe('2027-01-01');
  });

  it('refuses a malformed month naming the field', () => {
    for (const bad of ['2026-13', '2026-1', '26-11', '2026-11-01', '', 202611, null]) {
      expect(() => invoiceMonth(bad)).toThrow(/\/month: must be a month as YYYY-MM/);
    }
  });

  it('accepts only a month that has ended', () => {
    expect(endedInvoiceMonth('2026-11', '2026-12-01').lastDay).toBe('2026-11-30');
    expect(() => endedInvoiceMonth('2026-12', '2026-12-01')).toThrow(/has not ended yet.*2027-01-01/);
    expect(() => endedInvoiceMonth('2026-12', '2026-12-31')).toThrow(/has not ended yet/);
    expect(() => endedInvoiceMonth('2027-01', '2026-12-01')).toThrow(/lies in the future/);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-01', 30)).toBe('2026-12-31');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addDays('2028-02-15', 30)).toBe('2028-03-16');
  });
});
