import { findIncident, listIncidentRows } from '../../db/repositories/incident.repository.js';
import { parseInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { isTier } from '../../domain/shared/tier.js';
import { priceIncident, type IncidentPrice } from '../../domain/tariff/price-incident.js';
import { tariffForReport } from '../../domain/tariff/tariff.js';
import { assertCustomerVisible, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { reportIncident, type IntakeChannel } from './report-incident.js';
import { actorOf } from './incident-state.js';
import { toIncidentView, type IncidentView } from './incident-view.js';
import { loadIncidentsOfRows, viewsOfLoaded } from './incident-page-loader.js';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor.js';
import { compareForBoard } from '../../domain/incidents/board.js';
import { loadPricingRules } from '../pricing/pricing-rules.js';

/** Reads one incident; a customer sees only its own organisation's. */
export async function getIncident(ctx: AppContext, principal: Principal, id: string): Promise<IncidentView> {
  const row = await findIncident(ctx.db, id);
  if (!row || (principal.role === 'customer' && row.customer_id !== principal.customerId)) {
    throw new DomainError('NOT_FOUND', 'incident not found');
  }
  const [view] = await viewsOfLoaded(ctx.db, await loadIncidentsOfRows(ctx.db, [row]), ctx.clock.now());
  return view as IncidentView;
}

export interface IncidentPage {
  items: IncidentView[];
  nextCursor: string | null;
}

/** Newest first, filtered by state and customer, cursor-paginated; customers see only their own. */
export async function listIncidents(
  ctx: AppContext,
  principal: Principal,
  q: { state?: string; customerId?: string; cursor?: string; limit: number },
): Promise<IncidentPage> {
  if (principal.role === 'customer') {
    if (q.customerId && q.customerId !== principal.customerId)
      throw new DomainError('NOT_FOUND', 'customer not found');
  }
  const customerId = principal.role === 'customer' ? (principal.customerId as string) : q.customerId;
  const before = q.cursor ? decodeIncidentCursor(q.cursor) : undefined;
  const rows = await listIncidentRows(ctx.db, {
    ...(q.state ? { states: q.state.split(',') } : {}),
    ...(customerId ? { customerId } : {}),
    ...(before ? { before } : {}),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = await viewsOfLoaded(ctx.db, await loadIncidentsOfRows(ctx.db, page), ctx.clock.now());
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > q.limit && last
        ? encodeIncidentCursor({ reportedAt: last.reported_at, id: last.id })
        : null,
  };
}

/**
 * The duty board: every open incident, highest priority first (tier hog, incident, none; then the
 * nearest open deadline; then the oldest report). A customer sees only its own.
 */
export async function incidentBoard(ctx: AppContext, principal: Principal): Promise<IncidentView[]> {
  const rows = await listIncidentRows(ctx.db, {
    states: ['open', 'acknowledged', 'in_progress'],
    ...(principal.role === 'customer' ? { customerId: principal.customerId as string } : {}),
    limit: 1000,
  });
  // Each incident's sort key made once, not twice per comparison.
  const keyed = (await loadIncidentsOfRows(ctx.db, rows)).map((l) => ({
    l,
    key: { ...l.status, tier: l.facts.tier, id: l.row.id },
  }));
  keyed.sort((a, b) => compareForBoard(a.key, b.key));
  return viewsOfLoaded(
    ctx.db,
    keyed.map((k) => k.l),
    ctx.clock.now(),
  );
}

/** POST /incidents: the portal or an API client reports an incident (or adds to the open one). */
export async function createIncident(
  ctx: AppContext,
  principal: Principal,
  input: {
    customerId: string;
    summary: string;
    serverId?: string | null;
    reportedAt?: string;
    channel?: string;
  },
): Promise<{ incident: IncidentView; created: boolean }> {
  requireRole(principal, ['admin', 'manager', 'engineer', 'customer']);
  assertCustomerVisible(principal, input.customerId);
  const reportedAtMs = input.reportedAt ? parseInstant(input.reportedAt, '/reportedAt') : ctx.clock.now();
  if (reportedAtMs > ctx.clock.now() + 60_000) {
    throw new DomainError('VALIDATION_FAILED', '/reportedAt: lies in the future', [
      { path: '/reportedAt', message: 'lies in the future' },
    ]);
  }
  const channel = (input.channel ?? (principal.role === 'customer' ? 'portal' : 'api')) as IntakeChannel;
  return ctx.db.transaction().execute(async (trx) => {
    const outcome = await reportIncident(trx, ctx, actorOf(principal), {
      customerId: input.customerId,
      serverId: input.serverId ?? null,
      summary: input.summary,
      reportedAtMs,
      channel,
      ...(input.reportedAt ? { reportedAtPath: '/reportedAt' } : {}),
    });
    // The outcome holds the incident as written: no need to read it back.
    const incident = await toIncidentView(trx, outcome.incident, ctx.clock.now());
    return { incident, created: outcome.created };
  });
}

/** The incident's price by the pricing engine and the tariff valid at its report time. */
export async function getIncidentPrice(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<IncidentPrice> {
  const view = await getIncident(ctx, principal, id);
  if (!isTier(view.tier)) throw new DomainError('INTERNAL', 'incident without a tier');
  const rules = await loadPricingRules(ctx.db);
  const reportedAtMs = Date.parse(view.reportedAt);
  const scenario = {
    tier: view.tier,
    reportedAtMs,
    work: view.work.map((w) => ({
      startMs: Date.parse(w.start),
      endMs: Date.parse(w.end),
      engineer: w.engineerId,
      withinResponsibility: w.withinResponsibility,
    })),
  };
  return priceIncident(
    scenario,
    tariffForReport(rules.tariffs, reportedAtMs, rules.calendar),
    rules.calendar,
  );
}
