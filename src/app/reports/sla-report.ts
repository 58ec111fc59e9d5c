import { toDbInstant } from '../../db/instant.js';
import { listReportClockEvents, listReportIncidents } from '../../db/repositories/reports.repository.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { parseYearMonth } from '../../domain/calendar/local-date.js';
import { stockholmWallClockMs } from '../../domain/calendar/zone.js';
import {
  monthsBetween,
  slaReport,
  type ReportIncident,
  type SlaReport,
} from '../../domain/reports/sla-report.js';
import { invalidField } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { isTier } from '../../domain/shared/tier.js';
import { assertCustomerVisible, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';

/** Longest period of one report: three years of months. */
export const MAX_REPORT_MONTHS = 36;

/** The instant of Stockholm midnight on the first of a month. */
const monthStartMs = (year: number, month: number) => stockholmWallClockMs(Date.UTC(year, month - 1, 1));

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The SLA report of the incidents reported in the months `from`..`to` (Stockholm months, inclusive).
 * A customer user gets its own organisation's only, whatever it asks for.
 */
export async function getSlaReport(
  ctx: AppContext,
  principal: Principal,
  input: { from: string; to: string; customerId?: string },
): Promise<SlaReport & { from: string; to: string; customerId: string | null }> {
  requireRole(principal, ['admin', 'manager', 'billing', 'customer']);
  const from = parseYearMonth(input.from, '/from');
  const to = parseYearMonth(input.to, '/to');
  const months = monthsBetween(input.from, input.to);
  if (months.length === 0) invalidField('/to', 'must not be before from');
  if (months.length > MAX_REPORT_MONTHS)
    invalidField('/to', `a report covers at most ${MAX_REPORT_MONTHS} months`);
  // Another customer's id answers 404 to a customer (not silently its own report).
  if (input.customerId) assertCustomerVisible(principal, input.customerId);
  const customerId = principal.role === 'customer' ? (principal.customerId ?? '') : input.customerId;

  const range = {
    from: toDbInstant(monthStartMs(from.year, from.month)),
    to: toDbInstant(
      monthStartMs(to.month === 12 ? to.year + 1 : to.year, to.month === 12 ? 1 : to.month + 1),
    ),
    ...(customerId ? { customerId } : {}),
  };
  const [rows, events] = await Promise.all([
    listReportIncidents(ctx.db, range),
    listReportClockEvents(ctx.db, range),
  ]);
  const clocks = new Map<
    string,
    { calledBack: number | null; consent: number | null; started: number | null }
  >();
  for (const e of events) {
    const c = clocks.get(e.incident_id) ?? { calledBack: null, consent: null, started: null };
    const at = Date.parse(e.at);
    const data = parseData(e.data);
    const earliest = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
    if (e.type === 'called_back') c.calledBack = earliest(c.calledBack, at);
    if (e.type === 'consent_recorded' && data.granted === true) c.consent = earliest(c.consent, at);
    if (e.type === 'work_logged')
      c.started = earliest(c.started, typeof data.startMs === 'number' ? data.startMs : at);
    if (e.type === 'action_run') c.started = earliest(c.started, at);
    clocks.set(e.incident_id, c);
  }
  const incidents: ReportIncident[] = rows.flatMap((r) => {
    if (!isTier(r.tier)) return [];
    const reportedAtMs = Date.parse(r.reported_at);
    const c = clocks.get(r.id);
    return [
      {
        customerId: r.customer_id,
        customerName: r.customer_name,
        tier: r.tier,
        callout: r.callout === 1,
        month: localDateOfInstant(reportedAtMs).slice(0, 7),
        reportedAtMs,
        responseDueMs: r.response_due ? Date.parse(r.response_due) : null,
        calledBackAtMs: c?.calledBack ?? null,
        actionDueMs: r.action_due ? Date.parse(r.action_due) : null,
        actionClockStartMs: r.tier === 'hog' ? reportedAtMs : (c?.consent ?? null),
        actionStartedAtMs: c?.started ?? null,
      },
    ];
  });
  return {
    from: input.from,
    to: input.to,
    customerId: customerId ?? null,
    ...slaReport(incidents, months, ctx.clock.now()),
  };
}
