import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineer } from '../../src/app/engineers/engineers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { enqueueMessage, enqueueMessages } from '../../src/app/messaging/enqueue-message.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, elksEnv, type TestApp, startTestApp, SYSTEM } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`outgoing messages through the outbox on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    let engineerId: string;

    beforeAll(async () => {
      elks = await start46elksStandIn();
      smtp = await startSmtpStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_46ELKS_FROM: 'Ballou',
        BALLOU_SMTP_URL: smtp.url,
      });
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      engineerId = (
        await createEngineer(t.ctx, SYSTEM, {
          name: 'Åsa Öberg',
          phone: '+46701110001',
          email: 'asa@ballou.example',
        })
      ).id;
    });
    afterAll(async () => {
      await t?.close();
      await elks?.close();
      await smtp?.close();
    });

    const notification = (id: string) =>
      t.ctx.db
        .selectFrom('notifications')
        .selectAll()
        .where('engineer_id', '=', id)
        .orderBy('created_at')
        .execute();

    it('sends a queued SMS once, even if queued twice with one dedupe key', async () => {
      const msg = {
        channel: 'sms' as const,
        to: '+46701110001',
        body: 'Din jour börjar 08:00',
        engineerId,
        dedupeKey: 'reminder:1',
      };
      expect(await enqueueMessage(t.ctx.db, t.ctx, msg)).toBe(true);
      expect(await enqueueMessage(t.ctx.db, t.ctx, msg)).toBe(false);
      await worker.runOnce();
      await worker.runOnce();
      expect(elks.sms.filter((s) => s.message === 'Din jour börjar 08:00')).toHaveLength(1);
      expect(elks.sms[0]).toMatchObject({ to: '+46701110001', from: 'Ballou' });
      const [row] = await notification(engineerId);
      expect(row).toMatchObject({ status: 'sent', provider: '46elks', provider_message_id: elks.sms[0]?.id });
    });

    it('queues several messages at once, skipping those whose dedupe key was used, and sends each once', async () => {
      const msg = (body: string, dedupeKey?: string) => ({
        channel: 'sms' as const,
        to: '+46701110001',
        body,
        engineerId,
        ...(dedupeKey ? { dedupeKey } : {}),
      });
      expect(await enqueueMessage(t.ctx.db, t.ctx, msg('batch: earlier', 'batch:used'))).toBe(true);
      const queued = await t.ctx.db
        .transaction()
        .execute((trx) =>
          enqueueMessages(trx, t.ctx, [
            msg('batch: one', 'batch:1'),
            msg('batch: again', 'batch:used'),
            msg('batch: no key'),
            msg('batch: one twice', 'batch:1'),
          ]),
        );
      expect(queued).toEqual([true, false, true, false]);
      const rows = await t.ctx.db
        .selectFrom('notifications')
        .innerJoin('jobs', 'jobs.id', 'notifications.job_id')
        .select(['notifications.body', 'jobs.status'])
        .where('notifications.body', 'like', 'batch:%')
        .orderBy('notifications.body')
        .execute();
      expect(rows.map((r) => r.body)).toEqual(['batch: earlier', 'batch: no key', 'batch: one']);
      await worker.runOnce();
      expect(
        elks.sms
          .filter((s) => s.message.startsWith('batch:'))
          .map((s) => s.message)
          .sort(),
      ).toEqual(['batch: earlier', 'batch: no key', 'batch: one']);
    });

    it('completes without a second send a job whose message was marked sent before a crash', async () => {
      // The message is marked sent, then the job done, in two statements: a crash between them leaves
      // the job running with its message sent. Here the crash is played by a worker that sends and
      // marks, and whose completion never happens: its lease runs out and another worker claims the job.
      await enqueueMessage(t.ctx.db, t.ctx, {
        channel: 'sms',
        to: '+46701110001',
        body: 'före kraschen',
        engineerId,
      });
      const crashing = new JobWorker(t.ctx, {
        workerId: 'crashing',
        leaseMs: 1_000,
        handlers: {
          'message.send': async (ctx, payload, job, run) => {
            await jobHandlers['message.send']?.(ctx, payload, job, run);
            throw new Error('process killed before the job was completed');
          },
        },
      });
      await crashing.runOnce();
      const sent = elks.sms.filter((s) => s.message === 'före kraschen');
      expect(sent).toHaveLength(1);
      const jobOf = async () => {
        const row = await t.ctx.db
          .selectFrom('notifications')
          .innerJoin('jobs', 'jobs.id', 'notifications.job_id')
          .select(['jobs.status', 'notifications.status as sent'])
          .where('notifications.body', '=', 'före kraschen')
          .executeTakeFirstOrThrow();
        return row;
      };
      expect(await jobOf()).toMatchObject({ sent: 'sent' });
      expect((await jobOf()).status).not.toBe('done');
      t.clock.advance(60_000);
      await worker.runOnce();
      expect(elks.sms.filter((s) => s.message === 'före kraschen')).toHaveLength(1);
      expect(await jobOf()).toMatchObject({ status: 'done', sent: 'sent' });
    });

    it('retries after a provider outage and delivers when it is back', async () => {
      elks.failNext(1, 503);
      await enqueueMessage(t.ctx.db, t.ctx, {
        channel: 'sms',
        to: '+46701110001',
        body: 'andra försöket',
        engineerId,
      });
      await worker.runOnce();
      expect(elks.sms.some((s) => s.message === 'andra försöket')).toBe(false);
      t.clock.advance(10_000);
      await worker.runOnce();
      expect(elks.sms.filter((s) => s.message === 'andra försöket')).toHaveLength(1);
    });

    it('marks the phone as not working when the provider refuses the number, and falls back to e-mail', async () => {
      elks.failNext(1, 400);
      await enqueueMessage(t.ctx.db, t.ctx, {
        channel: 'sms',
        to: '+46701110001',
        body: 'Påminnelse: jour',
        engineerId,
        fallback: {
          channel: 'email',
          to: 'asa@ballou.example',
          subject: 'Påminnelse: jour',
          body: 'Påminnelse: jour',
          engineerId,
        },
      });
      await worker.runOnce();
      await worker.runOnce();
      const engineer = await t.ctx.db
        .selectFrom('engineers')
        .selectAll()
        .where('id', '=', engineerId)
        .executeTakeFirstOrThrow();
      expect(engineer.phone_failing_since).not.toBeNull();
      expect(smtp.messages.map((m) => m.subject)).toContain('Påminnelse: jour');
      const rows = await notification(engineerId);
      expect(rows.map((r) => [r.channel, r.status]).slice(-2)).toEqual([
        ['sms', 'failed'],
        ['email', 'sent'],
      ]);
    });
  });
}
