import type { Trx } from '../../db/database.js';
import { toDbBool, toDbInstant } from '../../db/instant.js';
import { findServer, listAppOncallContacts } from '../../db/repositories/customer.repository.js';
import { insertWorkEntry } from '../../db/repositories/incident.repository.js';
import { parseInstant } from '../../domain/calendar/instant.js';
import {
  decideAcknowledge,
  decideCallBack,
  decideClose,
  decideConsent,
  decideResolve,
  decideTriage,
  decideWork,
} from '../../domain/incidents/decide.js';
import type { Actor, IncidentEventType } from '../../domain/incidents/timeline.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible, auditActor, requireRole } from '../access.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import type { AppContext } from '../app-context.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { loadPricingRules } from '../pricing/pricing-rules.js';
import { assertEngineersExist } from '../roster/rotations.js';
import { swedishTime } from '../roster/roster-jobs.js';
import { actorOf, appendIncidentEvent, loadIncident, type LoadedIncident } from './incident-state.js';
import { loadIncidentView, type IncidentView } from './incident-view.js';

const RESPONDERS = ['admin', 'manager', 'engineer'] as const;

type Decision = { type: IncidentEventType; atMs: number; data?: Record<string, unknown> } | null;

/**
 * The shape every incident command shares: lock the incident, derive its status from the timeline, let
 * the domain decide (event, idempotent no-op, or refusal), append the event, audit, answer the view.
 */
async function runCommand(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  action: string,
  decide: (loaded: LoadedIncident, trx: Trx) => Promise<Decision> | Decision,
  after?: (loaded: LoadedIncident, trx: Trx) => Promise<void>,
): Promise<IncidentView> {
  return ctx.db.transaction().execute(async (trx) => {
    const loaded = await loadIncident(trx, ctx, incidentId, true);
    if (loaded.row.customer_id) assertCustomerVisible(principal, loaded.row.customer_id);
    else if (principal.role === 'customer') throw new DomainError('NOT_FOUND', 'incident not found');
    const event = await decide(loaded, trx);
    if (event) {
      const next = await appendIncidentEvent(trx, ctx, loaded, { ...event, actor: actorOf(principal) });
      await appendAudit(trx, {
        atMs: ctx.clock.now(),
        actor: auditActor(principal),
        action,
        entityType: 'incident',
        entityId: incidentId,
        customerId: loaded.row.customer_id,
        data: { type: event.type, ...(event.data ?? {}) },
      });
      if (after) await after(next, trx);
    }
    return loadIncidentView(trx, ctx, incidentId);
  });
}

/** An engineer takes the incident: escalation stops. A repeat is harmless. */
export function acknowledgeIncident(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { engineerId?: string | null },
): Promise<IncidentView> {
  requireRole(principal, RESPONDERS);
  return runCommand(ctx, principal, incidentId, 'incident.acknowledged', async (loaded, trx) => {
    const engineerId = input.engineerId ?? principal.engineerId ?? null;
    if (engineerId) await assertEngineersExist(trx, [engineerId], '/engineerId');
    return decideAcknowledge(loaded.status, { atMs: ctx.clock.now(), ...(engineerId ? { engineerId } : {}) });
  });
}

/** The engineer has called the customer back: the response clock stops. */
export function recordCallBack(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { at?: string },
): Promise<IncidentView> {
  requireRole(principal, RESPONDERS);
  return runCommand(ctx, principal, incidentId, 'incident.called_back', (loaded) =>
    decideCallBack(
      loaded.status,
      { atMs: input.at ? parseInstant(input.at, '/at') : ctx.clock.now() },
      ctx.clock.now(),
    ),
  );
}

/**
 * First-line triage. Outside Ballou's responsibility the incident is handed over: the customer's
 * application-level on-call contacts (for that server first) are told by SMS and e-mail.
 */
export function triageIncident(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { withinResponsibility: boolean; note?: string | null },
): Promise<IncidentView> {
  requireRole(principal, RESPONDERS);
  return runCommand(
    ctx,
    principal,
    incidentId,
    'incident.triaged',
    (loaded) =>
      decideTriage(loaded.status, {
        atMs: ctx.clock.now(),
        withinResponsibility: input.withinResponsibility,
        ...(input.note ? { note: input.note } : {}),
      }),
    async (loaded, trx) => {
      if (input.withinResponsibility || !loaded.row.customer_id) return;
      await handOver(trx, ctx, principal, loaded, input.note ?? null);
    },
  );
}

async function handOver(
  trx: Trx,
  ctx: AppContext,
  principal: Principal,
  loaded: LoadedIncident,
  note: string | null,
) {
  const contacts = await listAppOncallContacts(trx, loaded.row.customer_id as string);
  const forServer = contacts.filter((c) => c.server_id !== null && c.server_id === loaded.row.server_id);
  const chosen = forServer.length > 0 ? forServer : contacts.filter((c) => c.server_id === null);
  const server = loaded.row.server_id ? await findServer(trx, loaded.row.server_id) : undefined;
  const text =
    `Ballou har bedömt ${loaded.row.ref}${server ? ` (${server.hostname})` : ''} som utanför Ballous ansvarsområde ` +
    `och lämnar över till er applikationsjour: ${loaded.row.summary.slice(0, 300)}` +
    (note ? `. Notering: ${note.slice(0, 300)}` : '');
  for (const c of chosen) {
    if (c.phone) {
      await enqueueMessage(trx, ctx, {
        channel: 'sms',
        to: c.phone,
        body: text,
        incidentId: loaded.row.id,
        dedupeKey: `handover:${loaded.row.id}:${c.id}:sms`,
      });
    }
    if (c.email) {
      await enqueueMessage(trx, ctx, {
        channel: 'email',
        to: c.email,
        subject: `Överlämning ${loaded.row.ref}`,
        body: text,
        incidentId: loaded.row.id,
        dedupeKey: `handover:${loaded.row.id}:${c.id}:email`,
      });
    }
  }
  await appendIncidentEvent(trx, ctx, loaded, {
    type: 'handed_over',
    atMs: ctx.clock.now(),
    actor: actorOf(principal),
    data: { contacts: chosen.map((c) => ({ id: c.id, name: c.name })), notified: chosen.length > 0 },
  });
}

/** The customer's decision on billable work (tiers incident and none), who gave it and how. */
export function recordConsent(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { granted: boolean; by: string; via: 'phone' | 'portal' },
): Promise<IncidentView> {
  requireRole(principal, [...RESPONDERS, 'customer']);
  return runCommand(ctx, principal, incidentId, 'incident.consent_recorded', (loaded) =>
    decideConsent(loaded.status, loaded.facts, {
      atMs: ctx.clock.now(),
      granted: input.granted,
      by: input.by,
      via: input.via,
    }),
  );
}

export interface WorkInput {
  start: string;
  end: string;
  engineerId: string;
  withinResponsibility: boolean;
  note?: string | null;
}

/**
 * Logs a work entry: refused when it ends before it starts, lasts over 24 hours or overlaps the same
 * engineer's entry on this incident, and (tiers incident/none) when it would be billable without consent.
 */
export async function logWork(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: WorkInput,
): Promise<{ incident: IncidentView; workEntryId: string }> {
  requireRole(principal, RESPONDERS);
  const entry = {
    startMs: parseInstant(input.start, '/start'),
    endMs: parseInstant(input.end, '/end'),
    engineerId: input.engineerId,
    withinResponsibility: input.withinResponsibility,
  };
  const rules = await loadPricingRules(ctx.db);
  const billable = rules.calendar
    .splitInterval(entry.startMs, Math.max(entry.endMs, entry.startMs))
    .some((p) => !(p.office && entry.withinResponsibility));
  const workEntryId = ctx.newId();
  const incident = await runCommand(
    ctx,
    principal,
    incidentId,
    'incident.work_logged',
    async (loaded, trx) => {
      await assertEngineersExist(trx, [entry.engineerId], '/engineerId');
      const decision = decideWork(
        loaded.status,
        loaded.facts,
        {
          ...entry,
          billable,
          atMs: ctx.clock.now(),
          workEntryId,
          ...(input.note ? { note: input.note } : {}),
        },
        undefined,
        // An action's own work entry (source `action`) is the server's time, not the engineer's: it
        // must not make the engineer's own entry for the same hour overlap.
        loaded.work
          .filter((w) => w.source !== 'action')
          .map((w) => ({
            startMs: Date.parse(w.start_at),
            endMs: Date.parse(w.end_at),
            engineerId: w.engineer_id,
          })),
      );
      await insertWorkEntry(trx, {
        id: workEntryId,
        incident_id: incidentId,
        engineer_id: entry.engineerId,
        start_at: toDbInstant(entry.startMs),
        end_at: toDbInstant(entry.endMs),
        within_responsibility: toDbBool(entry.withinResponsibility),
        note: input.note ?? null,
        source: 'manual',
        created_at: toDbInstant(ctx.clock.now()),
      });
      return decision;
    },
  );
  return { incident, workEntryId };
}

export function resolveIncident(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { note?: string | null },
) {
  requireRole(principal, RESPONDERS);
  return runCommand(ctx, principal, incidentId, 'incident.resolved', (loaded) =>
    decideResolve(loaded.status, { atMs: ctx.clock.now(), ...(input.note ? { note: input.note } : {}) }),
  );
}

/** Closes a resolved incident: it is then priced onto the invoice of its report month. */
export function closeIncident(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { note?: string | null },
) {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  return runCommand(ctx, principal, incidentId, 'incident.closed', (loaded) =>
    decideClose(loaded.status, { atMs: ctx.clock.now(), ...(input.note ? { note: input.note } : {}) }),
  );
}

/**
 * Acknowledgement from outside a login (an engineer's SMS reply, a monitoring system's acknowledge),
 * inside the intake's transaction.
 * Returns what the reply SMS says.
 */
export async function acknowledgeInTransaction(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  engineerId: string | null,
  /** How, when it is not told by the actor (e.g. `phone`: a keypress during the page call). */
  via?: string,
): Promise<{ ref: string; responseDueText: string }> {
  const loaded = await loadIncident(trx, ctx, incidentId, true);
  const event = decideAcknowledge(loaded.status, {
    atMs: ctx.clock.now(),
    ...(engineerId ? { engineerId } : {}),
  });
  if (event) {
    const data = via === undefined ? event.data : { ...event.data, via };
    await appendIncidentEvent(trx, ctx, loaded, { ...event, data, actor });
    await appendAudit(trx, {
      atMs: ctx.clock.now(),
      actor,
      action: 'incident.acknowledged',
      entityType: 'incident',
      entityId: incidentId,
      customerId: loaded.row.customer_id,
      data: { via: via ?? actor.type },
    });
  }
  return { ref: loaded.row.ref, responseDueText: swedishTime(loaded.status.responseDueMs) };
}
