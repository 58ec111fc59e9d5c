import type { DbOrTrx } from '../database.js';

export interface TariffWithPrices {
  id: string;
  name: string;
  valid_from: string;
  valid_to: string | null;
  included_minutes: number;
  weekend_factor_percent: number;
  on_account_rate_ore: number;
  prices: Array<{ tier: string; monthly_fee_ore: number; start_fee_ore: number; hourly_rate_ore: number }>;
}

/** Every tariff version with its per-tier prices, oldest first. */
export async function listTariffs(db: DbOrTrx): Promise<TariffWithPrices[]> {
  const tariffs = await db.selectFrom('tariffs').selectAll().orderBy('valid_from').execute();
  const prices = await db.selectFrom('tariff_tier_prices').selectAll().execute();
  return tariffs.map((t) => ({ ...t, prices: prices.filter((p) => p.tariff_id === t.id) }));
}

export async function listClosedDays(db: DbOrTrx): Promise<Array<{ date: string; name: string }>> {
  return db.selectFrom('closed_days').select(['date', 'name']).orderBy('date').execute();
}
