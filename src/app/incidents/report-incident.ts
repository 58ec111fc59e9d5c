import type { Trx } from '../../db/database.js';
import { toDbBool, toDbInstant } from '../../db/instant.js';
import { findCustomerTierPeriods, findServer } from '../../db/repositories/customer.repository.js';
import {
  findOpenIncidentFor,
  findReportDayRules,
  lockReportKey,
} from '../../db/repositories/incident.repository.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { tierOn } from '../../domain/customers/tier-history.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import { shouldPage } from '../../domain/incidents/escalation.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { AppContext } from '../app-context.js';
import { isOnCallTimeWith } from '../pricing/pricing-rules.js';
import {
  appendIncidentEvent,
  createIncident,
  loadIncident,
  slaTargetsOf,
  type LoadedIncident,
} from './incident-state.js';
import { scheduleEscalation } from './escalation-job.js';
import { nextIncidentNumber } from '../../db/repositories/incident-number.repository.js';

export type IntakeChannel = 'phone' | 'sms' | 'portal' | 'api' | 'email' | 'alert';

export interface IncidentReport {
  customerId?: string | null;
  serverId?: string | null;
  contactId?: string | null;
  summary: string;
  reportedAtMs: number;
  channel: IntakeChannel;
  callerNumber?: string | null;
  /** The caller's number matched no contact: recorded as tier `none` and flagged for the desk. */
  unknownCaller?: boolean;
  /** Attaches repeats of the same problem (an alert's dedup key) to the open incident. */
  dedupKey?: string | null;
  /** Free data kept on the `reported`/`attached` event (alert labels, call id…). */
  details?: Record<string, unknown>;
  /** The caller took this report's locks already (`lockReportKeys` with `reportLockKeys(report)`). */
  locksHeld?: boolean;
  /**
   * Where the report time came from when the caller typed it (e.g. `/reportedAt`): a date no service-level
   * terms cover is then their mistake, answered 400 naming it. Without it the time is the receive time,
   * and missing terms are our fault (500, so a webhook's sender retries).
   */
  reportedAtPath?: string;
}

export interface ReportOutcome {
  incident: LoadedIncident;
  /** False when the report attached to an open incident instead of opening one. */
  created: boolean;
}

/**
 * The locks that serialise reports of one problem: its dedup key, and its customer and server. A
 * transaction that reports several problems takes all of theirs first, in sorted order (`lockReportKeys`),
 * so two such transactions cannot each hold one lock the other waits for.
 */
export function reportLockKeys(report: {
  dedupKey?: string | null;
  customerId?: string | null;
  serverId?: string | null;
}): string[] {
  const keys: string[] = [];
  if (report.dedupKey) keys.push(`incident-report:${report.dedupKey}`);
  if (report.customerId) keys.push(`incident-report:customer:${report.customerId}:${report.serverId ?? ''}`);
  return keys;
}

/**
 * Opens an incident, or attaches the report to the customer's open incident on the same server (or with
 * the same dedup key) so one problem is one incident. Runs inside the caller's transaction: intake
 * webhooks record their idempotency key in the same one. A callout (reported in on-call time) starts the
 * escalation at once; office-hours incidents go to the desk's queue.
 */
export async function reportIncident(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  report: IncidentReport,
): Promise<ReportOutcome> {
  // The customer's tier history, read with the check that the customer exists (one query).
  const tierPeriods = report.customerId ? await findCustomerTierPeriods(trx, report.customerId) : [];
  if (!tierPeriods) {
    throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found', [
      { path: '/customerId', message: 'no such customer' },
    ]);
  }
  if (report.serverId) {
    const server = await findServer(trx, report.serverId);
    if (!server || (report.customerId && server.customer_id !== report.customerId)) {
      throw new DomainError('SERVER_NOT_FOUND', "not one of the customer's servers", [
        { path: '/serverId', message: "is not one of the customer's servers" },
      ]);
    }
  }
  // Two reports of one problem at once (same dedup key, or same customer and server) must not both find
  // nothing open and open one each: on PostgreSQL they queue here until the first commits.
  if (!report.locksHeld) for (const key of reportLockKeys(report)) await lockReportKey(trx, ctx.dbKind, key);
  const open = await findOpenIncidentFor(trx, {
    dedupKey: report.dedupKey ?? null,
    customerId: report.customerId ?? null,
    serverId: report.serverId ?? null,
  });
  if (open && (report.customerId || report.dedupKey)) {
    const loaded = await loadIncident(trx, ctx, open.id, true);
    // A typed report time earlier than the timeline's last event (a customer saying when the problem
    // began) is kept in the event's data; the event itself is dated in order, so the timeline reads forward.
    const lastAtMs = loaded.events.reduce((latest, event) => Math.max(latest, event.atMs), 0);
    const backdated = report.reportedAtMs < lastAtMs;
    const incident = await appendIncidentEvent(trx, ctx, loaded, {
      type: 'attached',
      atMs: backdated ? lastAtMs : report.reportedAtMs,
      actor,
      data: {
        channel: report.channel,
        summary: report.summary,
        ...(backdated ? { reportedAt: toDbInstant(report.reportedAtMs) } : {}),
        ...(report.details ?? {}),
      },
    });
    return { incident, created: false };
  }

  const tier = report.customerId
    ? (tierOn(
        tierPeriods.map((p) => ({ tier: p.tier as Tier, validFrom: p.valid_from, validTo: p.valid_to })),
        localDateOfInstant(report.reportedAtMs),
      ) ?? 'none')
    : 'none';
  const reportDate = localDateOfInstant(report.reportedAtMs);
  const rules = await findReportDayRules(trx, tier, reportDate);
  if (!rules) {
    const message = `no service-level terms for tier ${tier} cover ${reportDate}`;
    if (report.reportedAtPath === undefined) throw new DomainError('INTERNAL', message);
    throw new DomainError('VALIDATION_FAILED', `${report.reportedAtPath}: ${message}`, [
      { path: report.reportedAtPath, message },
    ]);
  }
  const callout = isOnCallTimeWith(report.reportedAtMs, rules.closed_day);
  const year = reportDate.slice(0, 4);
  const number = await nextIncidentNumber(trx, year);
  const nowIso = toDbInstant(ctx.clock.now());
  const id = ctx.newId();
  const incident = await createIncident(
    trx,
    ctx,
    {
      id,
      ref: `INC-${year}-${String(number).padStart(5, '0')}`,
      customer_id: report.customerId ?? null,
      server_id: report.serverId ?? null,
      contact_id: report.contactId ?? null,
      summary: report.summary,
      channel: report.channel,
      caller_number: report.callerNumber ?? null,
      unknown_caller: toDbBool(report.unknownCaller ?? false),
      tier,
      callout: toDbBool(callout),
      dedup_key: report.dedupKey ?? null,
      reported_at: toDbInstant(report.reportedAtMs),
      created_at: nowIso,
      updated_at: nowIso,
    },
    {
      type: 'reported',
      atMs: report.reportedAtMs,
      actor,
      data: { channel: report.channel, summary: report.summary, ...(report.details ?? {}) },
    },
    slaTargetsOf(rules),
  );
  if (shouldPage(incident.facts)) await scheduleEscalation(trx, ctx, id, 0, report.reportedAtMs);
  return { incident, created: true };
}
