import type { DbOrTrx, Trx } from '../../db/database.js';
import { claimDueJobs, completeJob, failJob } from '../../db/repositories/job.repository.js';
import type { JobRow } from '../../db/tables/job.table.js';
import type { AppContext } from '../app-context.js';
import { jobSeconds, jobsRun } from '../metrics/app-metrics.js';

/**
 * What a handler may do with its own job. `finishInTransaction` runs the handler's last transaction and
 * marks the job done in it, one commit instead of two; the worker then does not complete the job
 * itself. Like the worker's own completion it changes the job only while this worker still holds the
 * claim (locked_by, running): a worker whose lease ran out commits its work but completes nothing.
 *
 * `claimNext` (for a handler that has just queued jobs, such as an escalation step queueing its pages)
 * also claims due jobs for the worker's free slots in that transaction and starts them once it commits,
 * saving the separate claim, and its commit, that the wake-up would otherwise make. Only in the running
 * loop (`start`): `runOnce` claims nothing beyond its batch.
 */
export interface JobRun {
  finishInTransaction<T>(work: (trx: Trx) => Promise<T>, options?: { claimNext?: boolean }): Promise<T>;
  /**
   * For a handler about to throw: `record` is written in the transaction in which the worker records the
   * failure (retry with back-off, or give up), one commit instead of two.
   */
  onFailure(record: (trx: Trx) => Promise<void>): void;
}

/**
 * Runs one job. Throwing schedules a retry with back-off; handlers must tolerate running twice. `run` is
 * given by the worker; a handler called on its own (a test, a one-off) gets none.
 */
export type JobHandler = (ctx: AppContext, payload: unknown, job: JobRow, run?: JobRun) => Promise<void>;

/** A handler's last transaction: with the job's completion in it when run by the worker. */
export function finalTransaction<T>(
  ctx: AppContext,
  run: JobRun | undefined,
  work: (trx: Trx) => Promise<T>,
  options?: { claimNext?: boolean },
): Promise<T> {
  return run ? run.finishInTransaction(work, options) : ctx.db.transaction().execute(work);
}

/** What a failing handler records about the failure: with the worker's failure record when run by it. */
export async function recordFailure(
  ctx: AppContext,
  run: JobRun | undefined,
  record: (trx: Trx) => Promise<void>,
): Promise<void> {
  if (run) run.onFailure(record);
  else await ctx.db.transaction().execute(record);
}

export interface JobWorkerOptions {
  workerId: string;
  handlers: Record<string, JobHandler>;
  leaseMs?: number;
  /** At most this many jobs claimed by one claim statement. */
  batchSize?: number;
  /**
   * At most this many jobs running at once (default 1: one after the other). A slow provider then holds
   * one slot, not the jobs behind it.
   */
  concurrency?: number;
  pollMs?: number;
}

/** Retry delay after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}

/**
 * Claims due jobs and runs them: at-least-once, each claim leased so a crashed node's jobs are picked
 * up by another once the lease runs out. `runOnce` is the unit the tests drive; `start` runs the loop:
 * it claims when woken (`wake`, called after a transaction that enqueued a job commits), every `pollMs`
 * (jobs that fall due later, other nodes' jobs) and when a slot frees while more may be due. The loop
 * claims only as many jobs as it has free slots and starts each at once, so every job runs within its
 * own lease from its own claim, however slow the others are.
 */
export class JobWorker {
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private claiming: Promise<void> | undefined;
  /** Set by a wake-up, a poll or a full claim; cleared when a claim starts. */
  private mayHaveDue = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Slots promised to a claim inside a handler's transaction that has not committed yet. */
  private reserved = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: JobWorkerOptions,
  ) {}

  private get concurrency(): number {
    return Math.max(1, this.opts.concurrency ?? 1);
  }

  private get freeSlots(): number {
    return Math.min(this.opts.batchSize ?? 20, this.concurrency - this.inFlight.size - this.reserved);
  }

  private claim(limit: number, db: DbOrTrx = this.ctx.db): Promise<JobRow[]> {
    const { ctx, opts } = this;
    return claimDueJobs(db, ctx.dbKind, {
      workerId: opts.workerId,
      nowMs: ctx.clock.now(),
      leaseMs: opts.leaseMs ?? 60_000,
      limit,
      kinds: Object.keys(opts.handlers),
    });
  }

  /** Claims one batch (up to batchSize) and runs it, `concurrency` at a time; returns how many it ran. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim(this.opts.batchSize ?? 20);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) await this.runJob(jobs[next++] as JobRow);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, lane));
    return jobs.length;
  }

  private async runJob(job: JobRow): Promise<void> {
    const { ctx, opts } = this;
    const handler = opts.handlers[job.kind];
    let finished = false;
    let failureRecord: ((trx: Trx) => Promise<void>) | undefined;
    const run: JobRun = {
      onFailure: (record) => {
        failureRecord = record;
      },
      finishInTransaction: async (work, options) => {
        let reserved = 0;
        let next: JobRow[] = [];
        try {
          const result = await ctx.db.transaction().execute(async (trx) => {
            const value = await work(trx);
            const held = await completeJob(trx, job.id, opts.workerId, ctx.clock.now());
            // Not while the loop's own claim is out: it counted these slots free too.
            if (held && options?.claimNext && !this.stopped && !this.claiming && this.freeSlots > 0) {
              reserved = this.freeSlots;
              this.reserved += reserved;
              next = await this.claim(reserved, trx);
            }
            return value;
          });
          finished = true;
          // Claimed in the committed transaction: run them now, each within its own lease.
          for (const claimed of next) this.startJob(claimed);
          return result;
        } finally {
          this.reserved -= reserved;
        }
      },
    };
    const startedAt = performance.now();
    const ran = (outcome: 'done' | 'failed') => {
      jobsRun.inc({ kind: job.kind, outcome });
      jobSeconds.observe({ kind: job.kind }, (performance.now() - startedAt) / 1000);
    };
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(ctx, JSON.parse(job.payload) as unknown, job, run);
      if (!finished) await completeJob(ctx.db, job.id, opts.workerId, ctx.clock.now());
      ran('done');
    } catch (error) {
      ran(finished ? 'done' : 'failed');
      const message = error instanceof Error ? error.message : String(error);
      if (finished) {
        // The job is done and committed; what failed after that is not retried (it would repeat the work).
        ctx.logger.error({ jobId: job.id, kind: job.kind, err: message }, 'job failed after it finished');
        return;
      }
      ctx.logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: message }, 'job failed');
      const nowMs = ctx.clock.now();
      try {
        const retryAtMs = nowMs + retryDelayMs(job.attempts);
        const record = failureRecord;
        if (record)
          await ctx.db.transaction().execute(async (trx) => {
            await record(trx);
            await failJob(trx, job, opts.workerId, message, nowMs, retryAtMs);
          });
        else await failJob(ctx.db, job, opts.workerId, message, nowMs, retryAtMs);
      } catch (failError) {
        // The lease runs out and the job is claimed again: at-least-once still holds.
        ctx.logger.error({ jobId: job.id, err: failError }, 'could not record a job failure');
      }
    }
  }

  start(): void {
    this.stopped = false;
    const poll = (): void => {
      if (this.stopped) return;
      this.wake();
      this.pollTimer = setTimeout(poll, this.opts.pollMs ?? 1_000);
    };
    poll();
  }

  /** Claims now rather than at the next poll: a job was just enqueued (or may have fallen due). */
  wake(): void {
    if (this.stopped) return;
    this.mayHaveDue = true;
    this.pump();
  }

  private pump(): void {
    if (this.stopped || this.claiming || !this.mayHaveDue) return;
    const limit = this.freeSlots;
    if (limit <= 0) return; // a finishing job pumps again
    this.mayHaveDue = false;
    this.claiming = this.claim(limit)
      .then((jobs) => {
        for (const job of jobs) this.startJob(job);
        // A full claim may have left due jobs behind: claim again as soon as there is room.
        if (jobs.length === limit) this.mayHaveDue = true;
      })
      .catch((error: unknown) => {
        // The next poll tries again.
        this.ctx.logger.error({ err: error }, 'job worker claim failed');
      })
      .finally(() => {
        this.claiming = undefined;
        this.pump();
      });
  }

  private startJob(job: JobRow): void {
    const running: Promise<void> = this.runJob(job).finally(() => {
      this.inFlight.delete(running);
      this.pump();
    });
    this.inFlight.add(running);
  }

  /** Stops claiming and waits for the jobs in hand to finish (and those a finishing job claimed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    await this.claiming;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
