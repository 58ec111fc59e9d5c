import { toDbInstant } from '../../db/instant.js';
import { listIncidentsChangedSince } from '../../db/repositories/incident.repository.js';
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

/**
 * Incidents changed since a stream position. Read from the database rather than from in-process events,
 * so a board connected to one node sees changes made on another.
 */
export async function incidentChangesSince(
  ctx: AppContext,
  principal: Principal,
  since: string | null,
): Promise<{ changes: IncidentChange[]; position: string }> {
  const position =
    since && !Number.isNaN(Date.parse(since)) ? toDbInstant(Date.parse(since)) : toDbInstant(ctx.clock.now());
  const rows = await listIncidentsChangedSince(ctx.db, {
    since: position,
    ...(principal.role === 'customer' ? { customerId: principal.customerId as string } : {}),
    limit: 500,
  });
  return {
    changes: rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      customerId: r.customer_id,
      tier: r.tier,
      state: r.state,
      summary: r.summary,
      responseDue: r.response_due,
      actionDue: r.action_due,
      updatedAt: r.updated_at,
    })),
    position: rows.at(-1)?.updated_at ?? position,
  };
}
