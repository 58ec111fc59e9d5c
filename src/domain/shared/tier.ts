/** The three agreement tiers of the price list (SPEC.md section 3). */
export const TIERS = ['hog', 'incident', 'none'] as const;
export type Tier = (typeof TIERS)[number];

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** Board priority per tier: 1 is highest. */
export const TIER_PRIORITY: Record<Tier, number> = { hog: 1, incident: 2, none: 3 };
