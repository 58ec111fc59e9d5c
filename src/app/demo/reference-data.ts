import { sql } from 'kysely';
import { toDbInstant } from '../../db/instant.js';
import type { AppContext } from '../app-context.js';

/**
 * The price list's tariff, the service-level table and the action catalogue are configuration with
 * dates of validity; a new database starts with the price list's values. Idempotent: runs on every start
 * and only fills what is empty.
 */
export async function ensureReferenceData(ctx: AppContext): Promise<void> {
  const now = toDbInstant(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    const tariffs = await trx
      .selectFrom('tariffs')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (Number(tariffs.n) === 0) {
      const id = ctx.newId();
      await trx
        .insertInto('tariffs')
        .values({
          id,
          name: 'Prislista Ballou Server Assistans',
          valid_from: '1990-01-01',
          valid_to: null,
          included_minutes: 60,
          weekend_factor_percent: 150,
          on_account_rate_ore: 75_000,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('tariff_tier_prices')
        .values([
          { tariff_id: id, tier: 'hog', monthly_fee_ore: 210_000, start_fee_ore: 0, hourly_rate_ore: 50_000 },
          {
            tariff_id: id,
            tier: 'incident',
            monthly_fee_ore: 40_000,
            start_fee_ore: 175_000,
            hourly_rate_ore: 75_000,
          },
          {
            tariff_id: id,
            tier: 'none',
            monthly_fee_ore: 0,
            start_fee_ore: 450_000,
            hourly_rate_ore: 75_000,
          },
        ])
        .execute();
    }
    const policies = await trx
      .selectFrom('sla_policies')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (Number(policies.n) === 0) {
      await trx
        .insertInto('sla_policies')
        .values(
          (['hog', 'incident', 'none'] as const).map((tier, i) => ({
            id: ctx.newId(),
            tier,
            valid_from: '1990-01-01',
            valid_to: null,
            response_minutes: 15,
            action_minutes: 60,
            office_response_minutes: 15,
            office_action_minutes: 60,
            priority: i + 1,
            created_at: now,
          })),
        )
        .execute();
    }
    const actions = await trx
      .selectFrom('action_catalogue')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (Number(actions.n) === 0) {
      await trx
        .insertInto('action_catalogue')
        .values([
          {
            key: 'restart-web',
            title_sv: 'Starta om webbservern',
            title_en: 'Restart the web server',
            command: 'sudo systemctl restart nginx',
            check_command: 'systemctl is-active nginx',
            timeout_seconds: 60,
            created_at: now,
          },
          {
            key: 'restart-db',
            title_sv: 'Starta om databasservern',
            title_en: 'Restart the database server',
            command: 'sudo systemctl restart mariadb',
            check_command: 'systemctl is-active mariadb',
            timeout_seconds: 120,
            created_at: now,
          },
          {
            key: 'restart-php-fpm',
            title_sv: 'Starta om PHP-FPM',
            title_en: 'Restart PHP-FPM',
            command: 'sudo systemctl restart php-fpm',
            check_command: 'systemctl is-active php-fpm',
            timeout_seconds: 60,
            created_at: now,
          },
        ])
        .execute();
    }
  });
}
