import type { DbOrTrx } from '../../db/database.js';
import {
  listClosedDays,
  listTariffs,
  type TariffWithPrices,
} from '../../db/repositories/tariff.repository.js';
import { createCalendar, type Calendar } from '../../domain/calendar/calendar.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { TIERS, type Tier } from '../../domain/shared/tier.js';
import type { Tariff, TierPrices } from '../../domain/tariff/tariff.js';

/** The configured tariff versions and calendar (with extra closed days) that prices are computed by. */
export interface PricingRules {
  tariffs: Tariff[];
  calendar: Calendar;
}

function toTariff(row: TariffWithPrices): Tariff {
  const tiers = {} as Record<Tier, TierPrices>;
  for (const tier of TIERS) {
    const p = row.prices.find((x) => x.tier === tier);
    if (!p) throw new DomainError('INTERNAL', `tariff ${row.name} has no prices for tier ${tier}`);
    tiers[tier] = {
      monthlyFeeOre: p.monthly_fee_ore,
      startFeeOre: p.start_fee_ore,
      hourlyRateOre: p.hourly_rate_ore,
    };
  }
  return {
    validFrom: row.valid_from,
    validTo: row.valid_to,
    tiers,
    includedMinutes: row.included_minutes,
    weekendFactorPercent: row.weekend_factor_percent,
    onAccountRateOre: row.on_account_rate_ore,
  };
}

/** Loads the pricing configuration from the database. */
export async function loadPricingRules(db: DbOrTrx): Promise<PricingRules> {
  const [tariffRows, closedDays] = await Promise.all([listTariffs(db), listClosedDays(db)]);
  return {
    tariffs: tariffRows.map(toTariff),
    calendar: createCalendar({ extraClosedDays: closedDays.map((d) => ({ date: d.date, name: d.name })) }),
  };
}

/** The calendar without extra closed days: only the holiday table, which never changes at run time. */
const STANDARD_CALENDAR = createCalendar();

/**
 * Whether an instant is on-call time (a callout), given the one thing in the database that depends on:
 * the name of the desk's extra closed day on its local date, or null. Intake asks this once per incident
 * and reads just that row; the full rules (loadPricingRules) are for pricing.
 */
export function isOnCallTimeWith(ms: number, closedDayName: string | null): boolean {
  return (
    closedDayName === null
      ? STANDARD_CALENDAR
      : closedDayCalendar(STANDARD_CALENDAR.localDateOf(ms), closedDayName)
  ).isOnCallTime(ms);
}

/**
 * The calendar with one extra closed day, kept for the few dates in use: building one computes the
 * year's holiday table, and on a closed day every report of the day asks the same question.
 */
const closedDayCalendars = new Map<string, Calendar>();
function closedDayCalendar(date: string, name: string): Calendar {
  const key = `${date}\u0000${name}`;
  let calendar = closedDayCalendars.get(key);
  if (!calendar) {
    calendar = createCalendar({ extraClosedDays: [{ date, name }] });
    if (closedDayCalendars.size >= 32) closedDayCalendars.clear();
    closedDayCalendars.set(key, calendar);
  }
  return calendar;
}
