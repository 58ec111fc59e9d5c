import { describe, expect, it } from 'vitest';
import { activeDaysInMonth, monthlyFeeForMonth, prorateMonthlyFee } from './monthly-fee.js';

describe('prorateMonthlyFee', () => {
  it('prorates by days, rounding half-up to the öre', () => {
    expect(prorateMonthlyFee(210_000, 31, 31)).toBe(210_000);
    expect(prorateMonthlyFee(210_000, 15, 31)).toBe(101_613); // 101 612.9…
    expect(prorateMonthlyFee(40_000, 1, 30)).toBe(1_333); // 1 333.33…
    expect(prorateMonthlyFee(50, 1, 4 * 7)).toBe(2); // 1.785…
    expect(prorateMonthlyFee(14, 1, 28)).toBe(1); // 0.5 rounds up
    expect(prorateMonthlyFee(210_000, 0, 31)).toBe(0);
  });

  it('refuses impossible inputs', () => {
    expect(() => prorateMonthlyFee(210_000, 32, 31)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => prorateMonthlyFee(210_000, 1, 27)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => prorateMonthlyFee(0.5, 1, 30)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('activeDaysInMonth', () => {
  it('counts the days of the month within the agreement, both ends inclusive', () => {
    expect(activeDaysInMonth({ startDate: '2026-03-17' }, '2026-03')).toBe(15);
    expect(activeDaysInMonth({ startDate: '2026-03-17' }, '2026-04')).toBe(30);
    expect(activeDaysInMonth({ startDate: '2026-03-17' }, '2026-02')).toBe(0);
    expect(activeDaysInMonth({ startDate: '2025-01-01', endDate: '2026-02-10' }, '2026-02')).toBe(10);
    expect(activeDaysInMonth({ startDate: '2025-01-01', endDate: '2026-02-10' }, '2026-03')).toBe(0);
    expect(activeDaysInMonth({ startDate: '2028-02-10', endDate: '2028-02-10' }, '2028-02')).toBe(1);
    expect(activeDaysInMonth({ startDate: '2028-01-31', endDate: null }, '2028-02')).toBe(29);
  });

  it('refuses an agreement that ends before it starts, and bad months', () => {
    expect(() => activeDaysInMonth({ startDate: '2026-03-17', endDate: '2026-03-16' }, '2026-03')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ path: '/endDate' })] }),
    );
    expect(() => activeDaysInMonth({ startDate: '2026-03-17' }, '2026-3')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ path: '/month' })] }),
    );
  });
});

describe('monthlyFeeForMonth', () => {
  it('charges the month prorated by active days', () => {
    expect(monthlyFeeForMonth(40_000, { startDate: '2026-02-15' }, '2026-02')).toBe(20_000);
    expect(monthlyFeeForMonth(210_000, { startDate: '2026-01-01' }, '2026-12')).toBe(210_000);
    expect(monthlyFeeForMonth(210_000, { startDate: '2026-01-01', endDate: '2026-12-15' }, '2026-12')).toBe(
      101_613,
    );
  });
});
