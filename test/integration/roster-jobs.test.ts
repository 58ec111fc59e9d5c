import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineer } from '../../src/app/engineers/engineers.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { createRotation } from '../../src/app/roster/rotations.js';
import { scheduleRosterJobs } from '../../src/app/roster/roster-jobs.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, elksEnv, type TestApp, startTestApp, SYSTEM } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`roster jobs on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* run until nothing is due */
      }
    };

    beforeAll(async () => {
      elks = await start46elksStandIn();
      smtp = await startSmtpStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_SMTP_URL: smtp.url,
      });
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      const anna = await createEngineer(t.ctx, SYSTEM, {
        name: 'Anna',
        phone: '+46709000001',
        email: 'anna@ballou.example',
      });
      const bo = await createEngineer(t.ctx, SYSTEM, {
        name: 'Bo',
        phone: '+46709000002',
        email: 'bo@ballou.example',
        notifyChannel: 'email',
      });
      await createEngineer(t.ctx, SYSTEM, {
        name: 'Frida',
        phone: '+46709000006',
        email: 'frida@ballou.example',
        manager: true,
      });
      // Only a primary rotation: every on-call minute lacks a secondary, so the managers must hear of it.
      await createRotation(t.ctx, SYSTEM, {
        role: 'primary',
        engineerIds: [anna.id, bo.id],
        start: '2026-11-30T08:00:00+01:00',
        shiftHours: 24,
        handover: '08:00',
      });
    });
    afterAll(async () => {
      await t?.close();
      await elks?.close();
      await smtp?.close();
    });

    it('reminds each engineer an hour before their shift, once, on the channel they chose', async () => {
      t.clock.set(Date.parse('2026-11-30T06:50:00+01:00'));
      await scheduleRosterJobs(t.ctx);
      await drain();
      expect(elks.sms).toHaveLength(0);
      t.clock.set(Date.parse('2026-11-30T07:00:00+01:00'));
      await drain();
      expect(elks.sms.map((s) => [s.to, s.message])).toEqual([
        ['+46709000001', expect.stringMatching(/primärjour från mån 30 nov\.? 08:00/)],
      ]);
      // Every 15 minutes the job runs again; nobody is reminded twice.
      for (let i = 0; i < 4; i += 1) {
        t.clock.advance(15 * 60_000);
        await drain();
      }
      expect(elks.sms).toHaveLength(1);
      // Bo prefers e-mail: his reminder for Tuesday 08:00 comes at 07:00 Tuesday by e-mail.
      t.clock.set(Date.parse('2026-12-01T07:00:00+01:00'));
      await drain();
      const reminder = smtp.messages.find((m) => m.subject === 'Din jour börjar snart');
      expect(reminder?.to).toContain('bo@ballou.example');
      expect(elks.sms).toHaveLength(1);
    });

    it('warns the managers by e-mail about coverage gaps in the next 14 days, once a day', async () => {
      const warnings = smtp.messages.filter((m) => m.subject?.startsWith('Jourluckor'));
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings[0]?.to).toContain('frida@ballou.example');
      expect(warnings[0]?.text).toContain('no secondary on call');
      const count = warnings.length;
      t.clock.advance(60 * 60_000);
      await drain();
      expect(smtp.messages.filter((m) => m.subject?.startsWith('Jourluckor'))).toHaveLength(count);
    });
  });
}
