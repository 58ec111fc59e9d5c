import type { ExpressionBuilder } from 'kysely';
import type { Db, DatabaseKind, DbOrTrx } from '../database.js';
import type { Database } from '../schema.js';
import { toDbInstant } from '../instant.js';
import { columnsOf, precompiled, precompiledInsertRows } from './precompiled.js';
import type { JobRow } from '../tables/job.table.js';

export interface NewJob {
  id: string;
  kind: string;
  payload: unknown;
  dueAtMs: number;
  /** A second enqueue with the same key is ignored: an escalation step or a page is scheduled once. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job (a timer or an outbox message) in the caller's transaction, so it exists exactly when the
 * change that needs it commits. Returns false when a job with the same dedupe key already exists.
 */
export async function enqueueJob(db: DbOrTrx, job: NewJob, nowMs: number): Promise<boolean> {
  return (await enqueueJobs(db, [job], nowMs)).has(job.id);
}

const JOB_COLUMNS = columnsOf<JobRow>({
  id: true,
  kind: true,
  payload: true,
  dedupe_key: true,
  status: true,
  due_at: true,
  attempts: true,
  max_attempts: true,
  lease_until: true,
  locked_by: true,
  last_error: true,
  created_at: true,
  updated_at: true,
});

const jobRows = precompiledInsertRows<JobRow, 'jobs'>('jobs', JOB_COLUMNS, (insert) =>
  insert.onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id'),
);

/**
 * Several jobs in one statement (a page's messages), in the caller's transaction like `enqueueJob`.
 * Returns the ids of those inserted: a job whose dedupe key exists already is left out.
 */
export async function enqueueJobs(db: DbOrTrx, jobs: readonly NewJob[], nowMs: number): Promise<Set<string>> {
  if (jobs.length === 0) return new Set();
  const now = toDbInstant(nowMs);
  const { rows } = await jobRows<{ id: string }>(
    db,
    jobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      dedupe_key: job.dedupeKey ?? null,
      status: 'pending' as const,
      due_at: toDbInstant(job.dueAtMs),
      attempts: 0,
      max_attempts: job.maxAttempts ?? 10,
      lease_until: null,
      locked_by: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })),
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Claims up to `limit` jobs that are due, or whose previous claimer's lease ran out (it crashed), for
 * `workerId` until now + leaseMs. One UPDATE … WHERE id IN (SELECT …) statement: on PostgreSQL the
 * inner SELECTs lock their rows FOR UPDATE SKIP LOCKED, so two nodes never claim the same job; on SQLite a
 * write statement takes the write lock before it reads, so concurrent claimers queue (busy_timeout)
 * instead of racing.
 *
 * The two kinds of claimable job are read by two arms, each an ordered index range that stops after
 * `limit` rows: pending by (status, due_at), expired leases by (status, lease_until). One WHERE with an
 * OR made both engines read every due row and sort them, which grew with the backlog it was meant to
 * drain. Each arm sits in a derived table because SQLite refuses ORDER BY/LIMIT on a compound's member.
 */
export async function claimDueJobs(
  db: Db,
  kind: DatabaseKind,
  opts: { workerId: string; nowMs: number; leaseMs: number; limit: number; kinds?: string[] },
): Promise<JobRow[]> {
  const now = toDbInstant(opts.nowMs);
  const leaseUntil = toDbInstant(opts.nowMs + opts.leaseMs);
  const kinds = opts.kinds ?? [];
  const query = claimQuery(kind, opts.kinds ? kinds.length : null, opts.limit);
  return (await query<JobRow>(db, opts.workerId, now, leaseUntil, ...kinds)).rows;
}

/**
 * The claim statement, precompiled per engine, number of job kinds and limit: a worker claims the same
 * kinds every time, with a limit of at most its batch size, and building this statement cost more than
 * SQLite takes to run it. The limit is part of the text, not a parameter (sqlite-query-compiler.ts).
 */
function claimQuery(kind: DatabaseKind, kindCount: number | null, limit: number) {
  const key = `${kind}:${kindCount ?? 'any'}:${limit}`;
  let query = claimQueries.get(key);
  if (!query) {
    query = precompiled<unknown[]>(3 + (kindCount ?? 0), (db, workerId, now, leaseUntil, ...kinds) =>
      claimStatement(db, kind, {
        workerId: workerId as string,
        now: now as string,
        leaseUntil: leaseUntil as string,
        limit,
        kinds: kindCount === null ? null : kinds,
      }),
    );
    claimQueries.set(key, query);
  }
  return query;
}

const claimQueries = new Map<string, ReturnType<typeof precompiled<unknown[]>>>();

function claimStatement(
  db: DbOrTrx,
  kind: DatabaseKind,
  p: { workerId: string; now: string; leaseUntil: string; limit: number; kinds: string[] | null },
) {
  const arm = (eb: ExpressionBuilder<Database, 'jobs'>, expired: boolean) => {
    let q = eb
      .selectFrom('jobs')
      .select(['id', 'due_at'])
      .where('status', '=', expired ? 'running' : 'pending')
      .where(expired ? 'lease_until' : 'due_at', expired ? '<' : '<=', p.now)
      .orderBy(expired ? 'lease_until' : 'due_at')
      .limit(p.limit);
    if (p.kinds) q = q.where('kind', 'in', p.kinds);
    if (kind === 'postgres') q = q.forUpdate().skipLocked();
    return q;
  };
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      lease_until: p.leaseUntil,
      locked_by: p.workerId,
      attempts: eb('attempts', '+', 1),
      updated_at: p.now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom(
          eb
            .selectFrom(arm(eb, false).as('due'))
            .select(['due.id', 'due.due_at'])
            .unionAll(eb.selectFrom(arm(eb, true).as('expired')).select(['expired.id', 'expired.due_at']))
            .as('claimable'),
        )
        .select('claimable.id')
        .orderBy('claimable.due_at')
        .limit(p.limit),
    )
    .returningAll();
}

/** Marks a claimed job done, only if this worker still holds it (a stale worker cannot overwrite). */
export async function completeJob(
  db: DbOrTrx,
  id: string,
  workerId: string,
  nowMs: number,
): Promise<boolean> {
  const result = await completeJobQuery(db, toDbInstant(nowMs), id, workerId);
  return Number(result.numAffectedRows ?? 0) > 0;
}

// Precompiled: every job ends with it.
const completeJobQuery = precompiled<[string, string, string]>(3, (db, updatedAt, id, workerId) =>
  db
    .updateTable('jobs')
    .set({ status: 'done', lease_until: null, updated_at: updatedAt })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running'),
);

/**
 * Records a failure: back to pending at `retryAtMs`, or failed for good after max_attempts. Only while
 * this worker holds the claim: a job another worker claimed, or one already done, is left alone.
 */
export async function failJob(
  db: DbOrTrx,
  job: Pick<JobRow, 'id' | 'attempts' | 'max_attempts'>,
  workerId: string,
  error: string,
  nowMs: number,
  retryAtMs: number,
): Promise<void> {
  const giveUp = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set({
      status: giveUp ? 'failed' : 'pending',
      due_at: toDbInstant(giveUp ? nowMs : retryAtMs),
      lease_until: null,
      locked_by: null,
      last_error: error.slice(0, 2000),
      updated_at: toDbInstant(nowMs),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

export async function cancelJobsByDedupePrefix(db: DbOrTrx, prefix: string, nowMs: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: toDbInstant(nowMs) })
    .where('dedupe_key', 'like', `${prefix}%`)
    .where('status', '=', 'pending')
    .execute();
}

export async function findJob(db: DbOrTrx, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The queue as Prometheus sees it (desk-gauges.ts): what is due and waiting, by kind, and since when. */
export async function dueJobsByKind(
  db: DbOrTrx,
  nowMs: number,
): Promise<{ kind: string; due: number; oldestDueAt: string | null }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['kind', eb.fn.countAll<number | string>().as('due'), eb.fn.min('due_at').as('oldest')])
    .where('status', '=', 'pending')
    .where('due_at', '<=', toDbInstant(nowMs))
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, due: Number(r.due), oldestDueAt: r.oldest }));
}

/** Jobs by kind whose claimer's lease ran out (a node stopped mid-job; another claims them again). */
export async function expiredLeasesByKind(
  db: DbOrTrx,
  nowMs: number,
): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['kind', eb.fn.countAll<number | string>().as('n')])
    .where('status', '=', 'running')
    .where('lease_until', '<', toDbInstant(nowMs))
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** Jobs by kind that were given up after their last attempt. */
export async function failedJobsByKind(db: DbOrTrx): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['kind', eb.fn.countAll<number | string>().as('n')])
    .where('status', '=', 'failed')
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}
