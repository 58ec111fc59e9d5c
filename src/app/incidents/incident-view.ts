import type { DbOrTrx } from '../../db/database.js';
import { fromDbBool, fromDbInstant } from '../../db/instant.js';
import { findCustomer, findServer } from '../../db/repositories/customer.repository.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import type { IncidentState } from '../../domain/incidents/derive-incident.js';
import { slaClock } from '../../domain/sla/sla.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { AppContext } from '../app-context.js';
import { loadIncident, type LoadedIncident } from './incident-state.js';

type Clock = ReturnType<typeof slaClock>;

export interface TimelineEntryView {
  seq: number;
  type: string;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
}

export interface WorkEntryView {
  id: string;
  engineerId: string;
  start: string;
  end: string;
  withinResponsibility: boolean;
  note: string | null;
}

/** An incident as the API and the engineer's phone show it (API.md: state, tier, callout, deadlines, timeline). */
export interface IncidentView {
  id: string;
  ref: string;
  customerId: string | null;
  customerName: string | null;
  serverId: string | null;
  hostname: string | null;
  summary: string;
  channel: string;
  callerNumber: string | null;
  unknownCaller: boolean;
  tier: Tier;
  callout: boolean;
  state: IncidentState;
  reportedAt: string;
  responseDue: string;
  actionDue: string | null;
  acknowledgedAt: string | null;
  calledBackAt: string | null;
  triage: { withinResponsibility: boolean; at: string } | null;
  consentRequired: boolean;
  consent: { granted: boolean; by: string; via: string; at: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: { response: Clock; action: Clock | null };
  timeline: TimelineEntryView[];
  work: WorkEntryView[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : formatInstant(ms));

export async function toIncidentView(
  db: DbOrTrx,
  loaded: LoadedIncident,
  nowMs: number,
): Promise<IncidentView> {
  const { row } = loaded;
  const [customer, server] = await Promise.all([
    row.customer_id ? findCustomer(db, row.customer_id) : undefined,
    row.server_id ? findServer(db, row.server_id) : undefined,
  ]);
  return buildIncidentView(loaded, nowMs, {
    customerName: customer?.name ?? null,
    hostname: server?.hostname ?? null,
  });
}

/** The view of a loaded incident, with its customer's name and server's hostname already looked up. */
export function buildIncidentView(
  loaded: LoadedIncident,
  nowMs: number,
  names: { customerName: string | null; hostname: string | null },
): IncidentView {
  const { row, status, facts } = loaded;
  return {
    id: row.id,
    ref: row.ref,
    customerId: row.customer_id,
    customerName: names.customerName,
    serverId: row.server_id,
    hostname: names.hostname,
    summary: row.summary,
    channel: row.channel,
    callerNumber: row.caller_number,
    unknownCaller: fromDbBool(row.unknown_caller),
    tier: facts.tier,
    callout: facts.callout,
    state: status.state,
    reportedAt: formatInstant(facts.reportedAtMs),
    responseDue: formatInstant(status.responseDueMs),
    actionDue: iso(status.actionDueMs),
    acknowledgedAt: iso(status.acknowledgedAtMs),
    calledBackAt: iso(status.calledBackAtMs),
    triage: status.triage
      ? { withinResponsibility: status.triage.withinResponsibility, at: formatInstant(status.triage.atMs) }
      : null,
    consentRequired: status.consentRequired,
    consent: status.consent
      ? {
          granted: status.consent.granted,
          by: status.consent.by,
          via: status.consent.via,
          at: formatInstant(status.consent.atMs),
        }
      : null,
    resolvedAt: iso(status.resolvedAtMs),
    closedAt: iso(status.closedAtMs),
    sla: {
      response: slaClock(status.responseDueMs, facts.reportedAtMs, status.calledBackAtMs, nowMs),
      action:
        status.actionDueMs === null
          ? null
          : slaClock(
              status.actionDueMs,
              status.consent?.atMs ?? facts.reportedAtMs,
              status.actionStartedAtMs,
              nowMs,
            ),
    },
    timeline: loaded.events.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: formatInstant(e.atMs),
      actor: { type: e.actor.type, id: e.actor.id, name: e.actor.name },
      data: e.data,
    })),
    work: loaded.work.map((w) => ({
      id: w.id,
      engineerId: w.engineer_id,
      start: formatInstant(fromDbInstant(w.start_at)),
      end: formatInstant(fromDbInstant(w.end_at)),
      withinResponsibility: fromDbBool(w.within_responsibility),
      note: w.note,
    })),
  };
}

export async function loadIncidentView(db: DbOrTrx, ctx: AppContext, id: string): Promise<IncidentView> {
  return toIncidentView(db, await loadIncident(db, ctx, id), ctx.clock.now());
}
