import { claimDueJobs, completeJob, failJob } from '../../db/repositories/job.repository.js';
import type { JobRow } from '../../db/tables/job.table.js';
import type { AppContext } from '../app-context.js';

/** Runs one job. Throwing schedules a retry with back-off; handlers must tolerate running twice. */
export type JobHandler = (ctx: AppContext, payload: unknown, job: JobRow) => Promise<void>;

export interface JobWorkerOptions {
  workerId: string;
  handlers: Record<string, JobHandler>;
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
}

/** Retry delay after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}

/**
 * Claims due jobs and runs them: at-least-once, each claim leased so a crashed node's jobs are picked
 * up by another once the lease runs out. `runOnce` is the unit the tests drive; `start` polls.
 */
export class JobWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: JobWorkerOptions,
  ) {}

  /** Claims and runs one batch; returns how many jobs it ran. */
  async runOnce(): Promise<number> {
    const { ctx, opts } = this;
    const jobs = await claimDueJobs(ctx.db, ctx.dbKind, {
      workerId: opts.workerId,
      nowMs: ctx.clock.now(),
      leaseMs: opts.leaseMs ?? 60_000,
      limit: opts.batchSize ?? 20,
      kinds: Object.keys(opts.handlers),
    });
    for (const job of jobs) {
      const handler = opts.handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(ctx, JSON.parse(job.payload) as unknown, job);
        await completeJob(ctx.db, job.id, opts.workerId, ctx.clock.now());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.logger.warn(
          { jobId: job.id, kind: job.kind, attempts: job.attempts, err: message },
          'job failed',
        );
        const nowMs = ctx.clock.now();
        await failJob(ctx.db, job, opts.workerId, message, nowMs, nowMs + retryDelayMs(job.attempts));
      }
    }
    return jobs.length;
  }

  start(): void {
    this.stopped = false;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        this.running = this.runOnce();
        const ran = await this.running;
        this.schedule(ran > 0 ? 0 : (this.opts.pollMs ?? 1_000), tick);
      } catch (error) {
        this.ctx.logger.error({ err: error }, 'job worker poll failed');
        this.schedule(this.opts.pollMs ?? 1_000, tick);
      }
    };
    this.schedule(0, tick);
  }

  private schedule(ms: number, tick: () => Promise<void>): void {
    if (!this.stopped) this.timer = setTimeout(() => void tick(), ms);
  }

  /** Stops polling and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
