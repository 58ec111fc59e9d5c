import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { TariffTierPricesTable, TariffsTable } from '../tables/billing.table.js';

export type TariffWithPrices = Selectable<TariffsTable> & { prices: Selectable<TariffTierPricesTable>[] };

/** Every tariff version with its per-tier prices, oldest first. */
export async function listTariffs(db: DbOrTrx): Promise<TariffWithPrices[]> {
  const tariffs = await db.selectFrom('tariffs').selectAll().orderBy('valid_from').execute();
  const prices = await db.selectFrom('tariff_tier_prices').selectAll().execute();
  return tariffs.map((t) => ({ ...t, prices: prices.filter((p) => p.tariff_id === t.id) }));
}

export async function listClosedDays(db: DbOrTrx): Promise<Array<{ date: string; name: string }>> {
  return db.selectFrom('closed_days').select(['date', 'name']).orderBy('date').execute();
}
