import { toDbInstant } from '../../db/instant.js';
import { claimSystemState } from '../../db/repositories/system-state.repository.js';
import { TIERS } from '../../domain/shared/tier.js';
import { DEFAULT_TARIFF } from '../../domain/tariff/tariff.js';
import type { AppContext } from '../app-context.js';

/** Service-level targets per tier (SPEC.md section 3); office-hours targets default to the same. */
const DEFAULT_SLA = { responseMinutes: 15, actionMinutes: 60 };

const DEFAULT_ACTIONS = [
  {
    key: 'restart-web',
    title_sv: 'Starta om webbservern',
    title_en: 'Restart the web server',
    command: 'sudo systemctl restart nginx',
    check_command: 'systemctl is-active nginx',
    timeout_seconds: 60,
  },
  {
    key: 'restart-db',
    title_sv: 'Starta om databasservern',
    title_en: 'Restart the database server',
    command: 'sudo systemctl restart mariadb',
    check_command: 'systemctl is-active mariadb',
    timeout_seconds: 120,
  },
  {
    key: 'restart-php-fpm',
    title_sv: 'Starta om PHP-FPM',
    title_en: 'Restart PHP-FPM',
    command: 'sudo systemctl restart php-fpm',
    check_command: 'systemctl is-active php-fpm',
    timeout_seconds: 60,
  },
];

/**
 * A new database starts with the price list's tariff, the service-level table and the action
 * catalogue (configuration with dates of validity, editable later). Seeded once per database: the
 * `reference_data` marker is claimed in the same transaction as the rows, so several nodes starting at
 * once on one PostgreSQL seed it exactly once (the others wait for the first commit, then skip).
 */
export async function ensureReferenceData(ctx: AppContext): Promise<void> {
  const now = toDbInstant(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimSystemState(trx, 'reference_data', 'v1', now))) return;
    const tariffId = ctx.newId();
    const t = DEFAULT_TARIFF;
    await trx
      .insertInto('tariffs')
      .values({
        id: tariffId,
        name: 'Prislista Ballou Server Assistans',
        valid_from: t.validFrom,
        valid_to: t.validTo,
        included_minutes: t.includedMinutes,
        weekend_factor_percent: t.weekendFactorPercent,
        on_account_rate_ore: t.onAccountRateOre,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('tariff_tier_prices')
      .values(
        TIERS.map((tier) => ({
          tariff_id: tariffId,
          tier,
          monthly_fee_ore: t.tiers[tier].monthlyFeeOre,
          start_fee_ore: t.tiers[tier].startFeeOre,
          hourly_rate_ore: t.tiers[tier].hourlyRateOre,
        })),
      )
      .execute();
    await trx
      .insertInto('sla_policies')
      .values(
        TIERS.map((tier, i) => ({
          id: ctx.newId(),
          tier,
          valid_from: t.validFrom,
          valid_to: null,
          response_minutes: DEFAULT_SLA.responseMinutes,
          action_minutes: DEFAULT_SLA.actionMinutes,
          office_response_minutes: DEFAULT_SLA.responseMinutes,
          office_action_minutes: DEFAULT_SLA.actionMinutes,
          priority: i + 1,
          created_at: now,
        })),
      )
      .execute();
    await trx
      .insertInto('action_catalogue')
      .values(DEFAULT_ACTIONS.map((a) => ({ ...a, created_at: now })))
      .execute();
  });
}
