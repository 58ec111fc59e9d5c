import type { Trx } from '../../db/database.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findCatalogueEntry,
  findRunByTrigger,
  insertRunOnce,
  listAuthorizations,
  listRecentRuns,
  lockActiveAuthorization,
} from '../../db/repositories/action.repository.js';
import { findServer } from '../../db/repositories/customer.repository.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import { fromDbInstant, toDbInstant } from '../../db/instant.js';
import type { ActionCatalogueRow, ActionRunRow } from '../../db/tables/action.table.js';
import type { ServerRow } from '../../db/tables/customer.table.js';
import { matchingAuthorizations } from '../../domain/actions/authorization.js';
import {
  decideRun,
  incidentRefusesManualRun,
  runsInLastDay,
  type RunDecision,
  type RunStatus,
  type RunTrigger,
} from '../../domain/actions/decide-run.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { fingerprintOfKeyLine } from '../../integrations/ssh/host-key-fingerprint.js';
import { assertCustomerVisible, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import {
  actorOf,
  appendIncidentEvent,
  loadIncident,
  type LoadedIncident,
} from '../incidents/incident-state.js';
import { toAuthorization } from './authorizations.js';
import type { RunActor } from './run-view.js';

export const RUN_ACTION_JOB = 'action.run';
const DAY_MS = 86_400_000;

interface RunRequest {
  incident: LoadedIncident;
  server: ServerRow;
  action: ActionCatalogueRow;
  trigger: RunTrigger;
  /** Names the trigger: a run never happens twice for one key (unique index action_runs_trigger_uq). */
  triggerKey: string;
  triggeredBy: RunActor;
  actor: Actor;
  alertName: string | null;
}

/**
 * Decides a run and records the decision in the caller's transaction: a queued run and the job that
 * will carry it out, or a refused run with its reason (on the timeline too). The authorization row is
 * locked while the day's runs are counted, so two requests cannot both take the last run of the limit.
 * Returns undefined when the trigger already has its run (a retry).
 */
async function decideAndRecord(
  trx: Trx,
  ctx: AppContext,
  request: RunRequest,
): Promise<{ run: ActionRunRow; decision: RunDecision } | undefined> {
  const { incident, server, action } = request;
  const nowMs = ctx.clock.now();
  const authorizationRow =
    action.retired_at === null
      ? await lockActiveAuthorization(trx, ctx.dbKind, server.id, action.key)
      : undefined;
  const recent = await listRecentRuns(trx, server.id, action.key, toDbInstant(nowMs - DAY_MS));
  const decision = decideRun({
    trigger: request.trigger,
    authorization: authorizationRow ? toAuthorization(authorizationRow) : undefined,
    tier: incident.facts.tier,
    runsInLastDay: runsInLastDay(
      recent.map((r) => ({ status: r.status as RunStatus, createdAtMs: fromDbInstant(r.created_at) })),
      nowMs,
    ),
  });
  const run: ActionRunRow = {
    id: ctx.newId(),
    incident_id: incident.row.id,
    server_id: server.id,
    action_key: action.key,
    authorization_id: authorizationRow?.id ?? null,
    trigger_type: request.trigger,
    trigger_key: request.triggerKey,
    triggered_by: JSON.stringify(request.triggeredBy),
    status: decision.allowed ? 'queued' : 'refused',
    command: action.command,
    host_key_fingerprint: server.ssh_host_key ? (fingerprintOfKeyLine(server.ssh_host_key) ?? null) : null,
    exit_code: null,
    output: null,
    check_output: null,
    started_at: null,
    finished_at: null,
    created_at: toDbInstant(nowMs),
    reason: decision.allowed ? null : decision.message,
    check_exit_code: null,
    duration_ms: null,
    alert_name: request.alertName,
    work_entry_id: null,
  };
  if (!(await insertRunOnce(trx, run))) return undefined;
  await appendAudit(trx, {
    atMs: nowMs,
    actor: request.actor,
    action: decision.allowed ? 'action.run_requested' : 'action.run_refused',
    entityType: 'action_run',
    entityId: run.id,
    customerId: server.customer_id,
    data: {
      runId: run.id,
      incidentId: incident.row.id,
      action: action.key,
      command: action.command,
      serverId: server.id,
      hostname: server.hostname,
      pinnedHostKeyFingerprint: run.host_key_fingerprint,
      trigger: request.trigger,
      triggeredBy: request.triggeredBy,
      alertName: request.alertName,
      authorizationId: run.authorization_id,
      ...(decision.allowed ? {} : { refusal: decision.reason, reason: decision.message }),
    },
  });
  if (decision.allowed) {
    await enqueueJob(
      trx,
      {
        id: ctx.newId(),
        kind: RUN_ACTION_JOB,
        payload: { runId: run.id },
        dueAtMs: nowMs,
        dedupeKey: `action-run:${run.id}`,
        maxAttempts: 20,
      },
      nowMs,
    );
  } else {
    await appendIncidentEvent(trx, ctx, incident, {
      type: 'note',
      atMs: nowMs,
      actor: request.actor,
      data: {
        text: `Åtgärden ”${action.title_sv}” på ${server.hostname} kördes inte: ${decision.message}`,
        kind: 'action_refused',
        runId: run.id,
        action: action.key,
        serverId: server.id,
        trigger: request.trigger,
        refusal: decision.reason,
      },
    });
  }
  return { run, decision };
}

/**
 * POST /incidents/{id}/actions: an engineer runs a catalogue action on the incident's customer's server
 * (one tap). The run itself happens in a job; the answer is the queued run. Refused, and the refusal
 * recorded, when the customer has not authorized it (403) or its daily limit is reached (409). Bad input
 * (an unknown action, another customer's server) and an incident not ready for it are refused with
 * nothing written.
 */
export async function runActionManually(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { action: string; serverId: string },
): Promise<{ id: string; status: RunStatus }> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const incident = await loadIncident(trx, ctx, incidentId, true);
    if (incident.row.customer_id) assertCustomerVisible(principal, incident.row.customer_id);
    const action = await findCatalogueEntry(trx, input.action);
    if (!action || action.retired_at !== null) {
      throw new DomainError('VALIDATION_FAILED', `/action: ${input.action} is not in the action catalogue`, [
        { path: '/action', message: 'is not in the action catalogue (GET /actions)' },
      ]);
    }
    const server = await findServer(trx, input.serverId);
    if (!server || incident.row.customer_id === null || server.customer_id !== incident.row.customer_id) {
      throw new DomainError('VALIDATION_FAILED', "/serverId: is not a server of this incident's customer", [
        { path: '/serverId', message: "is not a server of this incident's customer" },
      ]);
    }
    if (!server.ssh_host || !server.ssh_user || !server.ssh_host_key) {
      throw new DomainError(
        'CONFLICT',
        `${server.hostname} has no SSH access registered (host, user, host key)`,
        [{ path: '/serverId', message: 'has no SSH access registered' }],
      );
    }
    const authorization = await lockActiveAuthorization(trx, ctx.dbKind, server.id, action.key);
    const notReady = incidentRefusesManualRun(
      {
        state: incident.status.state,
        tier: incident.facts.tier,
        consentGranted: incident.status.consent?.granted ?? null,
      },
      authorization ? authorization.within_responsibility === 1 : true,
    );
    if (notReady) throw new DomainError('TRANSITION_NOT_ALLOWED', `Cannot run the action: ${notReady}.`);
    const runId = ctx.newId();
    return decideAndRecord(trx, ctx, {
      incident,
      server,
      action,
      trigger: 'manual',
      triggerKey: `manual:${runId}`,
      triggeredBy: { ...actorOf(principal), engineerId: principal.engineerId ?? null },
      actor: actorOf(principal),
      alertName: null,
    });
  });
  if (!outcome) throw new DomainError('INTERNAL', 'a manual run collided with another trigger');
  const { run, decision } = outcome;
  if (!decision.allowed) {
    throw new DomainError(
      decision.status === 403 ? 'FORBIDDEN' : 'CONFLICT',
      `Refused: ${decision.message}.`,
    );
  }
  return { id: run.id, status: run.status as RunStatus };
}

/** A firing alert that has reached an incident, as the intake hands it over. */
export interface FiringAlert {
  alertName: string;
  /** The alert's delivery key within its integration (the same on every retry of the same firing). */
  eventKey: string;
}

const AUTOMATIC: Actor = { type: 'system', id: null, name: 'Ballou (automatisk åtgärd)' };

/**
 * Called by the alert intake inside its transaction for firing alerts on a server: every active
 * automatic authorization the alerts match gets one run per trigger (authorization + alert firing), so a
 * sender's retry, a restart or a second node never runs it twice. A delivery with several matching alerts
 * runs each authorization once. Only the decision is made here; SSH happens in the job.
 */
export async function requestAutomaticRuns(
  trx: Trx,
  ctx: AppContext,
  input: { incidentId: string; serverId: string; integrationId: string; alerts: readonly FiringAlert[] },
): Promise<void> {
  const server = await findServer(trx, input.serverId);
  if (!server) return;
  const authorizations = (await listAuthorizations(trx, server.id)).map(toAuthorization);
  const chosen = new Map<string, FiringAlert>();
  for (const alert of input.alerts) {
    for (const a of matchingAuthorizations(authorizations, alert.alertName)) {
      if (!chosen.has(a.id)) chosen.set(a.id, alert);
    }
  }
  for (const [authorizationId, alert] of chosen) {
    const triggerKey = `auto:${authorizationId}:${input.integrationId}:${alert.eventKey}`;
    if (await findRunByTrigger(trx, triggerKey)) continue;
    const a = authorizations.find((x) => x.id === authorizationId);
    const action = a ? await findCatalogueEntry(trx, a.actionKey) : undefined;
    if (!action) continue;
    await decideAndRecord(trx, ctx, {
      incident: await loadIncident(trx, ctx, input.incidentId, true),
      server,
      action,
      trigger: 'automatic',
      triggerKey,
      triggeredBy: { type: 'integration', id: input.integrationId, name: `larm ${alert.alertName}` },
      actor: AUTOMATIC,
      alertName: alert.alertName,
    });
  }
}
