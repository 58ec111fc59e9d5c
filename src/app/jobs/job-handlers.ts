import { purgeAccountTokens } from '../../db/repositories/account-security.repository.js';
import { purgeSessions } from '../../db/repositories/auth.repository.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import type { AppContext } from '../app-context.js';
import { ESCALATE_JOB, escalateJob } from '../incidents/escalation-job.js';
import { SLA_CHECK_JOB, slaCheckJob } from '../incidents/sla-job.js';
import { SEND_MESSAGE_JOB } from '../messaging/enqueue-message.js';
import { sendMessageJob } from '../messaging/send-message.js';
import {
  GAP_WARNING_JOB,
  gapWarningJob,
  SHIFT_REMINDERS_JOB,
  shiftRemindersJob,
} from '../roster/roster-jobs.js';
import { RUN_ACTION_JOB } from '../actions/request-run.js';
import { PASSWORD_RESET_JOB, passwordResetJob } from '../auth/password-reset.js';
import { runActionJob } from '../actions/run-action-job.js';
import type { JobHandler } from './job-worker.js';

const DAY_MS = 86_400_000;

/** Schedules the daily session purge; the dedupe key makes this safe to call on every start of every node. */
export async function scheduleHousekeeping(ctx: AppContext, atMs = ctx.clock.now()): Promise<void> {
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: 'sessions.purge',
      payload: {},
      dueAtMs: atMs,
      dedupeKey: `sessions.purge:${localDateOfInstant(atMs)}`,
    },
    ctx.clock.now(),
  );
}

/** The job kinds this build knows. Later capabilities (paging, escalation, reminders) add theirs here. */
export const jobHandlers: Record<string, JobHandler> = {
  [SEND_MESSAGE_JOB]: sendMessageJob,
  [ESCALATE_JOB]: escalateJob,
  [SLA_CHECK_JOB]: slaCheckJob,
  [GAP_WARNING_JOB]: gapWarningJob,
  [SHIFT_REMINDERS_JOB]: shiftRemindersJob,
  [RUN_ACTION_JOB]: runActionJob,
  [PASSWORD_RESET_JOB]: passwordResetJob,
  'sessions.purge': async (ctx) => {
    const nowMs = ctx.clock.now();
    await purgeSessions(ctx.db, toDbInstant(nowMs - DAY_MS));
    await purgeAccountTokens(ctx.db, toDbInstant(nowMs - DAY_MS));
    await scheduleHousekeeping(ctx, nowMs + DAY_MS);
  },
};
