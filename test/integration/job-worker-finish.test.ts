import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JobWorker,
  finalTransaction,
  recordFailure,
  type JobHandler,
} from '../../src/app/jobs/job-worker.js';
import { claimDueJobs, enqueueJob, findJob } from '../../src/db/repositories/job.repository.js';
import { DIALECTS, startTestApp, TEST_NOW, type TestApp } from './support/test-runtime.js';

/** A latch a job handler waits on until the test opens it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

for (const dialect of DIALECTS) {
  describe(`job claim order and completion in the handler's transaction on ${dialect}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.set(TEST_NOW);
    });
    afterAll(async () => t?.close());

    const enqueue = async (kind: string, dueAtMs: number, maxAttempts = 10) => {
      const id = t.ctx.newId();
      await enqueueJob(t.ctx.db, { id, kind, payload: { id }, dueAtMs, maxAttempts }, TEST_NOW);
      return id;
    };
    /** A row the handler writes, to see whether its transaction committed. */
    const mark = (id: string) => ({
      id,
      source: 'job-worker-finish-test',
      dedupe_key: id,
      response: null,
      created_at: new Date(TEST_NOW).toISOString(),
    });
    const marked = async (id: string) =>
      (await t.ctx.db.selectFrom('inbound_events').select('id').where('id', '=', id).execute()).length > 0;

    it('claims expired leases and due jobs together, earliest due first, never a job not due or of another kind', async () => {
      const kinds = ['test.order'];
      const claim = (workerId: string, nowMs: number, limit: number) =>
        claimDueJobs(t.ctx.db, dialect, { workerId, nowMs, leaseMs: 30_000, limit, kinds });
      const crashed = await enqueue('test.order', TEST_NOW - 60_000);
      expect((await claim('dead', TEST_NOW - 60_000, 1)).map((j) => j.id)).toEqual([crashed]);
      const due = [
        await enqueue('test.order', TEST_NOW - 3_000),
        await enqueue('test.order', TEST_NOW - 2_000),
        await enqueue('test.order', TEST_NOW - 1_000),
      ];
      const later = await enqueue('test.order', TEST_NOW + 60_000);
      const otherKind = await enqueue('test.other', TEST_NOW - 90_000);
      // The dead worker's lease (until TEST_NOW - 30 s) has run out: its job comes first (due earliest).
      expect((await claim('alive', TEST_NOW, 2)).map((j) => [j.id, j.attempts])).toEqual([
        [crashed, 2],
        [due[0], 1],
      ]);
      expect((await claim('alive', TEST_NOW, 10)).map((j) => j.id)).toEqual([due[1], due[2]]);
      expect(await claim('alive', TEST_NOW, 10)).toEqual([]);
      expect((await findJob(t.ctx.db, later))?.status).toBe('pending');
      expect((await findJob(t.ctx.db, otherKind))?.status).toBe('pending');
    });

    it("marks the job done in the handler's last transaction, together with its work", async () => {
      const id = await enqueue('test.finish', TEST_NOW);
      const handler: JobHandler = async (ctx, _payload, job, run) => {
        await finalTransaction(ctx, run, async (trx) => {
          await trx.insertInto('inbound_events').values(mark(job.id)).execute();
          // Inside the transaction the job is still this worker's, running.
          expect((await findJob(trx, job.id))?.status).toBe('running');
        });
      };
      const worker = new JobWorker(t.ctx, { workerId: 'w', handlers: { 'test.finish': handler } });
      expect(await worker.runOnce()).toBe(1);
      expect(await marked(id)).toBe(true);
      expect(await findJob(t.ctx.db, id)).toMatchObject({ status: 'done', attempts: 1, lease_until: null });
      expect(await worker.runOnce()).toBe(0);
    });

    it('rolls the completion back with the work when the last transaction fails, and retries the job', async () => {
      const id = await enqueue('test.rollback', TEST_NOW);
      let calls = 0;
      const handler: JobHandler = async (ctx, _payload, job, run) => {
        calls += 1;
        await finalTransaction(ctx, run, async (trx) => {
          await trx.insertInto('inbound_events').values(mark(job.id)).execute();
          if (calls === 1) throw new Error('disk full');
        });
      };
      const worker = new JobWorker(t.ctx, { workerId: 'w', handlers: { 'test.rollback': handler } });
      expect(await worker.runOnce()).toBe(1);
      expect(await marked(id)).toBe(false);
      expect(await findJob(t.ctx.db, id)).toMatchObject({ status: 'pending', last_error: 'disk full' });
      t.clock.advance(5_000);
      expect(await worker.runOnce()).toBe(1);
      expect(await marked(id)).toBe(true);
      expect((await findJob(t.ctx.db, id))?.status).toBe('done');
      t.clock.set(TEST_NOW);
    });

    it('keeps a finished job done when the handler throws afterwards (no second run)', async () => {
      const id = await enqueue('test.after', TEST_NOW);
      let calls = 0;
      const handler: JobHandler = async (ctx, _payload, job, run) => {
        calls += 1;
        await finalTransaction(ctx, run, (trx) =>
          trx.insertInto('inbound_events').values(mark(job.id)).execute(),
        );
        throw new Error('logging failed');
      };
      const worker = new JobWorker(t.ctx, { workerId: 'w', handlers: { 'test.after': handler } });
      expect(await worker.runOnce()).toBe(1);
      expect((await findJob(t.ctx.db, id))?.status).toBe('done');
      t.clock.advance(600_000);
      expect(await worker.runOnce()).toBe(0);
      expect(calls).toBe(1);
      t.clock.set(TEST_NOW);
    });

    it('starts the jobs a finishing handler queued and claimed in its transaction, without a wake-up or a poll', async () => {
      const ran: string[] = [];
      const handlers: Record<string, JobHandler> = {
        'test.step': async (ctx, _payload, job, run) => {
          await finalTransaction(
            ctx,
            run,
            async (trx) => {
              for (const n of [1, 2])
                await enqueueJob(
                  trx,
                  { id: `${job.id}-page-${n}`, kind: 'test.page', payload: {}, dueAtMs: ctx.clock.now() },
                  ctx.clock.now(),
                );
            },
            { claimNext: true },
          );
        },
        'test.page': async (_ctx, _payload, job) => void ran.push(job.id),
      };
      // Polls once a minute and is never woken: only the claim in the step's transaction can start the pages.
      const worker = new JobWorker(t.ctx, { workerId: 'loop', handlers, pollMs: 60_000, concurrency: 4 });
      const id = await enqueue('test.step', TEST_NOW);
      worker.start();
      const deadline = Date.now() + 5_000;
      while (ran.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await worker.stop();
      expect(ran.sort()).toEqual([`${id}-page-1`, `${id}-page-2`]);
      expect((await findJob(t.ctx.db, id))?.status).toBe('done');
      for (const page of ran)
        expect(await findJob(t.ctx.db, page)).toMatchObject({ status: 'done', attempts: 1 });
    });

    it("writes a failing handler's record of the failure with the retry", async () => {
      const id = await enqueue('test.retry', TEST_NOW, 2);
      const handler: JobHandler = async (ctx, _payload, job, run) => {
        await recordFailure(ctx, run, async (trx) => {
          await trx
            .insertInto('inbound_events')
            .values(mark(`${job.id}:${job.attempts}`))
            .execute();
        });
        throw new Error('provider down');
      };
      const worker = new JobWorker(t.ctx, { workerId: 'w', handlers: { 'test.retry': handler } });
      expect(await worker.runOnce()).toBe(1);
      expect(await marked(`${id}:1`)).toBe(true);
      expect(await findJob(t.ctx.db, id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: 'provider down',
        due_at: new Date(TEST_NOW + 5_000).toISOString(),
      });
      t.clock.advance(5_000);
      expect(await worker.runOnce()).toBe(1);
      expect(await marked(`${id}:2`)).toBe(true);
      expect(await findJob(t.ctx.db, id)).toMatchObject({ status: 'failed', attempts: 2 });
      t.clock.set(TEST_NOW);
    });

    it("lets a worker whose lease ran out commit its work but not complete the new holder's claim", async () => {
      const id = await enqueue('test.stale', TEST_NOW);
      const held = gate();
      const started = gate();
      const handler: JobHandler = async (ctx, _payload, job, run) => {
        started.open();
        await held.wait;
        await finalTransaction(ctx, run, (trx) =>
          trx.insertInto('inbound_events').values(mark(job.id)).execute(),
        );
      };
      const slow = new JobWorker(t.ctx, {
        workerId: 'slow',
        leaseMs: 5_000,
        handlers: { 'test.stale': handler },
      });
      const running = slow.runOnce();
      await started.wait;
      // The slow worker's lease runs out; another takes the job over.
      const retaken = await claimDueJobs(t.ctx.db, dialect, {
        workerId: 'other',
        nowMs: TEST_NOW + 10_000,
        leaseMs: 60_000,
        limit: 10,
        kinds: ['test.stale'],
      });
      expect(retaken.map((j) => j.id)).toEqual([id]);
      held.open();
      expect(await running).toBe(1);
      expect(await marked(id)).toBe(true);
      expect(await findJob(t.ctx.db, id)).toMatchObject({
        status: 'running',
        locked_by: 'other',
        attempts: 2,
      });
    });
  });
}
