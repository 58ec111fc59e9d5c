/** Money is integer öre (1 SEK = 100 öre), never floating point. */
export type Ore = number;

/** Asserts that a value is a safe integer amount of öre. */
export function assertOre(value: number, what = 'amount'): Ore {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be a whole number of öre, got ${value}`);
  return value;
}

/**
 * Rounds numerator/denominator half-up (away from zero for halves) to a whole number, exactly, with
 * integers only. Used for proration and VAT so no float ever touches money.
 * @example divideRoundHalfUp(210000 * 15, 31) // 101613 (2 100 SEK × 15/31 days = 1 016.129 SEK)
 */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (denominator <= 0 || !Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new RangeError('divideRoundHalfUp needs safe integers and a positive denominator');
  }
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  const q = Math.floor(n / denominator);
  const r = n - q * denominator;
  return sign * (2 * r >= denominator ? q + 1 : q);
}

/** Formats öre as Swedish kronor text, e.g. 175000 → "1 750,00 kr". */
export function formatSek(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kronor = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const ore2 = (abs % 100).toString().padStart(2, '0');
  return `${sign}${kronor},${ore2}\u00a0kr`;
}
