import type { Trx, DbOrTrx } from '../../db/database.js';
import { fromDbBool, fromDbInstant, toDbInstant } from '../../db/instant.js';
import {
  appendEventRow,
  findIncident,
  findSlaPolicy,
  insertEventRow,
  insertIncident,
  listEvents,
  listWorkEntries,
  lockIncident,
  updateDerivedColumns,
  type SlaPolicyRow,
} from '../../db/repositories/incident.repository.js';
import type { IncidentEventRow, IncidentRow, WorkEntryRow } from '../../db/tables/incident.table.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { deriveIncident, type IncidentStatus } from '../../domain/incidents/derive-incident.js';
import type {
  Actor,
  IncidentEvent,
  IncidentEventType,
  IncidentFacts,
} from '../../domain/incidents/timeline.js';
import type { SlaTargets } from '../../domain/sla/sla.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { AppContext } from '../app-context.js';

/** The timeline's view of who acted. */
export function actorOf(principal: Principal): Actor {
  return { type: principal.kind, id: principal.id, name: principal.name };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'Ballou' };

export function toDomainEvent(
  row: Pick<IncidentEventRow, 'seq' | 'type' | 'at' | 'actor_type' | 'actor_id' | 'actor_name' | 'data'>,
): IncidentEvent {
  return {
    seq: row.seq,
    type: row.type as IncidentEventType,
    atMs: fromDbInstant(row.at),
    actor: { type: row.actor_type as Actor['type'], id: row.actor_id, name: row.actor_name },
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export function factsOf(row: Pick<IncidentRow, 'tier' | 'callout' | 'reported_at'>): IncidentFacts {
  return {
    tier: row.tier as Tier,
    callout: fromDbBool(row.callout),
    reportedAtMs: fromDbInstant(row.reported_at),
  };
}

/** The service-level targets of a tier valid on a local date (SPEC.md section 3; configuration). */
export async function slaTargetsFor(db: DbOrTrx, tier: Tier, reportedAtMs: number): Promise<SlaTargets> {
  const date = localDateOfInstant(reportedAtMs);
  const policy = await findSlaPolicy(db, tier, date);
  if (!policy) throw new DomainError('INTERNAL', `no service-level targets for tier ${tier} on ${date}`);
  return slaTargetsOf(policy);
}

/** The same from policies read once (a page of incidents reads them once, not once per incident). */
export function slaTargetsFrom(
  policies: readonly SlaPolicyRow[],
  tier: Tier,
  reportedAtMs: number,
): SlaTargets {
  const date = localDateOfInstant(reportedAtMs);
  const policy = policies.find(
    (p) => p.tier === tier && p.valid_from <= date && (p.valid_to === null || date < p.valid_to),
  );
  if (!policy) throw new DomainError('INTERNAL', `no service-level targets for tier ${tier} on ${date}`);
  return slaTargetsOf(policy);
}

/** The targets a policy row sets. */
export function slaTargetsOf(policy: SlaPolicyRow): SlaTargets {
  return {
    responseMinutes: policy.response_minutes,
    actionMinutes: policy.action_minutes,
    officeResponseMinutes: policy.office_response_minutes,
    officeActionMinutes: policy.office_action_minutes,
  };
}

export interface LoadedIncident {
  row: IncidentRow;
  facts: IncidentFacts;
  targets: SlaTargets;
  events: IncidentEvent[];
  status: IncidentStatus;
  work: WorkEntryRow[];
}

/** An incident without its work log: what a step that only reads and extends the timeline needs. */
export type IncidentTimeline = Omit<LoadedIncident, 'work'>;

/** An incident with its timeline, derived status and work; locked when inside a transaction on PostgreSQL. */
export async function loadIncident(
  db: DbOrTrx,
  ctx: AppContext,
  id: string,
  lock = false,
): Promise<LoadedIncident> {
  const row = await incidentRow(db, ctx, id, lock);
  const [eventRows, work] = await Promise.all([listEvents(db, id), listWorkEntries(db, id)]);
  return { ...(await timelineOf(db, row, eventRows)), work };
}

/** The same without the work log (an escalation step pages from the timeline alone): one read fewer. */
export async function loadIncidentTimeline(
  db: DbOrTrx,
  ctx: AppContext,
  id: string,
  lock = false,
): Promise<IncidentTimeline> {
  const row = await incidentRow(db, ctx, id, lock);
  return timelineOf(db, row, await listEvents(db, id));
}

async function incidentRow(db: DbOrTrx, ctx: AppContext, id: string, lock: boolean): Promise<IncidentRow> {
  const row = lock ? await lockIncident(db, ctx.dbKind, id) : await findIncident(db, id);
  if (!row) throw new DomainError('NOT_FOUND', 'incident not found');
  return row;
}

async function timelineOf(
  db: DbOrTrx,
  row: IncidentRow,
  eventRows: IncidentEventRow[],
): Promise<IncidentTimeline> {
  const facts = factsOf(row);
  const targets = await slaTargetsFor(db, facts.tier, facts.reportedAtMs);
  const events = eventRows.map(toDomainEvent);
  return { row, facts, targets, events, status: deriveIncident(facts, events, targets) };
}

/**
 * Appends one event to a locked incident's timeline and refreshes the columns derived from it (state and
 * deadlines, kept on the row for the board's queries). The timeline stays the source of truth.
 */
export async function appendIncidentEvent<L extends IncidentTimeline>(
  trx: Trx,
  ctx: AppContext,
  loaded: L,
  event: NewEvent,
): Promise<L> {
  const data = event.data ?? {};
  const seq = await appendEventRow(trx, eventRow(ctx, loaded.row.id, event, data));
  const events = [...loaded.events, { seq, type: event.type, atMs: event.atMs, actor: event.actor, data }];
  const status = deriveIncident(loaded.facts, events, loaded.targets);
  const changes = { ...derivedColumns(status), updated_at: toDbInstant(ctx.clock.now()) };
  await updateDerivedColumns(trx, loaded.row.id, changes);
  return { ...loaded, row: { ...loaded.row, ...changes }, events, status };
}

type NewEvent = { type: IncidentEventType; atMs: number; actor: Actor; data?: Record<string, unknown> };

/** A timeline row for `event` (its seq is the caller's: 1 for a new incident, else the next one). */
function eventRow(ctx: AppContext, incidentId: string, event: NewEvent, data: Record<string, unknown>) {
  return {
    id: ctx.newId(),
    incident_id: incidentId,
    type: event.type,
    at: toDbInstant(event.atMs),
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    actor_name: event.actor.name,
    data: JSON.stringify(data),
    created_at: toDbInstant(ctx.clock.now()),
  };
}

/** The row's columns kept with the timeline for the board's queries: state and deadlines. */
function derivedColumns(
  status: IncidentStatus,
): Pick<IncidentRow, 'state' | 'response_due' | 'action_due' | 'closed_at'> {
  return {
    state: status.state,
    response_due: toDbInstant(status.responseDueMs),
    action_due: status.actionDueMs === null ? null : toDbInstant(status.actionDueMs),
    closed_at: status.closedAtMs === null ? null : toDbInstant(status.closedAtMs),
  };
}

/**
 * Creates an incident with the first event of its timeline, under the service-level targets of its tier
 * on its report date. Its state and deadlines are derived from
 * that event before the row is written, so the row is inserted once, complete, and nothing is read back:
 * the incident is new, its timeline is this one event and it has no work yet.
 */
export async function createIncident(
  trx: Trx,
  ctx: AppContext,
  row: Omit<IncidentRow, 'state' | 'response_due' | 'action_due' | 'closed_at'>,
  event: NewEvent,
  targets: SlaTargets,
): Promise<LoadedIncident> {
  const facts = factsOf(row);
  const data = event.data ?? {};
  const events: IncidentEvent[] = [{ seq: 1, type: event.type, atMs: event.atMs, actor: event.actor, data }];
  const status = deriveIncident(facts, events, targets);
  const full: IncidentRow = { ...row, ...derivedColumns(status) };
  await insertIncident(trx, full);
  await insertEventRow(trx, { ...eventRow(ctx, full.id, event, data), seq: 1 });
  return { row: full, facts, targets, events, status, work: [] };
}
