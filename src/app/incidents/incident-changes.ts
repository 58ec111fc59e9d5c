import { toDbInstant } from '../../db/instant.js';
import { listIncidentsChangedSince } from '../../db/repositories/incident.repository.js';
import type { IncidentRow } from '../../db/tables/incident.table.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';

/** One change for a live board: enough to update a row, and the id to fetch the rest. */
export interface IncidentChange {
  id: string;
  ref: string;
  customerId: string | null;
  tier: string;
  state: string;
  summary: string;
  responseDue: string | null;
  actionDue: string | null;
  /** Also the stream position: a client reconnecting with Last-Event-ID resumes after it. */
  updatedAt: string;
}

/** How far back a resuming stream reads again: see `IncidentChangeFeedOptions.lookbackMs`. */
export const RESUME_LOOKBACK_MS = 10_000;

/**
 * Incidents changed since a stream position (a reconnecting board's Last-Event-ID), from a little before
 * it: a change stamped earlier may have committed later. A board applies a change twice harmlessly.
 */
export async function incidentChangesSince(
  ctx: AppContext,
  principal: Principal,
  since: string,
): Promise<IncidentChange[]> {
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) return [];
  const rows = await listIncidentsChangedSince(ctx.db, {
    since: toDbInstant(sinceMs - RESUME_LOOKBACK_MS),
    ...(principal.role === 'customer' ? { customerId: principal.customerId as string } : {}),
    limit: 500,
  });
  return rows.map(toIncidentChange);
}

export function toIncidentChange(r: IncidentRow): IncidentChange {
  return {
    id: r.id,
    ref: r.ref,
    customerId: r.customer_id,
    tier: r.tier,
    state: r.state,
    summary: r.summary,
    responseDue: r.response_due,
    actionDue: r.action_due,
    updatedAt: r.updated_at,
  };
}
