import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { claimDueJobs, completeJob, enqueueJob, findJob } from '../../src/db/repositories/job.repository.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { DIALECTS, startTestApp, TEST_NOW, type TestApp } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`jobs (timers and outbox) on ${dialect}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('schedules a job once per dedupe key', async () => {
      const job = {
        kind: 'test.once',
        payload: { n: 1 },
        dueAtMs: TEST_NOW,
        dedupeKey: 'escalate:incident-1:step-2',
      };
      expect(await enqueueJob(t.ctx.db, { id: t.ctx.newId(), ...job }, TEST_NOW)).toBe(true);
      expect(await enqueueJob(t.ctx.db, { id: t.ctx.newId(), ...job }, TEST_NOW)).toBe(false);
    });

    it('hands each due job to exactly one of several concurrent claimers, even from two connections', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 60; i += 1) {
        const id = t.ctx.newId();
        ids.push(id);
        await enqueueJob(
          t.ctx.db,
          { id, kind: 'test.race', payload: { i }, dueAtMs: TEST_NOW - 1000 },
          TEST_NOW,
        );
      }
      // A second pool stands in for a second app node on PostgreSQL (SQLite: a second connection).
      const other = openDatabase(t.databaseUrl);
      try {
        const claimers = Array.from({ length: 6 }, (_, n) =>
          claimDueJobs(n % 2 === 0 ? t.ctx.db : other.db, dialect, {
            workerId: `node-${n}`,
            nowMs: TEST_NOW,
            leaseMs: 60_000,
            limit: 15,
            kinds: ['test.race'],
          }),
        );
        const claimed = (await Promise.all(claimers)).flat().map((j) => j.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.sort()).toEqual([...ids].sort());
      } finally {
        await other.close();
      }
    });

    it('does not hand out a job before it is due, and re-runs a job whose worker died (lease expired)', async () => {
      const id = t.ctx.newId();
      await enqueueJob(
        t.ctx.db,
        { id, kind: 'test.lease', payload: {}, dueAtMs: TEST_NOW + 60_000 },
        TEST_NOW,
      );
      const opts = { nowMs: TEST_NOW, leaseMs: 30_000, limit: 10, kinds: ['test.lease'] };
      expect(await claimDueJobs(t.ctx.db, dialect, { ...opts, workerId: 'a' })).toHaveLength(0);
      const first = await claimDueJobs(t.ctx.db, dialect, {
        ...opts,
        workerId: 'a',
        nowMs: TEST_NOW + 60_000,
      });
      expect(first.map((j) => j.id)).toEqual([id]);
      // Worker a crashes. Within its lease nobody else gets the job; after it, worker b does.
      expect(
        await claimDueJobs(t.ctx.db, dialect, { ...opts, workerId: 'b', nowMs: TEST_NOW + 80_000 }),
      ).toHaveLength(0);
      const retaken = await claimDueJobs(t.ctx.db, dialect, {
        ...opts,
        workerId: 'b',
        nowMs: TEST_NOW + 100_000,
      });
      expect(retaken.map((j) => [j.id, j.attempts])).toEqual([[id, 2]]);
      // The stale worker can no longer complete it; the new holder can.
      expect(await completeJob(t.ctx.db, id, 'a', TEST_NOW + 100_000)).toBe(false);
      expect(await completeJob(t.ctx.db, id, 'b', TEST_NOW + 100_000)).toBe(true);
      expect((await findJob(t.ctx.db, id))?.status).toBe('done');
    });

    it('retries a failing job with back-off and gives up after its attempts', async () => {
      const id = t.ctx.newId();
      await enqueueJob(
        t.ctx.db,
        { id, kind: 'test.flaky', payload: {}, dueAtMs: TEST_NOW, maxAttempts: 2 },
        TEST_NOW,
      );
      let calls = 0;
      const worker = new JobWorker(t.ctx, {
        workerId: 'w',
        handlers: {
          'test.flaky': async () => {
            calls += 1;
            throw new Error('provider down');
          },
        },
      });
      t.clock.set(TEST_NOW);
      expect(await worker.runOnce()).toBe(1);
      let job = await findJob(t.ctx.db, id);
      expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: 'provider down' });
      expect(await worker.runOnce()).toBe(0); // back-off: not due yet
      t.clock.advance(5_000);
      expect(await worker.runOnce()).toBe(1);
      job = await findJob(t.ctx.db, id);
      expect(job?.status).toBe('failed');
      expect(calls).toBe(2);
    });
  });
}
