import { enqueueJob } from '../../db/repositories/job.repository.js';
import { fromDbBool } from '../../db/instant.js';
import { ymdOfEpochDay } from '../../domain/calendar/local-date.js';
import { localDateOfInstant } from '../../domain/calendar/instant.js';
import { stockholmWallClockMs } from '../../domain/calendar/zone.js';
import { shiftStartsIn } from '../../domain/oncall/reminders.js';
import type { Principal } from '../../domain/shared/roles.js';
import { ROLE_LABELS } from '../../integrations/ical/render-calendar.js';
import type { AppContext } from '../app-context.js';
import type { JobHandler } from '../jobs/job-worker.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { preferPush } from '../push/reminder-push.js';
import { coverageGaps } from './oncall-queries.js';
import { loadEngineers, loadRosterAndEngineers } from './roster-data.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SYSTEM: Principal = {
  kind: 'system',
  id: 'system',
  role: 'admin',
  customerId: null,
  name: 'roster jobs',
};

export const GAP_WARNING_JOB = 'roster.gap-warning';
export const SHIFT_REMINDERS_JOB = 'roster.shift-reminders';
/** How far ahead managers are warned about coverage gaps. */
export const GAP_WARNING_DAYS = 14;
/** Engineers are told this long before their shift starts. */
export const REMINDER_LEAD_MS = 60 * MINUTE_MS;
/** The reminder job looks this far ahead each run; runs every REMINDER_PERIOD_MS. */
const REMINDER_PERIOD_MS = 15 * MINUTE_MS;

const WHEN = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "tis 1 dec. 08:00": Stockholm time, the way the staff read it. */
export function swedishTime(ms: number): string {
  return WHEN.format(ms);
}

/** 07:00 Stockholm time on the local date after `ms`'s (the daily gap warning goes out then). */
function nextMorningMs(ms: number): number {
  const today = localDateOfInstant(ms);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const tomorrow = ymdOfEpochDay(Math.floor(Date.UTC(y, m - 1, d) / DAY_MS) + 1);
  return stockholmWallClockMs(Date.UTC(tomorrow.year, tomorrow.month - 1, tomorrow.day, 7));
}

/** Enqueues the recurring roster jobs; safe on every start of every node (dedupe keys). */
export async function scheduleRosterJobs(ctx: AppContext): Promise<void> {
  const nowMs = ctx.clock.now();
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: GAP_WARNING_JOB,
      payload: {},
      dueAtMs: nowMs,
      dedupeKey: `${GAP_WARNING_JOB}:${localDateOfInstant(nowMs)}`,
    },
    nowMs,
  );
  const slot = Math.floor(nowMs / REMINDER_PERIOD_MS) * REMINDER_PERIOD_MS;
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: SHIFT_REMINDERS_JOB,
      payload: {},
      dueAtMs: nowMs,
      dedupeKey: `${SHIFT_REMINDERS_JOB}:${slot}`,
    },
    nowMs,
  );
}

/**
 * Once a day: the coverage gaps of the next 14 days, e-mailed to every active manager (one e-mail per
 * manager and day). Then schedules tomorrow's run.
 */
export const gapWarningJob: JobHandler = async (ctx) => {
  const nowMs = ctx.clock.now();
  const gaps = await coverageGaps(ctx, SYSTEM, nowMs, nowMs + GAP_WARNING_DAYS * DAY_MS);
  const today = localDateOfInstant(nowMs);
  if (gaps.length > 0) {
    const managers = (await loadEngineers(ctx.db)).filter(
      (e) => fromDbBool(e.is_manager) && fromDbBool(e.active),
    );
    const lines = gaps.map(
      (g) => `- ${swedishTime(Date.parse(g.start))} – ${swedishTime(Date.parse(g.end))}: ${g.reason}`,
    );
    const body = [
      `Jourschemat har ${gaps.length} lucka/luckor de närmaste ${GAP_WARNING_DAYS} dagarna`,
      '(färre än två personer i jour som kan nås):',
      '',
      ...lines,
      '',
      `Planeringen: ${new URL('/planner', ctx.config.publicUrl).toString()}`,
    ].join('\n');
    await ctx.db.transaction().execute(async (trx) => {
      for (const m of managers) {
        await enqueueMessage(trx, ctx, {
          channel: 'email',
          to: m.email,
          subject: `Jourluckor: ${gaps.length} de närmaste ${GAP_WARNING_DAYS} dagarna`,
          body,
          engineerId: m.id,
          dedupeKey: `gap-warning:${today}:${m.id}`,
        });
      }
    });
  }
  const next = nextMorningMs(nowMs);
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: GAP_WARNING_JOB,
      payload: {},
      dueAtMs: next,
      dedupeKey: `${GAP_WARNING_JOB}:${localDateOfInstant(next)}`,
    },
    nowMs,
  );
};

/**
 * Every 15 minutes: each engineer whose on-call shift starts within the next 75 minutes gets a
 * reminder an hour before it (SMS falling back to e-mail, or e-mail, as they chose), once per shift.
 */
export const shiftRemindersJob: JobHandler = async (ctx) => {
  const nowMs = ctx.clock.now();
  const horizon = nowMs + REMINDER_LEAD_MS + REMINDER_PERIOD_MS;
  const { roster, engineers } = await loadRosterAndEngineers(ctx.db, nowMs, horizon);
  const byId = new Map(engineers.map((e) => [e.id, e]));
  const starts = shiftStartsIn(roster, nowMs, horizon);
  await ctx.db.transaction().execute(async (trx) => {
    for (const start of starts) {
      const engineer = byId.get(start.engineerId);
      if (!engineer || !fromDbBool(engineer.active)) continue;
      const text = `Ballou jour: du har ${ROLE_LABELS[start.role].toLowerCase()} från ${swedishTime(start.startMs)} till ${swedishTime(start.endMs)}.`;
      const email = {
        channel: 'email' as const,
        to: engineer.email,
        subject: 'Din jour börjar snart',
        body: text,
        engineerId: engineer.id,
      };
      const reminder = {
        ...(engineer.notify_channel === 'email'
          ? email
          : {
              channel: 'sms' as const,
              to: engineer.phone,
              body: text,
              engineerId: engineer.id,
              fallback: email,
            }),
        dedupeKey: `reminder:${start.key}`,
        dueAtMs: Math.max(nowMs, start.startMs - REMINDER_LEAD_MS),
      };
      // By push instead when the engineer has subscribed a browser, the SMS or e-mail as its fallback.
      await enqueueMessage(
        trx,
        ctx,
        await preferPush(trx, ctx, reminder, {
          title: 'Din jour börjar snart',
          key: `reminder:${start.key}`,
          validUntilMs: start.startMs,
        }),
      );
    }
  });
  const nextSlot = (Math.floor(nowMs / REMINDER_PERIOD_MS) + 1) * REMINDER_PERIOD_MS;
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: SHIFT_REMINDERS_JOB,
      payload: {},
      dueAtMs: nextSlot,
      dedupeKey: `${SHIFT_REMINDERS_JOB}:${nextSlot}`,
    },
    nowMs,
  );
};
