import { describe, expect, it } from 'vitest';
import type { Tariff } from './tariff.js';
import { DEFAULT_TARIFF, assertValidTariffs, tariffAt } from './tariff.js';

const v2026: Tariff = { ...DEFAULT_TARIFF, validFrom: '2026-01-01', validTo: '2027-01-01' };
const v2027: Tariff = {
  ...DEFAULT_TARIFF,
  validFrom: '2027-01-01',
  validTo: null,
  tiers: { ...DEFAULT_TARIFF.tiers, hog: { monthlyFeeOre: 230_000, startFeeOre: 0, hourlyRateOre: 55_000 } },
};

describe('DEFAULT_TARIFF', () => {
  it('is the price list', () => {
    expect(DEFAULT_TARIFF.tiers).toEqual({
      hog: { monthlyFeeOre: 210_000, startFeeOre: 0, hourlyRateOre: 50_000 },
      incident: { monthlyFeeOre: 40_000, startFeeOre: 175_000, hourlyRateOre: 75_000 },
      none: { monthlyFeeOre: 0, startFeeOre: 450_000, hourlyRateOre: 75_000 },
    });
    expect(DEFAULT_TARIFF).toMatchObject({
      includedMinutes: 60,
      weekendFactorPercent: 150,
      onAccountRateOre: 75_000,
    });
    expect(() => assertValidTariffs([DEFAULT_TARIFF])).not.toThrow();
  });
});

describe('tariffAt', () => {
  it('picks the version valid on the date (validTo exclusive)', () => {
    expect(tariffAt([v2026, v2027], '2026-12-31')).toBe(v2026);
    expect(tariffAt([v2026, v2027], '2027-01-01')).toBe(v2027);
    expect(tariffAt([v2027, v2026], '2099-06-01')).toBe(v2027);
  });

  it('refuses a date no version covers, naming the path', () => {
    expect(() => tariffAt([v2026, v2027], '2025-12-31', '/reportedAt')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: '/reportedAt' })],
      }),
    );
    expect(() => tariffAt([], '2026-01-01')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses overlapping versions', () => {
    expect(() => tariffAt([DEFAULT_TARIFF, v2027], '2027-05-01')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });
});

describe('assertValidTariffs', () => {
  it('accepts consecutive versions', () => {
    expect(() => assertValidTariffs([v2026, v2027])).not.toThrow();
  });

  it('lists every problem with its path', () => {
    const broken = {
      ...v2027,
      validFrom: '2026-06-01',
      weekendFactorPercent: 1.5,
      tiers: { ...v2027.tiers, none: { monthlyFeeOre: 0, startFeeOre: -1, hourlyRateOre: 750.5 } },
    };
    const inverted = { ...v2026, validFrom: '2030-01-01', validTo: '2029-01-01' };
    expect(() => assertValidTariffs([v2026, broken, inverted])).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [
          expect.objectContaining({ path: '/1/tiers/none/startFeeOre' }),
          expect.objectContaining({ path: '/1/tiers/none/hourlyRateOre' }),
          expect.objectContaining({ path: '/1/weekendFactorPercent' }),
          expect.objectContaining({ path: '/2/validTo' }),
          expect.objectContaining({ path: '/1/validFrom', message: 'overlaps tariff version 0' }),
        ],
      }),
    );
  });
});
