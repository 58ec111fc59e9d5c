import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { enqueueJob, findJob } from '../../src/db/repositories/job.repository.js';
import { DIALECTS, startTestApp, TEST_NOW, type TestApp } from './support/test-runtime.js';

/** Polls `done` every 10 ms for up to `ms`; returns whether it became true. */
async function within(ms: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return done();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A latch a job handler waits on until the test opens it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

for (const dialect of DIALECTS) {
  describe(`job worker wake-up and concurrency on ${dialect}`, () => {
    let t: TestApp;
    let worker: JobWorker | undefined;
    let unsubscribe: (() => void) | undefined;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.set(TEST_NOW);
    });
    afterEach(async () => {
      unsubscribe?.();
      await worker?.stop();
      worker = undefined;
    });
    afterAll(async () => t?.close());

    /** A running worker that polls only once a minute: anything sooner is the wake-up's doing. */
    function startWorker(handlers: Record<string, () => Promise<void>>, concurrency = 1): JobWorker {
      worker = new JobWorker(t.ctx, { workerId: `w-${dialect}`, handlers, pollMs: 60_000, concurrency });
      const w = worker;
      unsubscribe = t.runtime.database.onJobsCommitted(() => w.wake());
      worker.start();
      return worker;
    }

    const enqueue = (kind: string, db = t.ctx.db) =>
      enqueueJob(db, { id: t.ctx.newId(), kind, payload: {}, dueAtMs: TEST_NOW }, TEST_NOW);

    it('runs a job enqueued in a transaction right after the commit, not at the next poll and not before', async () => {
      let ran = 0;
      startWorker({ 'test.wake': async () => void ran++ });
      await sleep(50); // the start-up claim found nothing
      await t.ctx.db.transaction().execute(async (trx) => {
        await enqueue('test.wake', trx);
        // Uncommitted: the worker must not have been sent for it yet (on PostgreSQL it could not see it).
        await sleep(100);
        expect(ran).toBe(0);
      });
      expect(await within(2_000, () => ran === 1)).toBe(true);
    });

    it('runs a job enqueued outside a transaction at once', async () => {
      let ran = 0;
      startWorker({ 'test.direct': async () => void ran++ });
      await sleep(50);
      await enqueue('test.direct');
      expect(await within(2_000, () => ran === 1)).toBe(true);
    });

    it('a rolled-back transaction leaves no job and wakes nothing that runs', async () => {
      let ran = 0;
      startWorker({ 'test.rollback': async () => void ran++ });
      await sleep(50);
      await expect(
        t.ctx.db.transaction().execute(async (trx) => {
          await enqueue('test.rollback', trx);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await sleep(300);
      expect(ran).toBe(0);
      const left = await t.ctx.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'test.rollback')
        .execute();
      expect(left).toHaveLength(0);
    });

    it('runs up to `concurrency` jobs at once, and a slow job does not hold the ones behind it', async () => {
      const slow = gate();
      let running = 0;
      let most = 0;
      const finished: string[] = [];
      const handlers = {
        'test.slow': async () => {
          running++;
          most = Math.max(most, running);
          await slow.wait;
          running--;
          finished.push('slow');
        },
        'test.fast': async () => {
          running++;
          most = Math.max(most, running);
          await sleep(20);
          running--;
          finished.push('fast');
        },
      };
      await enqueue('test.slow');
      for (let i = 0; i < 6; i++) await enqueue('test.fast');
      startWorker(handlers, 3);
      // All six fast jobs finish through the two free slots while the slow one still runs.
      expect(await within(3_000, () => finished.filter((f) => f === 'fast').length === 6)).toBe(true);
      expect(finished).not.toContain('slow');
      expect(most).toBe(3);
      slow.open();
      expect(await within(2_000, () => finished.includes('slow'))).toBe(true);
    });

    it('claims only what it can start: jobs waiting for a slot stay pending, unleased', async () => {
      const slow = gate();
      let started = 0;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = t.ctx.newId();
        ids.push(id);
        await enqueueJob(t.ctx.db, { id, kind: 'test.queue', payload: {}, dueAtMs: TEST_NOW }, TEST_NOW);
      }
      startWorker(
        {
          'test.queue': async () => {
            started++;
            await slow.wait;
          },
        },
        1,
      );
      expect(await within(2_000, () => started === 1)).toBe(true);
      await sleep(100);
      const statuses = await Promise.all(ids.map(async (id) => (await findJob(t.ctx.db, id))?.status));
      expect(statuses.filter((s) => s === 'running')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'pending')).toHaveLength(2);
      slow.open();
      expect(await within(2_000, () => started === 3)).toBe(true);
    });

    it('runOnce runs a claimed batch with bounded concurrency and completes every job', async () => {
      let running = 0;
      let most = 0;
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const id = t.ctx.newId();
        ids.push(id);
        await enqueueJob(t.ctx.db, { id, kind: 'test.batch', payload: {}, dueAtMs: TEST_NOW }, TEST_NOW);
      }
      const batch = new JobWorker(t.ctx, {
        workerId: 'batch',
        concurrency: 3,
        handlers: {
          'test.batch': async () => {
            running++;
            most = Math.max(most, running);
            await sleep(30);
            running--;
          },
        },
      });
      expect(await batch.runOnce()).toBe(8);
      expect(most).toBe(3);
      for (const id of ids) expect((await findJob(t.ctx.db, id))?.status).toBe('done');
    });
  });
}
