import { fromDbBool, fromDbInstant } from '../../db/instant.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import {
  listIncidentRows,
  listSlaPolicies,
  type SlaPolicyRow,
} from '../../db/repositories/incident.repository.js';
import type { IncidentRow } from '../../db/tables/incident.table.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { firstSlaAlarmAtMs, slaAlarms } from '../../domain/sla/sla.js';
import type { AppContext } from '../app-context.js';
import type { JobHandler } from '../jobs/job-worker.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { loadEngineers } from '../roster/roster-data.js';
import { swedishTime } from '../roster/roster-jobs.js';
import { appendIncidentEvent, factsOf, loadIncident, SYSTEM_ACTOR } from './incident-state.js';

export const SLA_CHECK_JOB = 'incident.sla-check';
const PERIOD_MS = 60_000;
const CLOCK_LABEL = { response: 'svarstiden', action: 'åtgärdstiden' } as const;

/** Starts the once-a-minute SLA check; safe on every start of every node. */
export async function scheduleSlaCheck(ctx: AppContext, atMs = ctx.clock.now()): Promise<void> {
  const slot = Math.ceil(atMs / PERIOD_MS) * PERIOD_MS;
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: SLA_CHECK_JOB,
      payload: {},
      dueAtMs: slot,
      dedupeKey: `${SLA_CHECK_JOB}:${slot}`,
    },
    ctx.clock.now(),
  );
}

/**
 * Whether no SLA alarm of an incident can be due at `nowMs`, judged from its row (report time and the
 * deadlines kept on it) and its tier's targets: then the check need not lock and load its timeline.
 */
function noAlarmDueYet(row: IncidentRow, policies: readonly SlaPolicyRow[], nowMs: number): boolean {
  if (row.response_due === null) return false;
  const facts = factsOf(row);
  const date = localDateOfInstant(facts.reportedAtMs);
  // The policy loadIncident would use (slaTargetsFrom's choice); none: loading reports it, as it always did.
  const policy = policies.find(
    (p) => p.tier === facts.tier && p.valid_from <= date && (p.valid_to === null || date < p.valid_to),
  );
  if (!policy) return false;
  const actionMinutes = facts.callout ? policy.action_minutes : policy.office_action_minutes;
  const firstAlarmAtMs = firstSlaAlarmAtMs({
    reportedAtMs: facts.reportedAtMs,
    responseDueMs: fromDbInstant(row.response_due),
    actionDueMs: row.action_due === null ? null : fromDbInstant(row.action_due),
    actionTargetMs: actionMinutes * 60_000,
  });
  return nowMs < firstAlarmAtMs;
}

/**
 * Every minute: near-breaches (2/3 of the target gone) and breaches of the response and action promises
 * become timeline events, once each; a breach pages the managers (the board shows both).
 */
export const slaCheckJob: JobHandler = async (ctx) => {
  const nowMs = ctx.clock.now();
  const open = await listIncidentRows(ctx.db, {
    states: ['open', 'acknowledged', 'in_progress'],
    limit: 10_000,
  });
  const policies = open.length > 0 ? await listSlaPolicies(ctx.db) : [];
  for (const row of open) {
    // Most open incidents are minutes old: one transaction and five reads each, every minute, for nothing.
    if (noAlarmDueYet(row, policies, nowMs)) continue;
    await ctx.db.transaction().execute(async (trx) => {
      let loaded = await loadIncident(trx, ctx, row.id, true);
      const alarms = slaAlarms(loaded.status, loaded.facts, nowMs);
      for (const alarm of alarms) {
        loaded = await appendIncidentEvent(trx, ctx, loaded, { ...alarm, actor: SYSTEM_ACTOR });
        if (alarm.type !== 'sla_breached') continue;
        const clock = alarm.data.clock as 'response' | 'action';
        const text = `[Ballou] ${row.ref}: ${CLOCK_LABEL[clock]} har passerats (${swedishTime(alarm.data.dueMs as number)}). ${row.summary.slice(0, 160)}`;
        const managers = (await loadEngineers(trx)).filter(
          (e) => fromDbBool(e.is_manager) && fromDbBool(e.active),
        );
        for (const m of managers) {
          await enqueueMessage(trx, ctx, {
            channel: 'sms',
            to: m.phone,
            body: text,
            engineerId: m.id,
            incidentId: row.id,
            dedupeKey: `sla-breach:${row.id}:${clock}:${String(alarm.data.dueMs)}:${m.id}`,
            fallback: {
              channel: 'email',
              to: m.email,
              subject: text.slice(0, 150),
              body: text,
              engineerId: m.id,
              incidentId: row.id,
            },
          });
        }
      }
    });
  }
  await scheduleSlaCheck(ctx, nowMs + 1);
};
