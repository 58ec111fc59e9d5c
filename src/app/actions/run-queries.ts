import { findRun, listRunsOfIncident } from '../../db/repositories/action.repository.js';
import { findServer } from '../../db/repositories/customer.repository.js';
import { findIncident } from '../../db/repositories/incident.repository.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { toRunView, type ActionRunView } from './run-view.js';

/** GET /action-runs/{id}: a customer sees only runs on its own servers. */
export async function getActionRun(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<ActionRunView> {
  const run = await findRun(ctx.db, id);
  const server = run ? await findServer(ctx.db, run.server_id) : undefined;
  if (!run || !server || (principal.role === 'customer' && principal.customerId !== server.customer_id)) {
    throw new DomainError('NOT_FOUND', 'action run not found');
  }
  return toRunView(run);
}

/** GET /incidents/{id}/action-runs: every run and refusal on the incident, oldest first. */
export async function listIncidentActionRuns(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<ActionRunView[]> {
  const incident = await findIncident(ctx.db, incidentId);
  if (!incident || (principal.role === 'customer' && principal.customerId !== incident.customer_id)) {
    throw new DomainError('NOT_FOUND', 'incident not found');
  }
  return (await listRunsOfIncident(ctx.db, incidentId)).map(toRunView);
}
