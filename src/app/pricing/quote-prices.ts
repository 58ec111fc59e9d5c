import { parseScenarios } from '../../domain/tariff/parse-scenario.js';
import { priceIncident, type IncidentPrice } from '../../domain/tariff/price-incident.js';
import { tariffForReport } from '../../domain/tariff/tariff.js';
import type { AppContext } from '../app-context.js';
import { loadPricingRules } from './pricing-rules.js';

/**
 * Prices a scenario, or an array of them (`ballou price` and POST /price-quotes), by the tariff valid
 * on each scenario's local report date. Bad input throws one DomainError naming every bad field.
 */
export async function quotePrices(ctx: AppContext, json: unknown): Promise<IncidentPrice | IncidentPrice[]> {
  const { many, scenarios } = parseScenarios(json);
  const rules = await loadPricingRules(ctx.db);
  const prices = scenarios.map((scenario, i) => {
    const tariff = tariffForReport(
      rules.tariffs,
      scenario.reportedAtMs,
      rules.calendar,
      many ? `/${i}/reportedAt` : '/reportedAt',
    );
    return priceIncident(scenario, tariff, rules.calendar);
  });
  return many ? prices : (prices[0] as IncidentPrice);
}
