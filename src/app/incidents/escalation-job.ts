import type { DbOrTrx } from '../../db/database.js';
import { fromDbBool } from '../../db/instant.js';
import { findCustomer, findServer } from '../../db/repositories/customer.repository.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import { escalationStep, type EscalationTimings } from '../../domain/incidents/escalation.js';
import { resolveAt } from '../../domain/oncall/resolve.js';
import type { AppContext } from '../app-context.js';
import { finalTransaction, type JobHandler } from '../jobs/job-worker.js';
import { enqueueMessages } from '../messaging/enqueue-message.js';
import { enqueuePagePush, type PageNames } from '../push/page-push.js';
import { loadRosterAndEngineers, toEngineerInfo } from '../roster/roster-data.js';
import { createAckLink } from './action-links.js';
import { pageHeadline } from './page-wording.js';
import {
  appendIncidentEvent,
  loadIncidentTimeline,
  SYSTEM_ACTOR,
  type IncidentTimeline,
} from './incident-state.js';

export const ESCALATE_JOB = 'incident.escalate';

export function escalationTimings(ctx: AppContext): EscalationTimings {
  return {
    secondaryAfterMs: ctx.config.escalateSecondaryAfterSeconds * 1000,
    managerAfterMs: ctx.config.escalateManagerAfterSeconds * 1000,
    repeatEveryMs: ctx.config.escalateRepeatEverySeconds * 1000,
  };
}

/** Schedules escalation step `step` of an incident; a step is scheduled once however often this runs. */
export async function scheduleEscalation(
  db: DbOrTrx,
  ctx: AppContext,
  incidentId: string,
  step: number,
  dueAtMs: number,
): Promise<void> {
  await enqueueJob(
    db,
    {
      id: ctx.newId(),
      kind: ESCALATE_JOB,
      payload: { incidentId, step },
      dueAtMs,
      dedupeKey: `escalate:${incidentId}:${step}`,
      maxAttempts: 50,
    },
    ctx.clock.now(),
  );
}

/** The customer's name and the server's hostname a page names, read once per step. */
async function pageNames(db: DbOrTrx, loaded: IncidentTimeline): Promise<PageNames> {
  const customer = loaded.row.customer_id ? await findCustomer(db, loaded.row.customer_id) : undefined;
  const server = loaded.row.server_id ? await findServer(db, loaded.row.server_id) : undefined;
  return { customerName: customer?.name ?? null, hostname: server?.hostname ?? null };
}

/** The page text: customer, tier, server, summary, response deadline, how to acknowledge. */
function pageText(loaded: IncidentTimeline, names: PageNames): string {
  const headline = pageHeadline({
    ...names,
    callerNumber: loaded.row.caller_number,
    tier: loaded.facts.tier,
    summary: loaded.row.summary,
    responseDueMs: loaded.status.responseDueMs,
  });
  return `[Ballou] ${loaded.row.ref} ${headline} Svara "OK ${loaded.row.ref}" eller kvittera:`;
}

/**
 * One escalation step, run by the job worker: unless someone has acknowledged (or the incident is
 * resolved), page this step's recipients by SMS (falling back to e-mail) and a phone call, record the
 * page on the timeline and schedule the next step. All in one transaction with the incident locked, so
 * an acknowledgement and a step never interleave, and a re-run step queues no second page (dedupe keys).
 * The step's job is marked done in that same transaction, which also claims the pages it queued.
 */
export const escalateJob: JobHandler = async (ctx, rawPayload, _job, run) => {
  const { incidentId, step } = rawPayload as { incidentId: string; step: number };
  await finalTransaction(
    ctx,
    run,
    async (trx) => {
      // Locked and read in the step's own transaction: an acknowledgement and a step never interleave.
      const loaded = await loadIncidentTimeline(trx, ctx, incidentId, true);
      const { status } = loaded;
      if (status.acknowledgedAtMs !== null || status.state === 'resolved' || status.state === 'closed')
        return;
      const nowMs = ctx.clock.now();
      const { roster, engineers } = await loadRosterAndEngineers(trx, nowMs, nowMs + 1);
      const onCall = resolveAt(roster, nowMs);
      const active = engineers.filter((e) => fromDbBool(e.active));
      // An inactive engineer, or one whose phone the provider refused, cannot be reached: page as for a gap.
      const reachable = (id: string | undefined) => {
        const row = id ? engineers.find((e) => e.id === id) : undefined;
        return row && fromDbBool(row.active) && toEngineerInfo(row).hasWorkingPhone ? row.id : null;
      };
      const plan = escalationStep(step, loaded.facts.reportedAtMs, escalationTimings(ctx), {
        onCall: {
          primary: reachable(onCall.primary?.engineerId),
          secondary: reachable(onCall.secondary?.engineerId),
        },
        managers: active.filter((e) => fromDbBool(e.is_manager)).map((e) => e.id),
        everyoneWithPhone: active.filter((e) => toEngineerInfo(e).hasWorkingPhone).map((e) => e.id),
      });
      if (plan.recipients.length === 0) {
        // Nobody at all can be paged: the operators must hear of it from the logs.
        ctx.logger.error({ incidentId, step }, 'escalation found nobody to page');
      }
      const names = await pageNames(trx, loaded);
      const text = pageText(loaded, names);
      const byId = new Map(engineers.map((e) => [e.id, e]));
      for (const engineerId of plan.recipients) {
        const engineer = byId.get(engineerId);
        if (!engineer) continue;
        const ackUrl = await createAckLink(trx, ctx, incidentId, engineerId);
        const personal = `${text} ${ackUrl}`;
        const email = {
          channel: 'email' as const,
          to: engineer.email,
          subject: text.slice(0, 150),
          body: personal,
          engineerId,
          incidentId,
          // One e-mail per engineer and step, whether the SMS failed or the call went unanswered.
          dedupeKey: `page:${incidentId}:${step}:${engineerId}:email`,
        };
        // The SMS and the call in one statement each for their jobs and their rows.
        await enqueueMessages(trx, ctx, [
          {
            channel: 'sms',
            to: engineer.phone,
            body: personal,
            engineerId,
            incidentId,
            dedupeKey: `page:${incidentId}:${step}:${engineerId}:sms`,
            fallback: email,
          },
          {
            channel: 'voice',
            to: engineer.phone,
            body: `Ballou jour. Nytt ärende ${loaded.row.ref}. ${loaded.row.summary.slice(0, 200)}. Kvittera med SMS.`,
            engineerId,
            incidentId,
            dedupeKey: `page:${incidentId}:${step}:${engineerId}:voice`,
            fallback: email,
          },
        ]);
        // Push as well, to every browser the engineer subscribed: the fastest channel, beside SMS and call.
        await enqueuePagePush(trx, ctx, { loaded, names, step, engineerId, ackUrl });
      }
      await appendIncidentEvent(trx, ctx, loaded, {
        type: step === 0 ? 'paged' : 'escalated',
        atMs: nowMs,
        actor: SYSTEM_ACTOR,
        data: { step, engineerIds: plan.recipients, reason: plan.reason },
      });
      if (plan.nextStepAtMs !== null)
        await scheduleEscalation(trx, ctx, incidentId, step + 1, plan.nextStepAtMs);
    },
    { claimNext: true },
  );
};
