import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.js';
import { planTierChange, tierOn, type TierPeriod } from './tier-history.js';

const history: TierPeriod[] = [
  { tier: 'incident', validFrom: '2026-01-01', validTo: '2026-06-15' },
  { tier: 'hog', validFrom: '2026-06-15', validTo: null },
];

describe('tierOn', () => {
  it('answers the period containing the date, end exclusive', () => {
    expect(tierOn(history, '2025-12-31')).toBeUndefined();
    expect(tierOn(history, '2026-01-01')).toBe('incident');
    expect(tierOn(history, '2026-06-14')).toBe('incident');
    expect(tierOn(history, '2026-06-15')).toBe('hog');
    expect(tierOn(history, '2099-01-01')).toBe('hog');
  });
});

describe('planTierChange', () => {
  it('closes the open period where the new one starts', () => {
    const plan = planTierChange(history, 'none', '2027-01-01');
    expect(plan.close).toEqual({ tier: 'hog', validFrom: '2026-06-15', validTo: '2027-01-01' });
    expect(plan.open).toEqual({ tier: 'none', validFrom: '2027-01-01', validTo: null });
  });
  it('refuses to rewrite history or repeat the current tier', () => {
    expect(() => planTierChange(history, 'none', '2026-06-15')).toThrow(DomainError);
    expect(() => planTierChange(history, 'hog', '2027-01-01')).toThrow(/already has tier hog/);
  });
  it('starts a history when there is none', () => {
    expect(planTierChange([], 'hog', '2026-01-01')).toEqual({
      close: null,
      open: { tier: 'hog', validFrom: '2026-01-01', validTo: null },
    });
  });
});
