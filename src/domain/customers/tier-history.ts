import { DomainError } from '../shared/domain-error.js';
import type { Tier } from '../shared/tier.js';

/** One period of a customer's agreement tier: valid from `validFrom` (inclusive) to `validTo` (exclusive). */
export interface TierPeriod {
  tier: Tier;
  validFrom: string;
  validTo: string | null;
}

/**
 * The tier valid on a local date, or undefined before the first period. Dates are YYYY-MM-DD, so text
 * comparison is date comparison.
 * @example tierOn([{tier:'incident',validFrom:'2026-01-01',validTo:'2026-06-01'},{tier:'hog',validFrom:'2026-06-01',validTo:null}], '2026-06-01') // 'hog'
 */
export function tierOn(history: readonly TierPeriod[], date: string): Tier | undefined {
  for (const p of history) {
    if (p.validFrom <= date && (p.validTo === null || date < p.validTo)) return p.tier;
  }
  return undefined;
}

/**
 * Plans a tier change from `validFrom`: the open period ends there and a new open one starts. History
 * is append-only (past periods may already be invoiced), so the change must start after the current
 * period began and must actually change the tier.
 */
export function planTierChange(
  history: readonly TierPeriod[],
  tier: Tier,
  validFrom: string,
): { close: TierPeriod | null; open: TierPeriod } {
  const sorted = [...history].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const last = sorted.at(-1);
  if (!last) return { close: null, open: { tier, validFrom, validTo: null } };
  if (validFrom <= last.validFrom) {
    throw new DomainError(
      'CONFLICT',
      `a tier change must start after ${last.validFrom}, when the current tier period began`,
      [{ path: '/validFrom', message: `must be after ${last.validFrom}` }],
    );
  }
  if (last.validTo !== null && validFrom > last.validTo) {
    throw new DomainError(
      'CONFLICT',
      `the tier history ended ${last.validTo}; the change would leave a gap`,
      [{ path: '/validFrom', message: `must be on or before ${last.validTo}` }],
    );
  }
  if (last.tier === tier) {
    throw new DomainError('CONFLICT', `the customer already has tier ${tier} from ${last.validFrom}`, [
      { path: '/tier', message: 'is the current tier' },
    ]);
  }
  return { close: { ...last, validTo: validFrom }, open: { tier, validFrom, validTo: null } };
}
